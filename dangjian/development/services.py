"""The development pipeline: open a case, take its steps in order, correct a step, stop a case.

Every step is checked against the rules of the version the case was opened under. A step cannot be
taken before the one before it, nor before its earliest date; a correction is a new row that
supersedes the old one, so the record of what was entered first is never lost.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.dates import add_months, add_years
from dangjian.core.errors import ActionDenied, DomainError, DomainErrors
from dangjian.core.rules import Rule, rule_value
from dangjian.core.scope import can, require
from dangjian.core.uploads import check_upload
from dangjian.core.workdays import working_days_in
from dangjian.members.choices import MemberStatus, Standing
from dangjian.members.models import Member, Person, years_between
from dangjian.members.services.roster import PersonData, _fill_person, check_person
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of, joint_branch_of, speaks_for

from . import rules as R
from .models import CaseContact, CaseStatus, CaseStep, DevelopmentCase, StepDocument

CONVERSION_CODES = frozenset({"conversion_application", "conversion_assembly", "conversion_approval"})
VOTE_STEPS = frozenset({"branch_assembly", "conversion_assembly"})


def cite(rule: Rule) -> str:
    article = f" {rule.article}" if rule.article else ""
    return f"（依据：{rule.source}{article}）"


def version_for(applied_on: datetime.date, county: Org | None) -> str:
    """Applications from the county's adoption date of the 2026 revision run under it."""
    start = datetime.date.fromisoformat(str(rule_value(R.V2026_FROM.code, county)))
    return "2026.05" if applied_on >= start else "2014"


@dataclass
class Plan:
    """Where a case stands: the step expected next, the earliest day it may be taken and its deadline."""

    next_step: str
    earliest: datetime.date | None
    due: datetime.date | None
    allowed: frozenset[str]


def _round(case: DevelopmentCase) -> int:
    return 2 if case.extension_months else 1


def active_steps(case: DevelopmentCase) -> list[CaseStep]:
    return list(case.steps.filter(superseded_by__isnull=True).order_by("done_on", "pk"))


def _done(steps: list[CaseStep], code: str, round_: int = 1) -> CaseStep | None:
    """The latest passed step of `code` (in the round that counts for conversion steps)."""
    found = None
    for s in steps:
        if s.code == code and s.passed and (code not in CONVERSION_CODES or s.round == round_):
            found = s
    return found


def joint_reviewer(case: DevelopmentCase, county: Org | None = None) -> Org | None:
    """The joint branch that pre-reviews the case's candidate before the township does, or None where
    the village is in none or its county has not given joint branches that power."""
    county = county_of(case.org) if county is None else county
    if not rule_value(R.JOINT_PRE_REVIEW.code, county):
        return None
    return joint_branch_of(case.org)


