"""Chinese labels for the members app's audit actions."""

from dangjian.members.records.audit_labels import LABELS as RECORD_LABELS

LABELS: dict[str, str] = {
    "member.create": "新建党员",
    "member.update": "修改党员信息",
    "member.reveal_pii": "查看完整身份证号和电话",
    "member.import": "导入党员花名册",
    "member.export_pii": "导出含完整身份证号的花名册",
    "person.export": "导出个人全部信息",
    "person.anonymise": "个人信息匿名化",
    **RECORD_LABELS,
}
