"""Scoped reads of the office app: the township a page is about, its structure, its contact coverage,
its weekly field-day table and the county contact leaders' visits. Each reads in a fixed number of
queries whatever the number of branches, staff or visits."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from dangjian.accounts.models import RoleAssignment, User
from dangjian.core.roles import Role
from dangjian.core.rules import rule_value, rule_values
from dangjian.core.scope import path_q, scope_prefixes
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of

from . import rules as R
from .models import (
    ContactLeader,
    ContactLeaderVillage,
    ContactLeaderVisit,
    ContactPoint,
    Duty,
    FieldVisit,
    Post,
    PostHolder,
)
from .services.common import BRANCH_KINDS
from .weeks import recent_weeks, week_of


def office_orgs(user: Any, action: str = "view", model: Any = ContactPoint) -> QuerySet[Org]:
    """Orgs under which the user may do `action` on the office's records (the model's policy)."""
    qs = Org.objects.filter(archived_at__isnull=True)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    prefixes = scope_prefixes(user, model.scope.roles_for(action))
    return qs.filter(path_q("path", prefixes)) if prefixes else qs.none()


def townships(user: Any, action: str = "view", model: Any = ContactPoint) -> QuerySet[Org]:
    return office_orgs(user, action, model).filter(kind=OrgKind.TOWNSHIP).order_by("path")


def pick_township(
    user: Any, value: Any, action: str = "view", model: Any = ContactPoint
) -> tuple[list[Org], Org | None]:
    """The townships the user may choose from, and the one asked for (else the first)."""
    options = list(townships(user, action, model))
    try:
        wanted = int(value)
    except (TypeError, ValueError):
        wanted = None
    chosen = next((t for t in options if t.pk == wanted), None)
    return options, chosen or (options[0] if options else None)


def branches_under(org: Org) -> QuerySet[Org]:
    return Org.objects.filter(
        path__startswith=org.path, kind__in=BRANCH_KINDS, archived_at__isnull=True
    ).order_by("path")


def staff_roles(township_ids: list[int]) -> QuerySet[RoleAssignment]:
    """The office staff of the townships: active users holding township_staff on them."""
    return (
        RoleAssignment.objects.filter(org_id__in=township_ids, role=Role.TOWNSHIP_STAFF, user__is_active=True)
        .select_related("user")
        .order_by("org_id", "user__name_pinyin", "user_id")
    )


def staff_choices(user: Any, action: str = "add", model: Any = ContactPoint) -> list[tuple[int, str]]:
    """Office staff of the townships where the user may do `action` (name and township)."""
    ids = list(townships(user, action, model).values_list("pk", flat=True))
    seen: dict[int, str] = {}
    for ra in staff_roles(ids).select_related("org"):
        seen.setdefault(ra.user_id, f"{ra.user.display_name}（{ra.org.name}）")
    return sorted(seen.items(), key=lambda kv: kv[1])


def branch_choices(user: Any, action: str = "add", model: Any = ContactPoint) -> list[tuple[int, str]]:
    """Branches and communities where the user may do `action`, each named with its township."""
    rows = office_orgs(user, action, model).filter(kind__in=BRANCH_KINDS).order_by("path")
    towns = dict(Org.objects.filter(kind=OrgKind.TOWNSHIP).values_list("path", "name"))
    lengths = sorted({len(p) for p in towns})
    result = []
    for pk, name, path in rows.values_list("pk", "name", "path")[:3000]:
        town = next((towns[path[:n]] for n in lengths if path[:n] in towns), "")
        result.append((pk, f"{town} · {name}" if town else name))
    return result


def active_q(day: datetime.date, prefix: str = "") -> Q:
    """Contact points in force on `day`: started, and not ended (the end date is the first day without)."""
    return Q(**{f"{prefix}since__lte": day}) & (
        Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gt": day})
    )


# --- structure -----------------------------------------------------------------------------------------


def structure(user: Any, township: Org) -> list[Post]:
    """The township office's current posts with their duties (in order) and current holders."""
    return list(
        Post.objects.restrict(user, "view")
        .filter(org=township, archived_at__isnull=True)
        .select_related("office")
        .prefetch_related(
            Prefetch("duties", queryset=Duty.objects.order_by("position")),
            Prefetch(
                "holders",
                queryset=PostHolder.objects.filter(until__isnull=True).select_related("user"),
                to_attr="current_holders",
            ),
        )
        .order_by("sort_order", "pk")
    )


