"""Chinese labels for the office app's audit actions."""

LABELS: dict[str, str] = {
    "office.office_create": "设立乡镇党建办",
    "office.post_create": "新设党建办岗位",
    "office.post_update": "修改党建办岗位",
    "office.post_archive": "撤销党建办岗位",
    "office.duties_set": "修改岗位职责",
    "office.holder_appoint": "安排人员到岗",
    "office.holder_end": "人员离岗",
    "office.selection_open": "登记党建办人员选拔",
    "office.selection_step": "登记人员选拔环节",
    "office.selection_status": "人员选拔状态变更",
    "office.contact_assign": "确定支部联系点",
    "office.contact_end": "结束支部联系点",
    "office.leader_create": "登记县级包联领导",
    "office.leader_villages": "调整包联村",
    "office.leader_visit": "登记包联领导到村",
    "office.field_visit": "登记到村工作",
    "office.request_submit": "报送党建办人员提级管理申请",
    "office.request_approve": "批准党建办人员提级管理申请",
    "office.request_return": "退回党建办人员提级管理申请",
    "office.request_resubmit": "重新报送党建办人员提级管理申请",
}
