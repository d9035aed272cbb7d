"""The only place this app writes: one function per thing a person does, each in one transaction with
its permission check, validation (DomainError in Chinese, nothing written) and audit row.

Posts are never written here: choosing a secretary from the pool appoints through
`villages.services.appoint`, so its refusals (a post already held, seats full) apply unchanged."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from dangjian.accounts.models import RoleAssignment, User
from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.dates import add_months, month_start
from dangjian.core.errors import DomainError, DomainErrors
from dangjian.core.roles import Role
from dangjian.core.scope import require
from dangjian.members.choices import Education, Gender
from dangjian.members.models import Person
from dangjian.members.records.common import cite
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of
from dangjian.villages import services as village_services
from dangjian.villages.models import Committee, Post, PostKind
from dangjian.villages.selectors import holder_key

from . import rules as R
from .choices import ActivityKind, AssessmentGrade, BatchStatus, Grade, PoliticalStatus, ReserveStatus
from .models import (
    AssessmentResult,
    Coaching,
    CoachingSession,
    MentorActivity,
    MentorEvaluation,
    Mentorship,
    PayAccount,
    PayBatch,
    PayLine,
    PayScheme,
    PoolSelection,
    ReserveCadre,
)

VILLAGE_KINDS = frozenset({OrgKind.BRANCH, OrgKind.COMMUNITY})
CENT = Decimal("0.01")


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _text(value: Any, label: str, field: str, limit: int, *, required: bool = True) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not text:
        raise DomainError(f"请填写{label}。", field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过{limit}个字。", field)
    return text


def _date(value: Any, label: str, field: str, today: datetime.date) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise DomainError(f"请填写{label}。", field)
    if value > today:
        raise DomainError(f"{label}不能晚于今天。", field)
    return value


def _choice(value: Any, choices, label: str, field: str) -> str:
    if value not in choices.values:
        raise DomainError(f"请选择{label}。", field)
    return value


def _person(actor, person: Person | None) -> Person | None:
    if person is not None and not Person.objects.restrict(actor).filter(pk=person.pk).exists():
        raise DomainError("所选人员不存在或不在您的管辖范围内。", "person")
    return person


# --- the pool (后备库) ----------------------------------------------------------------------------------


def _reserve_values(actor, data: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    person = _person(actor, data.get("person"))
    errors: list[DomainError] = []
    values: dict[str, Any] = {"person": person}
    checks = (
        ("name", lambda: _text(data.get("name") or (person.name if person else ""), "姓名", "name", 40)),
        (
            "gender",
            lambda: _choice(
                data.get("gender") or (person.gender if person else ""), Gender, "性别", "gender"
            ),
        ),
        (
            "birth_date",
            lambda: _date(
                data.get("birth_date") or (person.birth_date if person else None),
                "出生日期",
                "birth_date",
                today,
            ),
        ),  # noqa: E501
        ("education", lambda: _choice(data.get("education"), Education, "学历", "education")),
        ("skills", lambda: _text(data.get("skills"), "特长/技能", "skills", 200, required=False)),
        (
            "political_status",
            lambda: _choice(data.get("political_status"), PoliticalStatus, "政治面貌", "political_status"),
        ),  # noqa: E501
        ("entered_on", lambda: _date(data.get("entered_on"), "入库日期", "entered_on", today)),
    )
    for field, check in checks:
        try:
            values[field] = check()
        except DomainError as exc:
            errors.append(exc)
    if errors:
        raise DomainErrors(errors)
    if values["entered_on"] < values["birth_date"]:
        raise DomainError("入库日期不能早于出生日期。", "entered_on")
    return values


def add_reserve(actor, org: Org, *, today: datetime.date | None = None, **data: Any) -> ReserveCadre:
    """Put a person into the village's pool."""
    if org.kind not in VILLAGE_KINDS:
        raise DomainError("后备干部按村（社区）登记。", "org")
    reserve = ReserveCadre(org=org)
    require(actor, "change", reserve)
    values = _reserve_values(actor, data, _today(today))
    with transaction.atomic():
        same = ReserveCadre.objects.filter(org=org, status=ReserveStatus.IN_POOL)
        same = same.filter(person=values["person"]) if values["person"] else same.filter(name=values["name"])
        if same.exists():
            raise DomainError(f"{values['name']}已在本村后备库中。", "name")
        for field, value in values.items():
            setattr(reserve, field, value)
        reserve.county = county_of(org)
        reserve.save()
        audit.record(actor, "cadres.reserve.add", reserve, org=org, after=snapshot(reserve))
    return reserve


