"""到村工作: the visit log and the rule of ≥2 days a week in the villages, counted per ISO week
(Monday–Sunday, Asia/Shanghai; a half day counts 0.5)."""

import datetime
import zoneinfo

import pytest

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.models import RuleOverride
from dangjian.office import checks
from dangjian.office.models import FieldVisit
from dangjian.office.selectors import week_table
from dangjian.office.services.field import record_field_visit
from dangjian.office.weeks import last_complete_week, parse_week, today_in_shanghai, week_of

from .conftest import TODAY, audit_count, html, xlsx_rows

pytestmark = pytest.mark.django_db
D = datetime.date
UTC = datetime.UTC
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def visit(users, world, who, day, half_days=2, branch="branch", **kw):
    staff, kw = getattr(users, who), {"today": TODAY} | kw
    return record_field_visit(users.office, staff, world.orgs[branch], day, half_days, "甲走访", **kw)


def short_names(user, today=TODAY):
    return {f.subject: f for f in checks.field_days_short(user, today)}


# --- weeks ----------------------------------------------------------------------------------------


def test_weeks_run_monday_to_sunday():
    assert week_of(D(2026, 11, 29)) == (D(2026, 11, 23), D(2026, 11, 29))  # a Sunday
    assert week_of(D(2026, 11, 30)) == (D(2026, 11, 30), D(2026, 12, 6))  # a Monday
    assert last_complete_week(D(2026, 11, 29)) == (D(2026, 11, 16), D(2026, 11, 22))
    assert last_complete_week(D(2026, 11, 30)) == (D(2026, 11, 23), D(2026, 11, 29))
    assert parse_week("2026-W48") == D(2026, 11, 23) and parse_week("2026W48") == D(2026, 11, 23)
    assert parse_week("第48周") is None and parse_week("2026-W60") is None


def test_sunday_2359_and_monday_0000_in_shanghai():
    sunday_late = datetime.datetime(2026, 11, 29, 23, 59, tzinfo=SHANGHAI)
    monday_midnight = datetime.datetime(2026, 11, 30, 0, 0, tzinfo=SHANGHAI)
    assert today_in_shanghai(sunday_late.astimezone(UTC)) == D(2026, 11, 29)
    assert today_in_shanghai(monday_midnight.astimezone(UTC)) == D(2026, 11, 30)  # still Sunday in UTC
    assert monday_midnight.astimezone(UTC).date() == D(2026, 11, 29)
    assert last_complete_week(today_in_shanghai(sunday_late)) == (D(2026, 11, 16), D(2026, 11, 22))
    assert last_complete_week(today_in_shanghai(monday_midnight)) == (D(2026, 11, 23), D(2026, 11, 29))


# --- the rule at its boundary ---------------------------------------------------------------------


def test_one_and_a_half_days_is_short_two_is_met(users, world):
    visit(users, world, "office", D(2026, 11, 17))
    visit(users, world, "office", D(2026, 11, 19), 1)  # 1.5 days
    visit(users, world, "staff2", D(2026, 11, 17))
    visit(users, world, "staff2", D(2026, 11, 22))  # Sunday: still last week → 2.0 days
    visit(users, world, "office", D(2026, 11, 23), 1, branch="sibling")  # Monday: this week, not last
    found = short_names(users.office)
    assert set(found) == {"甲镇办干部"}
    assert "上周（2026-11-16至2026-11-22）到村工作1.5天，少于每周2天" in found["甲镇办干部"].message
    assert found["甲镇办干部"].due_on == D(2026, 11, 22) and "week=2026-W47" in found["甲镇办干部"].url


def test_half_days_add_up(users, world):
    for day in (D(2026, 11, 16), D(2026, 11, 17), D(2026, 11, 18), D(2026, 11, 19)):
        visit(users, world, "staff2", day, 1)
    visit(users, world, "office", D(2026, 11, 16), 1)
    visit(users, world, "office", D(2026, 11, 16), 1, branch="sibling")  # two half days, one day
    visit(users, world, "office", D(2026, 11, 18))
    assert short_names(users.office) == {}


def test_the_week_that_counts_changes_at_monday(users, world):
    later = D(2026, 11, 30)
    visit(users, world, "office", D(2026, 11, 24), today=later)
    visit(users, world, "office", D(2026, 11, 26), today=later)
    visit(users, world, "staff2", D(2026, 11, 24), today=later)
    visit(users, world, "staff2", D(2026, 11, 29), today=later)
    # on Sunday 11-29 the week of 11-23 has not ended: last week (11-16) is short for both
    assert set(short_names(users.office, D(2026, 11, 29))) == {"甲镇办干部", "甲镇办干部二"}
    # from Monday 11-30 the week of 11-23 is the one checked, and both have 2 days in it
    assert short_names(users.office, D(2026, 11, 30)) == {}


