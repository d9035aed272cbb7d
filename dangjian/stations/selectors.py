"""Scoped reads of the stations app and the periods its rules count in.

Pages, the API, the exports and the checks share these, so "this half-month" or "staffed within the
rule" mean the same everywhere. Each function reads a fixed number of queries, however many rows."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from dangjian.core.models import RuleOverride
from dangjian.core.rules import REGISTRY
from dangjian.core.scope import path_q, scope_prefixes
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import rules as R
from .choices import CHECKLIST_MEANING, ChecklistItem, Post, System
from .models import (
    ResearchAppraisal,
    ResearchRound,
    ServiceHalfDay,
    StationChecklist,
    StationInspection,
    StationStaff,
    StationSystem,
)

BRANCH_KINDS = (OrgKind.BRANCH, OrgKind.COMMUNITY)
ONE_DAY = datetime.timedelta(days=1)


# --- periods ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str

    def q(self, lookup: str) -> Q:
        return Q(**{f"{lookup}__gte": self.start, f"{lookup}__lte": self.end})


def half_month(day: datetime.date) -> Period:
    """The half-month holding `day`: the 1st–15th, or the 16th to the month's last day."""
    if day.day <= 15:
        return Period(day.replace(day=1), day.replace(day=15), f"{day.year}年{day.month}月上半月（1日–15日）")
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(
        day.replace(day=16), day.replace(day=last), f"{day.year}年{day.month}月下半月（16日–{last}日）"
    )


def last_closed_half_month(today: datetime.date) -> Period:
    return half_month(half_month(today).start - ONE_DAY)


def week_of(day: datetime.date) -> Period:
    """The ISO week (Monday–Sunday) holding `day`."""
    start = day - datetime.timedelta(days=day.weekday())
    end = start + datetime.timedelta(days=6)
    year, week, _ = day.isocalendar()
    return Period(start, end, f"{year}年第{week}周（{start:%m-%d}至{end:%m-%d}）")


def last_complete_week(today: datetime.date) -> Period:
    return week_of(week_of(today).start - ONE_DAY)


def month_of(day: datetime.date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last), f"{day.year}年{day.month}月")


def year_of(year: int) -> Period:
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"{year}年")


# --- rules in force per county, in one query ------------------------------------------------------


@dataclass(frozen=True)
class CountyRule:
    """A local rule's value everywhere at once: the default, and each county's own value by path."""

    default: int
    overrides: tuple[tuple[str, int], ...] = ()

    def for_path(self, path: str) -> int:
        return next((v for prefix, v in self.overrides if path.startswith(prefix)), self.default)

    def q(self, lookup: str, build: Callable[[int], Q]) -> Q:
        """`build(value)` for the rows under each overriding county, with the default elsewhere."""
        result, elsewhere = Q(), Q()
        for prefix, value in self.overrides:
            under = Q(**{f"{lookup}__startswith": prefix})
            result |= under & build(value)
            elsewhere &= ~under
        return result | (elsewhere & build(self.default))


def county_rules(codes: Iterable[str], today: datetime.date) -> dict[str, CountyRule]:
    codes = list(codes)
    found: dict[str, list[tuple[str, int]]] = {c: [] for c in codes}
    rows = RuleOverride.objects.filter(
        code__in=[c for c in codes if REGISTRY[c].overridable], effective_from__lte=today
    ).values_list("code", "county__path", "value")
    for code, path, value in rows:
        found[code].append((path, int(value)))
    return {c: CountyRule(int(REGISTRY[c].value), tuple(found[c])) for c in codes}


@dataclass(frozen=True)
class StaffRule:
    """The staffing bounds in force at a station."""

    chiefs: int
    deputies: tuple[int, int]
    workers: tuple[int, int]

    def text(self) -> str:
        return f"站长{self.chiefs}名、副站长{_span(self.deputies)}名、专职党务工作者{_span(self.workers)}名"

    def total(self) -> str:
        return _span(
            (
                self.chiefs + self.deputies[0] + self.workers[0],
                self.chiefs + self.deputies[1] + self.workers[1],
            )
        )

    def gaps(self, chiefs: int, deputies: int, workers: int) -> list[str]:
        found = []
        if chiefs != self.chiefs:
            found.append(f"站长{chiefs}名（应为{self.chiefs}名）")
        if not self.deputies[0] <= deputies <= self.deputies[1]:
            found.append(f"副站长{deputies}名（应为{_span(self.deputies)}名）")
        if not self.workers[0] <= workers <= self.workers[1]:
            found.append(f"专职党务工作者{workers}名（应为{_span(self.workers)}名）")
        return found


