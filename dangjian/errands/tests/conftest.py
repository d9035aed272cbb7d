import datetime
import io
import re

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


def field_errors(response, name: str) -> list[str]:
    """The messages shown beside form field `name`."""
    pattern = rf'<div class="invalid-feedback d-block" data-field="{name}">(.*?)</div>'
    return re.findall(pattern, html(response))


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
def rows(world):
    return world.errand_rows


@pytest.fixture
def township(world):
    return world.orgs["township"]
