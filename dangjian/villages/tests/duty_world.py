"""A rota for the duty tests: 村甲二's two committees (郭凯 secretary and director, 委员甲 a member) and a
week of 2026 in which Wednesday 07-01 is 县甲's own day off (core.testing)."""

import datetime

from dangjian.members.choices import Gender
from dangjian.villages import duty, services
from dangjian.villages.models import CommitteeKind, PostKind

START = datetime.date(2025, 1, 1)
MONDAY = datetime.date(2026, 6, 29)
TODAY = datetime.date(2026, 7, 10)
T = datetime.time
MORNING, NOON = T(8, 30), T(12, 0)


def day(i: int) -> datetime.date:
    return MONDAY + datetime.timedelta(days=i)


def village(world, org="sibling"):
    """(secretary post, member post) of a fresh pair of committees."""
    branch = services.create_committee(
        world.root, world.orgs[org], kind=CommitteeKind.BRANCH, term_start=START
    )
    villagers = services.create_committee(
        world.root, world.orgs[org], kind=CommitteeKind.VILLAGERS, term_start=START
    )
    kw = dict(gender=Gender.MALE, since=START, today=START)
    secretary = services.appoint(world.root, branch, PostKind.SECRETARY, name="郭凯", **kw)
    services.appoint(world.root, villagers, PostKind.DIRECTOR, name="郭凯", **kw)
    member = services.appoint(world.root, villagers, PostKind.MEMBER, name="委员甲", **kw)
    return secretary, member


def weekly(world, post, weekday, org="sibling", start=MORNING, end=NOON):
    return duty.add_slot(
        world.root,
        world.orgs[org],
        post_id=post.pk,
        weekday=weekday,
        valid_from=MONDAY,
        start=start,
        end=end,
        today=TODAY,
    )
