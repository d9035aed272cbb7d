import datetime
import itertools

import pytest

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.members.testing import add_member

TODAY = datetime.date(2026, 11, 22)
_seq = itertools.count(100)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def audit_count() -> int:
    return AuditEvent.objects.count()


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def users(world):
    """One user per role, by short name."""

    class Users:
        admin = world.user(Role.COUNTY_ADMIN)
        office = world.user(Role.TOWNSHIP_STAFF)
        station = world.user(Role.STATION_CHIEF)
        secretary = world.user(Role.VILLAGE_SECRETARY)
        grid = world.user(Role.GRID_LEADER)
        leader = world.user(Role.READONLY_LEADER)
        out_admin = world.user("out_admin")

    return Users


@pytest.fixture
def new_member(world):
    """A fresh member of 村甲一 (or the org named), with no records yet."""

    def make(name="甲测试党员", org="branch", **extra):
        return add_member(world.orgs[org], name, next(_seq), **extra)

    return make
