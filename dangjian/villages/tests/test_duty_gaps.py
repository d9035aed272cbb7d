"""The gaps of the rota and the rule's boundary: a working day with fewer cadres than the county's rule
(holidays and weekends excepted, one person in two posts counted once), a slot whose cadre has left, an
absence, a village with no rota; the finding the checks give; scope."""

import datetime

import pytest

from dangjian.core.findings import findings_for
from dangjian.core.models import RuleOverride
from dangjian.core.roles import Role
from dangjian.villages import duty, services
from dangjian.villages.duty import GapKind
from dangjian.villages.models import CommitteeKind, DutyStatus, Post, PostKind

from .duty_world import MONDAY, START, TODAY, day, village, weekly

pytestmark = pytest.mark.django_db


def sibling_gaps(user, kind=None, start=MONDAY, end=None):
    rows = duty.gaps(user, start, end or day(6), today=TODAY)
    return [g for g in rows if g.org_name == "村甲二" and (kind is None or g.kind == kind)]


def test_a_working_day_with_no_slot_is_a_gap_but_the_county_day_off_and_weekend_are_not(world):
    secretary, _ = village(world)
    for weekday in (0, 1, 4):
        weekly(world, secretary, weekday)
    admin = world.user(Role.COUNTY_ADMIN)
    assert [g.date for g in sibling_gaps(admin)] == [day(3)]  # Thu; Wed 07-01 is 县甲's day off
    assert "少于1人" in sibling_gaps(admin)[0].detail and "连家寨村" in sibling_gaps(admin)[0].detail


def test_the_rule_boundary_follows_the_county_override_and_counts_a_person_once(world):
    secretary, member = village(world)
    director = Post.objects.get(org=world.orgs["sibling"], kind=PostKind.DIRECTOR)
    for weekday in (0, 1, 3, 4):
        weekly(world, secretary, weekday)
    weekly(world, member, 0, start=datetime.time(14), end=datetime.time(17))
    weekly(world, director, 1, start=datetime.time(14), end=datetime.time(17))  # 郭凯 again
    admin = world.user(Role.COUNTY_ADMIN)
    assert sibling_gaps(admin, GapKind.UNCOVERED) == []
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="villages.duty_per_workday",
        value=2,
        source="县通知",
        effective_from=START,
    )
    assert [g.date for g in sibling_gaps(admin, GapKind.UNCOVERED)] == [day(1), day(3), day(4)]


def test_a_slot_whose_cadre_left_has_no_one_and_the_day_is_uncovered(world):
    secretary, member = village(world)
    for weekday in (0, 1, 4):
        weekly(world, secretary, weekday)
    weekly(world, member, 3)
    services.end_post(world.root, member, until=day(2), reason="辞职", today=TODAY)
    admin = world.user(Role.COUNTY_ADMIN)
    assert [(g.date, g.kind) for g in sibling_gaps(admin)] == [
        (day(3), GapKind.UNCOVERED),
        (day(3), GapKind.UNSTAFFED),
    ]
    assert "委员甲已于2026-07-01离任" in sibling_gaps(admin, GapKind.UNSTAFFED)[0].detail


def test_an_absence_is_a_gap_and_a_replacement_is_not(world):
    secretary, member = village(world)
    slots = [weekly(world, secretary, w) for w in (0, 1, 3, 4)]
    duty.check_in(world.root, slots[0], date=day(0), status=DutyStatus.ABSENT, note="请假未报", today=TODAY)
    duty.check_in(
        world.root, slots[1], date=day(1), status=DutyStatus.REPLACED, replaced_by_id=member.pk, today=TODAY
    )
    gaps = sibling_gaps(world.user(Role.COUNTY_ADMIN))
    assert [(g.date, g.kind) for g in gaps] == [(day(0), GapKind.ABSENT)]
    assert "郭凯缺岗（请假未报）" in gaps[0].detail


def test_no_rota_is_a_gap_only_where_the_county_requires_one(world):
    village(world)
    assert sibling_gaps(world.user(Role.COUNTY_ADMIN)) == []
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="villages.duty_per_workday",
        value=1,
        source="县通知",
        effective_from=START,
    )
    gaps = sibling_gaps(world.user(Role.COUNTY_ADMIN))
    assert [(g.kind, g.date) for g in gaps] == [(GapKind.NO_ROTA, MONDAY)]


def test_gaps_are_scoped_and_the_window_is_capped(world):
    secretary, _ = village(world)
    weekly(world, secretary, 0)
    assert sibling_gaps(world.user("out_admin")) == []
    assert sibling_gaps(world.user(Role.DEPT_LIAISON)) == []
    names = {g.org_name for g in duty.gaps(world.user(Role.COUNTY_ADMIN), MONDAY, day(6), today=TODAY)}
    assert "外村" not in names and "村甲二" in names
    rows = duty.gaps(world.root, datetime.date(2020, 1, 1), TODAY, today=TODAY)
    assert min(g.date for g in rows) >= TODAY - datetime.timedelta(days=duty.MAX_WINDOW_DAYS - 1)


def test_the_check_gives_one_finding_per_village_and_kind(world):
    secretary, _ = village(world)
    slot = weekly(world, secretary, 0)
    duty.check_in(world.root, slot, date=day(7), status=DutyStatus.ABSENT, today=TODAY)
    found = [
        f
        for f in findings_for(world.user(Role.COUNTY_ADMIN), TODAY, ["villages.duty_gaps"])
        if f.org_name == "村甲二"
    ]
    assert len(found) == 2
    assert {f.severity for f in found} == {"overdue", "due_soon"}
    assert all(f.url == f"/villages/village/{world.orgs['sibling'].pk}/duty/" for f in found)
    assert any("缺岗1次" in f.message for f in found)
    services.create_committee(
        world.root, world.orgs["community"], kind=CommitteeKind.BRANCH, term_start=START
    )
    found = findings_for(world.user(Role.COUNTY_ADMIN), TODAY, ["villages.duty_gaps"])
    assert not any(f.org_name == "社区甲" for f in found)  # the county requires no rota of every village
    code = "villages.duty_per_workday"
    RuleOverride.objects.create(
        county=world.orgs["county"], code=code, value=1, source="县通知", effective_from=START
    )
    found = findings_for(world.user(Role.COUNTY_ADMIN), TODAY, ["villages.duty_gaps"])
    assert any(f.org_name == "社区甲" and "没有坐班值班安排" in f.message for f in found)