def _span(bounds: tuple[int, int]) -> str:
    return str(bounds[0]) if bounds[0] == bounds[1] else f"{bounds[0]}–{bounds[1]}"


class StaffRules:
    """The staffing rules for every county at once (one query)."""

    def __init__(self, today: datetime.date) -> None:
        self.rules = county_rules([r.code for r in R.STAFF_RULES], today)

    def for_path(self, path: str) -> StaffRule:
        v = {code: rule.for_path(path) for code, rule in self.rules.items()}
        return StaffRule(
            v[R.CHIEFS.code],
            (v[R.DEPUTIES_MIN.code], v[R.DEPUTIES_MAX.code]),
            (v[R.WORKERS_MIN.code], v[R.WORKERS_MAX.code]),
        )

    def off_q(self, lookup: str = "path") -> Q:
        """Stations (annotated by `with_columns`) whose staffing is outside their county's bounds."""
        r = self.rules
        return (
            r[R.CHIEFS.code].q(lookup, lambda v: ~Q(n_chiefs=v))
            | r[R.DEPUTIES_MIN.code].q(lookup, lambda v: Q(n_deputies__lt=v))
            | r[R.DEPUTIES_MAX.code].q(lookup, lambda v: Q(n_deputies__gt=v))
            | r[R.WORKERS_MIN.code].q(lookup, lambda v: Q(n_workers__lt=v))
            | r[R.WORKERS_MAX.code].q(lookup, lambda v: Q(n_workers__gt=v))
        )


# --- what the user may see and act on ---------------------------------------------------------------


def _orgs_where(user: Any, roles: Iterable[str], kind: str) -> QuerySet[Org]:
    qs = Org.objects.filter(kind=kind, archived_at__isnull=True).order_by("path")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    prefixes = scope_prefixes(user, roles)
    return qs.filter(path_q("path", prefixes)) if prefixes else qs.none()


def stations(user: Any, action: str = "view", model: Any = StationStaff) -> QuerySet[Org]:
    """Open stations where `model`'s policy lets the user `action` (a station chief records an
    inspection at their station, though they may not add staff there)."""
    return _orgs_where(user, model.scope.roles_for(action), OrgKind.STATION)


def townships(user: Any, action: str = "view") -> QuerySet[Org]:
    return _orgs_where(user, ResearchAppraisal.scope.roles_for(action), OrgKind.TOWNSHIP)


def branches_of(station: Org) -> QuerySet[Org]:
    return Org.objects.filter(parent=station, kind__in=BRANCH_KINDS, archived_at__isnull=True).order_by(
        "sort_order", "path"
    )


def active_staff_q(today: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}since__lte": today}) & (
        Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": today})
    )


def _count(qs: QuerySet) -> Coalesce:
    """A correlated COUNT over `qs` (already filtered by `org=OuterRef("pk")`), 0 when none."""
    sub = qs.order_by().values("org").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def with_staff_counts(qs: QuerySet[Org], today: datetime.date) -> QuerySet[Org]:
    """Stations annotated with how many chiefs, deputies and full-time workers serve on `today`."""
    staff = StationStaff.objects.filter(active_staff_q(today), org=OuterRef("pk"))
    return qs.annotate(
        n_chiefs=_count(staff.filter(post=Post.CHIEF)),
        n_deputies=_count(staff.filter(post=Post.DEPUTY)),
        n_workers=_count(staff.filter(post=Post.WORKER)),
    )


