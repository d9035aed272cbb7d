"""The compliance engine: for a set of orgs and a period, which meetings each org owed, how many it
held, and what that adds up to at every level of the tree.

Set-based on purpose: whatever the number of orgs, an evaluation is four queries — the county
overrides; the orgs of the subtree, each with whether it has a 党建办 and the full members a committee
needs; the held meetings counted per (org, kind, day) with their ids; attendance counted per org —
and the rest is arithmetic in Python over those rows, including the roll-up (a station sums its
branches, a township its stations, a county its townships).

Obligations come from `rules.OBLIGATIONS`. A rule counted per a finer period than the one evaluated
(a monthly theme day over a quarter) is one obligation per month of it; a coarser rule than the
period (a yearly appraisal over one month) is not evaluated. Obligations of months or weeks that have
not begun by `today` are not yet due and are left out. An unmet obligation is "overdue" once its
period has closed, "due_soon" within the county's warning window before it closes, else "pending".
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    RowRange,
    Sum,
    TextField,
    Value,
    When,
    Window,
)
from django.http import Http404

from dangjian.core.dates import add_months
from dangjian.core.memory import gc_paused
from dangjian.core.models import RuleOverride
from dangjian.core.rules import REGISTRY
from dangjian.core.scope import path_q, scope_prefixes
from dangjian.members.choices import MemberStatus, Standing
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Office, Org

from . import rules as R
from .choices import Attendance, MeetingKind, MeetingStatus
from .models import Meeting, MeetingAttendance

PERIOD_KINDS = ("month", "quarter", "year")
PERIOD_LABELS = {"month": "月度", "quarter": "季度", "year": "年度"}
QUARTER_NAMES = "一二三四"
STATES = ("overdue", "due_soon", "pending", "met", "none")


# --- periods ---------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, quarter or year, named as people say it (2026年11月, 2026年第四季度, 2026年)."""

    kind: str
    year: int
    number: int = 1  # the month (1–12) or the quarter (1–4); 1 for a year

    @classmethod
    def containing(cls, day: datetime.date, kind: str = "month") -> Period:
        if kind == "month":
            return cls("month", day.year, day.month)
        if kind == "quarter":
            return cls("quarter", day.year, (day.month - 1) // 3 + 1)
        if kind == "year":
            return cls("year", day.year)
        raise ValueError(kind)

    @classmethod
    def all_containing(cls, day: datetime.date) -> list[Period]:
        """A day → the month, quarter and year it falls in."""
        return [cls.containing(day, kind) for kind in PERIOD_KINDS]

    @classmethod
    def parse(cls, text: str) -> Period:
        """`2026-11`, `2026-Q4`, `2026`, or a day `2026-11-22` (its month); ValueError otherwise."""
        text = (text or "").strip().upper()
        parts = text.split("-")
        try:
            year = int(parts[0])
            if not 1900 <= year <= 2999 or len(parts[0]) != 4:
                raise ValueError(text)
            if len(parts) == 1:
                return cls("year", year)
            if len(parts) == 2 and parts[1].startswith("Q"):
                quarter = int(parts[1][1:])
                if 1 <= quarter <= 4:
                    return cls("quarter", year, quarter)
            elif len(parts) == 2:
                month = int(parts[1])
                if 1 <= month <= 12:
                    return cls("month", year, month)
            elif len(parts) == 3:
                return cls.containing(datetime.date(year, int(parts[1]), int(parts[2])))
        except (TypeError, ValueError, IndexError):
            pass
        raise ValueError(text)

    @property
    def start(self) -> datetime.date:
        if self.kind == "month":
            return datetime.date(self.year, self.number, 1)
        if self.kind == "quarter":
            return datetime.date(self.year, 3 * self.number - 2, 1)
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        if self.kind == "year":
            return datetime.date(self.year, 12, 31)
        last_month = self.number if self.kind == "month" else 3 * self.number
        return datetime.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year}年{self.number}月"
        if self.kind == "quarter":
            return f"{self.year}年第{QUARTER_NAMES[self.number - 1]}季度"
        return f"{self.year}年"

    def __str__(self) -> str:
        return self.label

    def shift(self, n: int) -> Period:
        if self.kind == "year":
            return Period("year", self.year + n)
        months = 1 if self.kind == "month" else 3
        return Period.containing(add_months(self.start, n * months), self.kind)

    def previous(self) -> Period:
        return self.shift(-1)

    def next(self) -> Period:
        return self.shift(1)

    def closed(self, today: datetime.date) -> bool:
        return self.end < today

    def buckets(self, unit: str) -> list[tuple[datetime.date, datetime.date]]:
        """The stretches of `unit` that count for this period: its months or quarters, the weeks
        (Monday–Sunday) that end in it, or the period itself."""
        if unit == self.kind:
            return [(self.start, self.end)]
        if unit == "week":
            sunday = self.start + datetime.timedelta(days=(6 - self.start.weekday()) % 7)
            weeks = []
            while sunday <= self.end:
                weeks.append((sunday - datetime.timedelta(days=6), sunday))
                sunday += datetime.timedelta(days=7)
            return weeks
        result, p = [], Period.containing(self.start, unit)
        while p.start <= self.end:
            result.append((p.start, p.end))
            p = p.next()
        return result


