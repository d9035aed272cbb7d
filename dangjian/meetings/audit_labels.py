"""Chinese labels for the meetings app's audit actions (the meeting records; the engine writes none)."""

LABELS: dict[str, str] = {
    "meetings.plan": "安排会议",
    "meetings.update": "修改会议安排",
    "meetings.guide": "登记列席指导",
    "meetings.cancel": "取消会议",
    "meetings.attendee_add": "加入应到名单",
    "meetings.attendee_remove": "移出应到名单",
    "meetings.attendance": "登记出席情况",
    "meetings.held": "登记会议召开",
    "meetings.signin_open": "开启会议签到",
    "meetings.sign_in": "会议签到",
    "meetings.minutes": "填写会议记录",
    "meetings.approve": "审定会议记录",
    "meetings.reopen": "撤销会议记录审定",
    "meetings.file": "上传会议材料",
    "meetings.file_delete": "删除会议材料",
    "meetings.demo": "载入演示会议",
}
