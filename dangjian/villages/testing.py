"""This app's part of the two-county test world: in 村甲一 and in 外村 a villagers' profile, a branch
committee with its secretary, a Monday duty slot for the secretary with one check-in; in each county a
seat table (so every route has an out-of-scope row)."""

from __future__ import annotations

import datetime

from dangjian.members.choices import Gender

from . import duty, services
from .models import CommitteeKind, DutyStatus, PostKind

WEEK = datetime.timedelta(days=7)


def populate(world) -> None:
    root, o = world.root, world.orgs
    start = datetime.date(2024, 3, 1)
    for county, branch, tag in (("county", "branch", "甲"), ("out_county", "out_branch", "外")):
        services.set_seat_table(root, o[county], [(500, 5), (1500, 7)], source=f"{tag}县职数核定办法")
        services.set_profile(root, o[branch], residents=188, households=60, adults=150, today=start)
        committee = services.create_committee(root, o[branch], kind=CommitteeKind.BRANCH, term_start=start)
        post = services.appoint(
            root,
            committee,
            PostKind.SECRETARY,
            name=f"{tag}书记郭凯",
            gender=Gender.MALE,
            since=start,
            today=start,
        )
        slot = duty.add_slot(
            root,
            o[branch],
            post_id=post.pk,
            weekday=0,
            valid_from=start,
            start=datetime.time(8, 30),
            end=datetime.time(12, 0),
            note=f"{tag}村部坐班",
            today=start,
        )
        duty.check_in(
            root, slot, date=datetime.date(2024, 3, 4), status=DutyStatus.PRESENT, today=start + WEEK
        )
