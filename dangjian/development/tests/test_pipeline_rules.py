"""Each rule of the pipeline at its boundary, and refusals that name the rule and its source."""

import datetime
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.core.errors import ActionDenied, DomainError, DomainErrors
from dangjian.core.models import AuditEvent, RuleOverride
from dangjian.development import services
from dangjian.development.models import CaseStatus, CaseStep
from dangjian.development.rules import VERSIONS
from dangjian.members.choices import MemberStatus, Standing
from dangjian.members.models import Member

from .conftest import TODAY, applicant

D = datetime.date


def step(dev, case, code, on, data=None, who=None, **kw):
    who = who or (dev.office if VERSIONS[case.rule_version].step(code).by_higher else dev.secretary)
    return services.record_step(
        who, case, code, done_on=on, responsible="负责人", data=data or {}, today=TODAY, **kw
    )


BIRTH = D(2000, 5, 1)
ACTIVIST_ON = D(2024, 3, 1)


def open_at(dev, applied, birth=BIRTH, seq=77):
    return services.open_case(
        dev.secretary,
        dev.orgs["branch"],
        applicant(birth=birth, seq=seq),
        applied_on=applied,
        responsible="甲村书记",
        today=TODAY,
    )


@pytest.mark.django_db
def test_applicant_must_be_eighteen_on_the_day(dev):
    with pytest.raises(DomainErrors, match="未满18周岁.*党章"):
        open_at(dev, D(2018, 4, 30), birth=D(2000, 5, 1))  # 17 years 364 days
    case = open_at(dev, D(2018, 5, 1), birth=D(2000, 5, 1))  # the 18th birthday
    assert case.next_step == "talk"


@pytest.mark.django_db
def test_talk_within_one_month_or_a_reason(dev):
    case = open_at(dev, D(2025, 1, 31))
    assert case.next_due == D(2025, 2, 28)
    with pytest.raises(DomainError, match="1个月内.*第七条"):
        step(dev, case, "talk", D(2025, 3, 1))
    step(dev, case, "talk", D(2025, 3, 1), late_reason="申请人外出务工，返乡后谈话")
    case2 = open_at(dev, D(2025, 1, 31), seq=78)
    step(dev, case2, "talk", D(2025, 2, 28))  # the last day of the month is in time


@pytest.mark.django_db
def test_steps_cannot_be_skipped(dev):
    case = open_at(dev, D(2024, 1, 5))
    with pytest.raises(DomainError, match="步骤不能跳过或提前.*党组织派人谈话"):
        step(dev, case, "activist", D(2024, 2, 1), {"decided_by": "支部委员会"})
    assert not CaseStep.objects.filter(case=case, code="activist").exists()


@pytest.mark.django_db
def test_activist_wait_is_a_county_setting(dev):
    RuleOverride.objects.create(
        county=dev.orgs["county"],
        code="development.activist_min_wait_months",
        value=6,
        source="县委组织部规定",
        effective_from=D(2020, 1, 1),
    )
    case = open_at(dev, D(2024, 1, 5))
    step(dev, case, "talk", D(2024, 1, 20))
    with pytest.raises(DomainError, match="满6个月后（2024-07-05起）"):
        step(dev, case, "activist", D(2024, 7, 4), {"decided_by": "支部委员会"})
    step(dev, case, "activist", D(2024, 7, 5), {"decided_by": "支部委员会"})


def to_activist(dev, activist_on=ACTIVIST_ON):
    case = open_at(dev, D(2024, 1, 5))
    step(dev, case, "talk", D(2024, 1, 20))
    step(dev, case, "activist", activist_on, {"decided_by": "支部委员会"})
    step(dev, case, "activist_filed", activist_on)
    step(dev, case, "contacts", activist_on, {"members": [dev.full_members[0].pk]})
    return case


