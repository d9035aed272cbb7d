"""The case engine's demo: 老牛湾镇's 81 problems in every state, 砚城镇's parking whistle answered in 3
days and solved in a week with 30 spaces, 寨子村's 500+ errands; every demo login has work; a second
load creates nothing."""

import datetime
import time
from collections import Counter

import pytest
from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone

from dangjian.accounts.demo import ensure_admin, load_demo_users
from dangjian.accounts.models import User
from dangjian.cases import demo
from dangjian.cases.choices import CaseKind, EventType, Level, RouteState
from dangjian.cases.kinds import KINDS
from dangjian.cases.models import Case, CaseEvent
from dangjian.cases.selectors import (
    answer_late_q,
    cases,
    mine_q,
    overdue_q,
    waiting_acceptance_q,
    waiting_signoff_q,
)
from dangjian.core.models import AuditEvent
from dangjian.errands import demo as errands_demo
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org

TODAY = timezone.localdate()


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """Orgs, logins and the errands catalogue, then this demo twice; the database is emptied after."""
    from django.core.management import call_command
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        created, skipped = Counter(), Counter()
        admin = ensure_admin(make_password("x"), created, skipped)
        org_demo.load_demo_orgs(admin, created, skipped)
        load_demo_users(admin, make_password("x"), created, skipped)
        errands_demo.load_demo(admin, Counter(), Counter(), today=TODAY)
        first, first_skipped = Counter(), Counter()
        start = time.perf_counter()
        demo.load_demo(admin, first, first_skipped, today=TODAY)
        seconds = time.perf_counter() - start
        total = Case.objects.count()
        second, second_skipped = Counter(), Counter()
        demo.load_demo(admin, second, second_skipped, today=TODAY)
    yield {
        "first": first,
        "second": second,
        "second_skipped": second_skipped,
        "total": total,
        "seconds": seconds,
    }
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def loaded(loaded_once, db):
    return loaded_once


def org(name: str) -> Org:
    return Org.objects.get(code=org_demo.code_of(name))


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_a_second_load_creates_nothing(loaded):
    assert loaded["first"]["问题台账"] == 81 and loaded["first"]["网格吹哨"] == 8
    assert loaded["first"]["群众代办"] == demo.ZHAIZI_ERRANDS
    assert not any(loaded["second"][label] for label in demo.DEMO_LABELS)
    assert not loaded["second"]["用户"] and not loaded["second"]["角色"]
    assert loaded["second_skipped"]["问题台账"] == 81 and loaded["second_skipped"]["群众代办"] >= 500
    assert Case.objects.count() == loaded["total"]
    assert loaded["seconds"] < 60, loaded["seconds"]


def test_laoniuwan_has_81_residents_problems_in_every_state(loaded):
    township = org("老牛湾镇")
    problems = Case.objects.filter(township=township, kind=CaseKind.PROBLEM)
    assert problems.count() == 81
    states = Counter(problems.values_list("state", flat=True))
    assert set(states) == set(KINDS[CaseKind.PROBLEM].states)
    assert states["closed"] >= 55 and states["accepted"] >= 3 and states["done"] >= 3
    assert set(problems.values_list("source", flat=True)) == {"residents", "field_visit"}
    assert problems.values("org").distinct().count() == 9
    assert problems.filter(overdue_q(TODAY)).count() >= 2
    assert problems.filter(level__gt=Level.VILLAGE, escalated_on__isnull=False).exists()
    reopened = problems.get(reopen_count=1)
    assert reopened.state == "rectifying" and reopened.deadline > TODAY
    assert problems.filter(last_supervised_on__isnull=False).count() >= 10
    unsupervised = problems.filter(state="rectifying", last_supervised_on__isnull=True)
    assert unsupervised.filter(opened_on__lt=TODAY - datetime.timedelta(days=15)).exists()
    published = problems.filter(published_at__isnull=False)
    assert published.count() >= 10
    assert published.filter(title__contains="麦虎村自来水", demo_source=demo.S001).exists()
    assert problems.filter(demo_source=demo.S001).count() == 5
    for case in problems.filter(state="closed"):
        assert case.accepted_by_id and case.closed_by_id and case.accepted_by_id != case.owner_id
        assert case.opened_on <= case.done_at.date() <= case.closed_at.date() < TODAY


def test_every_demo_case_has_its_timeline_and_audit_trail_dated_back(loaded):
    now = timezone.now()
    service_made = Case.objects.exclude(kind=CaseKind.ERRAND).exclude(demo_source="")
    events = CaseEvent.objects.filter(case__in=service_made).order_by("case_id", "pk")
    by_case: dict[int, list[CaseEvent]] = {}
    for e in events:
        by_case.setdefault(e.case_id, []).append(e)
    audited = Counter(
        AuditEvent.objects.filter(object_type="cases.case", action="cases.open").values_list(
            "object_id", flat=True
        )
    )
    for case in service_made:
        timeline = by_case[case.pk]
        assert timeline[0].type == EventType.OPEN and audited[str(case.pk)] == 1
        ats = [e.at for e in timeline]
        assert ats == sorted(ats) and ats[-1] <= now
        assert timezone.localdate(ats[0]) == case.opened_on
        if case.closed_at:
            sign_off = [e.at for e in timeline if e.transition == "sign_off"]
            assert case.closed_at == sign_off[-1]


