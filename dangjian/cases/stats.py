"""What the monthly ledger report (月度台账), the department rates (部门报到率、办结率) and, later, the scores
read about cases: plain functions over set-based queries, a fixed number of queries whatever the row count,
everything read through `Case.objects.restrict(user)`.

A month's figures are computed from each case's dates as they stand now (opened_on, done_at, closed_at,
deadline, published_at) and from the timeline for supervision, reopening and escalation. A case reopened
after the month therefore counts as not finished in that month: a reopened case was not really solved.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from itertools import groupby

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from dangjian.core.dates import add_months
from dangjian.core.errors import DomainError
from dangjian.core.scope import role_paths, scope_prefixes, side_ids
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Department, Org

from .choices import CaseKind, EventType, RouteState
from .kinds import KINDS
from .models import Case, CaseEvent, CaseRoute

REPORT_KINDS = (OrgKind.COUNTY, OrgKind.TOWNSHIP, OrgKind.STATION, OrgKind.JOINT_BRANCH)
OVERDUE_LIMIT = 500
KIND_ORDER = {k: i for i, k in enumerate(CaseKind.values)}

# The ledger's columns: code → heading. Every code is also a filter of the case list (`ledger_q`).
LEDGER_METRICS: dict[str, str] = {
    "carried": "上月结转",
    "opened": "本月新增",
    "closed": "本月办结",
    "closed_on_time": "其中按期",
    "closed_late": "其中逾期",
    "open_at_end": "月末未办结",
    "overdue_at_end": "月末逾期",
    "reopened": "重新打开（次）",
    "escalated": "上报升级（次）",
    "supervised": "督办（次）",
    "published": "本月公开",
}
EVENT_METRICS = {
    "reopened": EventType.REOPEN,
    "escalated": EventType.ESCALATE,
    "supervised": EventType.SUPERVISE,
}


# --- the month -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    """A calendar month and the instants that bound it in Asia/Shanghai. "At month end" is the first of
    the next month, or today while the month is still running (so it reads "so far"): a deadline before
    `cutoff_day` has passed, work done before `cutoff_at` is done."""

    start: datetime.date
    end: datetime.date
    start_at: datetime.datetime
    end_at: datetime.datetime
    cutoff_day: datetime.date
    cutoff_at: datetime.datetime

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{self.start.year}年{self.start.month}月"

    @property
    def running(self) -> bool:
        return self.cutoff_day <= self.end


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def month_of(month_start: datetime.date, today: datetime.date | None = None) -> Month:
    """The month containing `month_start`; a month that has not begun is refused."""
    today = today or timezone.localdate()
    start = month_start.replace(day=1)
    if start > today:
        raise DomainError("不能查看尚未开始的月份。", "month")
    following = add_months(start, 1)
    return Month(
        start=start,
        end=following - datetime.timedelta(days=1),
        start_at=_midnight(start),
        end_at=_midnight(following),
        cutoff_day=min(following, today),
        cutoff_at=_midnight(min(following, today + datetime.timedelta(days=1))),
    )


def parse_month(text: str | None, today: datetime.date | None = None) -> datetime.date:
    """`2026-10` → 2026-10-01; empty → the first of last month. Bad text is a DomainError."""
    today = today or timezone.localdate()
    text = (text or "").strip()
    if not text:
        return add_months(today.replace(day=1), -1)
    try:
        year, month = (int(p) for p in text.split("-"))
        day = datetime.date(year, month, 1)
    except (TypeError, ValueError) as exc:
        raise DomainError("月份格式不正确：请按“2026-10”的格式选择月份。", "month") from exc
    if day.year < 2000:
        raise DomainError("月份格式不正确：请按“2026-10”的格式选择月份。", "month")
    if day > today:
        raise DomainError("不能查看尚未开始的月份。", "month")
    return day


# --- what each figure counts ---------------------------------------------------------------------------


def _done_in_time() -> Q:
    return Q(deadline__isnull=True) | Q(done_at__date__lte=F("deadline"))


def _metric_qs(m: Month) -> dict[str, Q]:
    """The case-field figures as conditions on Case (the event figures are in `ledger_q`)."""
    closed = Q(closed_at__gte=m.start_at, closed_at__lt=m.end_at)
    return {
        "carried": Q(opened_on__lt=m.start) & (Q(closed_at__isnull=True) | Q(closed_at__gte=m.start_at)),
        "opened": Q(opened_on__gte=m.start, opened_on__lte=m.end),
        "closed": closed,
        "closed_on_time": closed & _done_in_time(),
        "closed_late": closed & ~_done_in_time(),
        "open_at_end": Q(opened_on__lte=m.end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=m.cutoff_at)),
        "overdue_at_end": Q(opened_on__lte=m.end, deadline__lt=m.cutoff_day)
        & (Q(done_at__isnull=True) | Q(done_at__gte=m.cutoff_at)),
        "published": Q(published_at__gte=m.start_at, published_at__lt=m.end_at),
    }


def _events_in(m: Month, type_: str) -> QuerySet:
    return CaseEvent.objects.filter(type=type_, at__gte=m.start_at, at__lt=m.end_at)


def ledger_q(metric: str, month_start: datetime.date, today: datetime.date | None = None) -> Q:
    """The cases behind one figure of the ledger (the case list filters `?ledger=<metric>:<month>`), so a
    number and the list it links to always agree. Unknown metric → DomainError."""
    m = month_of(month_start, today)
    if metric in EVENT_METRICS:
        return Q(pk__in=_events_in(m, EVENT_METRICS[metric]).values("case_id"))
    qs = _metric_qs(m)
    if metric not in qs:
        raise DomainError("台账统计项无效。", "ledger")
    return qs[metric]


def ledger_filter(value: str, today: datetime.date | None = None) -> Q:
    """The case list's `?ledger=<metric>:<2026-10>` (the ledger's links) → the cases behind that figure.
    Bad text → DomainError."""
    metric, _, month = (value or "").partition(":")
    if not month:
        raise DomainError("台账统计项无效。", "ledger")
    return ledger_q(metric, parse_month(month, today), today)


def _alive_q(m: Month) -> Q:
    """Cases any case-field figure can count: open at some time in the month, or published in it."""
    alive = Q(opened_on__lte=m.end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=m.start_at))
    return alive | Q(published_at__gte=m.start_at, published_at__lt=m.end_at)


# --- the monthly ledger --------------------------------------------------------------------------------


@dataclass
class Counts:
    carried: int = 0
    opened: int = 0
    closed: int = 0
    closed_on_time: int = 0
    closed_late: int = 0
    open_at_end: int = 0
    overdue_at_end: int = 0
    reopened: int = 0
    escalated: int = 0
    supervised: int = 0
    published: int = 0

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def values(self) -> list[int]:
        return [getattr(self, code) for code in LEDGER_METRICS]


@dataclass
class LedgerRow:
    """One line of the ledger: a kind and category (category None: uncategorised; subtotal: the kind)."""

    kind: str
    kind_label: str
    category_id: int | None
    category: str
    counts: Counts = field(default_factory=Counts)
    subtotal: bool = False


@dataclass
class OrgRow:
    """One township of a county's ledger (org_id None: cases held at the county itself)."""

    org_id: int | None
    name: str
    counts: Counts = field(default_factory=Counts)