def plan(case: DevelopmentCase, steps: list[CaseStep] | None = None) -> Plan:
    steps = active_steps(case) if steps is None else steps
    version = R.VERSIONS[case.rule_version]
    county = county_of(case.org)
    round_ = _round(case)
    # The joint branch's pre-review applies to cases not yet past the township's pre-review when the
    # county turned it on (and stays in the order of a case that had it).
    joint = _done(steps, "joint_pre_review") is not None or (
        _done(steps, "pre_review") is None and joint_reviewer(case, county) is not None
    )
    next_code = ""
    for step in version.steps:
        if step.repeatable or (step.joint and not joint):
            continue
        if _done(steps, step.code, round_) is None:
            next_code = step.code
            break
    allowed = {next_code} if next_code else set()
    if _done(steps, "activist") and not _done(steps, "candidate"):
        allowed.add("assessment")
    # Contacts and sponsors can be replaced (someone moves away) until the step they serve is taken.
    if _done(steps, "contacts") and not _done(steps, "candidate"):
        allowed.add("contacts")
    if _done(steps, "sponsors") and not _done(steps, "branch_assembly"):
        allowed.add("sponsors")
    if _done(steps, "approval") and not _done(steps, "conversion_assembly", round_):
        allowed.add("probation_education")
    if case.status == CaseStatus.STOPPED:
        return Plan("", None, None, frozenset())

    def on(code: str, r: int = 1) -> datetime.date | None:
        s = _done(steps, code, r)
        return s.done_on if s else None

    activist_on = on("activist")

    earliest: datetime.date | None = None
    due: datetime.date | None = None
    if next_code == "talk":
        due = add_months(case.applied_on, R.TALK_MONTHS.value)
    elif next_code == "activist":
        earliest = add_months(case.applied_on, int(rule_value(R.ACTIVIST_WAIT_MONTHS.code, county)))
    elif next_code in ("candidate", "candidate_publicity") and activist_on:
        earliest = add_years(activist_on, R.ACTIVIST_YEARS.value)
    elif next_code == "pre_review" and on("committee_review"):
        due = on("committee_review") + datetime.timedelta(
            days=int(rule_value(R.PRE_REVIEW_DAYS.code, county))
        )
    elif next_code == "approval" and case.admitted_on:
        due = add_months(case.admitted_on, R.APPROVAL_MONTHS.value)
    elif next_code == "conversion_application" and case.probation_ends_on:
        lead = int(rule_value(R.CONVERSION_LEAD_DAYS.code, county))
        earliest = case.probation_ends_on - datetime.timedelta(days=lead)
        due = case.probation_ends_on
    elif next_code == "conversion_assembly" and case.probation_ends_on:
        earliest = case.probation_ends_on
        due = add_months(case.probation_ends_on, int(rule_value(R.CONVERSION_ASSEMBLY_MONTHS.code, county)))
    elif next_code == "conversion_approval" and on("conversion_assembly", round_):
        due = add_months(on("conversion_assembly", round_), R.CONVERSION_APPROVAL_MONTHS.value)
    if next_code in version.extra_deadlines:
        after, rule = version.extra_deadlines[next_code]
        if on(after):
            due = add_months(on(after), rule.value)
    if "assessment" in allowed:
        last = max([s.done_on for s in steps if s.code == "assessment"] + [activist_on])
        assessment_due = add_months(last, R.ASSESSMENT_MONTHS.value)
        due = assessment_due if due is None else min(due, assessment_due)
    return Plan(next_code, earliest, due, frozenset(allowed))


def _refresh(case: DevelopmentCase, steps: list[CaseStep] | None = None) -> None:
    """Copy milestone dates and the plan onto the case so boards and checks can query them."""
    steps = active_steps(case) if steps is None else steps
    version = R.VERSIONS[case.rule_version]

    def on(code: str) -> datetime.date | None:
        s = _done(steps, code)
        return s.done_on if s else None

    case.activist_on = on("activist")
    case.candidate_on = on("candidate")
    case.admitted_on = on("branch_assembly")
    case.approved_on = on("approval")
    p = plan(case, steps)
    case.next_step, case.next_earliest, case.next_due = p.next_step, p.earliest, p.due
    done = [s.stage for s in version.steps if not s.repeatable and _done(steps, s.code)]
    case.stage = max(done, default=1)  # where the person stands: an activist until made a candidate
    case.save()


def _check_open(case: DevelopmentCase) -> None:
    if case.status in (CaseStatus.STOPPED,) or (case.status == CaseStatus.FULL and not case.next_step):
        raise DomainError("该发展党员档案已办结或已终止，不能再办理步骤。")