@pytest.mark.django_db
def test_candidate_only_after_a_full_year_as_activist(dev):
    case = to_activist(dev)
    step(dev, case, "assessment", D(2024, 9, 1))
    step(dev, case, "assessment", D(2025, 2, 27))
    with pytest.raises(DomainError, match="满1年后（2025-03-01起）.*细则"):
        step(dev, case, "candidate", D(2025, 2, 28))  # day 364
    step(dev, case, "candidate", D(2025, 3, 1))  # day 365: one year
    case.refresh_from_db()
    assert case.candidate_on == D(2025, 3, 1) and case.stage == 3


@pytest.mark.django_db
def test_assessments_every_half_year(dev):
    case = to_activist(dev)
    step(dev, case, "assessment", D(2024, 9, 1))  # 6 months after activist: in time
    with pytest.raises(DomainError, match="超过6个月没有考察记录.*第十一条"):
        step(dev, case, "candidate", D(2025, 3, 2))  # 2024-09-01 → 2025-03-02 is six months and a day
    step(dev, case, "assessment", D(2025, 3, 1))
    step(dev, case, "candidate", D(2025, 3, 2))


@pytest.mark.django_db
def test_contacts_and_sponsors_must_be_full_members(dev):
    case = to_activist(dev)
    step(dev, case, "assessment", D(2024, 9, 1))
    step(dev, case, "assessment", D(2025, 3, 1))
    step(dev, case, "candidate", D(2025, 3, 1))
    step(dev, case, "candidate_filed", D(2025, 3, 2))
    probationary = dev.members["probationary"]
    with pytest.raises(DomainError, match="甲预备党员不是正式党员.*党章"):
        step(dev, case, "sponsors", D(2025, 3, 3), {"members": [dev.full_members[1].pk, probationary.pk]})
    with pytest.raises(DomainError, match="应为2名正式党员"):
        step(dev, case, "sponsors", D(2025, 3, 3), {"members": [dev.full_members[1].pk]})
    with pytest.raises(DomainError, match="不在本县党员名册"):
        step(
            dev, case, "sponsors", D(2025, 3, 3), {"members": [dev.full_members[1].pk, dev.members["out"].pk]}
        )
    step(dev, case, "sponsors", D(2025, 3, 3), {"members": [dev.full_members[1].pk, dev.full_members[2].pk]})
    assert case.contacts.filter(kind="sponsor").count() == 2
    # A sponsor who moves away is replaced by taking the step again; the latest one counts.
    step(dev, case, "sponsors", D(2025, 3, 5), {"members": [dev.full_members[1].pk, dev.full_members[4].pk]})
    assert services.plan(case).next_step == "political_review"


def to_training(dev):
    case = to_activist(dev)
    step(dev, case, "assessment", D(2024, 9, 1))
    step(dev, case, "assessment", D(2025, 3, 1))
    step(dev, case, "candidate", D(2025, 3, 1))
    step(dev, case, "candidate_filed", D(2025, 3, 2))
    step(dev, case, "sponsors", D(2025, 3, 3), {"members": [dev.full_members[1].pk, dev.full_members[2].pk]})
    step(dev, case, "political_review", D(2025, 3, 10), {"result": "passed"})
    return case


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "hours", "ok"), [(2, 23, False), (3, 0, True), (0, 24, True), (2.5, 23.5, False)]
)
def test_training_three_days_or_24_hours(dev, days, hours, ok):
    case = to_training(dev)
    if ok:
        step(dev, case, "training", D(2025, 3, 20), {"days": days, "hours": hours})
    else:
        with pytest.raises(DomainError, match="不少于3天或24个学时.*第十七条"):
            step(dev, case, "training", D(2025, 3, 20), {"days": days, "hours": hours})


@pytest.mark.django_db
def test_failed_political_review_ends_the_case(dev):
    case = to_activist(dev)
    step(dev, case, "assessment", D(2024, 9, 1))
    step(dev, case, "assessment", D(2025, 3, 1))
    step(dev, case, "candidate", D(2025, 3, 1))
    step(dev, case, "candidate_filed", D(2025, 3, 2))
    step(dev, case, "sponsors", D(2025, 3, 3), {"members": [dev.full_members[1].pk, dev.full_members[2].pk]})
    step(dev, case, "political_review", D(2025, 3, 10), {"result": "failed"})
    case.refresh_from_db()
    assert case.status == CaseStatus.STOPPED and "政治审查不合格" in case.stopped_reason
    with pytest.raises(DomainError, match="已办结或已终止"):
        step(dev, case, "training", D(2025, 3, 20), {"days": 3})


