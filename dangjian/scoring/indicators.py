"""The registry of computed indicators: code → a set-based computation over all orgs of one level in a county
for one period, reading the other apps through their public stats and checks (a constant number of queries
whatever the number of orgs). Each returns, per org, the value (% achieved), the counts behind it, a context
note ("本月应开会议12次，未开3次") and the records that made it (`details`: text and link)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.urls import reverse

from dangjian.accounts.models import User
from dangjian.core.roles import Role
from dangjian.meetings.compliance import Period
from dangjian.orgs.models import Org

from .choices import Level

DETAIL_LIMIT = 30  # records kept per score; the linked list pages hold the rest


@dataclass(frozen=True)
class Unit:
    pk: int
    name: str
    path: str
    kind: str
    parent_id: int | None


@dataclass
class Computed:
    value: Decimal | None  # % achieved; None: nothing was due (full marks, said in the note)
    numerator: int
    denominator: int
    note: str
    details: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Context:
    """What a computation reads with: a reader holding the county (the scope layer applies as for a
    county admin), the county's orgs, the period and today."""

    county: Org
    period: Period
    today: datetime.date
    units: dict[int, Unit]

    @property
    def reader(self) -> User:
        user = User(username=f"scoring-{self.county.pk}", is_active=True)
        user._role_paths = [(Role.COUNTY_ADMIN, self.county.path)]
        user._side_ids = (frozenset(), frozenset())
        return user

    @property
    def cutoff(self) -> datetime.date:
        """The last day counted: the period's end, or today while it runs."""
        return min(self.period.end, self.today)


@dataclass(frozen=True)
class Computation:
    code: str
    title: str
    formula: str
    levels: frozenset[str]
    run: Callable[[Context, list[Unit]], dict[int, Computed]]


COMPUTATIONS: dict[str, Computation] = {}


def computation(code: str, title: str, formula: str, levels: Iterable[str]) -> Callable:
    def wrap(fn: Callable[[Context, list[Unit]], dict[int, Computed]]) -> Callable:
        COMPUTATIONS[code] = Computation(code, title, formula, frozenset(levels), fn)
        return fn

    return wrap


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


class Owners:
    """Which of the units (one level) a path lies under."""

    def __init__(self, units: list[Unit]) -> None:
        self.by_path = {u.path: u.pk for u in units}
        self.lengths = sorted({len(p) for p in self.by_path})

    def of(self, path: str) -> int | None:
        return next((self.by_path[path[:n]] for n in self.lengths if path[:n] in self.by_path), None)


def _detail(details: dict[int, list], owner: int | None, text: str, url: str) -> None:
    if owner is not None and len(details[owner]) < DETAIL_LIMIT:
        details[owner].append({"text": text, "url": url})


def _result(units: list[Unit], counts: dict[int, list[int]], details: dict[int, list], note) -> dict:
    out = {}
    for u in units:
        num, den = counts.get(u.pk, [0, 0])
        out[u.pk] = Computed(percent(num, den), num, den, note(num, den), details.get(u.pk, []))
    return out


# --- 三会一课 held-rate (meetings) ----------------------------------------------------------------------


@computation(
    "meetings.held_rate",
    "组织生活按期开展率",
    "已开会议数 ÷ 应开会议数 × 100%（三会一课、主题党日等，按会议合规检查；本期无应开会议记满分）",
    [Level.BRANCH, Level.STATION, Level.TOWNSHIP],
)
def meetings_held(ctx: Context, units: list[Unit]) -> dict[int, Computed]:
    from dangjian.core.rules import REGISTRY
    from dangjian.meetings import stats
    from dangjian.meetings.checks import compliance_url

    ids = [u.pk for u in units]
    rates = stats.held_rate(ids, ctx.period, today=ctx.today)
    lines = stats.by_rule(ids, ctx.period, today=ctx.today)
    details: dict[int, list] = defaultdict(list)
    counts = {}
    for pk, row in rates.items():
        counts[pk] = [row["met"], row["due"]]
        for code, cell in sorted(lines.get(pk, {}).items()):
            if cell["met"] < cell["due"]:
                rule = REGISTRY.get(code)
                title = rule.title if rule else code
                text = f"{title}：应开{cell['due']}次，已开{cell['met']}次，未开{cell['due'] - cell['met']}次"
                _detail(details, pk, text, compliance_url(pk, ctx.period))
    return _result(units, counts, details, lambda n, d: f"{ctx.period.label}应开会议{d}次，未开{d - n}次")


# --- 任务按期完成率 (tasks) ---------------------------------------------------------------------------


