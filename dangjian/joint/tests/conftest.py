import datetime

import pytest

from dangjian.core.roles import Role
from dangjian.core.testing import make_user
from dangjian.members.choices import Gender
from dangjian.orgs.services import create_org
from dangjian.villages import services as villages
from dangjian.villages.models import CommitteeKind, PostKind

TERM = datetime.date(2024, 1, 2)


def add_village(world, name: str, code: str, secretary: str | None):
    """A village of 联甲, with its branch secretary where one is named."""
    village = create_org(world.root, parent=world.orgs["joint"], name=name, kind="branch", code=code)
    if secretary:
        committee = villages.create_committee(world.root, village, kind=CommitteeKind.BRANCH, term_start=TERM)
        villages.appoint(
            world.root, committee, PostKind.SECRETARY, name=secretary, gender=Gender.MALE, since=TERM
        )
    return village


@pytest.fixture
def joint_villages(world):
    return [add_village(world, "联甲一村", "JV1", "张联一"), add_village(world, "联甲二村", "JV2", None)]


@pytest.fixture
def joint_user(world):
    return make_user(world.root, "jointsec", "联甲书记", world.orgs["joint"], Role.STATION_CHIEF)