def rule_applies(obligation: R.Obligation, period: Period) -> bool:
    """A rule counted per a period no coarser than the one evaluated."""
    return R.PERIOD_ORDER.index(obligation.period) <= R.PERIOD_ORDER.index(period.kind)


def stretch_label(start: datetime.date, end: datetime.date) -> str:
    """A week as people write it: 11月16日—22日 (or 11月30日—12月6日)."""
    if start.month == end.month:
        return f"{start.month}月{start.day}日—{end.day}日"
    return f"{start.month}月{start.day}日—{end.month}月{end.day}日"


# --- county values of local rules ------------------------------------------------------------------


@dataclass(frozen=True)
class LocalValue:
    """A rule's value everywhere at once: the default, and each county's own value by path."""

    default: int
    overrides: tuple[tuple[str, int], ...] = ()

    def for_path(self, path: str) -> int:
        for prefix, value in self.overrides:
            if path.startswith(prefix):
                return value
        return self.default

    @property
    def smallest(self) -> int:
        return min([self.default, *(v for _, v in self.overrides)])

    @property
    def largest(self) -> int:
        return max([self.default, *(v for _, v in self.overrides)])


def local_values(codes: Iterable[str], today: datetime.date) -> dict[str, LocalValue]:
    """The values in force of `codes` in every county, in one query."""
    codes = list(codes)
    found: dict[str, list[tuple[str, int]]] = {c: [] for c in codes}
    wanted = [c for c in codes if REGISTRY[c].overridable]
    if wanted:
        rows = RuleOverride.objects.filter(code__in=wanted, effective_from__lte=today).values_list(
            "code", "county__path", "value"
        )
        for code, path, value in rows:
            found[code].append((path, int(value)))
    return {c: LocalValue(int(REGISTRY[c].value), tuple(found[c])) for c in codes}


# --- scope -----------------------------------------------------------------------------------------