@transaction.atomic
def open_case(
    actor: User,
    org: Org,
    data: PersonData,
    *,
    applied_on: datetime.date,
    responsible: str,
    note: str = "",
    today: datetime.date | None = None,
) -> DevelopmentCase:
    """Register an application (step 1): the applicant must be 18 on the day they apply."""
    today = today or timezone.localdate()
    require(actor, "add", DevelopmentCase(org=org))
    errors = check_person(data, org, today=today)
    if applied_on > today:
        errors.append(DomainError("递交申请日期不能晚于今天。", field="applied_on"))
    if data.birth_date and applied_on and years_between(data.birth_date, applied_on) < R.MIN_AGE.value:
        errors.append(
            DomainError(
                f"递交入党申请时未满{R.MIN_AGE.value}周岁，不能受理{cite(R.MIN_AGE)}。", field="applied_on"
            )
        )
    if not responsible.strip():
        errors.append(DomainError("请填写接收申请的负责人。", field="responsible"))
    if errors:
        raise DomainErrors(errors)
    person = Person(org=org)
    _fill_person(person, data)
    person.save()
    case = DevelopmentCase.objects.create(
        person=person,
        org=org,
        rule_version=version_for(applied_on, county_of(org)),
        applied_on=applied_on,
    )
    CaseStep.objects.create(
        case=case,
        org=org,
        code="application",
        done_on=applied_on,
        responsible=responsible,
        note=note,
        recorded_by=actor,
    )
    _refresh(case)
    audit.record(actor, "development.open", case, org=org, after=audit.snapshot(case))
    return case


def _full_members(ids: list[Any], case: DevelopmentCase, rule: Rule, label: str) -> list[Member]:
    try:
        pks = [int(i) for i in ids]
    except (TypeError, ValueError) as exc:
        raise DomainError(f"请选择{label}。", field="members") from exc
    members = list(Member.objects.filter(pk__in=pks, org__path__startswith=_county_path(case.org)))
    if len(members) != len(set(pks)):
        raise DomainError(f"所选{label}不在本县党员名册中。", field="members")
    for m in members:
        if m.status != MemberStatus.FULL or m.standing != Standing.NORMAL:
            raise DomainError(f"{m.person.name}不是正式党员，不能担任{label}{cite(rule)}。", field="members")
        if m.person_id == case.person_id:
            raise DomainError(f"申请人本人不能担任{label}。", field="members")
    return members


def _county_path(org: Org) -> str:
    county = county_of(org)
    return county.path if county else org.path


def _votes(case: DevelopmentCase, data: dict[str, Any]) -> tuple[dict[str, int], bool]:
    """Validate an assembly's counts; return them and whether the resolution passed."""
    try:
        counts = {
            k: int(data.get(k) or 0) for k in ("entitled", "present", "in_favour", "against", "abstain")
        }
    except (TypeError, ValueError) as exc:
        raise DomainError("表决人数应为整数。", field="data") from exc
    if any(v < 0 for v in counts.values()):
        raise DomainError("表决人数不能为负数。", field="data")
    branch_full = Member.objects.filter(
        org=case.org, status=MemberStatus.FULL, standing=Standing.NORMAL
    ).count()
    if counts["entitled"] < 1:
        raise DomainError("请填写应到会有表决权的正式党员人数。", field="entitled")
    if counts["entitled"] > branch_full:
        raise DomainError(
            f"应到会有表决权的正式党员{counts['entitled']}人，超过本支部在册正式党员{branch_full}人"
            f"（预备党员没有表决权）{cite(R.QUORUM)}。",
            field="entitled",
        )
    if counts["present"] > counts["entitled"]:
        raise DomainError("实到人数不能超过应到人数。", field="present")
    if counts["in_favour"] + counts["against"] + counts["abstain"] > counts["entitled"]:
        raise DomainError("赞成、反对、弃权人数之和不能超过应到会有表决权的人数。", field="in_favour")
    if counts["present"] * 2 < counts["entitled"]:
        raise DomainError(
            f"到会有表决权的正式党员{counts['present']}人，不足应到会{counts['entitled']}人的半数，"
            f"会议无效{cite(R.QUORUM)}。",
            field="present",
        )
    return counts, counts["in_favour"] * 2 > counts["entitled"]