def update_reserve(
    actor, reserve: ReserveCadre, *, today: datetime.date | None = None, **data: Any
) -> ReserveCadre:
    require(actor, "change", reserve)
    if reserve.status != ReserveStatus.IN_POOL:
        raise DomainError("已选任或已出库的后备干部不能修改。", "name")
    values = _reserve_values(actor, data, _today(today))
    with transaction.atomic():
        before = snapshot(reserve)
        for field, value in values.items():
            setattr(reserve, field, value)
        reserve.save()
        audit.record(
            actor, "cadres.reserve.update", reserve, org=reserve.org, before=before, after=snapshot(reserve)
        )
    return reserve


def leave_pool(
    actor, reserve: ReserveCadre, *, left_on: Any, reason: Any, today: datetime.date | None = None
) -> ReserveCadre:
    require(actor, "change", reserve)
    if reserve.status != ReserveStatus.IN_POOL:
        raise DomainError(f"{reserve.name}已不在后备库中。", "reason")
    left_on = _date(left_on, "出库日期", "left_on", _today(today))
    if left_on < reserve.entered_on:
        raise DomainError(f"出库日期不能早于入库日期（{reserve.entered_on:%Y-%m-%d}）。", "left_on")
    reason = _text(reason, "出库原因", "reason", 100)
    with transaction.atomic():
        before = snapshot(reserve)
        reserve.status, reserve.left_on, reserve.left_reason = ReserveStatus.LEFT, left_on, reason
        reserve.save(update_fields=["status", "left_on", "left_reason"])
        audit.record(
            actor, "cadres.reserve.leave", reserve, org=reserve.org, before=before, after=snapshot(reserve)
        )
    return reserve


# --- mentoring (导师帮带) ---------------------------------------------------------------------------------


def office_staff_q(org: Org) -> Q:
    """Users holding the township office role on a township above `org`."""
    townships = [p for p in Org.objects.filter(pk__in=org.ancestor_ids(), kind=OrgKind.TOWNSHIP)]
    return Q(roles__role=Role.TOWNSHIP_STAFF, roles__org__in=townships)


def _in_pool(org: Org, *, person_id: int | None, name: str) -> bool:
    pool = ReserveCadre.objects.filter(status=ReserveStatus.IN_POOL)
    if person_id:
        return pool.filter(Q(person_id=person_id) | Q(person__isnull=True, org=org, name=name)).exists()
    return pool.filter(org=org, name=name).exists()


def start_mentorship(
    actor,
    reserve: ReserveCadre,
    *,
    mentor_post: Post | None = None,
    mentor_user: User | None = None,
    started_on: Any,
    today: datetime.date | None = None,
) -> Mentorship:
    """Pair a reserve cadre with a mentor: a current two-committee member or a township office user."""
    mentorship = Mentorship(org=reserve.org, reserve=reserve)
    require(actor, "change", mentorship)
    if reserve.status != ReserveStatus.IN_POOL:
        raise DomainError(f"{reserve.name}已不在后备库中，不能安排导师。", "reserve")
    if (mentor_post is None) == (mentor_user is None):
        raise DomainError("请选择一名导师：现任村“两委”干部或乡镇党建办干部。", "mentor")
    started_on = _date(started_on, "帮带开始日期", "started_on", _today(today))
    if started_on < reserve.entered_on:
        raise DomainError(f"帮带开始日期不能早于入库日期（{reserve.entered_on:%Y-%m-%d}）。", "started_on")
    if mentor_post is not None:
        if not Post.objects.restrict(actor).filter(pk=mentor_post.pk).exists():
            raise DomainError("所选职务不存在或不在您的管辖范围内。", "mentor")
        if not mentor_post.is_current:
            raise DomainError("导师应为现任村“两委”干部，所选职务当前无人任职。", "mentor")
        name, title = mentor_post.name, f"{mentor_post.org.name}{mentor_post.get_kind_display()}"
        person_id = mentor_post.person_id
    else:
        assert mentor_user is not None
        if not User.objects.filter(office_staff_q(reserve.org), pk=mentor_user.pk, is_active=True).exists():
            raise DomainError("导师应为本乡镇党建办干部或现任村“两委”干部。", "mentor")
        role = RoleAssignment.objects.filter(user=mentor_user, role=Role.TOWNSHIP_STAFF).first()
        name = mentor_user.display_name
        title = (role.title if role and role.title else "乡镇党建办干部")[:60]
        person_id = None
    if _in_pool(mentor_post.org if mentor_post else reserve.org, person_id=person_id, name=name):
        raise DomainError(
            f"{name}本人在后备库中，不能担任导师：{R.MENTOR_NOT_IN_POOL.title}{cite(R.MENTOR_NOT_IN_POOL)}。",
            "mentor",
        )
    with transaction.atomic():
        mentorship.mentor_post, mentorship.mentor_user = mentor_post, mentor_user
        mentorship.mentor_name, mentorship.mentor_title, mentorship.started_on = name, title, started_on
        mentorship.save()
        audit.record(
            actor, "cadres.mentorship.start", mentorship, org=reserve.org, after=snapshot(mentorship)
        )
    return mentorship