def test_a_county_may_set_its_own_number_of_days(users, world):
    visit(users, world, "office", D(2026, 11, 17))
    visit(users, world, "staff2", D(2026, 11, 17))
    visit(users, world, "staff2", D(2026, 11, 18))
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="office.field_days_per_week",
        value=1,
        source="试行",
        effective_from=D(2026, 1, 1),
    )
    assert short_names(users.office) == {}


def test_findings_follow_scope(users, world):
    assert set(short_names(users.admin)) == {"甲镇办干部", "甲镇办干部二"}
    assert short_names(users.secretary) == {} and short_names(users.dept) == {}
    assert set(short_names(users.out_office)) == {"外镇办干部"}


def test_the_check_is_constant_in_queries(users, world, django_assert_max_num_queries):
    for day in range(16, 20):
        visit(users, world, "office", D(2026, 11, day), 1)
    # the user's roles, the townships, the staff, the week's sums, the counties, the rule values
    with django_assert_max_num_queries(6):
        checks.field_days_short(users.office, TODAY)


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, day, half_days, branch, field, message",
    [
        ("office", D(2026, 11, 26), 2, "branch", "visited_on", "日期不能晚于今天"),
        ("secretary", D(2026, 11, 20), 2, "branch", "staff", "不是镇甲党建办的工作人员"),
        ("office", D(2026, 11, 20), 3, "branch", "half_days", "请选择时长"),
        ("office", D(2026, 11, 20), 2, "station", "org", "请选择到访的村"),
    ],
)
def test_bad_input_writes_nothing(users, world, who, day, half_days, branch, field, message):
    before = (FieldVisit.objects.count(), audit_count())
    with pytest.raises(DomainError) as exc:
        visit(users, world, who, day, half_days, branch)
    errors = getattr(exc.value, "errors", None) or [exc.value]
    assert any(e.field == field and message in e.message for e in errors)
    assert (FieldVisit.objects.count(), audit_count()) == before


def test_no_more_than_a_day_on_one_date(users, world):
    visit(users, world, "office", D(2026, 11, 20), 1)
    with pytest.raises(DomainError, match="已登记到村0.5天，同一天合计不能超过1天"):
        visit(users, world, "office", D(2026, 11, 20), 2, branch="sibling")
    with pytest.raises(DomainError, match="需跟进"):
        visit(users, world, "office", D(2026, 11, 21), needs_follow_up=True)


def test_scope_and_roles(users, world):
    with pytest.raises(NotInScope):
        record_field_visit(
            users.office, users.out_office, world.orgs["out_branch"], TODAY, 2, "x", today=TODAY
        )
    with pytest.raises(ActionDenied):
        record_field_visit(users.leader, users.office, world.orgs["branch"], TODAY, 2, "x", today=TODAY)
    with pytest.raises(ActionDenied):
        record_field_visit(users.secretary, users.office, world.orgs["branch"], TODAY, 2, "x", today=TODAY)


def test_the_visit_belongs_to_the_branch_and_the_township_sees_it(users, world):
    v = visit(users, world, "office", D(2026, 11, 20), found="甲村活动室漏雨", needs_follow_up=True)
    assert v.org == world.orgs["branch"] and v.township == world.orgs["township"] and v.needs_follow_up
    assert FieldVisit.objects.restrict(users.secretary).filter(pk=v.pk).exists()
    assert FieldVisit.objects.restrict(users.office).filter(pk=v.pk).exists()
    assert not FieldVisit.objects.restrict(users.grid).filter(pk=v.pk).exists()


# --- pages ----------------------------------------------------------------------------------------


def test_week_table_marks_short_weeks(users, world):
    visit(users, world, "office", D(2026, 11, 17))
    visit(users, world, "office", D(2026, 11, 18))
    visit(users, world, "staff2", D(2026, 11, 18), 1)
    visit(users, world, "office", D(2026, 11, 24), 1)
    mondays, rows, required = week_table(users.office, world.orgs["township"], TODAY)
    assert len(mondays) == 8 and mondays[-1] == D(2026, 11, 16) and required == 2
    by_name = {r.user.display_name: r for r in rows}
    assert by_name["甲镇办干部"].cells[-1].half_days == 4 and not by_name["甲镇办干部"].cells[-1].short
    assert by_name["甲镇办干部二"].cells[-1].short and by_name["甲镇办干部"].current == 1


def test_weeks_page_and_export(client_for, users, world):
    visit(users, world, "office", D(2026, 11, 17))
    c = client_for(users.office)
    r = c.get("/office/field-visits/weeks/")
    assert r.status_code == 200 and html(r).count('data-testid="week-row"') == 2
    rows = xlsx_rows(c.get("/office/field-visits/weeks/", {"export": "xlsx"}))
    assert rows[1][0] == "工作人员" and len(rows) == 4


