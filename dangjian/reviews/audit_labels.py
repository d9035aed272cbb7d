LABELS: dict[str, str] = {
    "reviews.create": "建立3+X月度分析",
    "reviews.update": "修改3+X月度分析",
    "reviews.topic_add": "增加专题研讨",
    "reviews.topic_update": "修改专题研讨",
    "reviews.topic_remove": "删除专题研讨",
    "reviews.publish": "发布3+X月度分析",
}
