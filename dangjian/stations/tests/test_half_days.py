"""The weekly service half-day: at least one per ISO week (Monday–Sunday), checked for the last
complete week."""

import pytest

from dangjian.core.errors import DomainError
from dangjian.stations import services
from dangjian.stations.checks import service_half_day_missed
from dangjian.stations.models import ServiceHalfDay
from dangjian.stations.selectors import last_complete_week, week_of

from .conftest import D, audit_count, html, sheet_rows

TODAY = D(2026, 11, 30)


def held(world, day, session="morning", station="station"):
    return services.record_half_day(
        world.root,
        world.orgs[station],
        held_on=day,
        session=session,
        place="便民服务室",
        staff_on_duty="甲专职",
        today=TODAY,
    )


def missing(user, today):
    return [f.subject for f in service_half_day_missed(user, today)]


def test_weeks():
    assert week_of(D(2026, 11, 22)).start == D(2026, 11, 16)  # a Sunday belongs to the week before
    assert week_of(D(2026, 11, 23)).start == D(2026, 11, 23)  # Monday starts a week
    assert last_complete_week(D(2026, 11, 23)).label == "2026年第47周（11-16至11-22）"
    assert last_complete_week(D(2026, 11, 22)).start == D(2026, 11, 9)


def test_sunday_counts_for_its_week_monday_for_the_next(world, users):
    held(world, D(2026, 11, 22))  # Sunday of week 47
    assert missing(users.office, D(2026, 11, 23)) == []
    assert missing(users.office, D(2026, 11, 29)) == []  # week 48 still running on its Sunday
    assert missing(users.office, D(2026, 11, 30)) == ["站甲"]  # week 48 closed without one
    held(world, D(2026, 11, 23))  # Monday of week 48
    assert missing(users.office, D(2026, 11, 30)) == []


def test_the_finding(world, users):
    f = service_half_day_missed(users.chief, D(2026, 11, 30))[0]
    assert (
        f.severity == "overdue"
        and f.due_on == D(2026, 11, 29)
        and f.url == f"/stations/{world.orgs['station'].pk}/"
    )
    assert (
        "2026年第48周（11-23至11-29）集中便民服务0个半天，应至少1个" in f.message and "两个半天" in f.message
    )
    assert missing(users.out_admin, D(2026, 11, 30)) == ["外站"]
    assert missing(users.secretary, D(2026, 11, 30)) == [] and missing(users.liaison, D(2026, 11, 30)) == []


def test_bad_input(world):
    before = (ServiceHalfDay.objects.count(), audit_count())
    with pytest.raises(DomainError, match="日期不能晚于今天"):
        held(world, D(2026, 12, 1))
    with pytest.raises(DomainError, match="2026-11-03上午的便民服务已登记"):
        held(world, D(2026, 11, 3))
    with pytest.raises(DomainError, match="请选择上午或下午"):
        held(world, D(2026, 11, 4), session="evening")
    assert (ServiceHalfDay.objects.count(), audit_count()) == before
    assert held(world, D(2026, 11, 3), session="afternoon").get_session_display() == "下午"


def test_the_form_list_and_export(world, users, client_for):
    station = world.orgs["station"]
    client = client_for(users.chief)
    data = {
        "held_on": "2026-11-25",
        "session": "afternoon",
        "place": "站甲服务室",
        "staff_on_duty": "甲专职",
        "residents_served": "-1",
    }
    bad = client.post(f"/stations/{station.pk}/half-days/new/", data)
    assert bad.status_code == 400 and "0" in html(bad)
    ok = client.post(
        f"/stations/{station.pk}/half-days/new/", data | {"residents_served": "12", "matters": "低保代办"}
    )
    assert ok.status_code == 302
    page = html(client.get("/stations/half-days/", {"since": "2026-11-20"}))
    assert "低保代办" in page and "外站" not in page
    rows = sheet_rows(client.get("/stations/half-days/", {"export": "xlsx"}))
    assert rows[1][:3] == ("日期", "时段", "党建工作站")
    assert sorted(r[1] for r in rows[2:] if r[0]) == ["上午", "下午"]
    page = html(client.get(f"/stations/{station.pk}/"))
    assert 'data-testid="week-missed"' in page or "本周尚未开展" in page
