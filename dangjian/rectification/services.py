"""The only writer of the rectification app: one function per thing a person does, each in one transaction
with its permission check, its status-history row where the status moves, and its audit row.

Plan items are cases of the case engine (kind `rectify`): they are opened through `cases.services`, so
supervision, overdue flags, acceptance and sign-off are the engine's."""

from __future__ import annotations

import datetime
import math
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.cases import services as case_services
from dangjian.cases.choices import CaseKind
from dangjian.cases.choices import Source as CaseSource
from dangjian.cases.models import Case
from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.dates import add_months
from dangjian.core.errors import DomainError, DomainErrors
from dangjian.core.excel import read_sheet
from dangjian.core.rules import rule_value
from dangjian.core.scope import require
from dangjian.members.records.common import Errors, cite
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import rules as R
from .choices import NATIONAL_SITUATIONS, NATIONAL_SOURCE, CaseStatus, Source, SupportKind, VisitItemKind
from .models import (
    CheckVisit,
    PlanItem,
    RectificationCase,
    RectificationPlan,
    Screening,
    ScreeningRow,
    Situation,
    StatusChange,
    Support,
    SupportVisit,
    VisitItem,
)

VILLAGE_KINDS = frozenset({OrgKind.BRANCH, OrgKind.COMMUNITY})
ESSENTIALS = (
    ("targets", "定目标任务"),
    ("responsible", "定责任主体"),
    ("deadline", "定时限要求"),
    ("measures", "定工作措施"),
    ("expected_result", "定整改成效"),
)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _places(org: Org) -> tuple[Org | None, Org | None]:
    rows = {o.kind: o for o in Org.objects.filter(pk__in=org.ancestor_ids())}
    return rows.get(OrgKind.TOWNSHIP), rows.get(OrgKind.COUNTY)


def _raise(e: Errors) -> None:
    if e.items:
        raise e.items[0] if len(e.items) == 1 else DomainErrors(e.items)


def _change(
    case: RectificationCase, to: str, actor: User, on: datetime.date, basis: str, *, first: bool = False
) -> None:
    """A row of the classification history; call before `case.status` moves (it records the old one)."""
    StatusChange.objects.create(
        case=case,
        from_status="" if first else case.status,
        to_status=to,
        on=on,
        by=actor,
        by_name=actor.display_name,
        basis=basis[:2000],
    )


def _order(case: RectificationCase, allowed: Iterable[str], doing: str) -> None:
    if case.status not in allowed:
        needs = "、".join(f"“{CaseStatus(s).label}”" for s in allowed)
        raise DomainError(
            f"{case.org.name}当前为“{case.get_status_display()}”，{doing}须在{needs}阶段办理"
            f"（整顿程序：排查认定→一村一策→整顿→县级验收→巩固提升→复查）。",
            "status",
        )


# --- checklists ---------------------------------------------------------------------------------------


def checklist(county: Org | None) -> list[tuple[str, str, str]]:
    """(key, situation, source) of the county's checklist: the 10 national types, then its additions."""
    rows = [(k, t, NATIONAL_SOURCE) for k, t in NATIONAL_SITUATIONS]
    if county is not None:
        rows += [
            (s.key, s.title, s.source or f"{county.name}增补")
            for s in Situation.objects.filter(county=county, archived_at__isnull=True)
        ]
    return rows


def add_situation(
    actor: User, county: Org, *, title: str, source: str = "", sort_order: int = 0
) -> Situation:
    probe = Situation(county=county)
    require(actor, "add", probe)
    e = Errors()
    title = e.text(title, label="情形", field="title", limit=120, required=True)
    source = e.text(source, label="依据", field="source", limit=200)
    if county.kind != OrgKind.COUNTY:
        e.add("情形清单按县设置。", "county")
    if title in {t for _, t in NATIONAL_SITUATIONS}:
        e.add("该情形已在全国“10类界定”中，无需增补。", "title")
    elif Situation.objects.filter(county=county, title=title).exists():
        e.add("本县已有该情形。", "title")
    _raise(e)
    with transaction.atomic():
        s = Situation.objects.create(county=county, title=title, source=source, sort_order=sort_order)
        audit.record(actor, "rectification.situation.add", s, org=county, after=snapshot(s))
    return s


