"""Chinese labels for the stations app's audit actions."""

LABELS: dict[str, str] = {
    "stations.staff_add": "登记工作站人员",
    "stations.staff_update": "修改工作站人员信息",
    "stations.staff_end": "登记工作站人员离任",
    "stations.checklist": "核查工作站“六个到位”",
    "stations.system": "核查工作站制度",
    "stations.inspection": "登记工作站督查",
    "stations.half_day": "登记便民服务半天",
    "stations.plan": "登记专项调研计划",
    "stations.round": "登记专项调研",
    "stations.report": "提交调研报告",
    "stations.appraisal": "登记调研成果评比会",
    "stations.scores": "调研报告评分",
    "stations.demo": "载入工作站演示数据",
}
