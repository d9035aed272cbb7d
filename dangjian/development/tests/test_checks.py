"""Findings of member development at their boundaries: due today is due soon (not overdue), due
yesterday is overdue; a branch is quiet at exactly the rule's years without an admission."""

import datetime

import pytest

from dangjian.core.dates import add_years
from dangjian.core.findings import CHECKS
from dangjian.core.models import RuleOverride
from dangjian.core.roles import Role
from dangjian.development.models import CaseStatus, DevelopmentCase
from dangjian.members.models import Member

D = datetime.date
TODAY = D(2026, 11, 22)


def run(code, user, today=TODAY):
    return list(CHECKS[code].run(user, today))


def subjects(code, user, today=TODAY) -> list[str]:
    return [f.subject for f in run(code, user, today)]


def set_due(world, due, **extra) -> DevelopmentCase:
    case = world.cases["case"]
    DevelopmentCase.objects.filter(pk=case.pk).update(next_due=due, **extra)
    return case


@pytest.mark.parametrize(
    "offset, overdue, due_soon",
    [(-1, True, False), (0, False, True), (14, False, True), (15, False, False)],
)
def test_deadline_boundaries(world, offset, overdue, due_soon):
    set_due(world, TODAY + datetime.timedelta(days=offset))
    user = world.user(Role.VILLAGE_SECRETARY)
    assert ("甲申请人一" in subjects("development.overdue", user)) is overdue
    assert ("甲申请人一" in subjects("development.due_soon", user)) is due_soon


def test_overdue_finding_says_what_and_why(world):
    case = set_due(world, TODAY - datetime.timedelta(days=3), next_step="talk")
    [f] = run("development.overdue", world.user(Role.TOWNSHIP_STAFF))
    assert f.rule == "development.talk_within_months" and f.severity == "overdue"
    assert f.org_name == "村甲一" and f.due_on == TODAY - datetime.timedelta(days=3)
    assert "党组织派人谈话" in f.message and "已逾期3天" in f.message
    assert f.url == f"/development/cases/{case.pk}/"


def test_only_open_and_probation_cases_fall_due(world):
    set_due(world, TODAY - datetime.timedelta(days=3), status=CaseStatus.STOPPED)
    assert run("development.overdue", world.user(Role.COUNTY_ADMIN)) == []


def test_findings_are_scoped(world):
    set_due(world, TODAY - datetime.timedelta(days=3))
    assert subjects("development.overdue", world.user("out_admin")) == []
    assert subjects("development.overdue", world.user(Role.DEPT_LIAISON)) == []


def test_a_county_may_widen_the_warning_window(world):
    set_due(world, TODAY + datetime.timedelta(days=20))
    user = world.user(Role.COUNTY_ADMIN)
    assert subjects("development.due_soon", user) == []
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="development.due_soon_days",
        value=30,
        source="县委组织部通知",
        effective_from=D(2026, 1, 1),
    )
    assert subjects("development.due_soon", user) == ["甲申请人一"]
    assert subjects("development.due_soon", world.user("out_admin")) == []


def _newest_joined(world, day):
    """村甲一's newest member (甲预备党员) joined on `day`; 甲党员一 joined in 2000."""
    Member.objects.filter(pk=world.members["probationary"].pk).update(joined_on=day)


def test_no_admission_at_exactly_two_years(world):
    user = world.user(Role.TOWNSHIP_STAFF)
    _newest_joined(world, add_years(TODAY, -2))
    found = {f.subject: f for f in run("development.no_admission", user)}
    assert "村甲一" in found and found["村甲一"].rule == "development.no_admission_years"
    assert "2024-11-22" in found["村甲一"].message and found["村甲一"].url.endswith("status=all")
    assert "社区甲" in found and "尚无党员入党记录" in found["社区甲"].message
    _newest_joined(world, add_years(TODAY, -2) + datetime.timedelta(days=1))
    assert "村甲一" not in subjects("development.no_admission", user)


def test_no_admission_follows_the_county_rule_and_scope(world):
    _newest_joined(world, add_years(TODAY, -2))
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="development.no_admission_years",
        value=3,
        source="县委组织部通知",
        effective_from=D(2026, 1, 1),
    )
    assert "村甲一" not in subjects("development.no_admission", world.user(Role.COUNTY_ADMIN))
    assert subjects("development.no_admission", world.user("out_admin")) == ["外村"]
    assert subjects("development.no_admission", world.user(Role.VILLAGE_SECRETARY)) == []
    assert subjects("development.no_admission", world.user(Role.DEPT_LIAISON)) == []


@pytest.mark.parametrize("code", ["development.overdue", "development.due_soon", "development.no_admission"])
def test_each_check_reads_a_fixed_number_of_queries(world, django_assert_max_num_queries, code):
    set_due(world, TODAY)
    user = world.user(Role.COUNTY_ADMIN)
    with django_assert_max_num_queries(3):  # the user's roles, the county rules, the rows
        run(code, user)
