LABELS: dict[str, str] = {
    "projects.create": "登记项目",
    "projects.update": "修改项目",
    "projects.source.add": "登记项目资金来源",
    "projects.source.remove": "删除项目资金来源",
    "projects.milestone.add": "增加项目节点",
    "projects.milestone.done": "项目节点完成",
    "projects.outcome.add": "登记项目成效",
    "projects.outcome.remove": "删除项目成效",
    "projects.status": "变更项目状态",
    "projects.progress": "填报项目进度",
    "projects.file": "上传项目照片或资料",
    "projects.file_delete": "删除项目照片或资料",
}