def test_create_page(client_for, users, world):
    c = client_for(users.office)
    assert c.get("/office/field-visits/new/").status_code == 200
    data = {
        "staff": users.staff2.pk,
        "org": world.orgs["sibling"].pk,
        "visited_on": "2026-11-20",
        "half_days": 1,
        "purpose": "甲列席指导",
        "found": "甲村会议记录不全",
        "needs_follow_up": "on",
    }
    r = c.post("/office/field-visits/new/", data)
    assert r.status_code == 302
    v = FieldVisit.objects.get(purpose="甲列席指导")
    assert (v.staff, v.half_days, v.needs_follow_up) == (users.staff2, 1, True)
    before = (FieldVisit.objects.count(), audit_count())
    r = c.post("/office/field-visits/new/", data | {"visited_on": "2099-01-01"})
    assert r.status_code == 400 and "日期不能晚于今天" in html(r)
    r = c.post("/office/field-visits/new/", data | {"org": world.orgs["out_branch"].pk})
    assert r.status_code == 400
    assert (FieldVisit.objects.count(), audit_count()) == before
    assert client_for(users.secretary).get("/office/field-visits/new/").status_code == 403


def test_list_filters_and_export(client_for, users, world):
    visit(users, world, "office", D(2026, 11, 17))
    visit(users, world, "staff2", D(2026, 11, 24), branch="sibling")
    c = client_for(users.office)
    body = html(c.get("/office/field-visits/", {"staff": users.staff2.pk}))
    assert "2026-11-24" in body and "2026-11-17" not in body
    body = html(c.get("/office/field-visits/", {"week": "2026-W47"}))
    assert "2026-11-17" in body and "2026-11-24" not in body and "2026-09-01" not in body
    body = html(c.get("/office/field-visits/", {"org": world.orgs["sibling"].pk}))
    assert "2026-11-24" in body and "2026-11-17" not in body
    body = html(c.get("/office/field-visits/", {"since": "2026-11-01", "until": "2026-11-20"}))
    assert "2026-11-17" in body and "2026-11-24" not in body
    rows = xlsx_rows(c.get("/office/field-visits/", {"week": "2026-W48", "export": "xlsx"}))
    assert rows[1][:3] == ("日期", "工作人员", "村（社区）") and len(rows) == 3 and rows[2][4] == 1.0
    secretary = html(client_for(users.secretary).get("/office/field-visits/"))
    assert "2026-11-17" in secretary and "2026-11-24" not in secretary


def test_list_page_constant_queries(client_for, users, world, django_assert_max_num_queries):
    c = client_for(users.office)
    counts = []
    for n, start in ((3, 1), (20, 4)):
        for i in range(n):
            record_field_visit(
                users.office,
                users.staff2 if i % 2 else users.office,
                world.orgs["branch"],
                D(2026, 6, 1) + datetime.timedelta(days=start * 30 + i),
                2,
                "甲批量",
                today=TODAY,
            )
        with django_assert_max_num_queries(21) as captured:
            assert c.get("/office/field-visits/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_detail_page(client_for, users, world):
    v = world.office["field_visit"]
    assert "甲列席指导主题党日" in html(client_for(users.secretary).get(f"/office/field-visits/{v.pk}/"))
    assert (
        client_for(users.office)
        .get(f"/office/field-visits/{world.office['out_field_visit'].pk}/")
        .status_code
        == 404
    )


# --- API ------------------------------------------------------------------------------------------


def test_api_create_list_filters(client_for, users, world):
    c = client_for(users.office)
    r = c.post(
        "/api/v1/field-visits/",
        {
            "staff": users.staff2.pk,
            "org": world.orgs["sibling"].pk,
            "visited_on": "2026-11-20",
            "half_days": 1,
            "purpose": "甲调研",
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["days"] == 0.5
    listed = c.get("/api/v1/field-visits/", {"week": "2026-W47", "staff": users.staff2.pk}).json()
    assert [v["purpose"] for v in listed["results"]] == ["甲调研"]
    before = (FieldVisit.objects.count(), audit_count())
    r = c.post(
        "/api/v1/field-visits/",
        {
            "staff": users.staff2.pk,
            "org": world.orgs["sibling"].pk,
            "visited_on": "2099-11-20",
            "half_days": 2,
            "purpose": "甲",
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "不能晚于今天" in r.json()["visited_on"][0]
    r = c.post(
        "/api/v1/field-visits/",
        {
            "staff": users.out_office.pk,
            "org": world.orgs["sibling"].pk,
            "visited_on": "2026-11-20",
            "half_days": 2,
            "purpose": "甲",
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "staff" in r.json()
    assert (FieldVisit.objects.count(), audit_count()) == before
