"""The monthly ledger and the department rates on a hand-built September 2026: on time and late at the
answer (day 3/4) and solve (day 7/8) boundaries, across midnight in Asia/Shanghai, a case closed in a
different month, a reopened case, scope (station, grid leader, liaisons) and a constant query count."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.cases import services, stats
from dangjian.cases.choices import CaseKind, EventType
from dangjian.cases.models import Case, CaseEvent, CaseRoute, Category
from dangjian.core.errors import DomainError
from dangjian.core.roles import Role
from dangjian.core.testing import make_user
from dangjian.orgs.services import create_department

from .support import fresh, problem, whistle

pytestmark = pytest.mark.django_db

D = datetime.date
SEPTEMBER = D(2026, 9, 1)
TODAY = D(2026, 10, 20)


def at(*args) -> datetime.datetime:
    """An aware datetime in Asia/Shanghai."""
    return timezone.make_aware(datetime.datetime(*args))


def stamp(case: Case, **fields) -> None:
    Case.objects.filter(pk=case.pk).update(**fields)


def event_at(case: Case, type_: str, *times: datetime.datetime) -> None:
    events = list(CaseEvent.objects.filter(case=case, type=type_).order_by("pk"))
    assert len(events) == len(times)
    for e, t in zip(events, times, strict=True):
        CaseEvent.objects.filter(pk=e.pk).update(at=t)


def close_problem(world, case: Case, done: datetime.datetime, closed: datetime.datetime | None) -> Case:
    """Report done, accept and (if `closed`) sign off, then date each step."""
    services.act(world.user(Role.VILLAGE_SECRETARY), fresh(case), "report_done", note="已整改")
    services.act(world.user(Role.TOWNSHIP_STAFF), fresh(case), "accept")
    if closed:
        services.act(world.user(Role.STATION_CHIEF), fresh(case), "sign_off")
    stamp(case, done_at=done, accepted_at=done, closed_at=closed)
    return fresh(case)


def build_september(world) -> SimpleNamespace:
    """Problems A–F and whistles W1–W4 in 镇甲, dated in and around September 2026 (see the docstrings of
    the tests for what each is)."""
    county = world.orgs["county"]
    cat_p = Category.objects.get(county=county, name="甲组织建设")
    cat_w = Category.objects.get(county=county, name="甲停车难")
    chief, office = world.user(Role.STATION_CHIEF), world.user(Role.TOWNSHIP_STAFF)
    dept1 = world.departments["dept"]
    dept2 = create_department(world.root, county=county, name="部门甲民政", code="D-STATS")
    liaison1 = world.user(Role.DEPT_LIAISON)
    liaison2 = make_user(
        world.root, "dept-stats", "甲民政联络员", county, Role.DEPT_LIAISON, department=dept2
    )

    def p(opened: D, deadline: D, title: str) -> Case:
        return problem(world, opened_on=opened, deadline=deadline, category=cat_p, title=title)

    a = close_problem(
        world, p(D(2026, 8, 20), D(2026, 9, 10), "问题A"), at(2026, 9, 10, 20), at(2026, 9, 12, 9)
    )
    services.publish(chief, a, public_title="问题A已整改")
    stamp(a, published_at=at(2026, 9, 13, 9))
    # B reported done 00:30 on 9-11 in Shanghai (16:30 on 9-10 UTC): one day late.
    b = close_problem(
        world, p(D(2026, 8, 25), D(2026, 9, 10), "问题B"), at(2026, 9, 11, 0, 30), at(2026, 9, 15)
    )
    c = p(D(2026, 9, 5), D(2026, 9, 20), "问题C")
    for when in (D(2026, 9, 15), D(2026, 9, 25), D(2026, 10, 5)):
        services.supervise(chief, fresh(c), note="督办", today=when)
    event_at(c, EventType.SUPERVISE, at(2026, 9, 15, 10), at(2026, 9, 25, 10), at(2026, 10, 5, 10))
    services.escalate(chief, fresh(c), today=D(2026, 9, 21))
    event_at(c, EventType.ESCALATE, at(2026, 9, 21, 8))
    d = close_problem(world, p(D(2026, 9, 10), D(2026, 10, 10), "问题D"), at(2026, 10, 5), at(2026, 10, 8))
    e = close_problem(world, p(D(2026, 7, 1), D(2026, 7, 31), "问题E"), at(2026, 8, 10), at(2026, 8, 15))
    f = close_problem(world, p(D(2026, 8, 1), D(2026, 8, 31), "问题F"), at(2026, 8, 18), at(2026, 8, 20))
    services.reopen(chief, f, reason="群众反映仍未整改", now=at(2026, 9, 3, 10))

    def w(title: str, departments) -> Case:
        case = whistle(world, opened_on=D(2026, 9, 1), category=cat_w, title=title)
        services.route(office, case, departments)
        return fresh(case)

    w1 = w("吹哨1", [dept1, dept2])
    services.decide_route(liaison1, w1, accept=True)
    services.decide_route(liaison2, fresh(w1), accept=True)
    services.act(liaison1, fresh(w1), "solve", note="已划线")
    services.act(office, fresh(w1), "accept")
    services.act(office, fresh(w1), "sign_off")
    CaseRoute.objects.filter(case=w1, department=dept1).update(decided_at=at(2026, 9, 4, 23))  # day 3
    CaseRoute.objects.filter(case=w1, department=dept2).update(decided_at=at(2026, 9, 5, 9))  # day 4
    stamp(w1, answered_at=at(2026, 9, 4, 23), done_at=at(2026, 9, 8, 22), closed_at=at(2026, 9, 10))
    w2 = w("吹哨2", [dept1])
    services.decide_route(liaison1, w2, accept=True)
    services.act(liaison1, fresh(w2), "solve", note="已清理")
    CaseRoute.objects.filter(case=w2).update(decided_at=at(2026, 9, 5, 8))  # day 4
    stamp(w2, answered_at=at(2026, 9, 5, 8), done_at=at(2026, 9, 9, 0, 30))  # day 8, 16:30 on day 7 UTC
    w3 = w("吹哨3", [dept1])
    services.decide_route(liaison1, w3, accept=False, reason="不属于本部门职责")
    w4 = w("吹哨4", [dept1])
    return SimpleNamespace(
        a=a, b=b, c=c, d=d, e=e, f=f, w1=w1, w2=w2, w3=w3, w4=w4, cat_p=cat_p, cat_w=cat_w,
        dept1=dept1, dept2=dept2, liaison1=liaison1, liaison2=liaison2,
    )  # fmt: skip


def row(report: stats.MonthlyLedger, kind: str, category: str) -> stats.Counts:
    return next(r.counts for r in report.rows if r.kind == kind and r.category == category)


PROBLEMS = dict(
    carried=3,  # A, B (closed in September) and F (reopened in September)
    opened=2,  # C, D
    closed=2,  # A on time (done on its deadline), B late (done 00:30 the day after)
    closed_on_time=1,
    closed_late=1,
    open_at_end=3,  # C, D (closed in October), F
    overdue_at_end=2,  # C, F
    reopened=1,
    escalated=1,
    supervised=2,  # the October supervision is not counted
    published=1,
)
WHISTLES = dict(
    carried=0,
    opened=4,
    closed=1,
    closed_on_time=1,
    closed_late=0,
    open_at_end=3,
    overdue_at_end=2,  # W3 (declined, back with the office) and W4 (pending); W2 is done
    reopened=0,
    escalated=0,
    supervised=0,
    published=0,
)


def test_a_townships_ledger_per_kind_and_category(world):
    s = build_september(world)
    report = stats.monthly_ledger(
        world.user(Role.TOWNSHIP_STAFF), world.orgs["township"], SEPTEMBER, today=TODAY
    )
    assert report.month.start == SEPTEMBER and report.month.end == D(2026, 9, 30) and not report.month.running
    assert row(report, CaseKind.PROBLEM, "甲组织建设").as_dict() == PROBLEMS
    assert row(report, CaseKind.WHISTLE, "甲停车难").as_dict() == WHISTLES
    assert [r.category for r in report.rows] == ["甲组织建设", "小计", "甲停车难", "小计"]
    assert report.total.as_dict() == {k: PROBLEMS[k] + WHISTLES[k] for k in PROBLEMS}
    assert [c.title for c in report.overdue] == ["问题F", "吹哨3", "吹哨4", "问题C"]
    assert s.e not in report.overdue and report.org_rows == []


def test_each_figure_and_its_case_list_agree(world):
    build_september(world)
    user, township = world.user(Role.TOWNSHIP_STAFF), world.orgs["township"]
    report = stats.monthly_ledger(user, township, SEPTEMBER, today=TODAY)
    cases = stats.ledger_cases(user, township)
    for metric in stats.LEDGER_METRICS:
        listed = cases.filter(stats.ledger_q(metric, SEPTEMBER, TODAY))
        if metric in stats.EVENT_METRICS:  # counted in times, listed as cases
            assert listed.count() == min(getattr(report.total, metric), 1), metric
        else:
            assert listed.count() == getattr(report.total, metric), metric
    titles = set(
        cases.filter(stats.ledger_filter("closed_late:2026-09", TODAY)).values_list("title", flat=True)
    )
    assert titles == {"问题B"}
    for bad in ("closed_late", "nothing:2026-09", "opened:2026-13", "opened:2027-01"):
        with pytest.raises(DomainError):
            cases.filter(stats.ledger_filter(bad, TODAY))


def test_a_case_closed_in_october_counts_in_october(world):
    build_september(world)
    report = stats.monthly_ledger(
        world.user(Role.TOWNSHIP_STAFF), world.orgs["township"], D(2026, 10, 1), today=TODAY
    )
    counts = row(report, CaseKind.PROBLEM, "甲组织建设")
    # Carried into October: C, D, F (open at the end of September). D closed in October, on time.
    assert (counts.carried, counts.opened, counts.closed, counts.closed_on_time) == (3, 0, 1, 1)
    assert counts.supervised == 1 and counts.reopened == 0
    assert report.month.running and report.month.cutoff_day == TODAY  # "at month end" reads "so far"


def test_a_county_has_one_row_per_township_and_a_station_only_its_villages(world):
    build_september(world)
    admin = world.user(Role.COUNTY_ADMIN)
    report = stats.monthly_ledger(admin, world.orgs["county"], SEPTEMBER, today=TODAY)
    assert [(r.org_id, r.name) for r in report.org_rows] == [(world.orgs["township"].pk, "镇甲")]
    assert report.org_rows[0].counts == report.total
    station = stats.monthly_ledger(admin, world.orgs["station"], SEPTEMBER, today=TODAY)
    assert [r.category for r in station.rows] == ["甲组织建设", "小计"]  # whistles lie under 社区甲
    assert station.total.as_dict() == PROBLEMS


def test_the_ledger_reads_through_the_scope(world):
    build_september(world)
    township = world.orgs["township"]
    grid = stats.monthly_ledger(world.user(Role.GRID_LEADER), township, SEPTEMBER, today=TODAY)
    assert [r.category for r in grid.rows] == ["甲停车难", "小计"]
    out = stats.monthly_ledger(world.user("out_admin"), township, SEPTEMBER, today=TODAY)
    assert out.rows == [] and out.overdue == [] and out.total == stats.Counts()


def test_bad_months_and_orgs_are_refused():
    assert stats.parse_month("", D(2026, 1, 15)) == D(2025, 12, 1)
    assert stats.parse_month(" 2026-9 ", TODAY) == SEPTEMBER
    for bad in ("2026-13", "九月", "2026/09", "2026-11", "1900-01"):
        with pytest.raises(DomainError):
            stats.parse_month(bad, TODAY)


def test_a_branch_is_not_a_ledger_org(world):
    with pytest.raises(DomainError, match="县、乡镇或工作站"):
        stats.monthly_ledger(world.root, world.orgs["branch"], SEPTEMBER, today=TODAY)


DEPT1 = dict(
    routed=4, answered=2, answered_on_time=1, declined=1, pending=1, answer_due=3,
    solved=2, solved_on_time=1, solve_due=2,
)  # fmt: skip
DEPT2 = dict(
    routed=1, answered=1, answered_on_time=0, declined=0, pending=0, answer_due=1,
    solved=1, solved_on_time=1, solve_due=1,
)  # fmt: skip


def counts_of(rate: stats.DepartmentRate) -> dict:
    return {k: getattr(rate, k) for k in stats.RATE_COUNTS}


def test_department_rates_at_the_day_3_4_and_7_8_boundaries(world):
    s = build_september(world)
    rates = stats.department_rates(
        world.user(Role.COUNTY_ADMIN), world.orgs["county"], SEPTEMBER, D(2026, 9, 30), today=TODAY
    )
    by_name = {r.name: r for r in rates.rows}
    assert list(by_name) == ["部门甲住建", "部门甲民政"]
    one, two = by_name["部门甲住建"], by_name["部门甲民政"]
    assert counts_of(one) == DEPT1 and (one.answer_rate, one.solve_rate) == (33.3, 50.0)
    assert counts_of(two) == DEPT2 and (two.answer_rate, two.solve_rate) == (0.0, 100.0)
    assert rates.total.routed == 5 and (rates.total.answer_rate, rates.total.solve_rate) == (25.0, 66.7)
    assert rates.rows[0].as_dict()["department_id"] == s.dept1.pk
    # A period without whistles: nothing due, no rate.
    empty = stats.department_rates(
        world.root, world.orgs["county"], D(2026, 6, 1), D(2026, 6, 30), today=TODAY
    )
    assert all(r.routed == 0 and r.answer_rate is None and r.solve_rate is None for r in empty.rows)


def test_a_pending_route_counts_only_once_its_answer_date_has_passed(world):
    build_september(world)
    args = (world.root, world.orgs["county"], SEPTEMBER, D(2026, 9, 30))
    early = stats.department_rates(*args, today=D(2026, 9, 4))  # W4's answer date is 9-04
    assert {r.name: r.answer_due for r in early.rows}["部门甲住建"] == 2
    late = stats.department_rates(*args, today=D(2026, 9, 5))
    assert {r.name: r.answer_due for r in late.rows}["部门甲住建"] == 3


def test_a_liaison_sees_only_their_department(world):
    s = build_september(world)
    for liaison, name, expected in ((s.liaison1, "部门甲住建", DEPT1), (s.liaison2, "部门甲民政", DEPT2)):
        rates = stats.department_rates(liaison, world.orgs["county"], SEPTEMBER, D(2026, 9, 30), today=TODAY)
        assert [r.name for r in rates.rows] == [name] and counts_of(rates.rows[0]) == expected
    office = stats.department_rates(
        world.user(Role.TOWNSHIP_STAFF), world.orgs["county"], SEPTEMBER, D(2026, 9, 30), today=TODAY
    )
    assert [r.name for r in office.rows] == ["部门甲住建", "部门甲民政"]
    secretary = stats.department_rates(
        world.user(Role.VILLAGE_SECRETARY), world.orgs["county"], SEPTEMBER, D(2026, 9, 30), today=TODAY
    )
    assert secretary.rows == []  # no whistle of the secretary's branch was routed


def test_rate_counties_are_the_users_own(world):
    assert list(stats.rate_counties(world.user(Role.TOWNSHIP_STAFF))) == [world.orgs["county"]]
    assert list(stats.rate_counties(world.user(Role.DEPT_LIAISON))) == [world.orgs["county"]]
    assert list(stats.rate_counties(world.user("out_admin"))) == [world.orgs["out_county"]]
    with pytest.raises(DomainError, match="结束日期"):
        stats.department_rates(world.root, world.orgs["county"], D(2026, 9, 30), SEPTEMBER)


def more_cases(world, n: int) -> None:
    cat_p = Category.objects.get(county=world.orgs["county"], name="甲组织建设")
    cat_w = Category.objects.get(county=world.orgs["county"], name="甲停车难")
    for i in range(n):
        c = problem(
            world, opened_on=D(2026, 9, 2), deadline=D(2026, 9, 9), title=f"另一问题{i}", category=cat_p
        )
        services.supervise(world.user(Role.STATION_CHIEF), c, note="督办")
        event_at(c, EventType.SUPERVISE, at(2026, 9, 5, 9))
        w = whistle(world, opened_on=D(2026, 9, 3), title=f"另一吹哨{i}", category=cat_w)
        services.route(world.user(Role.TOWNSHIP_STAFF), w, [world.departments["dept"]])


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_constant_query_counts(world):
    build_september(world)
    user = world.user(Role.COUNTY_ADMIN)

    def ledger():
        stats.monthly_ledger(user, world.orgs["county"], SEPTEMBER, today=TODAY)

    def rates():
        stats.department_rates(user, world.orgs["county"], SEPTEMBER, D(2026, 9, 30), today=TODAY)

    ledger(), rates()  # the user's roles are read once and kept on the user
    few = queries(ledger), queries(rates)
    more_cases(world, 12)
    assert (queries(ledger), queries(rates)) == few
    assert few == (3, 2)