@transaction.atomic
def record_step(
    actor: User,
    case: DevelopmentCase,
    code: str,
    *,
    done_on: datetime.date,
    responsible: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    late_reason: str = "",
    today: datetime.date | None = None,
    supersedes: CaseStep | None = None,
    correction_reason: str = "",
) -> CaseStep:
    """Take the next step of `case`. Refused, with the rule and its source, if it comes early,
    out of order, or breaks a rule of the case's version."""
    today = today or timezone.localdate()
    case = (
        DevelopmentCase.objects.select_for_update(of=("self",))
        .select_related("org", "person", "member")
        .get(pk=case.pk)
    )
    version = R.VERSIONS[case.rule_version]
    try:
        step_def = version.step(code)
    except KeyError as exc:
        raise DomainError("未知的发展党员步骤。", field="code") from exc
    require(actor, "view", case)
    if step_def.by_higher and not can(actor, "approve", case):
        raise ActionDenied(f"“{step_def.title}”由上级党委办理，您的角色无权登记。")
    if step_def.joint:
        _check_joint(actor, case)
    if not can(actor, "change", case):
        raise ActionDenied()
    if supersedes is None:
        _check_open(case)
    data = dict(data or {})
    steps = [s for s in active_steps(case) if s.pk != getattr(supersedes, "pk", None)]
    if supersedes is None:
        current = plan(case, steps)
        if code not in current.allowed:
            expected = version.step(current.next_step).title if current.next_step else "无"
            raise DomainError(
                f"步骤不能跳过或提前：当前应办理“{expected}”，不能办理“{step_def.title}”。", field="code"
            )
    if done_on > today:
        raise DomainError("办理日期不能晚于今天。", field="done_on")
    if not responsible.strip():
        raise DomainError("请填写负责人。", field="responsible")
    order = version.codes()
    earlier = [
        s
        for s in steps
        if order.index(s.code) < order.index(code)
        and not (s.code in CONVERSION_CODES and code in CONVERSION_CODES and s.round != _round(case))
    ]
    if supersedes is not None:
        later = [s for s in steps if order.index(s.code) > order.index(code)]
        if later and done_on > min(s.done_on for s in later):
            raise DomainError("更正后的日期晚于后续步骤的日期，请先更正后续步骤。", field="done_on")
    last_before = max((s.done_on for s in earlier if not version.step(s.code).repeatable), default=None)
    if last_before and done_on < last_before and code not in ("assessment", "probation_education"):
        raise DomainError(f"办理日期不能早于上一步骤的日期（{last_before:%Y-%m-%d}）。", field="done_on")
    county = county_of(case.org)
    passed, members = _validate(case, code, done_on, data, late_reason, steps, county)
    step = CaseStep.objects.create(
        case=case,
        org=case.org,
        code=code,
        round=_round(case) if code in CONVERSION_CODES else 1,
        done_on=done_on,
        passed=passed,
        responsible=responsible.strip(),
        note=note,
        late_reason=late_reason,
        data=data,
        recorded_by=actor,
        correction_reason=correction_reason,
    )
    kind = {"contacts": CaseContact.Kind.CONTACT, "sponsors": CaseContact.Kind.SPONSOR}.get(code)
    for m in members:
        CaseContact.objects.create(case=case, member=m, kind=kind, step=step)
    before = audit.snapshot(case)
    if supersedes is None:
        _apply(actor, case, step, data)
    _refresh(case, steps + [step])
    action = "development.correct" if supersedes is not None else "development.step"
    audit.record(
        actor,
        action,
        case,
        org=case.org,
        before=before,
        after=audit.snapshot(case) | {"step": code, "done_on": done_on.isoformat()},
        note=correction_reason or f"{step_def.title}（{done_on:%Y-%m-%d}）" + ("" if passed else "，未通过"),
    )
    return step


def may_take_joint_review(actor: User, case: DevelopmentCase) -> bool:
    """Whether `actor` speaks for the village's joint branch (a role held on it) or for its county."""
    reviewer = joint_reviewer(case)
    return reviewer is not None and speaks_for(actor, reviewer)


