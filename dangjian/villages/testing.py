"""This app's part of the two-county test world: in 村甲一 and in 外村 a villagers' profile, a branch
committee with its secretary; in each county a seat table (so every route has an out-of-scope row)."""

from __future__ import annotations

import datetime

from dangjian.members.choices import Gender

from . import services
from .models import CommitteeKind, PostKind


def populate(world) -> None:
    root, o = world.root, world.orgs
    start = datetime.date(2024, 3, 1)
    for county, branch, tag in (("county", "branch", "甲"), ("out_county", "out_branch", "外")):
        services.set_seat_table(root, o[county], [(500, 5), (1500, 7)], source=f"{tag}县职数核定办法")
        services.set_profile(root, o[branch], residents=188, households=60, adults=150, today=start)
        committee = services.create_committee(root, o[branch], kind=CommitteeKind.BRANCH, term_start=start)
        services.appoint(
            root,
            committee,
            PostKind.SECRETARY,
            name=f"{tag}书记郭凯",
            gender=Gender.MALE,
            since=start,
            today=start,
        )