def add_activity(
    actor, mentorship: Mentorship, *, kind: Any, held_on: Any, note: Any, today: datetime.date | None = None
) -> MentorActivity:
    require(actor, "change", mentorship)
    kind = _choice(kind, ActivityKind, "帮带方式", "kind")
    held_on = _date(held_on, "活动日期", "held_on", _today(today))
    if held_on < mentorship.started_on:
        raise DomainError(f"活动日期不能早于帮带开始日期（{mentorship.started_on:%Y-%m-%d}）。", "held_on")
    note = _text(note, "活动内容", "note", 500)
    with transaction.atomic():
        row = MentorActivity.objects.create(
            mentorship=mentorship, org_id=mentorship.org_id, kind=kind, held_on=held_on, note=note
        )
        audit.record(actor, "cadres.mentorship.activity", row, org=mentorship.org, after=snapshot(row))
    return row


def evaluate(
    actor,
    mentorship: Mentorship,
    *,
    evaluated_on: Any,
    grade: Any,
    comment: Any,
    evaluator: Any,
    today: datetime.date | None = None,
) -> MentorEvaluation:
    require(actor, "change", mentorship)
    grade = _choice(grade, Grade, "评价等次", "grade")
    evaluated_on = _date(evaluated_on, "评价日期", "evaluated_on", _today(today))
    if evaluated_on < mentorship.started_on:
        raise DomainError(
            f"评价日期不能早于帮带开始日期（{mentorship.started_on:%Y-%m-%d}）。", "evaluated_on"
        )
    comment = _text(comment, "评语", "comment", 500)
    evaluator = _text(evaluator, "评价人", "evaluator", 60)
    with transaction.atomic():
        row = MentorEvaluation.objects.create(
            mentorship=mentorship,
            org_id=mentorship.org_id,
            evaluated_on=evaluated_on,
            grade=grade,
            comment=comment,
            evaluator=evaluator,
        )
        audit.record(actor, "cadres.mentorship.evaluate", row, org=mentorship.org, after=snapshot(row))
    return row


# --- choosing from the pool, coaching -------------------------------------------------------------------


