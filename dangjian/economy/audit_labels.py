LABELS: dict[str, str] = {
    "economy.record": "登记村集体经济收入",
    "economy.asset": "登记村集体资产",
    "economy.contract": "登记集体资产合同",
}