def archive_situation(actor: User, situation: Situation) -> Situation:
    require(actor, "change", situation)
    before = snapshot(situation)
    with transaction.atomic():
        situation.archived_at = timezone.now()
        situation.save(update_fields=["archived_at"])
        audit.record(
            actor,
            "rectification.situation.archive",
            situation,
            org=situation.county,
            before=before,
            after=snapshot(situation),
        )
    return situation


def add_visit_item(actor: User, county: Org, *, kind: str, text: str, sort_order: int = 0) -> VisitItem:
    require(actor, "add", VisitItem(county=county))
    e = Errors()
    text = e.text(text, label="内容", field="text", limit=120, required=True)
    if kind not in VisitItemKind.values:
        e.add("请选择必访或必问。", "kind")
    if county.kind != OrgKind.COUNTY:
        e.add("必访必问清单按县设置。", "county")
    if VisitItem.objects.filter(county=county, kind=kind, text=text).exists():
        e.add("本县已有该项。", "text")
    _raise(e)
    with transaction.atomic():
        item = VisitItem.objects.create(county=county, kind=kind, text=text, sort_order=sort_order)
        audit.record(actor, "rectification.visititem.add", item, org=county, after=snapshot(item))
    return item


# --- the case and its status ---------------------------------------------------------------------------


def open_case(
    actor: User,
    *,
    org: Org,
    year: int,
    basis: str = "",
    source: str = Source.WARNING,
    today: datetime.date | None = None,
) -> RectificationCase:
    """Put a branch on the year's screening list (预警/排查中)."""
    today = _today(today)
    require(actor, "add", RectificationCase(org=org))
    e = Errors()
    basis = e.text(basis, label="排查依据", field="basis", limit=2000)
    if org.kind not in VILLAGE_KINDS:
        e.add("整顿对象须是村（社区）党组织。", "org")
    if org.archived_at is not None:
        e.add(f"“{org.name}”已撤销。", "org")
    if not 2000 <= int(year) <= today.year + 1:
        e.add("整顿年度无效。", "year")
    if source not in Source.values:
        e.add("来源无效。", "source")
    if RectificationCase.objects.filter(org=org, year=year).exists():
        e.add(f"{org.name}已列入{year}年排查整顿。", "org")
    _raise(e)
    township, county = _places(org)
    with transaction.atomic():
        case = RectificationCase(
            org=org,
            township=township,
            county=county or org,
            year=year,
            basis=basis,
            opened_on=today,
            opened_by=actor,
        )
        case.save()
        _change(
            case,
            CaseStatus.CHECKING,
            actor,
            today,
            f"{Source(source).label}：{basis}".rstrip("："),
            first=True,
        )
        audit.record(actor, "rectification.open", case, org=org, after=snapshot(case))
    return case