def _check_joint(actor: User, case: DevelopmentCase) -> None:
    reviewer = joint_reviewer(case)
    if reviewer is None:
        raise DomainError(
            f"{case.org.name}不属于联村党总支或本县未开启联村党总支预审，无需办理此步骤"
            f"（县级规则 {R.JOINT_PRE_REVIEW.code}）。",
            field="code",
        )
    if not speaks_for(actor, reviewer):
        raise ActionDenied(
            f"“联村党总支预审”须由{case.org.name}所属的{reviewer.name}办理{cite(R.JOINT_PRE_REVIEW)}。"
        )


def _validate(
    case: DevelopmentCase,
    code: str,
    d: datetime.date,
    data: dict[str, Any],
    late_reason: str,
    steps: list[CaseStep],
    county: Org | None,
) -> tuple[bool, list[Member]]:
    """Rules of one step. Returns whether it passed and the members it names (contacts, sponsors)."""
    passed, members = True, []
    if code == "talk":
        limit = add_months(case.applied_on, R.TALK_MONTHS.value)
        if d > limit and not late_reason.strip():
            raise DomainError(
                f"谈话应在收到申请后{R.TALK_MONTHS.value}个月内（{limit:%Y-%m-%d}前）进行，逾期请填写逾期说明"
                f"{cite(R.TALK_MONTHS)}。",
                field="late_reason",
            )
    elif code == "activist":
        wait = int(rule_value(R.ACTIVIST_WAIT_MONTHS.code, county))
        earliest = add_months(case.applied_on, wait)
        if d < earliest:
            raise DomainError(
                f"递交申请满{wait}个月后（{earliest:%Y-%m-%d}起）方可确定为入党积极分子{cite(R.ACTIVIST_WAIT_MONTHS)}。",
                field="done_on",
            )
        if data.get("decided_by") not in ("支部委员会", "支部大会"):
            raise DomainError(
                "入党积极分子由支部委员会（未设支委会的由支部大会）研究决定，请选择决定机构（依据：细则第八条）。",
                field="decided_by",
            )
    elif code in ("contacts", "sponsors"):
        ids = data.get("members") or []
        if code == "contacts":
            if not R.CONTACTS_MIN.value <= len(ids) <= R.CONTACTS_MAX.value:
                raise DomainError(
                    f"培养联系人应为{R.CONTACTS_MIN.value}至{R.CONTACTS_MAX.value}名正式党员{cite(R.CONTACTS_MAX)}。",
                    field="members",
                )
            members = _full_members(ids, case, R.CONTACTS_MAX, "培养联系人")
        else:
            if len(set(ids)) != R.SPONSORS.value:
                raise DomainError(
                    f"入党介绍人应为{R.SPONSORS.value}名正式党员{cite(R.SPONSORS)}。", field="members"
                )
            members = _full_members(ids, case, R.SPONSORS, "入党介绍人")
        data["members"] = [m.pk for m in members]
        data["names"] = [m.person.name for m in members]
    elif code in ("candidate", "candidate_publicity"):
        earliest = add_years(case.activist_on, R.ACTIVIST_YEARS.value)
        if d < earliest:
            raise DomainError(
                f"确定为入党积极分子（{case.activist_on:%Y-%m-%d}）满{R.ACTIVIST_YEARS.value}年后"
                f"（{earliest:%Y-%m-%d}起）方可确定为发展对象{cite(R.ACTIVIST_YEARS)}。",
                field="done_on",
            )
        if code == "candidate_publicity":
            _publicity(data, d, R.PUBLICITY_DAYS_2026.value, R.PUBLICITY_DAYS_2026, county)
            return passed, members
        points = sorted([case.activist_on] + [s.done_on for s in steps if s.code == "assessment"] + [d])
        for a, b in zip(points, points[1:], strict=False):
            if b > add_months(a, R.ASSESSMENT_MONTHS.value):
                raise DomainError(
                    f"{a:%Y-%m-%d}至{b:%Y-%m-%d}之间超过{R.ASSESSMENT_MONTHS.value}个月没有考察记录，"
                    f"请先补登每半年一次的培养考察{cite(R.ASSESSMENT_MONTHS)}。",
                    field="done_on",
                )
        if case.rule_version == "2014":
            days = int(rule_value(R.PUBLICITY_DAYS.code, county))
            if days > 0:
                _publicity(data, d, days, R.PUBLICITY_DAYS, county)
    elif code == "political_review":
        if data.get("result") not in ("passed", "failed"):
            raise DomainError("请填写政治审查结论（合格或不合格）。", field="result")
        passed = data["result"] == "passed"
    elif code == "training":
        try:
            days, hours = float(data.get("days") or 0), float(data.get("hours") or 0)
        except (TypeError, ValueError) as exc:
            raise DomainError("培训天数和学时应为数字。", field="days") from exc
        if days < R.TRAINING_DAYS.value and hours < R.TRAINING_HOURS.value:
            raise DomainError(
                f"集中培训一般不少于{R.TRAINING_DAYS.value}天或{R.TRAINING_HOURS.value}个学时，"
                f"现为{days:g}天、{hours:g}学时{cite(R.TRAINING_DAYS)}。",
                field="days",
            )
    elif code in ("pre_review", "joint_pre_review"):
        if data.get("leaving_soon"):
            raise DomainError(
                "发展对象在3个月内将离开工作、学习单位的，一般不办理预审（依据：细则第十九条）。",
                field="leaving_soon",
            )
        if data.get("result") not in ("passed", "failed"):
            raise DomainError("请填写预审结论（合格或不合格），预审结果应书面通知党支部。", field="result")
        passed = data["result"] == "passed"
    elif code in VOTE_STEPS:
        counts, passed = _votes(case, data)
        data.update(counts)
        if code == "conversion_assembly":
            _conversion_outcome(case, data, passed)
    elif code == "approval":
        _approval_time(case.admitted_on, d, late_reason, R.APPROVAL_MONTHS, R.APPROVAL_MAX_MONTHS)
        if data.get("result") not in ("approved", "rejected"):
            raise DomainError("请填写审批结论（批准或不批准）。", field="result")
        passed = data["result"] == "approved"
    elif code == "conversion_approval":
        assembly = _done(steps, "conversion_assembly", _round(case))
        _approval_time(assembly.done_on, d, late_reason, R.CONVERSION_APPROVAL_MONTHS, None)
        if data.get("result") not in ("approved", "rejected"):
            raise DomainError("请填写审批结论（批准或不批准）。", field="result")
        data["outcome"] = assembly.data.get("outcome")
        data["months"] = assembly.data.get("months")
        passed = data["result"] == "approved"
    elif code == "conversion_application":
        lead = int(rule_value(R.CONVERSION_LEAD_DAYS.code, county))
        earliest = case.probation_ends_on - datetime.timedelta(days=lead)
        if d < earliest:
            raise DomainError(
                f"预备期至{case.probation_ends_on:%Y-%m-%d}期满，转正申请最早于{earliest:%Y-%m-%d}提出"
                f"{cite(R.CONVERSION_LEAD_DAYS)}。",
                field="done_on",
            )
        if not _done(steps, "probation_education"):
            raise DomainError("请先登记预备期内的继续教育考察情况（依据：细则第三十条）。", field="code")
    elif code == "placement" and data.get("group"):
        group = Org.objects.filter(pk=data["group"], parent=case.org, kind=OrgKind.GROUP).first()
        if group is None:
            raise DomainError("所选党小组不属于该党支部。", field="group")
    return passed, members