def to_assembly(dev):
    case = to_training(dev)
    step(dev, case, "training", D(2025, 3, 20), {"days": 3})
    step(dev, case, "committee_review", D(2025, 4, 1))
    step(dev, case, "pre_review", D(2025, 4, 10), {"result": "passed"})
    step(dev, case, "application_form", D(2025, 4, 15))
    return case


@pytest.mark.django_db
def test_higher_committee_steps_need_the_township(dev):
    case = to_training(dev)
    step(dev, case, "training", D(2025, 3, 20), {"days": 3})
    step(dev, case, "committee_review", D(2025, 4, 1))
    with pytest.raises(ActionDenied, match="上级党委办理"):
        step(dev, case, "pre_review", D(2025, 4, 10), {"result": "passed"}, who=dev.secretary)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("present", "in_favour", "outcome"),
    [
        (3, 3, "invalid"),  # 3 of 8 present: below half, the meeting is void
        (4, 4, "failed"),  # exactly half present is valid; 4 of 8 in favour is not more than half
        (5, 5, "passed"),  # more than half of the 8 entitled
    ],
)
def test_assembly_quorum_and_majority(dev, present, in_favour, outcome):
    case = to_assembly(dev)
    votes = {"entitled": 8, "present": present, "in_favour": in_favour}
    if outcome == "invalid":
        with pytest.raises(DomainError, match="不足应到会8人的半数，会议无效.*第二十二条"):
            step(dev, case, "branch_assembly", D(2025, 5, 1), votes)
        return
    s = step(dev, case, "branch_assembly", D(2025, 5, 1), votes)
    case.refresh_from_db()
    assert s.passed is (outcome == "passed")
    assert case.next_step == ("committee_talk" if outcome == "passed" else "branch_assembly")


@pytest.mark.django_db
def test_vote_count_larger_than_the_branch_is_refused(dev):
    case = to_assembly(dev)
    full = Member.objects.filter(
        org=dev.orgs["branch"], status=MemberStatus.FULL, standing=Standing.NORMAL
    ).count()
    with pytest.raises(DomainError, match=f"超过本支部在册正式党员{full}人"):
        step(
            dev,
            case,
            "branch_assembly",
            D(2025, 5, 1),
            {"entitled": full + 1, "present": full + 1, "in_favour": full + 1},
        )


def to_approval(dev):
    case = to_assembly(dev)
    step(dev, case, "branch_assembly", D(2025, 5, 1), {"entitled": 8, "present": 8, "in_favour": 8})
    step(dev, case, "committee_talk", D(2025, 5, 10))
    return case


@pytest.mark.django_db
def test_approval_within_three_months_six_with_a_reason(dev):
    case = to_approval(dev)
    with pytest.raises(DomainError, match="超过6个月未审批.*第二十五条"):
        step(dev, case, "approval", D(2025, 11, 2), {"result": "approved"}, late_reason="特殊情况")
    with pytest.raises(DomainError, match="3个月内完成.*延长原因"):
        step(dev, case, "approval", D(2025, 8, 2), {"result": "approved"})
    step(dev, case, "approval", D(2025, 8, 1), {"result": "approved"})  # exactly three months
    case.refresh_from_db()
    assert case.status == CaseStatus.PROBATION
    assert case.member.joined_on == D(2025, 5, 1)
    assert case.probation_ends_on == D(2026, 5, 1)


def to_conversion(dev):
    case = to_approval(dev)
    step(dev, case, "approval", D(2025, 6, 1), {"result": "approved"})
    step(dev, case, "approval_filed", D(2025, 6, 5))
    step(dev, case, "placement", D(2025, 6, 6))
    step(dev, case, "oath", D(2025, 6, 10))
    step(dev, case, "probation_education", D(2025, 12, 1), {"result": "表现良好"})
    return case


