"""This app's part of the two-county test world: in 镇甲 and 外镇 a volunteer team (the branch member and
a resident enrolled) and a flood team with no members; one call-out of the first with attendance. A
team in 村甲一 too, so a village secretary has one of their own."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from . import services
from .choices import CallOutKind, TeamKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
FOUNDED = datetime.date(2026, 1, 10)


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def populate(world) -> None:
    root, o, m = world.root, world.orgs, world.members
    world.volunteers = {}
    for township, member, tag in (("township", "member", "甲"), ("out_township", "out", "外")):
        team = services.create_team(
            root, o[township], name=f"{tag}镇党员志愿服务队", kind=TeamKind.SERVICE, founded_on=FOUNDED
        )
        flood = services.create_team(
            root, o[township], name=f"{tag}镇汛期党员突击队", kind=TeamKind.EMERGENCY, founded_on=FOUNDED
        )
        party = services.enrol(root, team, member=m[member], joined_on=FOUNDED)
        resident = services.enrol(root, team, name=f"{tag}群众志愿者", joined_on=FOUNDED)
        day = datetime.date(2026, 5, 1)
        callout = services.create_callout(
            root,
            team,
            kind=CallOutKind.HOLIDAY,
            starts_at=at(day, 8),
            ends_at=at(day, 18),
            place=f"{tag}景区售票处",
            task="人车疏导、秩序维持",
            members=[party, resident],
        )
        services.record_attendance(root, callout, [(party, 8)])
        world.volunteers[tag] = {
            "team": team,
            "flood": flood,
            "party": party,
            "resident": resident,
            "callout": callout,
        }
    village = services.create_team(
        root, o["branch"], name="甲村文明实践志愿队", kind=TeamKind.SERVICE, founded_on=FOUNDED
    )
    world.volunteers["village"] = village
