LABELS: dict[str, str] = {
    "joint.post.appoint": "联村党总支班子任职",
    "joint.post.end": "联村党总支班子离任",
}
