LABELS: dict[str, str] = {
    "volunteers.team.create": "组建志愿服务队/突击队",
    "volunteers.team.update": "修改志愿服务队信息",
    "volunteers.member.enrol": "队员入队",
    "volunteers.member.leave": "队员离队",
    "volunteers.callout.create": "发起出动（值守/活动）",
    "volunteers.attendance.record": "登记出动到岗与服务时长",
}
