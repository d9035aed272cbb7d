"""The findings of the two committees, each at its boundary, per county, and through the scope layer."""

import datetime

import pytest

from dangjian.core.findings import findings_for
from dangjian.core.models import RuleOverride
from dangjian.core.roles import Role
from dangjian.members.choices import Gender
from dangjian.villages import services
from dangjian.villages.models import CommitteeKind, PostKind

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 1, 1)
M, F = Gender.MALE, Gender.FEMALE
D = datetime.date


def _found(world, code, today, org="sibling", user=None):
    found = findings_for(user or world.root, today, [code])
    return [f for f in found if f.org_id == world.orgs[org].pk]


def _committee(world, kind, start=START, org="sibling"):
    return services.create_committee(world.root, world.orgs[org], kind=kind, term_start=start)


def _appoint(world, c, kind, name, gender=M, since=START, **kw):
    return services.appoint(world.root, c, kind, name=name, gender=gender, since=since, today=since, **kw)


@pytest.mark.parametrize(
    "left, last_clean, first_found",
    [
        (D(2026, 1, 15), D(2026, 4, 15), D(2026, 4, 16)),  # 3 calendar months, then "more than"
        (D(2025, 11, 30), D(2026, 2, 28), D(2026, 3, 1)),  # month end: 11-30 + 3 months = 02-28
        (D(2025, 11, 29), D(2026, 2, 28), D(2026, 3, 1)),
    ],
)
def test_secretary_vacant_more_than_three_months(world, left, last_clean, first_found):
    c = _committee(world, CommitteeKind.BRANCH)
    secretary = _appoint(world, c, PostKind.SECRETARY, "老书记")
    services.end_post(world.root, secretary, until=left, reason="辞职", today=left)
    assert _found(world, "villages.secretary_vacant", last_clean - datetime.timedelta(days=1)) == []
    assert _found(world, "villages.secretary_vacant", last_clean) == []
    [finding] = _found(world, "villages.secretary_vacant", first_found)
    assert finding.severity == "overdue" and f"{left:%Y-%m-%d}起空缺，已超过3个月" in finding.message
    # Filled: no finding.
    _appoint(world, c, PostKind.SECRETARY, "新书记", F, since=first_found)
    assert _found(world, "villages.secretary_vacant", first_found) == []


def test_secretary_vacancy_months_per_county_and_never_appointed(world):
    """A committee never given a secretary counts from its term start; a county may set its own months."""
    _committee(world, CommitteeKind.BRANCH, start=D(2026, 1, 10))
    assert _found(world, "villages.secretary_vacant", D(2026, 4, 10)) == []
    assert len(_found(world, "villages.secretary_vacant", D(2026, 4, 11))) == 1
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="villages.secretary_vacant_months",
        value=2,
        source="县委组织部",
        effective_from=D(2020, 1, 1),
    )
    assert _found(world, "villages.secretary_vacant", D(2026, 3, 10)) == []
    [finding] = _found(world, "villages.secretary_vacant", D(2026, 3, 11))
    assert "已超过2个月" in finding.message


def test_woman_member_and_size(world):
    c = _committee(world, CommitteeKind.VILLAGERS)
    day = D(2025, 6, 1)
    _appoint(world, c, PostKind.DIRECTOR, "主任")
    _appoint(world, c, PostKind.MEMBER, "委员一")
    _appoint(
        world, c, PostKind.SUBSIDY, "定补女", F, answers_for="电商销售"
    )  # a fixed-subsidy cadre is not a committee member
    [size] = _found(world, "villages.committee_size", day)
    assert "现有2人，应为3至7人" in size.message
    [woman] = _found(world, "villages.no_woman_member", day)
    assert "没有妇女成员" in woman.message and "第六条" in woman.message
    notes = services.notes_for(world.root, world.orgs["sibling"])
    assert any("少于3人" in n for n in notes) and any("妇女" in n for n in notes)
    woman_member = _appoint(world, c, PostKind.MEMBER, "委员二", F)
    assert _found(world, "villages.committee_size", day) == []
    assert _found(world, "villages.no_woman_member", day) == []
    services.end_post(world.root, woman_member, until=day, reason="辞职", today=day)
    assert len(_found(world, "villages.no_woman_member", day)) == 1
    assert len(_found(world, "villages.committee_size", day)) == 1


def test_term_ending_within_six_months_then_overdue(world):
    _committee(world, CommitteeKind.BRANCH)  # election due 2030-01-01
    due = D(2030, 1, 1)
    assert _found(world, "villages.term_ending", D(2029, 6, 30)) == []
    [soon] = _found(world, "villages.term_ending", D(2029, 7, 1))
    assert soon.severity == "due_soon" and soon.due_on == due
    [today] = _found(world, "villages.term_ending", due)
    assert today.severity == "due_soon"
    [late] = _found(world, "villages.term_ending", D(2030, 1, 2))
    assert late.severity == "overdue" and "已过" in late.message
    # The next term registered: the old one is history, the new one not due.
    _committee(world, CommitteeKind.BRANCH, start=due)
    assert _found(world, "villages.term_ending", D(2030, 1, 2)) == []


def test_findings_follow_scope(world):
    """外村's new term has no secretary: 外县 and the superuser see it, no one in county 甲 does."""
    _committee(world, CommitteeKind.BRANCH, org="out_branch", start=D(2029, 3, 1))
    day = D(2029, 9, 1)
    out_pk = world.orgs["out_branch"].pk
    assert len(_found(world, "villages.secretary_vacant", day, org="out_branch")) == 1
    assert any(
        f.org_id == out_pk for f in findings_for(world.users["out_admin"], day, ["villages.secretary_vacant"])
    )
    for role in (
        Role.COUNTY_ADMIN,
        Role.TOWNSHIP_STAFF,
        Role.READONLY_LEADER,
        Role.DEPT_LIAISON,
        Role.GRID_LEADER,
    ):
        found = findings_for(world.user(role), day, ["villages.secretary_vacant", "villages.term_ending"])
        assert all(f.org_id != out_pk for f in found)
    # 村甲一's committee (test world, 2024-03-01) is due 2029-03-01: county 甲 sees it, liaisons do not.
    assert any(
        f.org_id == world.orgs["branch"].pk
        for f in findings_for(world.user(Role.COUNTY_ADMIN), day, ["villages.term_ending"])
    )
    assert findings_for(world.user(Role.DEPT_LIAISON), day, ["villages.term_ending"]) == []
