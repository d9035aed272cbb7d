import datetime

import pytest

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.core.testing import make_user

TODAY = datetime.date(2026, 11, 25)  # a Wednesday


def audit_count() -> int:
    return AuditEvent.objects.count()


def html(response) -> str:
    return response.content.decode()


def xlsx_rows(response) -> list[tuple]:
    import io

    from openpyxl import load_workbook

    data = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [row for ws in wb for row in ws.iter_rows(values_only=True)]


@pytest.fixture
def users(world):
    """One user per role, by short name, plus a second staff member of 镇甲's office."""

    class Users:
        admin = world.user(Role.COUNTY_ADMIN)
        office = world.user(Role.TOWNSHIP_STAFF)
        station = world.user(Role.STATION_CHIEF)
        secretary = world.user(Role.VILLAGE_SECRETARY)
        grid = world.user(Role.GRID_LEADER)
        dept = world.user(Role.DEPT_LIAISON)
        leader = world.user(Role.READONLY_LEADER)
        out_office = world.user("out_office")
        staff2 = make_user(
            world.root, "office_staff2", "甲镇办干部二", world.orgs["township"], Role.TOWNSHIP_STAFF
        )

    return Users