def scope_of(user: Any) -> list[str]:
    """Path prefixes of the orgs whose meetings the user may see: the minimal set, shallowest first."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return list(
            Org.objects.filter(parent__isnull=True, archived_at__isnull=True)
            .order_by("path")
            .values_list("path", flat=True)
        )
    return sorted(scope_prefixes(user, Meeting.scope.roles_for("view")), key=lambda p: (len(p), p))


def visible_orgs(user: Any):
    """Open orgs whose meetings the user may see (the org pickers of the pages and the API)."""
    prefixes = scope_of(user)
    if not prefixes:
        return Org.objects.none()
    return Org.objects.filter(path_q("path", prefixes), archived_at__isnull=True)


def org_for(user: Any, org_id: Any) -> Org:
    """The org asked for, or the user's top org when none is; 404 outside the user's scope."""
    qs = visible_orgs(user)
    if org_id in (None, ""):
        org = qs.filter(path__in=scope_of(user)).order_by("depth", "path").first()
    else:
        try:
            org = qs.filter(pk=int(org_id)).first()
        except (TypeError, ValueError):
            org = None
    if org is None:
        raise Http404("未找到")
    return org


# --- the evaluation --------------------------------------------------------------------------------


class IdList(Aggregate):
    """The ids of a group as "1,2,3" (GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL)."""

    function = "GROUP_CONCAT"
    name = "IdList"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(CAST(%(expressions)s AS text), ',')",
            **extra_context,
        )


@dataclass(slots=True)
class Cell:
    """One rule at one org: obligations due and met, meetings held, and how many are late or close.
    At the org that owes it (`own`) it also keeps the meetings required per period, the evidence
    (meeting ids) and the stretches not met; on a roll-up it is the sum over the subtree."""

    code: str
    due: int = 0
    met: int = 0
    meetings: int = 0
    overdue: int = 0
    due_soon: int = 0
    required: int = 0
    own: bool = False
    ids: list[int] | None = None
    missing: list[tuple[datetime.date, datetime.date, str]] | None = None

    @property
    def state(self) -> str:
        if self.overdue:
            return "overdue"
        if self.due_soon:
            return "due_soon"
        if not self.due:
            return "none"
        return "met" if self.met == self.due else "pending"

    def add(self, other: Cell) -> None:
        self.due += other.due
        self.met += other.met
        self.meetings += other.meetings
        self.overdue += other.overdue
        self.due_soon += other.due_soon


@dataclass(slots=True)
class OrgResult:
    id: int
    parent_id: int | None
    name: str
    kind: str
    path: str
    depth: int
    own: dict[str, Cell] = field(default_factory=dict)
    total: dict[str, Cell] = field(default_factory=dict)
    own_present: int = 0
    own_expected: int = 0
    present: int = 0
    expected: int = 0

    @property
    def kind_label(self) -> str:
        return OrgKind(self.kind).label if self.kind in OrgKind.values else self.kind

    @property
    def due(self) -> int:
        return sum(c.due for c in self.total.values())

    @property
    def met(self) -> int:
        return sum(c.met for c in self.total.values())

    @property
    def held_rate(self) -> float | None:
        due = self.due
        return self.met / due if due else None

    @property
    def attendance_rate(self) -> float | None:
        return self.present / self.expected if self.expected else None

    @property
    def own_due(self) -> int:
        return sum(c.due for c in self.own.values())

    @property
    def own_met(self) -> int:
        return sum(c.met for c in self.own.values())

    def cell(self, code: str) -> Cell | None:
        """What a row shows for a rule: the org's own obligation where it alone owes it, else the roll-up."""
        own, total = self.own.get(code), self.total.get(code)
        if own is not None and (total is None or total.due == own.due):
            return own
        return total

    def state(self) -> str:
        states = {c.state for c in self.total.values()}
        return next((s for s in STATES if s in states), "none")


@dataclass
class Compliance:
    period: Period
    today: datetime.date
    obligations: tuple[R.Obligation, ...]
    orgs: dict[int, OrgResult]
    roots: list[int]
    kids: dict[int, list[int]]
    window: LocalValue

    def children(self, org_id: int) -> list[OrgResult]:
        """Child orgs that can owe or roll up meetings (party groups count towards their branch)."""
        return [self.orgs[i] for i in self.kids.get(org_id, ()) if self.orgs[i].kind != OrgKind.GROUP]

    def own_cells(self) -> Iterator[tuple[OrgResult, R.Obligation, Cell]]:
        by_code = {o.code: o for o in self.obligations}
        for org in self.orgs.values():
            for code, cell in org.own.items():
                yield org, by_code[code], cell

    def columns(self, orgs: Iterable[OrgResult]) -> list[R.Obligation]:
        """The rules any of `orgs` owes or rolls up, in the order of the rules table."""
        codes = {code for org in orgs for code, cell in org.total.items() if cell.due or cell.own}
        return [o for o in self.obligations if o.code in codes]


