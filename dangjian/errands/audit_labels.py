"""Chinese labels for the errands app's audit actions."""

LABELS: dict[str, str] = {
    "errands.service_create": "新建代办事项",
    "errands.service_update": "修改代办事项",
    "errands.service_archive": "停用代办事项",
    "errands.service_restore": "恢复代办事项",
    "errands.centre_create": "新建便民服务中心",
    "errands.centre_update": "修改便民服务中心",
    "errands.centre_archive": "停用便民服务中心",
    "errands.centre_restore": "恢复便民服务中心",
    "errands.session_create": "安排下村服务",
    "errands.session_update": "修改下村服务",
    "errands.diary_create": "写民情日记",
    "errands.diary_update": "修改民情日记",
    "errands.cards_print": "打印连心卡",
    "errands.demo": "载入群众代办演示数据",
}
