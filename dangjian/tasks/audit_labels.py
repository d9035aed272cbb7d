LABELS: dict[str, str] = {
    "tasks.create_list": "新建任务清单",
    "tasks.add_task": "新增任务",
    "tasks.update_task": "修改任务",
    "tasks.dispatch": "下达任务",
    "tasks.relay": "分解下达任务",
    "tasks.report": "报告任务完成情况",
}