def _publicity(data: dict[str, Any], d: datetime.date, days: int, rule: Rule, county: Org | None) -> None:
    try:
        start = datetime.date.fromisoformat(str(data.get("publicity_from")))
        end = datetime.date.fromisoformat(str(data.get("publicity_to")))
    except ValueError as exc:
        raise DomainError(
            f"请填写公示起止日期（不少于{days}个工作日）{cite(rule)}。", field="publicity_from"
        ) from exc
    if end < start or end > d:
        raise DomainError("公示结束日期应不早于开始日期、不晚于办理日期。", field="publicity_to")
    got = working_days_in(start, end, county)
    if got < days:
        raise DomainError(f"公示{got}个工作日，不足{days}个工作日{cite(rule)}。", field="publicity_to")


def _approval_time(
    since: datetime.date, d: datetime.date, late_reason: str, rule: Rule, max_rule: Rule | None
) -> None:
    if d < since:
        raise DomainError("审批日期不能早于支部大会日期。", field="done_on")
    if max_rule is not None and d > add_months(since, max_rule.value):
        raise DomainError(
            f"支部大会（{since:%Y-%m-%d}）后超过{max_rule.value}个月未审批，应重新履行程序{cite(max_rule)}。",
            field="done_on",
        )
    if d > add_months(since, rule.value) and not late_reason.strip():
        raise DomainError(
            f"审批应在支部大会后{rule.value}个月内完成；特殊情况延长的，请填写延长原因{cite(rule)}。",
            field="late_reason",
        )