def evaluate(
    prefixes: list[str],
    period: Period,
    today: datetime.date,
    *,
    user: Any = None,
    periods: Iterable[str] | None = None,
    upcoming: bool = False,
) -> Compliance:
    """Every obligation of every org under `prefixes` for `period`, rolled up to the top of each prefix.

    With `user`, meetings and attendance are read through `.restrict(user)`; the caller has already
    checked that `prefixes` lie in the user's scope (scope_of / org_for). `periods` keeps only rules
    counted per those periods (the checks evaluate the monthly rules of a month, and so on).
    `upcoming` also counts months and weeks not yet begun, as pending (the calendar shows them).
    """
    wanted = set(periods) if periods is not None else None
    obligations = tuple(
        o for o in R.OBLIGATIONS if rule_applies(o, period) and (wanted is None or o.period in wanted)
    )
    values = local_values([R.WARNING_DAYS.code, *(o.code for o in obligations if o.rule.overridable)], today)
    window = values[R.WARNING_DAYS.code]
    result = Compliance(period, today, obligations, {}, [], defaultdict(list), window)
    if not prefixes:
        return result
    with gc_paused():
        _evaluate(result, prefixes, values, user, upcoming)
    return result


def _evaluate(
    result: Compliance, prefixes: list[str], values: dict[str, LocalValue], user: Any, upcoming: bool
) -> None:
    period, today, obligations, window = result.period, result.today, result.obligations, result.window
    orgs, groups, offices, committees = _orgs(prefixes, result)
    counts = _meeting_counts(prefixes, period, obligations, orgs, user)
    _attendance(prefixes, period, orgs, user)
    buckets = {o.period: period.buckets(o.period) for o in obligations}
    for org in orgs.values():
        if org.kind == OrgKind.GROUP:
            continue
        days = window.for_path(org.path)
        for ob in obligations:
            if org.kind not in ob.org_kinds:
                continue
            if ob.needs == "committee" and org.id not in committees:
                continue
            if ob.needs == "office" and org.id not in offices:
                continue
            value = values[ob.code].for_path(org.path) if ob.rule.overridable else int(ob.rule.value)
            required = value * groups.get(org.id, 0) if ob.needs == "groups" else value
            if required <= 0:
                continue
            held = counts.get((org.id, ob.kind), {})
            org.own[ob.code] = _own_cell(ob, required, buckets[ob.period], held, today, days, upcoming)
    _roll_up(result)


def _orgs(
    prefixes: list[str], result: Compliance
) -> tuple[dict[int, OrgResult], dict[int, int], set[int], set[int]]:
    """The subtree's open orgs, with which have a 党建办 and which branches have a committee: their
    threshold-th full member exists (§2.2). That reads at most `threshold` index entries per branch
    instead of counting every member, and it is read on the roll, not through the user's member scope:
    whether a committee is owed is a fact about the branch, the same for every role."""
    threshold = int(R.COMMITTEE_MIN_FULL.value)
    full = Member.objects.filter(org_id=OuterRef("pk"), status=MemberStatus.FULL, standing=Standing.NORMAL)
    rows = (
        Org.objects.filter(path_q("path", prefixes), archived_at__isnull=True)
        .annotate(
            has_office=Exists(Office.objects.filter(township_id=OuterRef("pk"))),
            has_committee=Exists(full.order_by().values("pk")[threshold - 1 : threshold]),
        )
        .order_by("depth", "sort_order", "name", "id")
        .values_list("id", "parent_id", "name", "kind", "path", "depth", "has_office", "has_committee")
    )
    orgs, groups, offices, committees = result.orgs, defaultdict(int), set(), set()
    tops = set(prefixes)
    for pk, parent, name, kind, path, depth, has_office, has_committee in rows:
        orgs[pk] = OrgResult(pk, parent, name, kind, path, depth)
        if path in tops:
            result.roots.append(pk)
        elif parent is not None:
            result.kids[parent].append(pk)
        if kind == OrgKind.GROUP and parent is not None:
            groups[parent] += 1
        if has_office:
            offices.add(pk)
        if has_committee and kind in R.BRANCH_ORGS:
            committees.add(pk)
    return orgs, groups, offices, committees