@computation(
    "tasks.on_time",
    "任务按期完成率",
    "期限在本期内、已到期的任务中按期完成数 ÷ 到期任务数 × 100%（按承办单位的末级任务计）",
    [Level.BRANCH, Level.STATION, Level.TOWNSHIP],
)
def tasks_on_time(ctx: Context, units: list[Unit]) -> dict[int, Computed]:
    from dangjian.tasks.choices import AssignmentState
    from dangjian.tasks.stats import leaves

    owners = Owners(units)
    rows = (
        leaves(ctx.reader, under=ctx.county)
        .filter(due__gte=ctx.period.start, due__lte=ctx.period.end, due__lt=ctx.cutoff)
        .values_list("pk", "org__path", "org__name", "task__title", "due", "state", "completed_on")
        .order_by("due", "pk")
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    details: dict[int, list] = defaultdict(list)
    for pk, path, org_name, title, due, state, completed in rows:
        owner = owners.of(path)
        if owner is None:
            continue
        on_time = state == AssignmentState.DONE and completed is not None and completed <= due
        counts[owner][0] += on_time
        counts[owner][1] += 1
        if not on_time:
            late = f"（{completed:%Y-%m-%d}完成）" if completed else "（未完成）"
            _detail(
                details,
                owner,
                f"{org_name}：{title}，期限{due:%Y-%m-%d}{late}",
                _url("assignment-detail", pk),
            )
    return _result(units, counts, details, lambda n, d: f"到期任务{d}项，未按期完成{d - n}项")


def _url(name: str, pk: int) -> str:
    return reverse(name, args=[pk])


# --- 问题按期办结率、吹哨响应率/解决率 (cases) -----------------------------------------------------------


def _cases(ctx: Context):
    from dangjian.cases.models import Case

    return Case.objects.restrict(ctx.reader)


def _months(ctx: Context) -> list[datetime.date]:
    start, months = ctx.period.start, []
    while start <= ctx.cutoff:
        months.append(start)
        start = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


@computation(
    "cases.closed_on_time",
    "问题按期办结率",
    "本期办结的问题、代办、吹哨事项中在期限内办结数 ÷ 本期办结数 × 100%（按月度台账口径）",
    [Level.BRANCH, Level.STATION, Level.TOWNSHIP],
)
def cases_on_time(ctx: Context, units: list[Unit]) -> dict[int, Computed]:
    from dangjian.cases.stats import ledger_q

    owners = Owners(units)
    closed, on_time = Q(pk__in=[]), Q(pk__in=[])
    for month in _months(ctx):
        closed |= ledger_q("closed", month, ctx.today)
        on_time |= ledger_q("closed_on_time", month, ctx.today)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    details: dict[int, list] = defaultdict(list)
    rows = (
        _cases(ctx)
        .filter(closed)
        .annotate(in_time=ExpressionWrapper(on_time, output_field=BooleanField()))
        .values_list("pk", "org__path", "receipt_no", "title", "deadline", "in_time")
        .order_by("deadline", "pk")
    )
    for pk, path, receipt, title, deadline, in_time in rows:
        owner = owners.of(path)
        if owner is None:
            continue
        counts[owner][0] += bool(in_time)
        counts[owner][1] += 1
        if not in_time:
            _detail(
                details,
                owner,
                f"{receipt} {title}：期限{deadline:%Y-%m-%d}，逾期办结",
                _url("case-detail", pk),
            )
    return _result(units, counts, details, lambda n, d: f"本期办结{d}件，逾期办结{d - n}件")


def _whistles(ctx: Context, units: list[Unit], answered: bool) -> dict[int, Computed]:
    from dangjian.cases.choices import CaseKind
    from dangjian.cases.models import CaseRoute

    owners = Owners(units)
    on_route = CaseRoute.objects.filter(case=OuterRef("pk"), decided_at__isnull=False).filter(
        Q(case__answer_due__isnull=True) | Q(decided_at__date__lte=OuterRef("answer_due"))
    )
    solved = Q(done_at__isnull=False) & (Q(deadline__isnull=True) | Q(done_at__date__lte=F("deadline")))
    rows = (
        _cases(ctx)
        .filter(kind=CaseKind.WHISTLE, opened_on__gte=ctx.period.start, opened_on__lte=ctx.cutoff)
        .annotate(ok=Exists(on_route) if answered else ExpressionWrapper(solved, output_field=BooleanField()))
        .values_list("pk", "org__path", "receipt_no", "title", "ok")
        .order_by("opened_on", "pk")
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    details: dict[int, list] = defaultdict(list)
    what = "未按时报到响应" if answered else "未在期限内解决"
    for pk, path, receipt, title, ok in rows:
        owner = owners.of(path)
        if owner is None:
            continue
        counts[owner][0] += bool(ok)
        counts[owner][1] += 1
        if not ok:
            _detail(details, owner, f"{receipt} {title}：{what}", _url("case-detail", pk))
    label = "响应" if answered else "解决"
    return _result(units, counts, details, lambda n, d: f"本期吹哨{d}次，未按时{label}{d - n}次")


@computation(
    "cases.whistle_answer",
    "网格吹哨部门报到响应率",
    "本期吹哨事项中部门在响应时限内报到的数 ÷ 本期吹哨数 × 100%",
    [Level.TOWNSHIP, Level.STATION, Level.BRANCH],
)
def whistle_answer(ctx: Context, units: list[Unit]) -> dict[int, Computed]:
    return _whistles(ctx, units, answered=True)


@computation(
    "cases.whistle_solved",
    "网格吹哨按期解决率",
    "本期吹哨事项中在办理期限内办结的数 ÷ 本期吹哨数 × 100%",
    [Level.TOWNSHIP, Level.STATION, Level.BRANCH],
)
def whistle_solved(ctx: Context, units: list[Unit]) -> dict[int, Computed]:
    return _whistles(ctx, units, answered=False)


# --- 发展党员流程健康度 (development) --------------------------------------------------------------------


@computation(
    "development.pipeline",
    "发展党员流程按期率",
    "在培养的发展对象（申请人、积极分子、发展对象、预备党员）中步骤未逾期数 ÷ 在培养数 × 100%（截至期末）",
    [Level.BRANCH, Level.STATION, Level.TOWNSHIP],
)
def development_pipeline(ctx: Context, units: list[Unit]) -> dict[int, Computed]:
    from dangjian.development import selectors

    owners = Owners(units)
    rows = (
        selectors.cases(ctx.reader)
        .filter(status__in=selectors.ACTIVE)
        .values_list("pk", "org__path", "person__name", "next_due")
        .order_by("next_due", "pk")
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    details: dict[int, list] = defaultdict(list)
    for pk, path, name, due in rows:
        owner = owners.of(path)
        if owner is None:
            continue
        late = due is not None and due < ctx.cutoff
        counts[owner][0] += not late
        counts[owner][1] += 1
        if late:
            _detail(
                details,
                owner,
                f"{name}：下一步骤应于{due:%Y-%m-%d}前办理，已逾期",
                _url("development-case", pk),
            )
    return _result(units, counts, details, lambda n, d: f"在培养{d}人，步骤逾期{d - n}人")


# --- 党建办：定点联系覆盖、到村工作天数 (office) ---------------------------------------------------------


@computation(
    "office.contact_coverage",
    "支部定点联系覆盖率",
    "有足额定点联系人的村（社区）党组织数 ÷ 村（社区）党组织数 × 100%（截至期末）",
    [Level.STAFF, Level.TOWNSHIP, Level.STATION],
)
def contact_coverage(ctx: Context, units: list[Unit]) -> dict[int, Computed]:
    from dangjian.office.checks import branch_without_contact

    owners = Owners(units)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for u in ctx.units.values():
        owner = owners.of(u.path)
        if owner is not None and u.kind in ("branch", "community"):
            counts[owner][0] += 1
            counts[owner][1] += 1
    details: dict[int, list] = defaultdict(list)
    for f in branch_without_contact(ctx.reader, ctx.cutoff):
        unit = ctx.units.get(f.org_id)
        owner = owners.of(unit.path) if unit else None
        if owner is not None:
            counts[owner][0] -= 1
            _detail(details, owner, f"{f.org_name}：{f.message}", f.url)
    return _result(units, counts, details, lambda n, d: f"村（社区）党组织{d}个，缺定点联系人{d - n}个")


@computation(
    "office.field_days",
    "党建办人员到村工作达标率",
    "本期各完整周中到村天数达标的人周数 ÷（党建办工作人员数 × 周数）× 100%",
    [Level.STAFF, Level.TOWNSHIP],
)
def field_days(ctx: Context, units: list[Unit]) -> dict[int, Computed]:
    from dangjian.office.checks import field_days_short
    from dangjian.office.selectors import staff_roles

    staff: dict[int, int] = defaultdict(int)
    for org_id in staff_roles([u.pk for u in units]).values_list("org_id", flat=True):
        staff[org_id] += 1
    weeks = 0
    short: dict[int, int] = defaultdict(int)
    details: dict[int, list] = defaultdict(list)
    wanted = {u.pk for u in units}
    monday = ctx.period.start + datetime.timedelta(days=(7 - ctx.period.start.weekday()) % 7)
    while monday + datetime.timedelta(days=6) <= ctx.cutoff:
        weeks += 1
        for f in field_days_short(ctx.reader, monday + datetime.timedelta(days=7)):
            if f.org_id in wanted:
                short[f.org_id] += 1
                _detail(details, f.org_id, f"{f.subject}：{f.message}", f.url)
        monday += datetime.timedelta(days=7)
    counts = {pk: [staff[pk] * weeks - short[pk], staff[pk] * weeks] for pk in wanted}
    return _result(units, counts, details, lambda n, d: f"应达标{d}人周，未达标{d - n}人周")


def describe(code: str) -> Computation | None:
    return COMPUTATIONS.get(code)


def choices() -> list[tuple[str, str]]:
    return [(c.code, f"{c.title}（{c.code}）") for c in COMPUTATIONS.values()]


__all__: list[Any] = ["COMPUTATIONS", "Computed", "Context", "Unit", "choices", "describe", "percent"]