def choose_from_pool(
    actor,
    reserve: ReserveCadre,
    committee: Committee,
    kind: str,
    *,
    decided_on: Any,
    basis: Any,
    decided_by: Any = "",
    note: Any = "",
    considered: Iterable[ReserveCadre] = (),
    today: datetime.date | None = None,
) -> PoolSelection:
    """Appoint a reserve cadre to a committee post (into its vacancy) and keep the decision trail."""
    require(actor, "choose", reserve)
    today = _today(today)
    if reserve.status != ReserveStatus.IN_POOL:
        raise DomainError(f"{reserve.name}已不在后备库中，不能从后备库选任。", "reserve")
    if committee.org_id != reserve.org_id:
        raise DomainError("只能选任到后备干部所在村的“两委”班子。", "committee")
    decided_on = _date(decided_on, "决定日期", "decided_on", today)
    if decided_on < reserve.entered_on:
        raise DomainError(f"决定日期不能早于入库日期（{reserve.entered_on:%Y-%m-%d}）。", "decided_on")
    basis = _text(basis, "选任依据（如镇党委会议纪要文号）", "basis", 300)
    township = Org.objects.filter(pk__in=reserve.org.ancestor_ids(), kind=OrgKind.TOWNSHIP).first()
    decided_by = _text(decided_by, "决定机关", "decided_by", 60, required=False) or (
        f"{township.name}党委" if township else "乡镇党委"
    )
    note = _text(note, "说明", "note", 500, required=False)
    others = [c for c in considered if c.pk != reserve.pk]
    if any(c.org_id != reserve.org_id or c.status != ReserveStatus.IN_POOL for c in others):
        raise DomainError("同时考察的人选应为本村后备库在库人员。", "considered")
    with transaction.atomic():
        locked = ReserveCadre.objects.select_for_update().get(pk=reserve.pk)
        if locked.status != ReserveStatus.IN_POOL:
            raise DomainError(f"{reserve.name}刚刚已被选任或出库。", "reserve")
        post = village_services.appoint(
            actor,
            committee,
            kind,
            person=reserve.person,
            name=reserve.name,
            gender=reserve.gender,
            since=decided_on,
            today=today,
        )
        before = snapshot(locked)
        locked.status, locked.left_on, locked.left_reason = (
            ReserveStatus.CHOSEN,
            decided_on,
            f"选任{post}"[:100],
        )
        locked.save(update_fields=["status", "left_on", "left_reason"])
        audit.record(
            actor, "cadres.reserve.chosen", locked, org=reserve.org, before=before, after=snapshot(locked)
        )
        selection = PoolSelection.objects.create(
            org=reserve.org,
            county=reserve.county,
            reserve=locked,
            post=post,
            decided_on=decided_on,
            decided_by=decided_by,
            basis=basis,
            note=note,
            created_by=actor,
        )
        selection.considered.set(others)
        audit.record(
            actor,
            "cadres.selection.create",
            selection,
            org=reserve.org,
            after=snapshot(selection) | {"considered": [c.name for c in others]},
            note=f"{decided_by}决定，依据：{basis}"[:300],
        )
    reserve.refresh_from_db()
    return selection


def start_coaching(
    actor,
    post: Post,
    *,
    coach_name: Any = "",
    coach_user: User | None = None,
    coach_title: Any = "乡镇党建办主任",
    started_on: Any,
    selection: PoolSelection | None = None,
    today: datetime.date | None = None,
) -> Coaching:
    """The office director coaches a newly appointed cadre one-to-one (“一对一”辅导)."""
    coaching = Coaching(org=post.org, post=post)
    require(actor, "choose", coaching)
    if not post.is_current:
        raise DomainError("辅导对象应为现任村“两委”干部，该职务当前无人任职。", "post")
    started_on = _date(started_on, "辅导开始日期", "started_on", _today(today))
    if started_on < post.since:
        raise DomainError(f"辅导开始日期不能早于任职日期（{post.since:%Y-%m-%d}）。", "started_on")
    name = _text(coach_name or (coach_user.display_name if coach_user else ""), "辅导人", "coach_name", 40)
    title = _text(coach_title, "辅导人职务", "coach_title", 60)
    with transaction.atomic():
        coaching.coachee_name, coaching.coach_user, coaching.coach_name = post.name, coach_user, name
        coaching.coach_title, coaching.started_on, coaching.selection = title, started_on, selection
        coaching.save()
        audit.record(actor, "cadres.coaching.start", coaching, org=post.org, after=snapshot(coaching))
    return coaching


def add_coaching_session(
    actor, coaching: Coaching, *, held_on: Any, topic: Any, note: Any = "", today: datetime.date | None = None
) -> CoachingSession:
    require(actor, "choose", coaching)
    held_on = _date(held_on, "辅导日期", "held_on", _today(today))
    if held_on < coaching.started_on:
        raise DomainError(f"辅导日期不能早于辅导开始日期（{coaching.started_on:%Y-%m-%d}）。", "held_on")
    topic = _text(topic, "辅导主题", "topic", 100)
    note = _text(note, "辅导内容", "note", 500, required=False)
    with transaction.atomic():
        row = CoachingSession.objects.create(
            coaching=coaching, org_id=coaching.org_id, held_on=held_on, topic=topic, note=note
        )
        audit.record(actor, "cadres.coaching.session", row, org=coaching.org, after=snapshot(row))
    return row


# --- pay (村干部报酬) --------------------------------------------------------------------------------------