def _conversion_outcome(case: DevelopmentCase, data: dict[str, Any], passed: bool) -> None:
    outcome = data.get("outcome")
    if outcome not in ("convert", "extend", "cancel"):
        raise DomainError("请选择讨论结果：按期转正、延长预备期或取消预备党员资格。", field="outcome")
    if outcome == "extend":
        if case.extension_months:
            raise DomainError(f"预备期只能延长一次{cite(R.EXTENSION_MAX_MONTHS)}。", field="outcome")
        try:
            months = int(data.get("months") or 0)
        except (TypeError, ValueError):
            months = 0
        if not R.EXTENSION_MIN_MONTHS.value <= months <= R.EXTENSION_MAX_MONTHS.value:
            raise DomainError(
                f"延长预备期最短{R.EXTENSION_MIN_MONTHS.value}个月、最长{R.EXTENSION_MAX_MONTHS.value}个月"
                f"{cite(R.EXTENSION_MAX_MONTHS)}。",
                field="months",
            )
        data["months"] = months


def _apply(actor: User, case: DevelopmentCase, step: CaseStep, data: dict[str, Any]) -> None:
    """What a step changes beyond itself: a member record on approval, full membership on conversion."""
    code = step.code
    if code == "political_review" and not step.passed:
        _stop(case, "政治审查不合格，不能发展入党（依据：细则第三章）", step.done_on)
    elif code == "approval":
        if not step.passed:
            _stop(case, "上级党委不批准接收为预备党员", step.done_on)
            return
        person = case.person
        member = Member.objects.create(
            person=person, org=case.org, status=MemberStatus.PROBATIONARY, joined_on=case.admitted_on
        )
        case.member = member
        case.status = CaseStatus.PROBATION
        case.probation_ends_on = add_years(member.joined_on, R.PROBATION_YEARS.value)
        audit.record(
            actor,
            "member.create",
            member,
            org=case.org,
            after=audit.snapshot(member),
            note="上级党委批准接收为预备党员",
        )
    elif code == "placement" and data.get("group") and case.member:
        case.member.group_id = int(data["group"])
        case.member.save(update_fields=["group", "updated_at"])
    elif code == "conversion_approval" and step.passed:
        outcome, member = data.get("outcome"), case.member
        if outcome == "convert":
            member.status, member.full_on = MemberStatus.FULL, case.probation_ends_on
            member.save(update_fields=["status", "full_on", "updated_at"])
            case.status, case.full_on = CaseStatus.FULL, case.probation_ends_on
        elif outcome == "extend":
            case.extension_months = int(data["months"])
            case.probation_ends_on = add_months(case.probation_ends_on, case.extension_months)
        elif outcome == "cancel":
            member.standing, member.standing_since = Standing.REMOVED, step.done_on
            member.save(update_fields=["standing", "standing_since", "updated_at"])
            _stop(case, "取消预备党员资格", step.done_on)