@pytest.mark.django_db
def test_conversion_not_before_probation_ends(dev):
    case = to_conversion(dev)
    with pytest.raises(DomainError, match="转正申请最早于2026-04-24提出"):
        step(dev, case, "conversion_application", D(2026, 4, 23))
    step(dev, case, "conversion_application", D(2026, 4, 24))
    case.refresh_from_db()
    assert case.next_earliest == D(2026, 5, 1)


@pytest.mark.django_db
def test_probation_extended_once_between_six_and_twelve_months(dev):
    case = to_conversion(dev)
    step(dev, case, "conversion_application", D(2026, 4, 28))
    extend = {"entitled": 8, "present": 8, "in_favour": 8, "outcome": "extend"}
    with pytest.raises(DomainError, match="最短6个月、最长12个月"):
        step(dev, case, "conversion_assembly", D(2026, 5, 1), extend | {"months": 13})
    step(dev, case, "conversion_assembly", D(2026, 5, 1), extend | {"months": 6})
    step(dev, case, "conversion_approval", D(2026, 6, 1), {"result": "approved"})
    case.refresh_from_db()
    assert case.probation_ends_on == D(2026, 11, 1) and case.extension_months == 6
    assert case.next_step == "conversion_application"  # the conversion steps are taken again
    step(dev, case, "conversion_application", D(2026, 10, 28))
    with pytest.raises(DomainError, match="只能延长一次"):
        step(dev, case, "conversion_assembly", D(2026, 11, 1), extend | {"months": 6})
    step(dev, case, "conversion_assembly", D(2026, 11, 1), extend | {"outcome": "convert"})
    step(dev, case, "conversion_approval", D(2026, 11, 20), {"result": "approved"})
    case.refresh_from_db()
    assert case.status == CaseStatus.FULL and case.member.full_on == D(2026, 11, 1)


@pytest.mark.django_db
def test_a_correction_keeps_the_original(dev):
    case = open_at(dev, D(2025, 1, 10))
    wrong = step(dev, case, "talk", D(2025, 1, 12))
    new = services.correct_step(
        dev.secretary,
        wrong,
        done_on=D(2025, 1, 15),
        responsible="负责人",
        reason="录入日期有误，据谈话记录更正",
    )
    wrong.refresh_from_db()
    assert wrong.superseded_by == new and new.done_on == D(2025, 1, 15)
    assert CaseStep.objects.filter(case=case, code="talk").count() == 2
    event = AuditEvent.objects.filter(action="development.correct", object_id=str(case.pk)).get()
    assert "更正" in event.note
    with pytest.raises(DomainError, match="已被更正"):
        services.correct_step(dev.secretary, wrong, done_on=D(2025, 1, 16), responsible="x", reason="再改")


