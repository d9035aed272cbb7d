"""The demo's party members and development cases: plausible, valid and reproducible plans, each at its stage.
What the loaded demo holds is checked against one load of the whole demo in
dangjian/demo/tests/test_load_demo.py."""

import datetime
from collections import Counter

from dangjian.core.dates import add_years
from dangjian.development import demo as dev_demo
from dangjian.development.models import CaseStatus
from dangjian.members import demo
from dangjian.members.choices import MemberStatus
from dangjian.members.services.identity import parse_id

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
