"""Chinese labels for audit actions on mobility, standing, transfers, households and dues."""

LABELS: dict[str, str] = {
    "mobile.start": "登记外出（流动党员）",
    "mobile.end": "登记外出返回",
    "mobile.activity": "登记流动党员活动",
    "standing.lost": "登记失联",
    "standing.found": "恢复联系",
    "standing.suspend": "停止党籍",
    "standing.remove": "按自行脱党除名",
    "standing.restore": "恢复党籍",
    "transfer.start": "开具组织关系介绍信",
    "transfer.receive": "接收系统外转入党员",
    "transfer.confirm": "确认组织关系接收",
    "transfer.cancel": "撤回组织关系转接",
    "member.transfer": "组织关系转入/转出",
    "household.create": "登记农户",
    "household.link": "添加包户联系",
    "household.unlink": "结束包户联系",
    "household.visit": "登记包户走访",
    "dues.pay": "登记党费",
}