def identify(
    actor: User,
    case: RectificationCase,
    *,
    situations: Sequence[str],
    evidence: str,
    on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> RectificationCase:
    """认定: the situations of the county's checklist the branch matches, with the evidence."""
    today = _today(today)
    on = on or today
    require(actor, "change", case)
    _order(case, (CaseStatus.CHECKING,), "认定")
    keys = {k for k, _, _ in checklist(case.county)}
    e = Errors()
    evidence = e.text(evidence, label="认定依据和佐证", field="evidence", limit=3000, required=True)
    chosen = [s for s in dict.fromkeys(situations)]
    if not chosen:
        e.add("请至少对照勾选一种软弱涣散情形。", "situations")
    elif set(chosen) - keys:
        e.add("所选情形不在本县的情形清单中。", "situations")
    if on > today or on < case.opened_on:
        e.add("认定日期须在列入排查之后、不晚于今天。", "on")
    _raise(e)
    before = snapshot(case)
    with transaction.atomic():
        _change(case, CaseStatus.IDENTIFIED, actor, on, evidence)
        case.status, case.situations, case.evidence, case.identified_on = (
            CaseStatus.IDENTIFIED,
            chosen,
            evidence,
            on,
        )
        case.save(update_fields=["status", "situations", "evidence", "identified_on"])
        audit.record(actor, "rectification.identify", case, org=case.org, before=before, after=snapshot(case))
    return case


def clear(
    actor: User, case: RectificationCase, *, basis: str, today: datetime.date | None = None
) -> RectificationCase:
    """Screened and not identified as weak (排查未认定)."""
    today = _today(today)
    require(actor, "change", case)
    _order(case, (CaseStatus.CHECKING,), "排查结论")
    e = Errors()
    basis = e.text(basis, label="排查结论", field="basis", limit=2000, required=True)
    _raise(e)
    before = snapshot(case)
    with transaction.atomic():
        _change(case, CaseStatus.CLEARED, actor, today, basis)
        case.status = CaseStatus.CLEARED
        case.save(update_fields=["status"])
        audit.record(actor, "rectification.clear", case, org=case.org, before=before, after=snapshot(case))
    return case


def record_check_visit(
    actor: User,
    case: RectificationCase,
    *,
    visited_on: datetime.date,
    visitors: str,
    items: Sequence[VisitItem] = (),
    findings: str,
    today: datetime.date | None = None,
) -> CheckVisit:
    """A 四必访三必问 visit: which of the county's items it covered and what it found."""
    today = _today(today)
    require(actor, "change", case)
    e = Errors()
    visitors = e.text(visitors, label="走访人员", field="visitors", limit=200, required=True)
    findings = e.text(findings, label="发现的问题", field="findings", limit=3000, required=True)
    if visited_on > today:
        e.add("走访日期不能晚于今天。", "visited_on")
    if any(i.county_id != case.county_id for i in items):
        e.add("所选必访必问项不属于本县清单。", "items")
    _raise(e)
    with transaction.atomic():
        visit = CheckVisit.objects.create(
            case=case, visited_on=visited_on, visitors=visitors, findings=findings, recorded_by=actor
        )
        visit.items.set(items)
        audit.record(actor, "rectification.check_visit", visit, org=case.org, after=snapshot(visit))
    return visit


# --- the plan and its items ----------------------------------------------------------------------------


def set_plan(
    actor: User,
    case: RectificationCase,
    *,
    targets: str = "",
    responsible: str = "",
    deadline: datetime.date | None = None,
    measures: str = "",
    expected_result: str = "",
    approved_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> RectificationPlan:
    """一村一策: refused while one of the five essentials is missing; the first plan starts rectifying."""
    today = _today(today)
    approved_on = approved_on or today
    require(actor, "change", case)
    _order(case, (CaseStatus.IDENTIFIED, CaseStatus.RECTIFYING), "制定一村一策方案")
    given = {
        "targets": (targets or "").strip(),
        "responsible": (responsible or "").strip(),
        "deadline": deadline,
        "measures": (measures or "").strip(),
        "expected_result": (expected_result or "").strip(),
    }
    e = Errors()
    for field, label in ESSENTIALS:
        if not given[field]:
            e.add(f"整顿方案缺少“{label}”，五个要件缺一不可{cite(R.FIVE_ESSENTIALS)}。", field)
    for field, label, limit in (
        ("targets", "目标任务", 2000),
        ("responsible", "责任主体", 300),
        ("measures", "工作措施", 3000),
        ("expected_result", "整改成效", 2000),
    ):
        if len(given[field]) > limit:
            e.add(f"{label}不能超过{limit}个字。", field)
    if deadline is not None and deadline < approved_on:
        e.add("时限要求不能早于方案制定日期。", "deadline")
    if approved_on > today:
        e.add("方案制定日期不能晚于今天。", "approved_on")
    _raise(e)
    plan = RectificationPlan.objects.filter(case=case).first()
    before = snapshot(plan)
    with transaction.atomic():
        if plan is None:
            plan = RectificationPlan(case=case, created_by=actor)
        for k, v in given.items():
            setattr(plan, k, v)
        plan.approved_on = approved_on
        plan.save()
        if case.status == CaseStatus.IDENTIFIED:
            _change(
                case, CaseStatus.RECTIFYING, actor, approved_on, f"制定一村一策方案：{given['targets'][:200]}"
            )
            case.status = CaseStatus.RECTIFYING
            case.save(update_fields=["status"])
        audit.record(actor, "rectification.plan", plan, org=case.org, before=before, after=snapshot(plan))
    return plan


def add_item(
    actor: User,
    case: RectificationCase,
    *,
    title: str,
    measures: str = "",
    owner: User,
    deadline: datetime.date | None = None,
    responsibility: str = "",
    acceptor: User | None = None,
    opened_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> PlanItem:
    """A plan item, opened as a `rectify` case against the branch (owner, measures, deadline)."""
    require(actor, "change", case)
    plan = RectificationPlan.objects.filter(case=case).first()
    if plan is None:
        raise DomainError(
            f"请先制定一村一策方案（五个要件）{cite(R.FIVE_ESSENTIALS)}，再分解整顿事项。", "title"
        )
    _order(case, (CaseStatus.RECTIFYING,), "分解整顿事项")
    with transaction.atomic():
        item_case = case_services.open_case(
            actor,
            kind=CaseKind.RECTIFICATION,
            org=case.org,
            title=title,
            source=CaseSource.RECTIFICATION,
            measures=measures,
            responsibility=responsibility,
            owner=owner,
            acceptor=acceptor,
            deadline=deadline or plan.deadline,
            opened_on=opened_on,
            today=today,
        )
        item = PlanItem.objects.create(plan=plan, item=item_case, sort_order=plan.items.count() + 1)
        audit.record(actor, "rectification.item", item, org=case.org, after={"case": item_case.receipt_no})
    return item


def open_items(case: RectificationCase) -> list[Case]:
    return list(
        Case.objects.filter(rectification_item__plan__case=case)
        .exclude(state="closed")
        .order_by("rectification_item__sort_order")
    )


# --- 四个一 ---------------------------------------------------------------------------------------------


def assign_support(
    actor: User,
    case: RectificationCase,
    *,
    kind: str,
    name: str,
    title: str = "",
    contact_leader: Any = None,
    since: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Support:
    """Name (or replace) one of the four supports of a case."""
    since = since or _today(today)
    require(actor, "change", case)
    _order(case, (CaseStatus.IDENTIFIED, CaseStatus.RECTIFYING, CaseStatus.CONSOLIDATING), "安排“四个一”帮扶")
    e = Errors()
    name = e.text(name, label="姓名或单位", field="name", limit=60, required=True)
    title = e.text(title, label="职务", field="title", limit=100)
    if kind not in SupportKind.values:
        e.add("请选择帮扶力量类别。", "kind")
    if contact_leader is not None and (
        kind != SupportKind.COUNTY_LEADER or contact_leader.org_id != case.county_id
    ):
        e.add("包联领导须是本县的县级包联领导。", "contact_leader")
    _raise(e)
    support = Support.objects.filter(case=case, kind=kind).first()
    before = snapshot(support)
    with transaction.atomic():
        support = support or Support(case=case, kind=kind)
        support.name, support.title, support.contact_leader, support.since = (
            name,
            title,
            contact_leader,
            since,
        )
        support.save()
        audit.record(
            actor, "rectification.support", support, org=case.org, before=before, after=snapshot(support)
        )
    return support


def record_support_visit(
    actor: User,
    support: Support,
    *,
    visited_on: datetime.date,
    activity: str,
    visitor: str = "",
    today: datetime.date | None = None,
) -> SupportVisit:
    today = _today(today)
    require(actor, "change", support.case)
    e = Errors()
    activity = e.text(activity, label="开展工作", field="activity", limit=500, required=True)
    visitor = e.text(visitor or support.name, label="到村人员", field="visitor", limit=60, required=True)
    if visited_on > today:
        e.add("到村日期不能晚于今天。", "visited_on")
    if visited_on < support.since:
        e.add(f"到村日期不能早于帮扶起始日期{support.since:%Y-%m-%d}。", "visited_on")
    _raise(e)
    with transaction.atomic():
        visit = SupportVisit.objects.create(
            support=support, visited_on=visited_on, visitor=visitor, activity=activity, recorded_by=actor
        )
        audit.record(actor, "rectification.support_visit", visit, org=support.case.org, after=snapshot(visit))
    return visit


# --- acceptance and re-check ---------------------------------------------------------------------------


def accept(
    actor: User,
    case: RectificationCase,
    *,
    passed: bool,
    basis: str,
    on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> RectificationCase:
    """县级验收销号: refused while plan items are open; passed removes the label and starts a year of
    consolidation; not passed leaves the branch in rectification."""
    today = _today(today)
    on = on or today
    require(actor, "accept", case)
    _order(case, (CaseStatus.RECTIFYING,), "县级验收")
    e = Errors()
    basis = e.text(basis, label="验收意见", field="basis", limit=2000, required=True)
    if on > today:
        e.add("验收日期不能晚于今天。", "on")
    _raise(e)
    if passed:
        if not RectificationPlan.objects.filter(case=case).exists():
            raise DomainError(f"尚未制定一村一策方案，不能验收{cite(R.FIVE_ESSENTIALS)}。", "basis")
        pending = open_items(case)
        if pending:
            names = "、".join(f"“{c.title}”（{c.state_label}）" for c in pending)
            raise DomainError(
                f"整顿方案还有{len(pending)}项未销号：{names}，不能验收通过{cite(R.ACCEPT_BY_YEAR_END)}。",
                "basis",
            )
    months = int(rule_value(R.CONSOLIDATION_MONTHS.code, case.county))
    before = snapshot(case)
    with transaction.atomic():
        if passed:
            _change(case, CaseStatus.CONSOLIDATING, actor, on, f"县级验收通过，摘帽，进入巩固提升：{basis}")
            case.status, case.accepted_on, case.recheck_due = (
                CaseStatus.CONSOLIDATING,
                on,
                add_months(on, months),
            )
        else:
            _change(case, CaseStatus.RECTIFYING, actor, on, f"县级验收未通过，继续整顿：{basis}")
        case.save(update_fields=["status", "accepted_on", "recheck_due"])
        audit.record(
            actor,
            "rectification.accept" if passed else "rectification.accept_failed",
            case,
            org=case.org,
            before=before,
            after=snapshot(case),
            note=basis,
        )
    return case


def recheck(
    actor: User,
    case: RectificationCase,
    *,
    passed: bool,
    basis: str,
    on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> RectificationCase:
    """复查 after the consolidation year: passed closes the case, failed returns it to rectification."""
    today = _today(today)
    on = on or today
    require(actor, "accept", case)
    _order(case, (CaseStatus.CONSOLIDATING,), "复查")
    e = Errors()
    basis = e.text(basis, label="复查意见", field="basis", limit=2000, required=True)
    if on > today:
        e.add("复查日期不能晚于今天。", "on")
    elif case.recheck_due and on < case.recheck_due:
        e.add(
            f"巩固提升期至{case.recheck_due:%Y-%m-%d}，期满后才能复查{cite(R.CONSOLIDATION_MONTHS)}。", "on"
        )
    _raise(e)
    before = snapshot(case)
    with transaction.atomic():
        if passed:
            _change(case, CaseStatus.CLOSED, actor, on, f"复查通过：{basis}")
            case.status, case.closed_on = CaseStatus.CLOSED, on
        else:
            _change(case, CaseStatus.RECTIFYING, actor, on, f"复查未通过，重新整顿：{basis}")
            case.status, case.accepted_on, case.recheck_due = CaseStatus.RECTIFYING, None, None
        case.save(update_fields=["status", "closed_on", "accepted_on", "recheck_due"])
        audit.record(
            actor,
            "rectification.recheck",
            case,
            org=case.org,
            before=before,
            after=snapshot(case),
            note=basis,
        )
    return case


# --- the annual screening ------------------------------------------------------------------------------


def check_quota(value: Any) -> Decimal:
    low, high = R.QUOTA_MIN.value, R.QUOTA_MAX.value
    try:
        quota = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError("倒排比例须为数字。", "quota_percent") from None
    if not quota.is_finite() or not low <= quota <= high:
        raise DomainError(f"倒排比例{value}%不在{low}%—{high}%之间{cite(R.QUOTA_MIN)}。", "quota_percent")
    return quota


def create_screening(
    actor: User, county: Org, *, year: int, quota_percent: Any = None, today: datetime.date | None = None
) -> Screening:
    today = _today(today)
    require(actor, "add", Screening(county=county))
    if county.kind != OrgKind.COUNTY:
        raise DomainError("年度排查按县开展。", "county")
    quota = check_quota(rule_value(R.QUOTA.code, county) if quota_percent in (None, "") else quota_percent)
    if not 2000 <= int(year) <= today.year:
        raise DomainError("年度无效。", "year")
    if Screening.objects.filter(county=county, year=year).exists():
        raise DomainError(f"{county.name}{year}年度排查已建立。", "year")
    with transaction.atomic():
        s = Screening.objects.create(county=county, year=year, quota_percent=quota)
        audit.record(actor, "rectification.screening", s, org=county, after=snapshot(s))
    return s


def set_rows(
    actor: User, screening: Screening, rows: Sequence[tuple[Org, int, Any, Any]], *, quota_percent: Any = None
) -> Screening:
    """Replace the sheet's rows (branch, rank, score, collective income) and propose the bottom quota:
    the ⌈n × quota⌉ lowest-ranked branches (at least one)."""
    require(actor, "change", screening)
    if screening.confirmed_on:
        raise DomainError("本年度排查已确认，不能再修改。", "rows")
    quota = check_quota(screening.quota_percent if quota_percent in (None, "") else quota_percent)
    e = Errors()
    seen: set[int] = set()
    for org, rank, _, _ in rows:
        if org.kind not in VILLAGE_KINDS or not org.path.startswith(screening.county.path):
            e.add(f"“{org.name}”不是本县的村（社区）党组织。", "rows")
        if org.pk in seen:
            e.add(f"“{org.name}”重复。", "rows")
        seen.add(org.pk)
        if not isinstance(rank, int) or rank < 1:
            e.add(f"“{org.name}”的排名须为正整数。", "rows")
    _raise(e)
    n = len(rows)
    bottom = max(1, math.ceil(n * quota / 100)) if n else 0
    ordered = sorted(rows, key=lambda r: r[1])
    proposed = {r[0].pk for r in ordered[n - bottom :]}
    with transaction.atomic():
        screening.rows.all().delete()
        ScreeningRow.objects.bulk_create(
            ScreeningRow(
                screening=screening,
                org=org,
                rank=rank,
                score=score,
                collective_income=income,
                proposed=org.pk in proposed,
            )
            for org, rank, score, income in rows
        )
        if quota != screening.quota_percent:
            screening.quota_percent = quota
            screening.save(update_fields=["quota_percent"])
        audit.record(
            actor,
            "rectification.screening_rows",
            screening,
            org=screening.county,
            after={"rows": n, "proposed": bottom, "quota_percent": str(quota)},
        )
    return screening


# Headers as read_sheet sees them (NFKC: full-width brackets become half-width).
IMPORT_COLUMNS = {
    unicodedata.normalize("NFKC", k): v
    for k, v in {
        "村（社区）": "village",
        "排名": "rank",
        "得分": "score",
        "集体经济收入（万元）": "income",
    }.items()
}


def import_rows(actor: User, screening: Screening, upload: Any) -> Screening:
    """The sheet from Excel (村（社区）, 排名, 得分, 集体经济收入（万元））; nothing is written unless every
    row is clean."""
    require(actor, "change", screening)
    sheet = read_sheet(upload, IMPORT_COLUMNS, list(IMPORT_COLUMNS)[:2], "年度排查")
    villages = {
        o.name: o
        for o in Org.objects.filter(
            path__startswith=screening.county.path, kind__in=VILLAGE_KINDS, archived_at__isnull=True
        )
    }
    e = Errors()
    rows = []
    for line, row in sheet.rows:
        org = villages.get(str(row.get("village") or "").strip())
        if org is None:
            e.add(f"第{line}行：本县没有“{row.get('village')}”。", "file")
            continue
        try:
            rank = int(row.get("rank") or 0)
            score = Decimal(str(row["score"])) if row.get("score") not in (None, "") else None
            income = Decimal(str(row["income"])) if row.get("income") not in (None, "") else None
        except (TypeError, ValueError, InvalidOperation):
            e.add(f"第{line}行：排名、得分或收入不是数字。", "file")
            continue
        rows.append((org, rank, score, income))
    _raise(e)
    return set_rows(actor, screening, rows)


def confirm_screening(
    actor: User, screening: Screening, *, orgs: Sequence[Org], today: datetime.date | None = None
) -> list[RectificationCase]:
    """The county confirms who is put on the list (不捂不盖): at least the proposed quota; each confirmed
    branch gets a case for the year (source: screening) unless it has one."""
    today = _today(today)
    require(actor, "change", screening)
    if screening.confirmed_on:
        raise DomainError("本年度排查已确认。", "orgs")
    rows = {r.org_id: r for r in screening.rows.select_related("org")}
    chosen = {o.pk for o in orgs}
    if chosen - set(rows):
        raise DomainError("确认名单中有不在本次排查表中的村。", "orgs")
    missing = [r.org.name for r in rows.values() if r.proposed and r.org_id not in chosen]
    if missing:
        raise DomainError(
            f"倒排候选{'、'.join(missing)}未列入整顿：按比例倒排的对象应纳尽纳、不捂不盖{cite(R.QUOTA_MIN)}。",
            "orgs",
        )
    cases = []
    with transaction.atomic():
        ScreeningRow.objects.filter(screening=screening, org_id__in=chosen).update(confirmed=True)
        screening.confirmed_on, screening.confirmed_by = today, actor
        screening.save(update_fields=["confirmed_on", "confirmed_by"])
        have = set(
            RectificationCase.objects.filter(org_id__in=chosen, year=screening.year).values_list(
                "org_id", flat=True
            )
        )
        for org_id in sorted(chosen - have, key=lambda pk: rows[pk].rank):
            row = rows[org_id]
            cases.append(
                open_case(
                    actor,
                    org=row.org,
                    year=screening.year,
                    source=Source.SCREENING,
                    basis=f"{screening.year}年度考核排名第{row.rank}名，列入倒排{screening.quota_percent}%",
                    today=today,
                )
            )
        audit.record(
            actor,
            "rectification.screening_confirm",
            screening,
            org=screening.county,
            after={"confirmed": len(chosen)},
        )
    return cases
