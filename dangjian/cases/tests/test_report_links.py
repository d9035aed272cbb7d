"""A field visit's page and a station's recent inspections offer "转为问题（立案）" to those who may open
cases, and list the cases opened from them (within the reader's scope)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dangjian.cases import services
from dangjian.cases.choices import CaseKind, Source
from dangjian.core.roles import Role
from dangjian.stations import services as station_services

pytestmark = pytest.mark.django_db


def test_a_field_visit_can_become_a_problem(world, client_for):
    visit = world.office["field_visit"]
    url = f"/office/field-visits/{visit.pk}/"
    link = f"/cases/new/?kind=problem&field_visit={visit.pk}"
    r = client_for(world.user(Role.TOWNSHIP_STAFF)).get(url)
    assert r.status_code == 200 and link in r.content.decode() and "尚未立案" in r.content.decode()
    case = services.open_case(
        world.root,
        kind=CaseKind.PROBLEM,
        org=visit.org,
        title="走访发现活动室漏雨",
        source=Source.FIELD_VISIT,
        owner=world.user(Role.VILLAGE_SECRETARY),
        field_visit=visit,
    )
    text = client_for(world.user(Role.TOWNSHIP_STAFF)).get(url).content.decode()
    assert case.receipt_no in text and "走访发现活动室漏雨" in text and "待整改" in text
    leader = client_for(world.user(Role.READONLY_LEADER)).get(url).content.decode()
    assert case.receipt_no in leader and link not in leader  # may read, may not open cases


def test_a_station_inspection_can_become_a_problem(world, client_for):
    station = world.orgs["station"]
    inspection = station_services.record_inspection(
        world.root,
        station,
        branch=world.orgs["branch"],
        inspected_at=timezone.now(),
        inspectors="甲站站长",
        items_checked="三会一课",
        problems="记录不全",
        needs_follow_up=True,
    )
    url = f"/stations/{station.pk}/"
    link = f"/cases/new/?kind=problem&inspection={inspection.pk}"
    chief = client_for(world.user(Role.STATION_CHIEF))
    assert link in chief.get(url).content.decode()
    case = services.open_case(
        world.user(Role.STATION_CHIEF),
        kind=CaseKind.PROBLEM,
        org=world.orgs["branch"],
        title="三会一课记录不全",
        source=Source.STATION_INSPECTION,
        owner=world.user(Role.VILLAGE_SECRETARY),
        inspection=inspection,
    )
    r = chief.get(url)
    assert case.receipt_no in r.content.decode()
    shown = next(i for i in r.context["recent_inspections"] if i.pk == inspection.pk)
    assert shown.opened_cases == [case]
    leader = client_for(world.user(Role.READONLY_LEADER)).get(url).content.decode()
    assert case.receipt_no in leader and link not in leader