def _stop(case: DevelopmentCase, reason: str, on: datetime.date) -> None:
    case.status = CaseStatus.STOPPED
    case.stopped_reason = f"{reason}（{on:%Y-%m-%d}）"[:200]


@transaction.atomic
def correct_step(
    actor: User,
    step: CaseStep,
    *,
    done_on: datetime.date,
    responsible: str,
    reason: str,
    note: str | None = None,
    data: dict[str, Any] | None = None,
    late_reason: str | None = None,
) -> CaseStep:
    """Correct a wrong entry: a new row with the right values supersedes the old one, which stays."""
    step = CaseStep.objects.select_for_update().select_related("case", "case__org").get(pk=step.pk)
    require(actor, "change", step.case)
    if step.superseded_by_id:
        raise DomainError("该记录已被更正，请更正最新的记录。")
    if not reason.strip():
        raise DomainError("请填写更正原因。", field="reason")
    if step.code in (
        "approval",
        "conversion_approval",
        "political_review",
        "branch_assembly",
        "conversion_assembly",
        "pre_review",
        "joint_pre_review",
    ):
        new_data = dict(step.data) | dict(data or {})
        for key in ("result", "outcome", "months", "entitled", "present", "in_favour", "against", "abstain"):
            if key in step.data and new_data.get(key) != step.data.get(key):
                raise DomainError("表决结果和审批结论不能通过更正改变，请按程序重新办理。", field="data")
    if step.code in ("contacts", "sponsors"):
        raise DomainError("培养联系人和入党介绍人的更换请再次办理该步骤（以最近一次为准），不能更正。")
    new = record_step(
        actor,
        step.case,
        step.code,
        done_on=done_on,
        responsible=responsible,
        note=step.note if note is None else note,
        data=dict(step.data) | dict(data or {}),
        late_reason=step.late_reason if late_reason is None else late_reason,
        supersedes=step,
        correction_reason=reason.strip(),
    )
    step.superseded_by = new
    step.save(update_fields=["superseded_by"])
    return new


@transaction.atomic
def stop_case(actor: User, case: DevelopmentCase, *, reason: str, on: datetime.date) -> DevelopmentCase:
    """End a case that will not go on (withdrawn, moved away, found unsuitable)."""
    case = DevelopmentCase.objects.select_for_update().select_related("org").get(pk=case.pk)
    require(actor, "change", case)
    if case.status in (CaseStatus.STOPPED, CaseStatus.FULL):
        raise DomainError("该档案已办结或已终止。")
    if case.status == CaseStatus.PROBATION:
        raise DomainError("预备党员的去留须经支部大会讨论、上级党委批准，请在“支部大会讨论转正”步骤中办理。")
    if not reason.strip():
        raise DomainError("请填写终止原因。", field="reason")
    before = audit.snapshot(case)
    _stop(case, reason.strip(), on)
    case.next_step, case.next_due, case.next_earliest = "", None, None
    case.save()
    audit.record(actor, "development.stop", case, org=case.org, before=before, after=audit.snapshot(case))
    return case


@transaction.atomic
def attach_document(actor: User, step: CaseStep, upload: Any) -> StepDocument:
    require(actor, "change", step.case)
    name = check_upload(upload, max_mb=20) or "材料"
    doc = StepDocument.objects.create(
        step=step, org=step.org, file=upload, name=name[:200], uploaded_by=actor
    )
    audit.record(actor, "development.document", step.case, org=step.org, note=f"上传材料：{doc.name}")
    return doc
