"""Chinese labels for the notices app's audit actions."""

LABELS: dict[str, str] = {
    "notices.send": "发送通知",
    "notices.sign": "签收通知",
    "notices.push": "推送学习内容",
    "notices.training": "登记培训",
    "notices.attendance": "登记培训出勤",
}
