"""The calendar: per org and month, what is planned (with links) and what is owed on the day it closes
— the month's obligations, the quarter's in March/June/September/December, the year's in December,
the office's weeks on their Sundays. A grid on wide screens, a list at 375 px."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.roles import Role
from dangjian.meetings.choices import MeetingKind as K
from dangjian.meetings.choices import MeetingStatus
from dangjian.meetings.models import Meeting
from dangjian.orgs.services import create_org

from .compliance_support import meeting, office, pin_today

D = datetime.date
URL = "/meetings/calendar/"


@pytest.fixture
def w(world, monkeypatch):
    pin_today(monkeypatch, D(2026, 11, 24))
    Meeting.objects.all().delete()
    office(world.orgs["township"])
    branch = world.orgs["branch"]
    world.planned = meeting(
        branch, K.THEME_DAY, D(2026, 11, 28), hour=10, status=MeetingStatus.PLANNED, topic="十一月主题党日"
    )
    world.held = meeting(branch, K.LECTURE, D(2026, 11, 5), hour=15, topic="专题党课")
    meeting(
        world.orgs["out_branch"], K.THEME_DAY, D(2026, 11, 28), status=MeetingStatus.PLANNED, topic="外村计划"
    )
    return world


def day(response, d):
    return next(x for week in response.context["weeks"] for x in week if x["day"] == d)


def test_planned_held_and_owed_in_the_month(w, client_for):
    r = client_for(w.user(Role.VILLAGE_SECRETARY)).get(URL, {"month": "2026-11"})
    assert r.status_code == 200 and r.context["org"] == w.orgs["branch"]
    weeks = r.context["weeks"]
    assert weeks[0][0]["day"] == D(2026, 10, 26) and weeks[-1][-1]["day"] == D(2026, 12, 6)
    planned = day(r, D(2026, 11, 28))["meetings"]
    assert [(e["m"].pk, e["time"], e["url"]) for e in planned] == [
        (w.planned.pk, "10:00", f"/meetings/{w.planned.pk}/")
    ]
    assert [e["m"].pk for e in day(r, D(2026, 11, 5))["meetings"]] == [w.held.pk]
    owed = day(r, D(2026, 11, 30))["owed"]
    assert {(o["title"], o["state"]) for o in owed} == {("主题党日", "due_soon"), ("党小组会", "due_soon")}
    body = r.content.decode()
    assert "十一月主题党日" in body and "外村" not in body
    assert 'data-testid="calendar-list"' in body and 'data-testid="calendar-grid"' in body
    assert [p.label for p in r.context["ending"]] == ["2026年11月"]


def test_quarter_and_year_fall_due_in_december(w, client_for):
    r = client_for(w.user(Role.VILLAGE_SECRETARY)).get(URL, {"month": "2026-12"})
    assert [p.label for p in r.context["ending"]] == ["2026年12月", "2026年第四季度", "2026年"]
    titles = {o["title"] for o in day(r, D(2026, 12, 31))["owed"]}
    assert {"支部党员大会", "组织生活会", "民主评议党员", "谈心谈话", "主题党日"} <= titles
    assert "党课" not in titles  # held on 5 November, within the fourth quarter
    assert all(o["state"] == "pending" for o in r.context["owed"])


def test_the_offices_weeks_close_on_sundays(w, client_for):
    township = w.orgs["township"]
    meeting(township, K.OFFICE_WEEKLY, D(2026, 11, 11))
    r = client_for(w.user(Role.TOWNSHIP_STAFF)).get(URL, {"org": township.pk, "month": "2026-11"})
    sundays = sorted({o["day"] for o in r.context["owed"] if o["title"] == "党建办周小结"})
    assert sundays == [D(2026, 11, 1), D(2026, 11, 8), D(2026, 11, 22), D(2026, 11, 29)]
    assert {o["org"] for o in r.context["owed"]} >= {"镇甲", "村甲一", "站甲"}
    assert [o["state"] for o in day(r, D(2026, 11, 22))["owed"] if o["title"] == "党建办周小结"] == [
        "overdue"
    ]


def test_scope_and_bad_input(w, client_for):
    client = client_for(w.user(Role.VILLAGE_SECRETARY))
    assert client.get(URL, {"org": w.orgs["sibling"].pk}).status_code == 404
    assert client.get(URL, {"org": w.orgs["out_branch"].pk}).status_code == 404
    bad = client.get(URL, {"month": "2026-Q4"})
    assert bad.status_code == 400 and "月份格式不正确" in bad.content.decode()
    assert client.post(URL, {"org": w.orgs["out_branch"].pk}).status_code == 405


def test_constant_queries(w, client_for):
    client = client_for(w.user(Role.COUNTY_ADMIN))
    counts = []
    for n in (2, 8):
        station = create_org(w.root, parent=w.orgs["township"], name=f"站{n}", kind="station", code=f"CS{n}")
        for i in range(n):
            b = create_org(
                w.root, parent=station, name=f"村{n}-{i}", kind="branch", code=f"CB{n}-{i}", confirm=True
            )
            meeting(b, K.THEME_DAY, D(2026, 12, 3), status=MeetingStatus.PLANNED)
        client.get(URL, {"month": "2026-12"})
        with CaptureQueriesContext(connection) as q:
            assert client.get(URL, {"month": "2026-12"}).status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1], counts
