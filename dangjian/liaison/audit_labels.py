LABELS: dict[str, str] = {
    "liaison.deputy.add": "登记代表委员",
    "liaison.contact.record": "登记代表委员联系记录",
    "liaison.consultation.record": "登记协商议事会",
}
