LABELS: dict[str, str] = {
    "villages.profile.set": "核定村基本情况",
    "villages.seats.set": "设定村“两委”职数表",
    "villages.committee.create": "登记村“两委”班子",
    "villages.post.appoint": "村“两委”任职",
    "villages.post.end": "村“两委”离任",
    "villages.post.vacancy": "登记村“两委”职务空缺",
    "villages.duty.slot_add": "安排村干部坐班值班",
    "villages.duty.slot_end": "结束村干部坐班值班安排",
    "villages.duty.check_in": "登记村干部坐班值班情况",
}