@dataclass
class MonthlyLedger:
    org: Org
    month: Month
    rows: list[LedgerRow]
    total: Counts
    org_rows: list[OrgRow]
    overdue: list[Case]


def _scope_field(org: Org) -> str:
    if org.kind == OrgKind.COUNTY:
        return "county_id"
    if org.kind == OrgKind.TOWNSHIP:
        return "township_id"
    if org.kind in (OrgKind.STATION, OrgKind.JOINT_BRANCH):
        return "station_id"
    raise DomainError("月度台账只能按县、乡镇或工作站生成，请重新选择组织。", "org")


def ledger_cases(user, org: Org) -> QuerySet[Case]:
    """The user's cases of `org` (a county, township or station), through the scope layer."""
    return Case.objects.restrict(user, "view").filter(**{_scope_field(org): org.pk})


def monthly_ledger(
    user,
    org: Org,
    month_start: datetime.date,
    *,
    today: datetime.date | None = None,
    overdue_limit: int = OVERDUE_LIMIT,
) -> MonthlyLedger:
    """The month's ledger of `org` per kind and category (and, for a county, per township), with the
    cases overdue at month end. Three queries whatever the number of cases."""
    m = month_of(month_start, today)
    base = ledger_cases(user, org)
    by_township = org.kind == OrgKind.COUNTY
    keys = ["kind", "category_id", "category__name", "category__sort_order"]
    if by_township:
        keys += ["township_id", "township__name", "township__path"]
    aggregates = {name: Count("pk", filter=q) for name, q in _metric_qs(m).items()}
    case_rows = list(base.filter(_alive_q(m)).values(*keys).annotate(**aggregates).order_by())
    event_keys = [f"case__{k}" for k in keys]
    event_rows = list(
        CaseEvent.objects.restrict(user, "view")
        .filter(
            **{f"case__{_scope_field(org)}": org.pk},
            type__in=EVENT_METRICS.values(),
            at__gte=m.start_at,
            at__lt=m.end_at,
        )
        .values(*event_keys, "type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    lines: dict[tuple, LedgerRow] = {}
    townships: dict[int | None, OrgRow] = {}
    sort: dict[tuple, tuple] = {}
    town_sort: dict[int | None, str] = {}

    def line(values: dict, prefix: str = "") -> tuple[Counts, Counts | None]:
        kind, cat = values[f"{prefix}kind"], values[f"{prefix}category_id"]
        key = (kind, cat)
        if key not in lines:
            name = values[f"{prefix}category__name"] or "未分类"
            lines[key] = LedgerRow(kind, KINDS[kind].label, cat, name)
            order = values[f"{prefix}category__sort_order"] or 0
            sort[key] = (KIND_ORDER.get(kind, 9), cat is None, order, name)
        town = None
        if by_township:
            tid = values[f"{prefix}township_id"]
            if tid not in townships:
                townships[tid] = OrgRow(tid, values[f"{prefix}township__name"] or f"{org.name}（县本级）")
                town_sort[tid] = values[f"{prefix}township__path"] or "~"
            town = townships[tid].counts
        return lines[key].counts, town

    for r in case_rows:
        counts = Counts(**{name: r[name] for name in aggregates})
        for target in line(r):
            if target is not None:
                target.add(counts)
    names = {v: k for k, v in EVENT_METRICS.items()}
    for r in event_rows:
        counts = Counts(**{names[r["type"]]: r["n"]})
        for target in line(r, "case__"):
            if target is not None:
                target.add(counts)
    rows: list[LedgerRow] = []
    total = Counts()
    ordered = [lines[k] for k in sorted(lines, key=lambda k: sort[k])]
    for kind, group in groupby(ordered, key=lambda r: r.kind):
        label = KINDS[kind].label
        sub = LedgerRow(kind, label, None, "小计", subtotal=True)
        for row in group:
            rows.append(row)
            sub.counts.add(row.counts)
            total.add(row.counts)
        rows.append(sub)
    overdue = list(
        base.filter(_metric_qs(m)["overdue_at_end"])
        .select_related("org", "category", "owner")
        .order_by("deadline", "pk")[:overdue_limit]
    )
    org_rows = [townships[k] for k in sorted(townships, key=lambda k: town_sort[k])]
    return MonthlyLedger(org=org, month=m, rows=rows, total=total, org_rows=org_rows, overdue=overdue)


# --- department rates ----------------------------------------------------------------------------------


@dataclass
class DepartmentRate:
    """A department's whistles raised in the period: routed to it, reported for duty (报到) on time, solved
    on time, declined. Rates are percentages with one decimal, None when nothing was due yet."""

    department_id: int | None
    name: str
    routed: int = 0
    answered: int = 0
    answered_on_time: int = 0
    declined: int = 0
    pending: int = 0
    answer_due: int = 0
    solved: int = 0
    solved_on_time: int = 0
    solve_due: int = 0

    @property
    def answer_rate(self) -> float | None:
        return _pct(self.answered_on_time, self.answer_due)

    @property
    def solve_rate(self) -> float | None:
        return _pct(self.solved_on_time, self.solve_due)

    def add(self, other: DepartmentRate) -> None:
        for name in RATE_COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        data = {"department_id": self.department_id, "name": self.name}
        data.update({name: getattr(self, name) for name in RATE_COUNTS})
        data.update(answer_rate=self.answer_rate, solve_rate=self.solve_rate)
        return data


RATE_COUNTS = (
    "routed",
    "answered",
    "answered_on_time",
    "declined",
    "pending",
    "answer_due",
    "solved",
    "solved_on_time",
    "solve_due",
)


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


@dataclass
class DepartmentRates:
    county: Org
    start: datetime.date
    end: datetime.date
    rows: list[DepartmentRate]
    total: DepartmentRate


def _sees_all_departments(user, county: Org) -> bool:
    """Whether the user reads the whole county's cases (then every department is listed, even one with
    nothing routed); others see the departments of the routes they can see, and a liaison their own."""
    if user.is_superuser:
        return True
    return any(county.path.startswith(p) for p in scope_prefixes(user, Case.scope.tree_roles("view")))


def department_rates(
    user,
    county: Org,
    start: datetime.date,
    end: datetime.date,
    *,
    today: datetime.date | None = None,
) -> DepartmentRates:
    """Per department of `county`, over whistles opened from `start` to `end`:
    answered on time = the department reported for duty (its route accepted) on or before the case's answer
    date; solved on time = the case reported done on or before its deadline. The answer rate counts routes
    accepted or still pending past their answer date (a decline with a reason is an answer, not a failure);
    the solve rate counts accepted routes whose case is done or past its deadline. A department liaison sees
    only their own department. Two queries whatever the number of routes."""
    if end < start:
        raise DomainError("结束日期不能早于开始日期。", "end")
    today = today or timezone.localdate()
    accepted = Q(state=RouteState.ACCEPTED)
    pending_late = Q(state=RouteState.PENDING, case__answer_due__lt=today)
    solved = accepted & Q(case__done_at__isnull=False)
    on_time = solved & (Q(case__deadline__isnull=True) | Q(case__done_at__date__lte=F("case__deadline")))
    answered_on_time = accepted & (
        Q(case__answer_due__isnull=True) | Q(decided_at__date__lte=F("case__answer_due"))
    )
    counts = (
        CaseRoute.objects.restrict(user, "view")
        .filter(
            department__county=county,
            case__kind=CaseKind.WHISTLE,
            case__opened_on__gte=start,
            case__opened_on__lte=end,
        )
        .values("department_id")
        .annotate(
            routed=Count("pk"),
            answered=Count("pk", filter=accepted),
            answered_on_time=Count("pk", filter=answered_on_time),
            declined=Count("pk", filter=Q(state=RouteState.DECLINED)),
            pending=Count("pk", filter=Q(state=RouteState.PENDING)),
            answer_due=Count("pk", filter=accepted | pending_late),
            solved=Count("pk", filter=solved),
            solved_on_time=Count("pk", filter=on_time),
            solve_due=Count("pk", filter=solved | (accepted & Q(case__deadline__lt=today))),
        )
        .order_by()
    )
    found = {r.pop("department_id"): r for r in counts}
    departments = Department.objects.filter(county=county)
    if not _sees_all_departments(user, county):
        departments = departments.filter(pk__in=set(found) | side_ids(user)[1])
    rows = []
    total = DepartmentRate(None, "合计")
    for d in departments.order_by("name").values("pk", "name", "archived_at"):
        data = found.get(d["pk"])
        if data is None and d["archived_at"] is not None:
            continue
        row = DepartmentRate(d["pk"], d["name"], **(data or {}))
        rows.append(row)
        total.add(row)
    return DepartmentRates(county=county, start=start, end=end, rows=rows, total=total)


def report_orgs(user) -> QuerySet[Org]:
    """Counties, townships and stations the user may pick for a ledger."""
    return Org.objects.restrict(user, "view").filter(kind__in=REPORT_KINDS, archived_at__isnull=True)


def rate_counties(user) -> QuerySet[Org]:
    """Counties whose department rates the user may read: those in or above the orgs where they hold a
    role (a township's office reads its county's departments as far as its own whistles go)."""
    if user.is_superuser:
        return Org.objects.filter(kind=OrgKind.COUNTY, archived_at__isnull=True)
    paths = {p for _, p in role_paths(user)}
    ids: set[int] = set()
    for p in paths:
        ids.update(int(s) for s in p.strip("/").split("/") if s)
    q = Q(pk__in=ids)
    for p in paths:
        q |= Q(path__startswith=p)
    return Org.objects.filter(q, kind=OrgKind.COUNTY, archived_at__isnull=True)
