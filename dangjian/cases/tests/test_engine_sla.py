"""Deadlines at their boundaries: a whistle answered by day 3 (day 4 late), solved by day 7 (day 8
late), a problem supervised within 15 days (day 16 a finding); warnings before; escalation when overdue."""

import datetime

import pytest
from django.core.management import call_command

from dangjian.cases import checks, services
from dangjian.cases.models import Case
from dangjian.core.models import RuleOverride
from dangjian.core.roles import Role

from .support import fresh, problem, whistle

pytestmark = pytest.mark.django_db
D = datetime.date(2026, 11, 2)


def day(n: int) -> datetime.date:
    return D + datetime.timedelta(days=n)


def receipts(findings) -> set[str]:
    return {f.subject.split()[1] for f in findings}


def test_answer_in_three_days_late_on_the_fourth(world):
    case = whistle(world, opened_on=D)
    admin = world.user(Role.COUNTY_ADMIN)
    assert case.answer_due == day(3)
    assert case.receipt_no not in receipts(checks.answer_late(admin, day(3)))
    late = [f for f in checks.answer_late(admin, day(4)) if case.receipt_no in f.subject]
    assert late and late[0].rule == "cases.whistle.answer_days" and "1天" in late[0].message
    services.act(world.user(Role.TOWNSHIP_STAFF), case, "take")
    assert case.receipt_no not in receipts(checks.answer_late(admin, day(4)))


def test_solve_in_seven_days_overdue_on_the_eighth(world):
    case = whistle(world, opened_on=D)
    admin = world.user(Role.COUNTY_ADMIN)
    assert case.deadline == day(7)
    assert case.receipt_no not in receipts(checks.overdue(admin, day(7)))
    assert case.receipt_no in receipts(checks.overdue(admin, day(8)))
    assert case.receipt_no in receipts(checks.due_soon(admin, day(5)))
    assert case.receipt_no not in receipts(checks.due_soon(admin, day(4)))
    services.act(world.user(Role.TOWNSHIP_STAFF), case, "take")
    services.act(world.user(Role.TOWNSHIP_STAFF), fresh(case), "solve", note="解决")
    assert case.receipt_no not in receipts(checks.overdue(admin, day(8)))


def test_supervision_every_fifteen_days(world):
    case = problem(world, opened_on=D, today=day(0))
    chief = world.user(Role.STATION_CHIEF)
    assert case.receipt_no not in receipts(checks.unsupervised(chief, day(15)))
    found = [f for f in checks.unsupervised(chief, day(16)) if case.receipt_no in f.subject]
    assert found and found[0].due_on == day(15) and "16天未督办" in found[0].message
    services.supervise(chief, case, note="督办", today=day(10))
    assert case.receipt_no not in receipts(checks.unsupervised(chief, day(25)))
    assert case.receipt_no in receipts(checks.unsupervised(chief, day(26)))


def test_a_county_sets_its_own_supervision_interval(world):
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="cases.problem.supervision_days",
        value=10,
        source="县文件",
        effective_from=datetime.date(2020, 1, 1),
    )
    case = problem(world, opened_on=D, today=day(0))
    chief = world.user(Role.STATION_CHIEF)
    assert case.receipt_no not in receipts(checks.unsupervised(chief, day(10)))
    assert case.receipt_no in receipts(checks.unsupervised(chief, day(11)))


def test_findings_stay_inside_the_users_scope(world):
    problem(world, opened_on=D, today=day(0))
    for role in (Role.VILLAGE_SECRETARY, Role.GRID_LEADER, Role.DEPT_LIAISON):
        for check in (checks.overdue, checks.unsupervised, checks.answer_late, checks.due_soon):
            assert not any("外" in f.subject for f in check(world.user(role), day(60)))


def test_overdue_cases_escalate_one_level_per_interval(world):
    case = problem(world, opened_on=D, today=day(0), deadline=day(5))
    assert services.escalate_overdue(day(5)) == 0 or fresh(case).level == 1
    services.escalate_overdue(day(6))
    assert fresh(case).level == 2 and fresh(case).escalated_on == day(6)
    services.escalate_overdue(day(6))
    services.escalate_overdue(day(12))
    assert fresh(case).level == 2
    call_command("escalate_cases", "--date", day(13).isoformat())
    case = fresh(case)
    assert case.level == 3 and case.events.filter(type="escalate").count() == 2
    services.escalate_overdue(day(40))
    assert fresh(case).level == 3


def test_the_escalation_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式"):
        call_command("escalate_cases", "--date", "2026-13-40")


def test_closed_cases_are_never_overdue(world):
    case = problem(world, opened_on=D, today=day(0), deadline=day(1))
    admin = world.user(Role.COUNTY_ADMIN)
    assert case.receipt_no in receipts(checks.overdue(admin, day(3)))
    services.act(world.user(Role.VILLAGE_SECRETARY), case, "report_done", note="完成")
    assert case.receipt_no not in receipts(checks.overdue(admin, day(3)))
    assert Case.objects.filter(pk=case.pk, state="done").exists()