def test_the_parking_whistle_answered_in_3_days_solved_in_a_week_with_30_spaces(loaded):
    whistle = Case.objects.get(title=demo.PARKING)
    assert whistle.org == org("北苑社区") and whistle.grid.name == "阳光家园小区网格"
    assert whistle.opened_by.username == "grid_yancheng" and whistle.demo_source == demo.S000
    route = whistle.routes.get()
    assert route.department.name == "五寨县住房和城乡建设局" and route.state == RouteState.ACCEPTED
    assert route.decided_by.username == "dept_zhujian" and route.routed_by.username == "office_yancheng"
    assert whistle.answered_at <= route.decided_at + datetime.timedelta(seconds=1)
    assert (timezone.localdate(whistle.answered_at) - whistle.opened_on).days <= 3
    assert timezone.localdate(whistle.answered_at) <= whistle.answer_due
    assert (timezone.localdate(whistle.done_at) - whistle.opened_on).days <= 7
    assert timezone.localdate(whistle.done_at) <= whistle.deadline
    solve = whistle.events.get(transition="solve")
    assert "30个停车位" in solve.note and solve.actor.username == "dept_zhujian"
    assert whistle.state == "closed" and whistle.closed_by.username == "office_yancheng"
    assert whistle.published_at and "30个停车位" in whistle.public_result
    assert whistle.public_title == "阳光家园小区停车难"


def test_yancheng_has_whistles_in_every_running_state(loaded):
    whistles = Case.objects.filter(township=org("砚城镇"), kind=CaseKind.WHISTLE)
    states = Counter(whistles.values_list("state", flat=True))
    assert {"raised", "routed", "answered", "done", "closed"} <= set(states)
    assert whistles.filter(answer_late_q(TODAY)).count() == 1
    late = whistles.filter(state="closed").exclude(answered_at__isnull=True)
    assert any(timezone.localdate(c.answered_at) > c.answer_due for c in late)


def test_zhaizi_has_500_errands_for_health_insurance_and_pension(loaded):
    errands = Case.objects.filter(org=org("寨子村"), kind=CaseKind.ERRAND)
    assert errands.count() >= 500
    services = set(errands.values_list("service__name", flat=True))
    assert len(services) == 2 and any("医保" in s for s in services) and any("养老" in s for s in services)
    states = Counter(errands.values_list("state", flat=True))
    assert states["closed"] >= 480 and sum(n for s, n in states.items() if s != "closed") >= 10
    closed = errands.filter(state="closed")
    assert closed.filter(satisfaction__isnull=False).count() >= 0.85 * closed.count()
    assert errands.filter(opened_on__lt=TODAY - datetime.timedelta(days=300)).exists()
    assert not errands.filter(opened_on__gte=TODAY).exists()
    assert len(set(errands.values_list("receipt_no", flat=True))) == errands.count()


def test_bulk_errands_have_the_rows_the_services_write(loaded):
    errands = Case.objects.filter(org=org("寨子村"), kind=CaseKind.ERRAND)
    events = dict(
        CaseEvent.objects.filter(case__in=errands)
        .values("case")
        .annotate(n=Count("pk"))
        .values_list("case", "n")
    )
    audits = Counter(
        AuditEvent.objects.filter(
            object_type="cases.case", object_id__in=[str(pk) for pk in errands.values_list("pk", flat=True)]
        ).values_list("object_id", flat=True)
    )
    for case in errands:
        expected = 1 + case.version + (1 if case.satisfaction else 0)
        assert events[case.pk] == expected == audits[str(case.pk)]
    sample = errands.filter(state="closed", satisfaction__isnull=False).first()
    trail = list(AuditEvent.objects.filter(object_type="cases.case", object_id=str(sample.pk)).order_by("pk"))
    assert [a.action for a in trail] == [
        "cases.open",
        "cases.promise",
        "cases.feedback",
        "cases.accept",
        "cases.sign_off",
        "cases.satisfaction",
    ]
    assert trail[0].after["resident_phone"] == "(已隐藏)" and trail[3].after == {
        "state": "accepted",
        "accepted_by_id": user("office_xiying").pk,
    }
    timeline = list(sample.events.order_by("at", "pk"))
    assert [e.type for e in timeline][0] == EventType.OPEN and timeline[-1].type == EventType.SATISFACTION
    assert sample.closed_at == next(e.at for e in timeline if e.transition == "sign_off")


def test_every_demo_login_has_work(loaded):
    office = user("office_laoniuwan")
    problems = cases(office).filter(kind=CaseKind.PROBLEM)
    assert problems.filter(waiting_signoff_q(office)).count() >= 3
    assert problems.filter(waiting_acceptance_q(office), acceptor=office).exists()
    secretary = user("secretary_laoniuwan")
    mine = cases(secretary).filter(mine_q(secretary))
    assert mine.exclude(state="closed").count() >= 2 and mine.filter(overdue_q(TODAY)).exists()
    grid = user("grid_yancheng")
    assert cases(grid).count() >= 5 and not cases(grid).exclude(grid__name="阳光家园小区网格").exists()
    zhujian = user("dept_zhujian")
    assert cases(zhujian).filter(routes__state=RouteState.PENDING, state="routed").exists()
    assert cases(zhujian).filter(state="answered", owner=zhujian).exists()
    yancheng = user("office_yancheng")
    assert cases(yancheng).filter(state="raised").exists()
    assert cases(yancheng).filter(waiting_acceptance_q(yancheng), kind=CaseKind.WHISTLE).exists()
    xiying = user("office_xiying")
    errands = cases(xiying).filter(kind=CaseKind.ERRAND)
    assert errands.filter(waiting_acceptance_q(xiying)).exists()
    assert errands.filter(waiting_signoff_q(xiying)).exists()
