import datetime

import pytest

from dangjian.core.roles import Role
from dangjian.members.services.roster import PersonData
from dangjian.members.testing import add_member, make_id_number

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def dev(world):
    """A branch with enough full members to vote, a secretary, and the township office above."""
    branch = world.orgs["branch"]
    world.full_members = [world.members["member"]] + [
        add_member(branch, f"甲支部党员{i}", 10 + i) for i in range(7)
    ]
    world.secretary = world.user(Role.VILLAGE_SECRETARY)
    world.office = world.user(Role.TOWNSHIP_STAFF)
    return world


def applicant(name="甲申请人", birth=datetime.date(2000, 5, 1), seq=77):
    return PersonData(
        name=name, id_number=make_id_number(birth, seq), phone="13900001111", education="college"
    )