def _meeting_counts(
    prefixes: list[str],
    period: Period,
    obligations: tuple[R.Obligation, ...],
    orgs: dict[int, OrgResult],
    user: Any,
) -> dict[tuple[int, str], dict[datetime.date, tuple[int, list[int]]]]:
    """Held meetings per (org, kind, day) with their ids, in one query; weeks, months and quarters are
    summed from the days in Python. A party group's own group meetings count for its branch."""
    kinds = sorted({o.kind for o in obligations})
    if not kinds:
        return {}
    weekly = sorted({o.kind for o in obligations if o.period == "week"})
    base = Meeting.objects.restrict(user) if user is not None else Meeting.objects.all()
    in_period = Q(held_on__gte=period.start)
    weeks = period.buckets("week") if weekly else []
    if weeks:
        in_period |= Q(kind__in=weekly, held_on__gte=weeks[0][0])
    rows = (
        base.filter(
            in_period,
            path_q("org__path", prefixes),
            status=MeetingStatus.HELD,
            kind__in=kinds,
            held_on__lte=period.end,
        )
        .values("org_id", "kind", "held_on")
        .annotate(n=Count("id"), ids=IdList("id"))
        .order_by()
        .values_list("org_id", "kind", "held_on", "n", "ids")
    )
    counts: dict[tuple[int, str], dict[datetime.date, tuple[int, list[int]]]] = defaultdict(dict)
    for org_id, kind, day, n, ids in rows:
        org = orgs.get(org_id)
        if org is None:
            continue  # an archived org's meetings
        if kind == MeetingKind.GROUP and org.kind == OrgKind.GROUP:
            org_id = org.parent_id
        slot = counts[(org_id, kind)]
        found = [int(i) for i in str(ids).split(",")]
        before = slot.get(day)
        slot[day] = (n, found) if before is None else (before[0] + n, before[1] + found)
    return counts


def _attendance(prefixes: list[str], period: Period, orgs: dict[int, OrgResult], user: Any) -> None:
    """Present ÷ expected over the period's held meetings, per org, in one query."""
    base = MeetingAttendance.objects.restrict(user) if user is not None else MeetingAttendance.objects.all()
    rows = (
        base.filter(
            path_q("meeting__org__path", prefixes),
            meeting__status=MeetingStatus.HELD,
            meeting__held_on__gte=period.start,
            meeting__held_on__lte=period.end,
        )
        .values("meeting__org_id")
        .annotate(expected=Count("id"), present=Count("id", filter=Q(status=Attendance.PRESENT)))
        .order_by()
        .values_list("meeting__org_id", "expected", "present")
    )
    for org_id, expected, present in rows:
        org = orgs.get(org_id)
        if org is not None:
            org.own_expected, org.own_present = expected, present


def _own_cell(
    ob: R.Obligation,
    required: int,
    buckets: list[tuple[datetime.date, datetime.date]],
    held: dict[datetime.date, tuple[int, list[int]]],
    today: datetime.date,
    days: int,
    upcoming: bool,
) -> Cell:
    """`days`: the county's warning window."""
    cell = Cell(ob.code, required=required, own=True, ids=[], missing=[])
    for start, end in buckets:
        if start > today and not upcoming:
            continue  # not begun: not yet due
        n = 0
        for day, (count, ids) in held.items():
            if start <= day <= end:
                n += count
                cell.ids.extend(ids)
        cell.due += 1
        cell.meetings += n
        if n >= required:
            cell.met += 1
            continue
        if end < today:
            state = "overdue"
            cell.overdue += 1
        elif (end - today).days <= days:
            state = "due_soon"
            cell.due_soon += 1
        else:
            state = "pending"
        cell.missing.append((start, end, state))
    cell.ids.sort()
    return cell


