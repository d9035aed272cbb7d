"""The working calendar: national holidays and 调休 days, a county's own days, the page and the API."""

from __future__ import annotations

import datetime

import pytest

from dangjian.core.dates import working_days
from dangjian.core.errors import DomainError, NotInScope
from dangjian.core.models import AuditEvent, WorkdayOverride
from dangjian.core.roles import Role
from dangjian.core.workdays import add_working_days, set_workday, working_days_in

D = datetime.date


def test_plain_week_counts_monday_to_friday():
    assert working_days(D(2026, 6, 1), D(2026, 6, 7)) == 5
    assert working_days(D(2026, 6, 7), D(2026, 6, 1)) == 0


@pytest.mark.django_db
def test_national_holidays_and_worked_weekends():
    # 国庆节 2026: 1–7 October off, Sunday 20 September and Saturday 10 October worked.
    assert working_days_in(D(2026, 10, 1), D(2026, 10, 7)) == 0
    assert working_days_in(D(2026, 10, 8), D(2026, 10, 10)) == 3  # Thu, Fri and the 调休 Saturday
    assert working_days_in(D(2026, 9, 20), D(2026, 9, 20)) == 1
    # 春节 2026: 15–23 February off; Saturday 14 and Saturday 28 February worked.
    assert working_days_in(D(2026, 2, 9), D(2026, 2, 28)) == 5 + 1 + 4 + 1
    # A year with no national data falls back to Monday–Friday.
    assert working_days_in(D(2030, 10, 1), D(2030, 10, 7)) == 5


@pytest.mark.django_db
def test_add_working_days_steps_over_the_holiday():
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 9, 30)
    assert add_working_days(D(2026, 9, 30), 2) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 10)


@pytest.mark.django_db
def test_county_day_wins_over_the_national_calendar(world):
    admin = world.user(Role.COUNTY_ADMIN)
    county = world.orgs["county"]
    assert working_days_in(D(2026, 6, 29), D(2026, 7, 3)) == 5
    assert working_days_in(D(2026, 6, 29), D(2026, 7, 3), county) == 4  # the test world's 县庆 on 1 July
    set_workday(admin, county, D(2026, 7, 4), is_workday=True, name="防汛值班", source="县防指通知")
    assert working_days_in(D(2026, 6, 29), D(2026, 7, 4), county) == 5
    assert working_days_in(D(2026, 6, 29), D(2026, 7, 4), world.orgs["out_county"]) == 4
    assert AuditEvent.objects.filter(action="workday.set").count() == 1


@pytest.mark.django_db
def test_bad_days_are_refused_with_nothing_written(world):
    admin = world.user(Role.COUNTY_ADMIN)
    county = world.orgs["county"]
    rows = WorkdayOverride.objects.count()
    with pytest.raises(DomainError, match="本来就是工作日"):
        set_workday(admin, county, D(2026, 6, 2), is_workday=True, name="x", source="y")
    with pytest.raises(DomainError, match="本来就是休息日"):
        set_workday(admin, county, D(2026, 10, 2), is_workday=False, name="x", source="y")
    with pytest.raises(DomainError, match="已有调整"):
        set_workday(admin, county, D(2026, 7, 1), is_workday=False, name="x", source="y")
    with pytest.raises(DomainError, match="请填写依据"):
        set_workday(admin, county, D(2026, 7, 6), is_workday=False, name="x", source=" ")
    with pytest.raises(DomainError, match="请选择一个县"):
        set_workday(admin, world.orgs["township"], D(2026, 7, 6), is_workday=False, name="x", source="y")
    with pytest.raises(NotInScope):  # a township sees its subtree, not the county above it
        set_workday(
            world.user(Role.TOWNSHIP_STAFF), county, D(2026, 7, 6), is_workday=False, name="x", source="y"
        )
    assert WorkdayOverride.objects.count() == rows
    assert not AuditEvent.objects.filter(action="workday.set").exists()


@pytest.mark.django_db
def test_page_lists_national_days_and_lets_the_county_admin_add_and_remove(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    page = client.get("/rules/calendar/?year=2026").content.decode()
    assert "国务院办公厅关于2026年部分节假日安排的通知" in page and "调休上班" in page
    assert "县甲县庆" in page and "外县县庆" not in page
    bad = client.post(
        "/rules/calendar/?year=2026",
        {
            "county": world.orgs["county"].pk,
            "date": "2026-06-02",
            "is_workday": "1",
            "name": "x",
            "source": "y",
        },
    )
    assert bad.status_code == 400 and "本来就是工作日" in bad.content.decode()
    ok = client.post(
        "/rules/calendar/?year=2026",
        {
            "county": world.orgs["county"].pk,
            "date": "2026-07-06",
            "is_workday": "0",
            "name": "县运会",
            "source": "县政府办通知",
        },
    )
    assert ok.status_code == 302
    row = WorkdayOverride.objects.get(date=D(2026, 7, 6))
    assert client.post(f"/rules/calendar/{row.pk}/delete/").status_code == 302
    assert not WorkdayOverride.objects.filter(pk=row.pk).exists()
    assert AuditEvent.objects.filter(action="workday.remove").count() == 1


@pytest.mark.django_db
def test_secretary_sees_the_calendar_but_cannot_change_it(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    page = client.get("/rules/calendar/").content.decode()
    assert "登记县级调整" not in page
    row = WorkdayOverride.objects.get(county=world.orgs["county"])
    assert client.post(f"/rules/calendar/{row.pk}/delete/").status_code == 404  # the county is above them
    assert WorkdayOverride.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_api_creates_lists_and_deletes(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    url = "/api/v1/workday-overrides/"
    created = client.post(
        url,
        {
            "county": world.orgs["county"].pk,
            "date": "2026-08-01",
            "is_workday": True,
            "name": "防汛",
            "source": "县防指",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    names = [r["name"] for r in client.get(url).json()["results"]]
    assert "防汛" in names and "外县县庆" not in names
    refused = client.post(
        url,
        {
            "county": world.orgs["county"].pk,
            "date": "2026-08-03",
            "is_workday": True,
            "name": "x",
            "source": "y",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400 and "本来就是工作日" in refused.json()["detail"]
    outside = client.post(
        url,
        {
            "county": world.orgs["out_county"].pk,
            "date": "2026-08-01",
            "is_workday": True,
            "name": "x",
            "source": "y",
        },
        content_type="application/json",
    )
    assert outside.status_code == 404
    assert client.delete(f"{url}{created.json()['id']}/").status_code == 204