def _money(value: Any, label: str, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise DomainError(f"{label}应为金额（元）。", field) from exc
    if amount < 0 or amount > Decimal(1_000_000):
        raise DomainError(f"{label}应在0到1000000元之间。", field)
    return amount


def set_pay_scheme(
    actor,
    county: Org,
    *,
    base_pay: dict[str, Any],
    dual_allowance: Any,
    coefficients: dict[str, Any],
    performance_months: Any,
    performance_month: Any = R.DEFAULT_PERFORMANCE_MONTH,
    source: Any,
    today: datetime.date | None = None,
) -> PayScheme:
    """Set (or replace) a county's scheme: base pay per post kind, 一肩挑 allowance, performance formula."""
    if county.kind != OrgKind.COUNTY:
        raise DomainError("村干部报酬标准按县设定。", "county")
    scheme = PayScheme.objects.filter(county=county).first() or PayScheme(county=county)
    require(actor, "change", scheme)
    missing = [PostKind(k).label for k in PostKind.values if k not in (base_pay or {})]
    if missing:
        raise DomainError(f"请填写各职务的月基本报酬（缺：{'、'.join(missing)}）。", "base_pay")
    base = {
        k: str(_money(base_pay[k], f"{PostKind(k).label}月基本报酬", "base_pay")) for k in PostKind.values
    }
    missing = [AssessmentGrade(g).label for g in AssessmentGrade.values if g not in (coefficients or {})]
    if missing:
        raise DomainError(f"请填写各考核等次的绩效系数（缺：{'、'.join(missing)}）。", "coefficients")
    coeffs: dict[str, str] = {}
    for g in AssessmentGrade.values:
        try:
            c = Decimal(str(coefficients[g]))
        except (InvalidOperation, ValueError) as exc:
            raise DomainError(f"{AssessmentGrade(g).label}的绩效系数应为数字。", "coefficients") from exc
        if c < 0 or c > 5:
            raise DomainError(f"{AssessmentGrade(g).label}的绩效系数应在0到5之间。", "coefficients")
        coeffs[g] = str(c)
    try:
        months, pay_month = int(performance_months), int(performance_month)
    except (TypeError, ValueError) as exc:
        raise DomainError("绩效月数和发放月份应为整数。", "performance_months") from exc
    if not 0 <= months <= 12:
        raise DomainError("绩效月数应在0到12之间。", "performance_months")
    if not 1 <= pay_month <= 12:
        raise DomainError("绩效发放月份应在1到12之间。", "performance_month")
    with transaction.atomic():
        before = snapshot(scheme) if scheme.pk else None
        scheme.base_pay, scheme.coefficients = base, coeffs
        scheme.dual_allowance = _money(dual_allowance, "“一肩挑”补贴", "dual_allowance")
        scheme.performance_months, scheme.performance_month = months, pay_month
        scheme.source = _text(source, "依据", "source", 300)
        scheme.updated_on = _today(today)
        scheme.save()
        audit.record(
            actor, "cadres.pay_scheme.set", scheme, org=county, before=before, after=snapshot(scheme)
        )
    return scheme


def set_default_scheme(actor, county: Org, *, today: datetime.date | None = None) -> PayScheme:
    return set_pay_scheme(
        actor,
        county,
        base_pay=R.DEFAULT_BASE_PAY,
        dual_allowance=R.DEFAULT_DUAL_ALLOWANCE,
        coefficients=R.DEFAULT_COEFFICIENTS,
        performance_months=R.DEFAULT_PERFORMANCE_MONTHS,
        source=f"{R.DEFAULTS}；{R.SOURCE_000}",
        today=today,
    )


def performance_pay(scheme: PayScheme, base: Decimal, grade: str) -> Decimal:
    """绩效 = 等次系数 × 月基本报酬 × 绩效月数 (the county's formula, stored on its scheme)."""
    coefficient = Decimal(scheme.coefficients.get(grade, "0"))
    return (coefficient * base * scheme.performance_months).quantize(CENT, rounding=ROUND_HALF_UP)


def record_assessment(
    actor,
    org: Org,
    *,
    name: Any,
    year: Any,
    grade: Any,
    evidence: Any,
    score: Any = None,
    person: Person | None = None,
    today: datetime.date | None = None,
) -> AssessmentResult:
    """Enter (or correct) a cadre's annual assessment result; the assessment issue will call this."""
    if org.kind not in VILLAGE_KINDS:
        raise DomainError("考核结果按村（社区）干部登记。", "org")
    result = AssessmentResult(org=org)
    require(actor, "change", result)
    person = _person(actor, person)
    name = _text(name or (person.name if person else ""), "姓名", "name", 40)
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise DomainError("请填写考核年度。", "year") from exc
    if not 2000 <= year <= _today(today).year:
        raise DomainError(f"考核年度应在2000年到{_today(today).year}年之间。", "year")
    grade = _choice(grade, AssessmentGrade, "考核等次", "grade")
    if score not in (None, ""):
        try:
            score = Decimal(str(score)).quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError) as exc:
            raise DomainError("得分应为数字。", "score") from exc
        if not 0 <= score <= 100:
            raise DomainError("得分应在0到100之间。", "score")
    else:
        score = None
    evidence = _text(evidence, "考核依据", "evidence", 300)
    with transaction.atomic():
        result = AssessmentResult.objects.filter(org=org, name=name, year=year).first() or result
        before = snapshot(result) if result.pk else None
        result.person, result.name, result.year, result.grade = person, name, year, grade
        result.score, result.evidence = score, evidence
        result.save()
        audit.record(
            actor, "cadres.assessment.record", result, org=org, before=before, after=snapshot(result)
        )
    return result