# --- coverage -------------------------------------------------------------------------------------------


@dataclass
class BranchRow:
    org: Org
    contacts: list[ContactPoint] = field(default_factory=list)
    short: bool = False


@dataclass
class StaffRow:
    user: User
    contacts: list[ContactPoint] = field(default_factory=list)
    short: bool = False


@dataclass
class Coverage:
    township: Org | None
    branches: list[BranchRow]
    staff: list[StaffRow]
    min_branches: int
    min_contacts: int

    @property
    def covered(self) -> list[BranchRow]:
        return [b for b in self.branches if not b.short]

    @property
    def uncovered(self) -> list[BranchRow]:
        return [b for b in self.branches if b.short]

    @property
    def idle_staff(self) -> list[StaffRow]:
        return [s for s in self.staff if s.short]


def coverage(user: Any, township: Org | None, today: datetime.date) -> Coverage:
    """Every branch with its contacts and every staff member with their branches, on `today`.
    Without a township (a station chief, a village secretary) it is the branches the user may see."""
    if township is not None:
        county = county_of(township)
        branches = list(branches_under(township))
        points = ContactPoint.objects.restrict(user, "view").filter(active_q(today), township=township)
        staff = [StaffRow(ra.user) for ra in staff_roles([township.pk])]
    else:
        county = None
        branches = list(office_orgs(user).filter(kind__in=BRANCH_KINDS).order_by("path")[:500])
        points = ContactPoint.objects.restrict(user, "view").filter(
            active_q(today), org__in=[b.pk for b in branches]
        )
        staff = []
    min_branches = int(rule_value(R.STAFF_MIN_BRANCHES.code, county))
    min_contacts = int(rule_value(R.BRANCH_MIN_CONTACTS.code, county))
    rows = {b.pk: BranchRow(b) for b in branches}
    by_staff = {s.user.pk: s for s in staff}
    for p in points.select_related("staff", "org").order_by("since", "pk"):
        if p.org_id in rows:
            rows[p.org_id].contacts.append(p)
        if p.staff_id in by_staff:
            by_staff[p.staff_id].contacts.append(p)
    for row in rows.values():
        row.short = len(row.contacts) < min_contacts
    for s in staff:
        s.short = len(s.contacts) < min_branches
    return Coverage(township, list(rows.values()), staff, min_branches, min_contacts)


# --- field days -----------------------------------------------------------------------------------------


@dataclass
class WeekCell:
    monday: datetime.date
    half_days: int
    short: bool


@dataclass
class WeekRow:
    user: User
    cells: list[WeekCell]
    current: int  # half days so far this week


def week_table(
    user: Any, township: Org, today: datetime.date, weeks: int = 8
) -> tuple[list[datetime.date], list[WeekRow], float]:
    """Staff × the last `weeks` complete weeks: half days in the villages, short when under the rule.
    The week in progress is given apart (never red: it has not ended)."""
    required = float(rule_value(R.FIELD_DAYS.code, county_of(township)))
    mondays = recent_weeks(today, weeks)
    this_monday, _ = week_of(today)
    totals: dict[tuple[int, datetime.date], int] = defaultdict(int)
    visits = (
        FieldVisit.objects.restrict(user, "view")
        .filter(
            township=township,
            visited_on__gte=mondays[0],
            visited_on__lte=this_monday + datetime.timedelta(days=6),
        )
        .values("staff_id", "visited_on")
        .annotate(n=Sum("half_days"))
    )
    for row in visits:
        monday, _ = week_of(row["visited_on"])
        totals[(row["staff_id"], monday)] += row["n"]
    rows = []
    for ra in staff_roles([township.pk]):
        cells = [
            WeekCell(m, totals[(ra.user_id, m)], totals[(ra.user_id, m)] < required * 2) for m in mondays
        ]
        rows.append(WeekRow(ra.user, cells, totals[(ra.user_id, this_monday)]))
    return mondays, rows, required


