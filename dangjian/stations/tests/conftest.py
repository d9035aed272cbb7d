import datetime
import io

import pytest
from django.utils import timezone

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role

D = datetime.date


def at(*args) -> datetime.datetime:
    """An aware datetime in Asia/Shanghai."""
    return timezone.make_aware(datetime.datetime(*args))


def audit_count() -> int:
    return AuditEvent.objects.count()


def html(response) -> str:
    return response.content.decode()


def sheet_rows(response) -> list[tuple]:
    from openpyxl import load_workbook

    data = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a temporary folder (set before the test world writes its files)."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def users(world):
    class Users:
        admin = world.user(Role.COUNTY_ADMIN)
        office = world.user(Role.TOWNSHIP_STAFF)
        chief = world.user(Role.STATION_CHIEF)
        secretary = world.user(Role.VILLAGE_SECRETARY)
        grid = world.user(Role.GRID_LEADER)
        liaison = world.user(Role.DEPT_LIAISON)
        leader = world.user(Role.READONLY_LEADER)
        out_admin = world.user("out_admin")

    return Users


@pytest.fixture
def station(world):
    return world.orgs["station"]