def with_columns(qs: QuerySet[Org], today: datetime.date) -> QuerySet[Org]:
    """The station list's columns as annotations (subqueries, so no join multiplies another)."""
    station = OuterRef("pk")
    staff = StationStaff.objects.filter(active_staff_q(today), org=station)
    month = month_of(today)
    inspected = (
        StationInspection.objects.filter(month.q("inspected_on"), org=station)
        .order_by()
        .values("org")
        .annotate(n=Count("branch", distinct=True))
        .values("n")
    )
    branches = (
        Org.objects.filter(parent=station, kind__in=BRANCH_KINDS, archived_at__isnull=True)
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_half_day = (
        ServiceHalfDay.objects.filter(org=station)
        .order_by()
        .values("org")
        .annotate(m=Max("held_on"))
        .values("m")
    )
    year = year_of(today.year)
    return with_staff_counts(qs.select_related("parent"), today).annotate(
        chief_name=Subquery(staff.filter(post=Post.CHIEF).order_by("-since", "-pk").values("name")[:1]),
        n_checklist=_count(StationChecklist.objects.filter(org=station, met=True)),
        n_systems=_count(StationSystem.objects.filter(org=station, in_force=True)),
        n_branches=Coalesce(Subquery(branches, output_field=IntegerField()), Value(0)),
        n_inspected=Coalesce(Subquery(inspected, output_field=IntegerField()), Value(0)),
        last_half_day=Subquery(last_half_day),
        n_rounds=_count(ResearchRound.objects.filter(year.q("ended_on"), org=station)),
    )


def station_page(station: Org, today: datetime.date) -> dict[str, Any]:
    """Everything the station page shows, in a fixed number of queries."""
    staff = list(
        StationStaff.objects.filter(org=station)
        .select_related("user")
        .order_by("until", "post", "since", "pk")
    )
    active = [s for s in staff if s.since <= today and (s.until is None or s.until >= today)]
    counts = {p: sum(1 for s in active if s.post == p) for p in Post.values}
    rule = StaffRules(today).for_path(station.path)
    checks = {c.item: c for c in StationChecklist.objects.filter(org=station).select_related("checked_by")}
    systems = {s.system: s for s in StationSystem.objects.filter(org=station)}
    branches = list(branches_of(station))
    half = half_month(today)
    closed = last_closed_half_month(today)
    inspections = list(
        StationInspection.objects.filter(org=station, inspected_on__gte=closed.start)
        .select_related("branch")
        .order_by("-inspected_at", "pk")
    )
    per_branch = []
    for b in branches:
        done = [i for i in inspections if i.branch_id == b.pk]
        per_branch.append(
            {
                "branch": b,
                "closed": [i for i in done if closed.start <= i.inspected_on <= closed.end],
                "current": [i for i in done if half.start <= i.inspected_on <= half.end],
            }
        )
    weeks = [week_of(today - datetime.timedelta(weeks=k)) for k in range(8)]
    half_days = list(
        ServiceHalfDay.objects.filter(org=station, held_on__gte=weeks[-1].start).order_by(
            "-held_on", "session"
        )
    )
    year = year_of(today.year)
    rounds = list(
        ResearchRound.objects.filter(org=station, ended_on__gte=datetime.date(today.year - 1, 1, 1))
        .select_related("report")
        .order_by("-ended_on", "pk")
    )
    return {
        "staff": staff,
        "active_ids": {s.pk for s in active},
        "counts": counts,
        "staff_rule": rule,
        "staff_gaps": rule.gaps(counts[Post.CHIEF], counts[Post.DEPUTY], counts[Post.WORKER]),
        "checklist": [
            (value, label, CHECKLIST_MEANING[value], checks.get(value))
            for value, label in ChecklistItem.choices
        ],
        "checklist_met": sum(1 for c in checks.values() if c.met),
        "systems": [(value, label, systems.get(value)) for value, label in System.choices],
        "systems_in_force": sum(1 for s in systems.values() if s.in_force),
        "half": half,
        "closed": closed,
        "per_branch": per_branch,
        "recent_inspections": inspections[:20],
        "weeks": [
            (w, [h for h in half_days if w.start <= h.held_on <= w.end], w.end < week_of(today).start)
            for w in weeks
        ],
        "rounds_this_year": [r for r in rounds if year.start <= r.ended_on <= year.end],
        "rounds_last_year": [r for r in rounds if r.ended_on < year.start],
    }