@pytest.mark.django_db
def test_2026_version_needs_five_working_days_of_publicity(dev):
    case = open_at(dev, D(2026, 5, 18))
    assert case.rule_version == "2026.05"
    step(dev, case, "talk", D(2026, 5, 20))
    step(dev, case, "activist", D(2026, 5, 25), {"decided_by": "支部委员会"})
    assert services.plan(case).next_step == "activist_filed"
    case.refresh_from_db()
    # 2026-06-01 (Mon) to 06-04 (Thu) is four working days; to 06-05 (Fri) is five.
    steps = case.steps.count()
    with pytest.raises(DomainError, match="步骤不能跳过或提前"):
        step(
            dev,
            case,
            "candidate_publicity",
            D(2026, 6, 5),
            {"publicity_from": "2026-06-01", "publicity_to": "2026-06-04"},
        )
    assert case.steps.count() == steps
    with pytest.raises(DomainError, match="不足5个工作日"):
        services._publicity(
            {"publicity_from": "2026-06-01", "publicity_to": "2026-06-04"},
            D(2026, 6, 5),
            5,
            services.R.PUBLICITY_DAYS_2026,
            None,
        )
    services._publicity(
        {"publicity_from": "2026-06-01", "publicity_to": "2026-06-05"},
        D(2026, 6, 5),
        5,
        services.R.PUBLICITY_DAYS_2026,
        None,
    )
    # Over 劳动节 2026 (1–5 May off, Saturday 9 May worked): 1–11 May holds five working days
    # (6, 7, 8, 9, 11 May), 1–9 May only four, though Monday to Friday alone would count six.
    services._publicity(
        {"publicity_from": "2026-05-01", "publicity_to": "2026-05-11"},
        D(2026, 5, 11),
        5,
        services.R.PUBLICITY_DAYS_2026,
        None,
    )
    with pytest.raises(DomainError, match="公示4个工作日"):
        services._publicity(
            {"publicity_from": "2026-05-01", "publicity_to": "2026-05-09"},
            D(2026, 5, 11),
            5,
            services.R.PUBLICITY_DAYS_2026,
            None,
        )


@pytest.mark.django_db
def test_version_start_is_a_county_setting(dev):
    RuleOverride.objects.create(
        county=dev.orgs["county"],
        code="development.v2026_effective_from",
        value="2026-07-01",
        source="省委组织部通知",
        effective_from=D(2026, 1, 1),
    )
    assert open_at(dev, D(2026, 6, 30)).rule_version == "2014"
    assert open_at(dev, D(2026, 7, 1), seq=79).rule_version == "2026.05"


# Property: whatever order and dates people try, no step is ever recorded early or out of order.
CODES = [s.code for s in VERSIONS["2014"].steps]
DATA = {
    "activist": {"decided_by": "支部委员会"},
    "political_review": {"result": "passed"},
    "pre_review": {"result": "passed"},
    "training": {"days": 3},
    "branch_assembly": {"entitled": 8, "present": 8, "in_favour": 8},
    "approval": {"result": "approved"},
    "conversion_assembly": {"entitled": 8, "present": 8, "in_favour": 8, "outcome": "convert"},
    "conversion_approval": {"result": "approved"},
}


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(CODES), st.integers(min_value=0, max_value=40)), max_size=30))
def test_no_sequence_reaches_a_step_early(dev, attempts):
    case = services.open_case(
        dev.secretary,
        dev.orgs["branch"],
        applicant(seq=next(SEQ)),
        applied_on=D(2023, 1, 2),
        responsible="书记",
        today=TODAY,
    )
    day = D(2023, 1, 2)
    for code, gap in attempts:
        day = min(day + datetime.timedelta(days=gap * 7), TODAY)
        data = dict(DATA.get(code, {}))
        if code in ("contacts", "sponsors"):
            data["members"] = [m.pk for m in dev.full_members[: 1 if code == "contacts" else 2]]
        try:
            step(dev, case, code, day, data, late_reason="补录")
        except (DomainError, ActionDenied):
            pass
    case.refresh_from_db()
    recorded = list(case.steps.filter(superseded_by__isnull=True).order_by("pk"))
    order = list(
        dict.fromkeys(s.code for s in recorded if s.code not in ("assessment", "probation_education"))
    )
    assert order == CODES_WITHOUT_REPEATS[: len(order)]
    on = {s.code: s.done_on for s in recorded}
    if "candidate" in on:
        assert on["candidate"] >= on["activist"].replace(year=on["activist"].year + 1)
    if "approval" in on:
        assert case.member.joined_on == on["branch_assembly"]
    if "conversion_application" in on:
        assert on["conversion_application"] >= case.probation_ends_on - datetime.timedelta(days=7)
    firsts = {}
    for s in recorded:
        firsts.setdefault(s.code, s.done_on)
    dates = [firsts[c] for c in order]
    assert dates == sorted(dates)


CODES_WITHOUT_REPEATS = [c for c in CODES if c not in ("assessment", "probation_education")]
SEQ = itertools.count(100)
