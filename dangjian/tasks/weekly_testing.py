"""The weekly cycle's part of the test world: one week of 镇甲 (issued to 站甲, relayed to 村甲一 and 村甲二,
村甲一 reported, a draft compilation of 站甲) and the same outside (外镇 → 外站 → 外村), so the scope
matrix has a WeeklyCycle and a Compilation to hide on every weekly route."""

from __future__ import annotations

import datetime

from django.utils import timezone

WEEK = datetime.date(2026, 11, 23)  # a Monday; report day Thursday 11-26, compile day Friday 11-27


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def _week(world, township: str, station: str, village: str, prefix: str) -> dict:
    from . import services, weekly

    root, o = world.root, world.orgs
    cycle = weekly.issue_week(
        root,
        township=o[township],
        week_start=WEEK,
        tasks=[
            {"title": f"{prefix}入户走访", "target_kind": "number", "target_value": 10, "unit": "户"},
            {"title": f"{prefix}主题党日", "target_kind": "checklist", "checklist": ["学习", "讨论"]},
        ],
        today=WEEK,
    )
    made = weekly.relay_week(root, cycle, o[station], today=WEEK)
    mine = next(a for a in made if a.org_id == o[village].pk and a.task.target_kind == "number")
    report = services.report(
        root, mine, text=f"{prefix}已走访8户", amount=8, now=at(WEEK + datetime.timedelta(2))
    )
    compilation = weekly.draft_compilation(root, cycle, o[station], now=at(WEEK + datetime.timedelta(3), 17))
    return {"cycle": cycle, "assignment": mine, "report": report, "compilation": compilation}


def populate(world) -> None:
    world.weekly = {
        "in": _week(world, "township", "station", "branch", "甲"),
        "out": _week(world, "out_township", "out_station", "out_branch", "外"),
    }