def short_weeks(user: Any, monday: datetime.date) -> list[dict[str, Any]]:
    """Office staff in the user's scope with fewer field days than their county requires in the week
    starting `monday`: one query for the staff, one for the week's sums, one for the rule values."""
    sunday = monday + datetime.timedelta(days=6)
    towns = list(townships(user, "view", FieldVisit).values_list("pk", "path", "name"))
    if not towns:
        return []
    roles = list(
        staff_roles([t[0] for t in towns]).values_list(
            "org_id", "user_id", "user__real_name", "user__username"
        )
    )
    sums = {
        (r["township_id"], r["staff_id"]): r["n"]
        for r in FieldVisit.objects.restrict(user, "view")
        .filter(visited_on__gte=monday, visited_on__lte=sunday, township_id__in=[t[0] for t in towns])
        .values("township_id", "staff_id")
        .annotate(n=Sum("half_days"))
    }
    counties = CountyIndex()
    town_county = {pk: counties.of(path) for pk, path, _ in towns}
    required = rule_values(R.FIELD_DAYS.code, set(town_county.values()))
    names = {pk: name for pk, _, name in towns}
    result = []
    for town_id, user_id, real_name, username in roles:
        need = float(required[town_county[town_id]])
        got = sums.get((town_id, user_id), 0)
        if got < need * 2:
            result.append(
                {
                    "township_id": town_id,
                    "township": names[town_id],
                    "user_id": user_id,
                    "name": real_name or username,
                    "half_days": got,
                    "required": need,
                }
            )
    return result


class CountyIndex:
    """Which county each org path lies in, from one query over the counties' paths."""

    def __init__(self) -> None:
        self.by_path = dict(Org.objects.filter(kind=OrgKind.COUNTY).values_list("path", "pk"))
        self.lengths = sorted({len(p) for p in self.by_path})

    def of(self, path: str) -> int | None:
        return next((self.by_path[path[:n]] for n in self.lengths if path[:n] in self.by_path), None)


# --- contact leaders --------------------------------------------------------------------------------------


@dataclass
class VillageTally:
    org_id: int
    name: str
    visits: int
    this_month: int


@dataclass
class LeaderRow:
    leader: ContactLeader
    villages: list[VillageTally]
    visits: int
    expected: int
    per_month: int

    @property
    def not_visited(self) -> list[VillageTally]:
        return [v for v in self.villages if v.visits == 0]

    @property
    def short(self) -> bool:
        return self.visits < self.expected


def months_elapsed(year: int, today: datetime.date) -> int:
    """Months of `year` that have begun by `today` (12 for a past year, 0 for a future one)."""
    if year < today.year:
        return 12
    if year > today.year:
        return 0
    return today.month


def leader_rows(user: Any, leaders: list[ContactLeader], today: datetime.date) -> list[LeaderRow]:
    """Each leader's villages (those the user may see) with the visits of the leader's year counted."""
    ids = [x.pk for x in leaders]
    village_qs = (
        ContactLeaderVillage.objects.restrict(user, "view").filter(leader_id__in=ids).select_related("org")
    )
    counts = {
        (r["leader_id"], r["org_id"]): (r["n"], r["month"])
        for r in ContactLeaderVisit.objects.restrict(user, "view")
        .filter(leader_id__in=ids)
        .values("leader_id", "org_id")
        .annotate(
            n=Count("pk"),
            month=Count("pk", filter=Q(visited_on__year=today.year, visited_on__month=today.month)),
        )
    }
    per_month = rule_values(R.LEADER_VISITS.code, {x.org_id for x in leaders})
    villages: dict[int, list[VillageTally]] = defaultdict(list)
    for p in village_qs.order_by("org__path"):
        n, month = counts.get((p.leader_id, p.org_id), (0, 0))
        villages[p.leader_id].append(VillageTally(p.org_id, p.org.name, n, month))
    rows = []
    for x in leaders:
        vs = villages[x.pk]
        rate = int(per_month[x.org_id])
        rows.append(
            LeaderRow(x, vs, sum(v.visits for v in vs), rate * months_elapsed(x.year, today) * len(vs), rate)
        )
    return rows
