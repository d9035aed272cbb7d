LABELS: dict[str, str] = {
    "notifications.preferences": "修改提醒设置",
}
