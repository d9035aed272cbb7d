"""The errands app's part of the two-county test world: a catalogue (one service unpublished, one
archived), a centre with two half-days and a diary, in county 甲 (镇甲, 村甲一) and outside it (外镇,
外村), so the scope matrix has something to hide on every errands route."""

from __future__ import annotations

import datetime

from dangjian.core.roles import Role

from . import services

DAY = datetime.date(2026, 11, 3)
SECTIONS = ["司法所", "规划科", "民政科"]


def populate(world) -> None:
    o, root = world.orgs, world.root
    world.errand_rows = rows = {}
    for key, township, village, name, author in (
        ("in", "township", "branch", "甲", world.users[Role.TOWNSHIP_STAFF]),
        ("out", "out_township", "out_branch", "外", world.users["out_admin"]),
    ):
        t = o[township]
        rows[f"{key}_service"] = services.create_service(
            root,
            t,
            category="服务",
            name=f"{name}镇低保申请代办",
            promised_days=20,
            documents="户口簿\n身份证\n家庭收入证明",
            handled_by=f"{name}镇民政科",
            sort_order=1,
        )
        rows[f"{key}_consult"] = services.create_service(
            root, t, category="咨询", name=f"{name}镇法律咨询", promised_days=0, handled_by="司法所"
        )
        rows[f"{key}_hidden"] = services.create_service(
            root, t, category="服务", name=f"{name}镇未公开事项", promised_days=5, published=False
        )
        archived = services.create_service(
            root, t, category="服务", name=f"{name}镇已停用事项", promised_days=3
        )
        rows[f"{key}_archived"] = services.set_service_archived(root, archived, True)
        centre = services.create_centre(
            root, t, name=f"{name}镇第一便民服务中心", place=f"{name}村村委会", phone="010-69201234"
        )
        rows[f"{key}_centre"] = centre
        rows[f"{key}_session"] = services.schedule_session(
            root, centre, date=DAY, half="am", sections=SECTIONS, served=12, today=DAY
        )
        rows[f"{key}_session2"] = services.schedule_session(
            root,
            centre,
            date=DAY + datetime.timedelta(days=7),
            half="pm",
            sections=SECTIONS,
            note=f"{name}镇集中服务",
            today=DAY,
        )
        rows[f"{key}_diary"] = services.write_diary(
            author,
            o[village],
            written_on=DAY,
            visited=f"{name}村老党员家",
            content=f"{name}村群众反映：村口路灯坏了三盏，晚上出行不便。",
            today=DAY,
        )
