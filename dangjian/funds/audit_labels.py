LABELS: dict[str, str] = {
    "funds.create": "登记专项资金",
    "funds.allocate": "分配专项资金",
    "funds.disburse": "登记资金支出",
}