def set_account(actor, org: Org, *, name: Any, account_no: Any, person: Person | None = None) -> PayAccount:
    """Record the one-card account (一卡通账号) a village cadre is paid into."""
    account = PayAccount.objects.filter(org=org, name=(name or "").strip()).first() or PayAccount(org=org)
    require(actor, "change", account)
    person = _person(actor, person)
    name = _text(name or (person.name if person else ""), "姓名", "name", 40)
    number = _text(account_no, "一卡通账号", "account_no", 30).replace(" ", "")
    if not number.isdigit():
        raise DomainError("一卡通账号应为数字。", "account_no")
    with transaction.atomic():
        before = snapshot(account) if account.pk else None
        account.name, account.person, account.account_no = name, person, number
        account.save()
        audit.record(actor, "cadres.account.set", account, org=org, before=before, after=snapshot(account))
    return account


def _holders_in_month(township: Org, month: datetime.date) -> dict[tuple[int, str], list[Post]]:
    end = add_months(month, 1) - datetime.timedelta(days=1)
    posts = (
        Post.objects.filter(org__path__startswith=township.path, since__lte=end)
        .exclude(name="")
        .filter(Q(until__isnull=True) | Q(until__gte=month))
        .select_related("org")
        .order_by("org__path", "since", "pk")
    )
    holders: dict[tuple[int, str], list[Post]] = defaultdict(list)
    for post in posts:
        holders[(post.org_id, holder_key(post))].append(post)
    return holders


def generate_batch(actor, township: Org, month: Any, *, today: datetime.date | None = None) -> PayBatch:
    """Draft a township's monthly batch from the posts held that month: one line per person, paid once at
    the highest rate of their posts, plus the 一肩挑 allowance and, in the county's performance month,
    last year's performance pay."""
    if township.kind != OrgKind.TOWNSHIP:
        raise DomainError("发放批次按乡镇生成。", "township")
    county = county_of(township)
    batch = PayBatch(township=township, county=county)
    require(actor, "change", batch)
    if not isinstance(month, datetime.date):
        raise DomainError("请选择发放月份。", "month")
    month = month_start(month)
    if month > month_start(_today(today)):
        raise DomainError("不能生成以后月份的发放批次。", "month")
    scheme = PayScheme.objects.filter(county=county).first()
    if scheme is None:
        raise DomainError("本县尚未设定村干部报酬标准，请县委组织部先设定。", "township")
    label = f"{month.year}年{month.month}月"
    if PayBatch.objects.filter(township=township, month=month).exists():
        raise DomainError(
            f"{township.name}{label}已有发放批次，每乡镇每月只生成一次{cite(R.PAY_MONTHLY)}。", "month"
        )
    holders = _holders_in_month(township, month)
    org_ids = {org_id for org_id, _ in holders}
    accounts = {(a.org_id, a.name): a.account_no for a in PayAccount.objects.filter(org_id__in=org_ids)}
    grades: dict[tuple[int, str], str] = {}
    if month.month == scheme.performance_month:
        grades = {
            (r.org_id, r.name): r.grade
            for r in AssessmentResult.objects.filter(org_id__in=org_ids, year=month.year - 1)
        }
    lines: list[PayLine] = []
    for (org_id, _), posts in holders.items():
        first = posts[0]
        kinds = {p.kind for p in posts}
        base = max(Decimal(scheme.base_pay.get(p.kind, "0")) for p in posts)
        dual = PostKind.SECRETARY in kinds and PostKind.DIRECTOR in kinds
        allowance = scheme.dual_allowance if dual else Decimal(0)
        grade = grades.get((org_id, first.name))
        performance = performance_pay(scheme, base, grade) if grade else Decimal(0)
        summary = f"{label}村干部基本报酬" + (f"及{month.year - 1}年度绩效" if grade else "")
        lines.append(
            PayLine(
                org_id=org_id,
                person_id=first.person_id,
                name=first.name,
                posts="、".join(dict.fromkeys(_post_label(p) for p in posts))[:100],
                base=base,
                allowance=allowance,
                performance=performance,
                amount=base + allowance + performance,
                account_no=accounts.get((org_id, first.name), ""),
                summary=summary,
            )
        )
    try:
        with transaction.atomic():
            batch.month, batch.created_by = month, actor
            batch.total = sum((line.amount for line in lines), Decimal(0))
            batch.line_count = len(lines)
            batch.save()
            for line in lines:
                line.batch = batch
            PayLine.objects.bulk_create(lines)
            audit.record(actor, "cadres.pay_batch.generate", batch, org=township, after=snapshot(batch))
    except IntegrityError as exc:
        raise DomainError(f"{township.name}{label}已有发放批次。", "month") from exc
    return batch