def _roll_up(result: Compliance) -> None:
    """Each org's totals are its own obligations plus its children's totals; deepest orgs first."""
    orgs, roots = result.orgs, set(result.roots)
    for org in sorted(orgs.values(), key=lambda o: -o.depth):
        if not org.total:
            org.total = dict(org.own)  # nothing below it owes anything: its totals are its own cells
        else:
            for code, cell in org.own.items():
                total = org.total.get(code)
                if total is None:
                    total = org.total[code] = Cell(code)
                total.add(cell)
        org.present += org.own_present
        org.expected += org.own_expected
        parent = orgs.get(org.parent_id) if org.id not in roots else None
        if parent is None:
            continue
        for code, cell in org.total.items():
            total = parent.total.get(code)
            if total is None:
                total = parent.total[code] = Cell(code)
            total.add(cell)
        parent.present += org.present
        parent.expected += org.expected


# --- members absent time after time ----------------------------------------------------------------


@dataclass(frozen=True)
class AbsentRun:
    member_id: int
    name: str
    org_id: int
    org_name: str
    run: int  # held meetings missed in a row, the most recent ones
    since: datetime.date  # the first of them
    last: datetime.date
    threshold: int
    months_out: bool  # no organisational life for the 党章's six months or more


def absent_runs(prefixes: list[str], today: datetime.date, *, user: Any = None) -> list[AbsentRun]:
    """Members on the roll whose most recent held meetings (at least the county's threshold) were all
    missed without leave. Set-based: a running count per member, newest first, of the rows that are
    not absences is 0 exactly along the leading run of absences, so the runs come out of one window
    (one sort) and one GROUP BY, on SQLite and PostgreSQL alike."""
    if not prefixes:
        return []
    values = local_values([R.ABSENT_RUNNING.code, R.ABSENT_MONTHS.code], today)
    threshold = values[R.ABSENT_RUNNING.code]
    base = MeetingAttendance.objects.restrict(user) if user is not None else MeetingAttendance.objects.all()
    order = [F("meeting__held_on").desc(), F("meeting__held_at").desc(), F("meeting_id").desc()]
    # The members' own filters (on the roll, under the prefixes) are applied to the runs, not to the
    # attendance rows: one run per member either way, and joining members into the window's rows made
    # PostgreSQL look up the member and its branch once per attendance row (3× slower on a county).
    inner = (
        base.filter(
            path_q("meeting__org__path", prefixes),
            member__isnull=False,
            meeting__status=MeetingStatus.HELD,
            meeting__held_on__lte=today,
        )
        .annotate(
            seen=Window(
                Sum(Case(When(status=Attendance.ABSENT, then=Value(0)), default=Value(1))),
                partition_by=[F("member_id")],
                order_by=order,
                frame=RowRange(start=None, end=0),
            )
        )
        .annotate(mid=F("member_id"), day=F("meeting__held_on"))
        .values("mid", "day", "seen")
        .order_by()
    )
    sql, params = inner.query.sql_with_params()
    outer = (
        "SELECT t.mid, COUNT(*), MIN(t.day), MAX(t.day) FROM ("  # noqa: S608 (the ORM's own SQL)
        + sql
        + ") t WHERE t.seen = 0 GROUP BY t.mid HAVING COUNT(*) >= %s"
    )
    with connection.cursor() as c:
        c.execute(outer, [*params, threshold.smallest])
        runs = {mid: (n, _as_date(first), _as_date(last)) for mid, n, first, last in c.fetchall()}
    if not runs:
        return []
    months = values[R.ABSENT_MONTHS.code]
    found = []
    roll = Member.objects.restrict(user) if user is not None else Member.objects.all()
    members = roll.filter(path_q("org__path", prefixes), pk__in=runs, standing=Standing.NORMAL).values_list(
        "pk", "person__name", "org_id", "org__name", "org__path"
    )
    for pk, name, org_id, org_name, path in members.order_by("org__path", "person__name"):
        n, since, last = runs[pk]
        need = threshold.for_path(path)
        if n < need:
            continue
        out = since <= add_months(today, -months.for_path(path))
        found.append(AbsentRun(pk, name, org_id, org_name, n, since, last, need, out))
    return found


def _as_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value
