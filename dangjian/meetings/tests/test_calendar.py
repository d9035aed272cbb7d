"""The calendar: per org and month, every routine planned or held (with links) and what is owed on the
day it closes — the meetings engine's months, quarters (March/June/September/December), years
(December) and office weeks (Sundays); field days per week, inspections per half-month, service
half-days per week and research rounds per year from the office and stations checks; trainings.
A grid on wide screens, a list at 375 px; filter by kind; an Excel export."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dangjian.core.roles import Role
from dangjian.core.testing import make_user
from dangjian.meetings.choices import MeetingKind as K
from dangjian.meetings.choices import MeetingStatus
from dangjian.meetings.models import Meeting
from dangjian.notices import services as notices
from dangjian.notices.choices import TrainingKind
from dangjian.office.services import field
from dangjian.orgs.models import Org
from dangjian.orgs.services import create_org
from dangjian.stations import services as stations
from dangjian.stations.choices import Session

from .compliance_support import at, meeting, office, pin_today

D = datetime.date
URL = "/meetings/calendar/"
KINDS = {"meeting", "visit", "inspection", "service", "research", "training"}


@pytest.fixture
def w(world, monkeypatch):
    """Today is 2026-11-24 (a Tuesday). Besides the world's own rows (an inspection of 村甲一, a
    service half-day and a research round of 站甲 on 2026-11-03, and the same at 外站), each side
    gets field visits and a training this month; 甲镇办干部 is in the villages two days in the week of
    9–15 November and no other."""
    pin_today(monkeypatch, D(2026, 11, 24))
    Meeting.objects.all().delete()
    o, root = world.orgs, world.root
    office(o["township"])
    # The research rule is counted only for stations that existed in the year.
    Org.objects.filter(pk__in=[o["station"].pk, o["out_station"].pk]).update(created_at=at(D(2026, 1, 5)))
    branch = o["branch"]
    world.planned = meeting(
        branch, K.THEME_DAY, D(2026, 11, 28), hour=10, status=MeetingStatus.PLANNED, topic="十一月主题党日"
    )
    world.held = meeting(branch, K.LECTURE, D(2026, 11, 5), hour=15, topic="专题党课")
    meeting(o["out_branch"], K.THEME_DAY, D(2026, 11, 28), status=MeetingStatus.PLANNED, topic="外村计划")
    staff, out_staff = world.user(Role.TOWNSHIP_STAFF), world.users["out_office"]
    today = D(2026, 11, 24)
    world.visits = [
        field.record_field_visit(root, staff, branch, D(2026, 11, 10), 2, "甲村走访党员", today=today),
        field.record_field_visit(root, staff, o["sibling"], D(2026, 11, 12), 2, "甲村二走访", today=today),
    ]
    field.record_field_visit(root, out_staff, o["out_branch"], D(2026, 11, 10), 2, "外村走访", today=today)
    world.training = notices.create_training(
        root, o["township"], title="镇甲十一月集中培训", kind=TrainingKind.CENTRAL,
        start_on=D(2026, 11, 26), end_on=D(2026, 11, 27), hours=Decimal(12), place="镇会议室",
    )  # fmt: skip
    notices.create_training(
        root, o["out_township"], title="外镇十一月培训", kind=TrainingKind.CENTRAL,
        start_on=D(2026, 11, 26), hours=Decimal(4), place="外镇会议室",
    )  # fmt: skip
    return world


def day(response, d):
    return next(x for week in response.context["weeks"] for x in week if x["day"] == d)


def kinds_of(items):
    return {i["kind"] for i in items}


def everything(response):
    return [
        *(i for week in response.context["weeks"] for d in week for i in d["items"]),
        *response.context["owed"],
    ]


def no_outside(response):
    """Nothing of county 外 in any item or anywhere on the page."""
    leaked = [i for i in everything(response) if "外" in f"{i['org']}{i['title']}{i['what']}{i['note']}"]
    assert not leaked
    body = response.content.decode()
    for name in ("外县", "外镇", "外站", "外村", "外镇办干部"):
        assert name not in body


# --- the existing behaviour: meetings planned, held and owed ----------------------------------------


def test_planned_held_and_owed_in_the_month(w, client_for):
    r = client_for(w.user(Role.VILLAGE_SECRETARY)).get(URL, {"month": "2026-11"})
    assert r.status_code == 200 and r.context["org"] == w.orgs["branch"]
    weeks = r.context["weeks"]
    assert weeks[0][0]["day"] == D(2026, 10, 26) and weeks[-1][-1]["day"] == D(2026, 12, 6)
    planned = [e for e in day(r, D(2026, 11, 28))["items"] if e["kind"] == "meeting"]
    assert [(e["title"], e["what"], e["time"], e["state"], e["url"]) for e in planned] == [
        ("主题党日", "十一月主题党日", "10:00", "planned", f"/meetings/{w.planned.pk}/")
    ]
    held = [e for e in day(r, D(2026, 11, 5))["items"] if e["kind"] == "meeting"]
    assert [(e["url"], e["state_label"]) for e in held] == [(f"/meetings/{w.held.pk}/", "已召开")]
    owed = day(r, D(2026, 11, 30))["owed"]
    assert {(o["title"], o["state"]) for o in owed} == {("主题党日", "due_soon"), ("党小组会", "due_soon")}
    assert all(o["url"].startswith("/meetings/new/?org=") for o in owed)
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


# --- every kind, inside scope only -----------------------------------------------------------------


def test_every_kind_appears_for_the_township_and_nothing_outside(w, client_for):
    r = client_for(w.user(Role.TOWNSHIP_STAFF)).get(URL, {"month": "2026-11"})
    assert r.status_code == 200 and r.context["org"] == w.orgs["township"]
    done = [i for week in r.context["weeks"] for d in week for i in d["items"]]
    assert kinds_of(done) == KINDS
    visits = [i for i in done if i["kind"] == "visit"]
    assert [(i["day"], i["org"], i["url"]) for i in visits] == [
        (D(2026, 11, 10), "村甲一", f"/office/field-visits/{w.visits[0].pk}/"),
        (D(2026, 11, 12), "村甲二", f"/office/field-visits/{w.visits[1].pk}/"),
    ]
    assert "甲镇办干部" in visits[0]["note"]
    nov3 = {i["kind"]: i for i in day(r, D(2026, 11, 3))["items"]}
    inspection = w.station_rows["in_inspection"]
    assert nov3["inspection"]["org"] == "村甲一" and nov3["inspection"]["time"] == "09:30"
    assert (
        nov3["inspection"]["url"]
        == (
            f"/stations/inspections/?station={w.orgs['station'].pk}&since=2026-11-03&until=2026-11-03&q=%E6%9D%91%E7%94%B2%E4%B8%80"
        )
        and inspection.branch_id == w.orgs["branch"].pk
    )
    assert nov3["service"]["org"] == "站甲" and nov3["service"]["url"].startswith(
        "/stations/half-days/?station="
    )
    assert nov3["research"]["url"] == f"/stations/research/{w.station_rows['in_round'].pk}/"
    training = [i for i in day(r, D(2026, 11, 26))["items"] if i["kind"] == "training"]
    assert [(i["what"], i["state"], i["url"]) for i in training] == [
        ("镇甲十一月集中培训", "planned", f"/notices/trainings/{w.training.pk}/")
    ]
    assert kinds_of(r.context["owed"]) == {"meeting", "visit", "inspection", "service"}
    no_outside(r)


def test_the_county_sees_its_side_and_the_other_county_is_not_found(w, client_for):
    client = client_for(w.user(Role.COUNTY_ADMIN))
    r = client.get(URL, {"month": "2026-11"})
    assert r.status_code == 200 and r.context["org"] == w.orgs["county"]
    assert kinds_of(everything(r)) == KINDS
    no_outside(r)
    for key in ("out_county", "out_township", "out_station", "out_branch"):
        assert client.get(URL, {"org": w.orgs[key].pk, "month": "2026-11"}).status_code == 404
    outside = client_for(w.users["out_admin"]).get(URL, {"month": "2026-11"})
    names = {i["org"] for i in everything(outside)}
    assert names and all("外" in n for n in names)


def test_a_branch_sees_its_own_records_only(w, client_for):
    """The secretary sees visits to and inspections of 村甲一 (scoped by the branch), not the
    station's half-days, rounds or the township's training."""
    r = client_for(w.user(Role.VILLAGE_SECRETARY)).get(URL, {"month": "2026-11"})
    done = [i for week in r.context["weeks"] for d in week for i in d["items"]]
    assert kinds_of(done) == {"meeting", "visit", "inspection"}
    assert {i["org"] for i in done} == {"村甲一"}
    assert kinds_of(r.context["owed"]) == {"meeting"}
    no_outside(r)


# --- owed, on the day its period closes -----------------------------------------------------------


def owed(response, kind):
    return sorted(
        (o["day"], o["org"], o["title"], o["state"]) for o in response.context["owed"] if o["kind"] == kind
    )


def test_owed_field_days_inspections_and_half_days_fall_due_on_their_days(w, client_for):
    r = client_for(w.user(Role.TOWNSHIP_STAFF)).get(URL, {"month": "2026-11"})
    # Weeks ending on a Sunday in November; the week of 9–15 November had two days in the villages.
    assert owed(r, "visit") == [
        (D(2026, 11, 1), "镇甲", "甲镇办干部到村工作", "overdue"),
        (D(2026, 11, 8), "镇甲", "甲镇办干部到村工作", "overdue"),
        (D(2026, 11, 22), "镇甲", "甲镇办干部到村工作", "overdue"),
        (D(2026, 11, 29), "镇甲", "甲镇办干部到村工作", "due_soon"),
    ]
    field_url = next(o["url"] for o in r.context["owed"] if o["kind"] == "visit")
    assert field_url.startswith("/office/field-visits/?staff=")
    # 村甲一 was inspected on 3 November; 村甲二 was not, and neither has been since the 16th.
    assert owed(r, "inspection") == [
        (D(2026, 11, 15), "村甲二", "督查讲评", "overdue"),
        (D(2026, 11, 30), "村甲一", "督查讲评", "due_soon"),
        (D(2026, 11, 30), "村甲二", "督查讲评", "due_soon"),
    ]
    # The station's half-day of 3 November covers the week of 2–8 November only.
    assert [(d, s) for d, _, _, s in owed(r, "service")] == [
        (D(2026, 11, 1), "overdue"),
        (D(2026, 11, 15), "overdue"),
        (D(2026, 11, 22), "overdue"),
        (D(2026, 11, 29), "due_soon"),
    ]
    assert all(
        o["url"] == f"/stations/{w.orgs['station'].pk}/" for o in r.context["owed"] if o["kind"] == "service"
    )
    first = next(o for o in r.context["owed"] if o["kind"] == "inspection")
    assert first["what"] == "2026年11月上半月（1日–15日）" and "至少1次" in first["note"]


def test_research_rounds_fall_due_on_the_last_day_of_december(w, client_for):
    r = client_for(w.user(Role.TOWNSHIP_STAFF)).get(URL, {"month": "2026-12"})
    assert owed(r, "research") == [(D(2026, 12, 31), "站甲", "年度集中调研", "pending")]
    assert next(o for o in r.context["owed"] if o["kind"] == "research")["url"] == (
        f"/stations/research/?station={w.orgs['station'].pk}&year=2026"
    )
    november = client_for(w.user(Role.TOWNSHIP_STAFF)).get(URL, {"month": "2026-11"})
    assert owed(november, "research") == []


def test_a_branch_chosen_by_the_office_shows_its_own_inspections_owed(w, client_for):
    r = client_for(w.user(Role.TOWNSHIP_STAFF)).get(URL, {"org": w.orgs["sibling"].pk, "month": "2026-11"})
    assert owed(r, "inspection") == [
        (D(2026, 11, 15), "村甲二", "督查讲评", "overdue"),
        (D(2026, 11, 30), "村甲二", "督查讲评", "due_soon"),
    ]
    assert owed(r, "visit") == [] and owed(r, "service") == []


# --- filter, export, bad input ---------------------------------------------------------------------


def test_filter_by_kind(w, client_for):
    client = client_for(w.user(Role.TOWNSHIP_STAFF))
    r = client.get(URL, {"month": "2026-11", "show": "visit"})
    assert r.status_code == 200 and kinds_of(everything(r)) == {"visit"}
    assert [(v, on) for v, _, on in r.context["kinds"] if on] == [("visit", True)]
    body = r.content.decode()
    assert 'value="visit" id="f-show-visit" checked' in body and "show=visit" in body
    r = client.get(URL, {"month": "2026-11", "show": ["training", "inspection"]})
    assert kinds_of(everything(r)) == {"training", "inspection"}
    assert kinds_of(everything(client.get(URL, {"month": "2026-11"}))) == KINDS


def test_export_holds_the_months_items(w, client_for):
    client = client_for(w.user(Role.COUNTY_ADMIN))
    r = client.get(URL, {"month": "2026-11", "export": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert "县甲 2026年11月 组织生活日历" in rows[0][0]
    assert rows[1] == ("日期", "时间", "类别", "状态", "组织", "事项", "内容或期间", "说明", "链接")
    body = rows[2:]
    assert {row[2] for row in body} == {"会议", "走访", "督查", "便民服务", "调研", "培训"}
    assert ("已开展", "村甲一", "到村工作", "甲村走访党员") in {row[3:7] for row in body}
    assert any(row[3] == "已过期" and row[5] == "甲镇办干部到村工作" for row in body)
    assert any(str(row[8]).startswith("http://testserver/notices/trainings/") for row in body)
    assert not [row for row in body if any("外" in str(c) for c in row if c)]
    page = client.get(URL, {"month": "2026-11"})
    assert len(body) == page.context["done_total"] + page.context["owed_total"]
    only = client.get(URL, {"month": "2026-11", "show": "training", "export": "xlsx"})
    ws = load_workbook(io.BytesIO(b"".join(only.streaming_content)), read_only=True).active
    assert {row[2] for row in list(ws.iter_rows(values_only=True))[2:]} == {"培训"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"month": "2026-Q4"}, "月份格式不正确"),
        ({"month": "2026-13"}, "月份格式不正确"),
        ({"month": "11月"}, "月份格式不正确"),
        ({"org": "abc"}, "组织参数不正确"),
        ({"org": "1e3"}, "组织参数不正确"),
        ({"org": "99999999999999999999999"}, "组织参数不正确"),
        ({"show": "party"}, "事项类别不正确"),
        ({"month": "2026/11", "export": "xlsx"}, "月份格式不正确"),
    ],
)
def test_bad_input_answers_400_in_chinese(w, client_for, params, message):
    r = client_for(w.user(Role.TOWNSHIP_STAFF)).get(URL, params)
    assert r.status_code == 400 and r["Content-Type"].startswith("text/html")
    assert message in r.content.decode()


def test_scope_and_method(w, client_for):
    client = client_for(w.user(Role.VILLAGE_SECRETARY))
    assert client.get(URL, {"org": w.orgs["sibling"].pk}).status_code == 404
    assert client.get(URL, {"org": w.orgs["out_branch"].pk}).status_code == 404
    assert client.get(URL, {"org": w.orgs["out_branch"].pk, "export": "xlsx"}).status_code == 404
    assert client.post(URL, {"org": w.orgs["out_branch"].pk}).status_code == 405
    assert client_for(w.user(Role.DEPT_LIAISON)).get(URL).status_code == 403


# --- a fixed number of queries ---------------------------------------------------------------------


def add_rows(w, n: int) -> None:
    """A station of n branches, each with a planned meeting, a field visit and an inspection; n
    half-days, rounds and trainings; and n more office staff (each short of field days)."""
    root, township = w.root, w.orgs["township"]
    staff = w.user(Role.TOWNSHIP_STAFF)
    station = create_org(root, parent=township, name=f"站{n}", kind="station", code=f"CS{n}")
    later = D(2026, 12, 28)
    branches = []
    for i in range(n):
        b = create_org(
            root, parent=station, name=f"村{n}-{i}", kind="branch", code=f"CB{n}-{i}", confirm=True
        )
        branches.append(b)
        meeting(b, K.THEME_DAY, D(2026, 12, 3), status=MeetingStatus.PLANNED)
        field.record_field_visit(
            root, staff, b, D(2026, 12, 1 + i + (n > 2) * 10), 1, f"走访{i}", today=later
        )
        stations.record_inspection(
            root, station, branch=b, inspected_at=at(D(2026, 12, 2)), inspectors="站长",
            items_checked="台账", now=at(later),
        )  # fmt: skip
        stations.record_half_day(
            root, station, held_on=D(2026, 12, 1 + i), session=Session.MORNING, place="服务室",
            staff_on_duty="专职", today=later,
        )  # fmt: skip
        stations.record_round(
            root, station, topic=f"调研{i}", started_on=D(2026, 12, 4), ended_on=D(2026, 12, 5),
            villages=[b], participants="站长", today=later,
        )  # fmt: skip
        notices.create_training(
            root, township, title=f"培训{n}-{i}", kind=TrainingKind.LECTURE, start_on=D(2026, 12, 10),
            hours=Decimal(2), place="会议室",
        )  # fmt: skip
        make_user(root, f"staff{n}-{i}", f"干部{n}-{i}", township, Role.TOWNSHIP_STAFF)


def test_constant_queries(w, client_for):
    client = client_for(w.user(Role.COUNTY_ADMIN))
    counts = []
    for n in (2, 8):
        add_rows(w, n)
        client.get(URL, {"month": "2026-12"})
        with CaptureQueriesContext(connection) as q:
            r = client.get(URL, {"month": "2026-12"})
        assert r.status_code == 200
        counts.append((len(q), len(everything(r))))
    assert counts[0][0] == counts[1][0], counts
    assert counts[1][1] > counts[0][1] + 6 * 6, counts
    with CaptureQueriesContext(connection) as q:
        assert client.get(URL, {"month": "2026-12", "export": "xlsx"}).status_code == 200
    assert len(q) <= counts[1][0], (len(q), counts)
