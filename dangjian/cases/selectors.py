"""Scoped reads of the case engine: the lists people use and what checks and reports count.

Overdue means the owner's part is not done by the deadline: the case is in a running state of its
kind (not yet reported done) and its deadline has passed. A whistle is also late to answer when no
department or village has taken it by its answer date."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from dangjian.core.roles import Role
from dangjian.core.rules import rule_values
from dangjian.core.scope import role_paths

from . import rules as R
from .choices import CaseKind, Level
from .kinds import KINDS
from .models import Case


def running_q() -> Q:
    """Cases whose deadline runs: each kind's states before the work is reported done."""
    q = Q(pk__in=[])
    for kind, spec in KINDS.items():
        q |= Q(kind=kind, state__in=spec.running_states)
    return q


def overdue_q(today: datetime.date) -> Q:
    return running_q() & Q(deadline__lt=today)


def due_soon_q(today: datetime.date, days: int) -> Q:
    return running_q() & Q(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days))


def answer_late_q(today: datetime.date) -> Q:
    return Q(kind=CaseKind.WHISTLE, state__in=("raised", "routed"), answer_due__lt=today)


def open_q() -> Q:
    return ~Q(state="closed")


def cases(user: Any, action: str = "view") -> QuerySet[Case]:
    return Case.objects.restrict(user, action)


def mine_q(user: Any) -> Q:
    return Q(owner=user) | Q(co_owners=user)


def waiting_acceptance_q(user: Any) -> Q:
    """Done cases the user is named to accept, or that name nobody and lie where the user holds a role
    that may accept them (never their own)."""
    unnamed = Q(pk__in=[])
    for kind, spec in KINDS.items():
        roles = spec.transition("accept").roles
        paths = [p for r, p in role_paths(user) if r in roles]
        if paths or user.is_superuser:
            where = Q(pk__isnull=False) if user.is_superuser else Q(pk__in=[])
            for p in paths:
                where |= Q(org__path__startswith=p)
            unnamed |= Q(kind=kind) & where
    return Q(state="done") & (Q(acceptor=user) | Q(acceptor__isnull=True) & unnamed) & ~Q(owner=user)


def waiting_signoff_q(user: Any) -> Q:
    """Accepted cases the user signs off: as station chief under a station, as office elsewhere."""
    held = {r for r, _ in role_paths(user)}
    q = Q(pk__in=[])
    if Role.STATION_CHIEF in held:
        q |= Q(station__isnull=False) & ~Q(kind=CaseKind.WHISTLE) & _paths_q(user, Role.STATION_CHIEF)
    if Role.TOWNSHIP_STAFF in held:
        q |= (Q(station__isnull=True) | Q(kind=CaseKind.WHISTLE)) & _paths_q(user, Role.TOWNSHIP_STAFF)
    if Role.COUNTY_ADMIN in held:
        q |= Q(township__isnull=True) & _paths_q(user, Role.COUNTY_ADMIN)
    if user.is_superuser:
        q = Q(pk__isnull=False)
    return Q(state="accepted") & q


def _paths_q(user: Any, role: str) -> Q:
    q = Q(pk__in=[])
    for r, p in role_paths(user):
        if r == role:
            q |= Q(org__path__startswith=p)
    return q


def escalation_due(today: datetime.date) -> QuerySet[Case]:
    """Running cases past their deadline, below county level, not escalated within their county's
    interval (so one run a day moves each at most one level)."""
    base = Case.objects.filter(overdue_q(today), level__lt=Level.COUNTY)
    counties = base.values_list("county_id", flat=True).distinct()
    intervals = rule_values(R.ESCALATION_INTERVAL_DAYS.code, list(counties))
    q = Q(pk__in=[])
    for county_id, days in intervals.items():
        if county_id is None:
            continue
        since = today - datetime.timedelta(days=int(days))
        q |= Q(county_id=county_id) & (Q(escalated_on__isnull=True) | Q(escalated_on__lte=since))
    return base.filter(q).select_related("org", "county").order_by("pk")
