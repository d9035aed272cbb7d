"""This app's part of the two-county test world: in 站甲 and 外站 a county party congress deputy and a
township people's congress deputy, a contact of the first with the station's branch, and a consultation
meeting both attended."""

from __future__ import annotations

import datetime

from . import services
from .choices import DeputyKind, Level

TERM = datetime.date(2021, 10, 1)
DAY = datetime.date(2026, 4, 10)


def populate(world) -> None:
    root, o = world.root, world.orgs
    world.liaison = {}
    for station, branch, tag in (("station", "branch", "甲"), ("out_station", "out_branch", "外")):
        party = services.add_deputy(
            root, o[station], name=f"{tag}党代表", kind=DeputyKind.PARTY, level=Level.COUNTY, term_start=TERM
        )
        npc = services.add_deputy(
            root,
            o[station],
            name=f"{tag}人大代表",
            kind=DeputyKind.NPC,
            level=Level.TOWNSHIP,
            term_start=TERM,
        )
        contact = services.record_contact(
            root,
            party,
            branch=o[branch],
            contacted_on=DAY,
            topic=f"{tag}村道路硬化",
            outcome="已向镇党委反映",
        )
        meeting = services.record_consultation(
            root,
            o[station],
            held_on=DAY,
            topic=f"{tag}站产业项目协商",
            result="同意提交镇党委",
            attendees=[party, npc],
        )
        world.liaison[tag] = {"party": party, "npc": npc, "contact": contact, "meeting": meeting}
