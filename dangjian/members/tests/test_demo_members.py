"""The demo's party members and development cases: plausible, valid, reproducible, at every stage,
and loaded once (a second run creates nothing)."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from dangjian.accounts.demo import load_demo
from dangjian.core.dates import add_years
from dangjian.core.models import AuditEvent
from dangjian.development import demo as dev_demo
from dangjian.development.models import CaseStatus, CaseStep, DevelopmentCase
from dangjian.members import demo
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member, MobileRecord, Person, StandingDecision
from dangjian.members.services.identity import parse_id
from dangjian.orgs.demo import code_of
from dangjian.orgs.models import Org

TODAY = datetime.date(2026, 11, 22)


def test_member_plan_is_plausible_and_reproducible() -> None:
    plan = demo.plan_demo_members(TODAY)
    assert plan == demo.plan_demo_members(TODAY)
    branches = demo.demo_branches()
    assert set(plan) == {b.code for b in branches}
    anding = [b for b in branches if b.township == "安定镇"]
    assert len(anding) == 33
    assert sum(len(plan[b.code]) for b in anding) == demo.ANDING_TOTAL == 1619
    for b in branches:
        if b.township != "安定镇":
            assert demo.BRANCH_MIN <= len(plan[b.code]) <= demo.BRANCH_MAX, b.name
    people = [p for ps in plan.values() for p in ps]
    assert len({p.id_number for p in people}) == len(people)
    for p in people:
        number, birth, gender = parse_id(p.id_number)
        assert (number, birth, gender) == (p.id_number, p.birth, p.gender)
        assert add_years(p.birth, 18) < p.joined_on <= TODAY
        if p.status == MemberStatus.FULL:
            assert p.full_on == add_years(p.joined_on, 1) <= TODAY
        else:
            assert p.full_on is None and p.joined_on > add_years(TODAY, -1)
        assert len(p.phone) == 11 and p.phone.startswith("1")
        assert (p.dues_base is not None) == (p.dues_category in ("working", "retired"))
    women = sum(1 for p in people if not p.male) / len(people)
    assert 0.2 < women < 0.3
    occupations = Counter(p.occupation for p in people)
    assert occupations.most_common(1)[0][0] == "务农"
    assert {"个体经营", "退休教师", "村医", "外出务工"} <= set(occupations)
    assert 0 < sum(1 for p in people if p.status == MemberStatus.PROBATIONARY) < len(people) * 0.1
    assert all(
        p.mobile and p.mobile.since <= TODAY for p in people if p.occupation == "外出务工" and p.full_on
    )
    # Applicants are drawn apart from the members: no ID number is shared.
    applicants = {c.applicant.id_number for c in dev_demo.plan_demo_cases(TODAY)}
    assert not applicants & {p.id_number for p in people}


def test_stage_templates_stay_at_their_stage() -> None:
    """Whatever day the demo is loaded, each scenario leaves its case at the same place."""
    for today in (TODAY, datetime.date(2027, 3, 1), datetime.date(2028, 2, 29)):
        t = {s.key: dev_demo.template(s, today) for s in dev_demo.SCENARIOS}
        assert (
            t["awaiting_talk"].fields["next_step"] == "talk"
            and t["awaiting_talk"].fields["next_due"] >= today
        )
        assert (
            t["talk_overdue"].fields["next_step"] == "talk" and t["talk_overdue"].fields["next_due"] < today
        )
        for key in ("activist_new", "activist_assessed"):
            assert t[key].fields["activist_on"] and not t[key].fields["candidate_on"], key
            assert t[key].fields["activist_on"] > add_years(today, -1)
        assert t["candidate_trained"].steps[-1][0] == "training"
        assert t["approval_overdue"].fields["next_step"] == "approval"
        assert t["approval_overdue"].fields["next_due"] < today
        assert t["probationary"].fields["status"] == CaseStatus.PROBATION
        assert t["conversion_due"].fields["next_step"] == "conversion_assembly"
        assert t["converted"].fields["status"] == CaseStatus.FULL


@pytest.mark.django_db
def test_demo_load(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    result = load_demo()
    today = timezone.localdate()
    anding = Org.objects.get(code=code_of("安定镇"))
    assert Member.objects.filter(org__path__startswith=anding.path).count() == 1619
    plan = demo.plan_demo_members(today)
    planned = sum(len(v) for v in plan.values())
    from_cases = Member.objects.filter(development_case__isnull=False).count()
    assert Member.objects.count() == planned + from_cases == result["created"]["党员"] + from_cases
    assert not Person.objects.exclude(demo_source=demo.INVENTED).exists()
    assert not Member.objects.exclude(demo_source=demo.INVENTED).exists()
    for number, birth, gender in Person.objects.values_list("id_number", "birth_date", "gender"):
        assert parse_id(number)[1:] == (birth, gender)

    # 老牛湾镇 went through the services: one audit event per member; the rest one per county.
    laoniuwan = Org.objects.get(code=code_of("老牛湾镇"))
    mine = Member.objects.filter(org__path__startswith=laoniuwan.path)
    creates = AuditEvent.objects.filter(action="member.create", org__path__startswith=laoniuwan.path)
    assert creates.count() == mine.count()
    assert AuditEvent.objects.filter(action="member.import").count() == 4  # 五寨, 宜君, 交城, 大兴
    assert MobileRecord.objects.count() == Member.objects.filter(is_mobile=True).count() > 100
    lost = Member.objects.filter(lost_contact_since__isnull=False)
    assert lost.count() == 2 and all(m.org.path.startswith(laoniuwan.path) for m in lost)
    assert StandingDecision.objects.filter(kind="lost").count() == 2
    assert Member.objects.filter(group__isnull=False, org__name="老牛湾村").exists()

    # Development cases at every stage in the secretary's branch.
    cases = {
        c.person.name: c
        for c in DevelopmentCase.objects.filter(org__code=code_of("老牛湾村")).select_related("person")
    }
    by_scenario = {
        p.scenario.key: cases[p.applicant.name]
        for p in dev_demo.plan_demo_cases(today)
        if p.village == "老牛湾村"
    }
    assert set(by_scenario) == {s.key for s in dev_demo.SCENARIOS}
    assert by_scenario["awaiting_talk"].next_step == "talk" and by_scenario["awaiting_talk"].next_due >= today
    assert by_scenario["talk_overdue"].next_step == "talk" and by_scenario["talk_overdue"].next_due < today
    assert by_scenario["activist_new"].activist_on and by_scenario["activist_new"].candidate_on is None
    assert by_scenario["activist_assessed"].steps.filter(code="assessment").count() == 1
    assert by_scenario["candidate_trained"].steps.filter(code="training").exists()
    assert by_scenario["candidate_trained"].next_step == "committee_review"
    overdue = by_scenario["approval_overdue"]
    assert overdue.next_step == "approval" and overdue.next_due < today and overdue.member is None
    assert by_scenario["probationary"].member.status == MemberStatus.PROBATIONARY
    assert by_scenario["conversion_due"].next_step == "conversion_assembly"
    converted = by_scenario["converted"]
    assert converted.status == CaseStatus.FULL and converted.member.status == MemberStatus.FULL
    assert CaseStep.objects.filter(case=converted).count() >= 25
    steps = AuditEvent.objects.filter(action="development.step", object_id=str(converted.pk))
    assert steps.count() == CaseStep.objects.filter(case=converted).count() - 1  # the application opens it
    assert DevelopmentCase.objects.count() == len(dev_demo.plan_demo_cases(today))

    # A second run creates nothing.
    counts = {
        m: m.objects.count() for m in (Person, Member, MobileRecord, DevelopmentCase, CaseStep, AuditEvent)
    }
    again = load_demo()
    assert again["created"] == {}
    assert again["skipped"]["党员"] == Member.objects.count()
    assert {m: m.objects.count() for m in counts} == counts