def _post_label(post: Post) -> str:
    label = post.get_kind_display()
    return f"{label}（{post.answers_for}）" if post.kind == PostKind.SUBSIDY and post.answers_for else label


def _draft(batch: PayBatch) -> PayBatch:
    locked = PayBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.is_approved:
        raise DomainError(f"{locked}已审核，不能改动{cite(R.PAY_MONTHLY)}。", "status")
    return locked


def update_line(actor, line: PayLine, *, amount: Any = None, account_no: Any = None) -> PayLine:
    """Correct one line of a draft batch (the amount after review, or the account number)."""
    require(actor, "change", line.batch)
    with transaction.atomic():
        batch = _draft(line.batch)
        before = {"amount": str(line.amount), "account_no": line.account_no}
        if amount not in (None, ""):
            line.amount = _money(amount, "金额", "amount")
        if account_no not in (None, ""):
            line.account_no = _text(account_no, "一卡通账号", "account_no", 30)
        line.save(update_fields=["amount", "account_no"])
        batch.total = sum((x.amount for x in batch.lines.all()), Decimal(0))
        batch.save(update_fields=["total"])
        audit.record(
            actor,
            "cadres.pay_batch.update",
            batch,
            org=batch.township,
            before=before,
            after={"amount": str(line.amount), "account_no": line.account_no},
            note=line.name,
        )
    return line


def approve_batch(actor, batch: PayBatch) -> PayBatch:
    require(actor, "change", batch)
    with transaction.atomic():
        locked = _draft(batch)
        if not locked.lines.exists():
            raise DomainError("批次中没有发放明细，不能审核。", "status")
        before = snapshot(locked)
        locked.status, locked.approved_by, locked.approved_at = BatchStatus.APPROVED, actor, timezone.now()
        locked.save(update_fields=["status", "approved_by", "approved_at"])
        audit.record(
            actor,
            "cadres.pay_batch.approve",
            locked,
            org=locked.township,
            before=before,
            after=snapshot(locked),
        )
    return locked


def bank_rows(actor, batch: PayBatch) -> list[list[Any]]:
    """The rows of the one-card export (序号, 姓名, 身份证号, 一卡通账号, 金额, 摘要); full ID numbers go
    to the bank, so the export is refused for a draft and written to the audit trail."""
    require(actor, "change", batch)
    if not batch.is_approved:
        raise DomainError("批次审核后才能导出给银行。", "status")
    lines = list(batch.lines.select_related("person").order_by("org__path", "pk"))
    with transaction.atomic():
        audit.record(actor, "cadres.pay_batch.export", batch, org=batch.township, note=f"{len(lines)}人")
    return [
        [
            i,
            line.name,
            (line.person.id_number or "") if line.person else "",
            line.account_no,
            line.amount,
            line.summary,
        ]
        for i, line in enumerate(lines, start=1)
    ]
