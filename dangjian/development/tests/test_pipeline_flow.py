"""A case from application to archive, in order, under the 2014 rules."""

import datetime

import pytest

from dangjian.development import services
from dangjian.development.models import CaseStatus, CaseStep
from dangjian.members.choices import MemberStatus

from .conftest import TODAY, applicant

D = datetime.date


APPLIED = D(2023, 3, 1)


def walk(dev, until=None, applied=APPLIED):
    """Record every step on plausible dates; stop before `until`. Returns the case."""
    s, o = dev.secretary, dev.office
    case = services.open_case(
        s, dev.orgs["branch"], applicant(), applied_on=applied, responsible="甲村书记", today=TODAY
    )
    plan = [
        ("talk", s, D(2023, 3, 20), {}),
        ("activist", s, D(2023, 4, 10), {"decided_by": "支部委员会"}),
        ("activist_filed", o, D(2023, 4, 15), {}),
        ("contacts", s, D(2023, 4, 20), {"members": [dev.full_members[0].pk, dev.full_members[1].pk]}),
        ("assessment", s, D(2023, 10, 9), {"result": "良好"}),
        ("assessment", s, D(2024, 4, 8), {"result": "良好"}),
        ("candidate", s, D(2024, 4, 10), {}),
        ("candidate_filed", o, D(2024, 4, 15), {}),
        ("sponsors", s, D(2024, 4, 20), {"members": [dev.full_members[2].pk, dev.full_members[3].pk]}),
        ("political_review", s, D(2024, 5, 10), {"result": "passed"}),
        ("training", s, D(2024, 5, 20), {"days": 3, "hours": 24}),
        ("committee_review", s, D(2024, 6, 1), {}),
        ("pre_review", o, D(2024, 6, 10), {"result": "passed"}),
        ("application_form", s, D(2024, 6, 15), {}),
        ("branch_assembly", s, D(2024, 7, 1), {"entitled": 8, "present": 6, "in_favour": 6}),
        ("committee_talk", o, D(2024, 7, 10), {}),
        ("approval", o, D(2024, 8, 1), {"result": "approved"}),
        ("approval_filed", o, D(2024, 8, 5), {}),
        ("placement", s, D(2024, 8, 6), {}),
        ("oath", s, D(2024, 8, 10), {}),
        ("probation_education", s, D(2025, 1, 10), {"result": "良好"}),
        ("conversion_application", s, D(2025, 6, 28), {}),
        (
            "conversion_assembly",
            s,
            D(2025, 7, 1),
            {"entitled": 8, "present": 7, "in_favour": 7, "outcome": "convert"},
        ),
        ("conversion_approval", o, D(2025, 8, 1), {"result": "approved"}),
        ("archive", s, D(2025, 8, 8), {}),
    ]
    for code, who, on, data in plan:
        if code == until:
            break
        services.record_step(who, case, code, done_on=on, responsible="负责人", data=data, today=TODAY)
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_whole_pipeline_makes_a_full_member(dev):
    case = walk(dev)
    assert case.status == CaseStatus.FULL
    assert case.next_step == ""
    member = case.member
    assert member.status == MemberStatus.FULL
    assert member.joined_on == D(2024, 7, 1)  # the branch assembly, not the approval
    assert member.full_on == D(2025, 7, 1)  # probation of one year from the assembly
    codes = set(CaseStep.objects.filter(case=case).values_list("code", flat=True))
    assert len(codes) == 25  # the 25 steps of the 2014 细则 (the half-yearly assessment twice)


@pytest.mark.django_db
def test_the_case_keeps_its_version(dev):
    case = walk(dev, until="talk")
    assert case.rule_version == "2014"
    new = services.open_case(
        dev.secretary,
        dev.orgs["branch"],
        applicant("甲新申请人", seq=88),
        applied_on=D(2026, 6, 1),
        responsible="甲村书记",
        today=TODAY,
    )
    assert new.rule_version == "2026.05"
    assert "candidate_publicity" in [s.code for s in services.R.VERSIONS[new.rule_version].steps]
