"""Chinese labels for the case engine's audit actions."""

from .kinds import KINDS

LABELS: dict[str, str] = {
    "cases.open": "登记案件",
    "cases.route": "派单到部门",
    "cases.answer": "部门报到",
    "cases.decline": "部门退回",
    "cases.supervise": "督办案件",
    "cases.note": "记录办理情况",
    "cases.handover": "移交案件",
    "cases.reopen": "重新打开案件",
    "cases.escalate": "上报案件",
    "cases.publish": "公开案件",
    "cases.unpublish": "撤回公开",
    "cases.satisfaction": "满意度回访",
    "cases.edit": "修改案件",
    "cases.category": "设置案件类别",
} | {
    f"cases.{t.code}": t.label
    for spec in KINDS.values()
    for t in spec.transitions
    if t.code not in ("route", "answer")
}
