"""Scoped reads of the tasks app: what my orgs must do, what is overdue, what my station owes.

"My orgs" are the orgs where the user holds a working role (county, township office, station, village);
an assignment passed on down (relayed) is the children's to report, so it is not listed as due."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from dangjian.core.roles import WORKERS, Role
from dangjian.core.scope import role_paths

from .choices import AssignmentState, CompilationState, ListKind
from .models import Assignment, Compilation, WeeklyCycle


def assignments(user: Any, action: str = "view") -> QuerySet[Assignment]:
    return Assignment.objects.restrict(user, action)


def my_org_paths(user: Any, roles: frozenset[str] = WORKERS) -> list[str]:
    return sorted({p for r, p in role_paths(user) if r in roles}) if user.is_authenticated else []


def mine(user: Any) -> QuerySet[Assignment]:
    """Assignments held by the orgs where the user works (their own org, not the subtree)."""
    return assignments(user).filter(org__path__in=my_org_paths(user))


def open_q() -> Q:
    return Q(relayed=False) & ~Q(state=AssignmentState.DONE)


def due_for(user: Any, today: datetime.date, days: int = 7) -> QuerySet[Assignment]:
    """My orgs' assignments due today .. today+days and not done."""
    return (
        mine(user)
        .filter(open_q(), due__gte=today, due__lte=today + datetime.timedelta(days=days))
        .select_related("task", "org")
        .order_by("due", "org__path")
    )


def overdue_for(user: Any, today: datetime.date) -> QuerySet[Assignment]:
    """My orgs' assignments past due and not done."""
    qs = mine(user).filter(open_q(), due__lt=today)
    return qs.select_related("task", "org").order_by("due", "org__path")


def to_compile_for(user: Any, today: datetime.date) -> QuerySet[WeeklyCycle]:
    """Weeks under way (or past) whose compilation a station where the user is chief still owes: the
    station holds an assignment of the week's list and has not submitted its compilation."""
    stations = my_org_paths(user, frozenset({Role.STATION_CHIEF}))
    if not stations:
        return WeeklyCycle.objects.none()
    held = assignments(user).filter(task__task_list_id=OuterRef("task_list_id"), org__path__in=stations)
    submitted = Compilation.objects.filter(
        cycle__task_list_id=OuterRef("task__task_list_id"),
        org_id=OuterRef("org_id"),
        state=CompilationState.SUBMITTED,
    )
    owing = held.filter(~Exists(submitted))
    return (
        WeeklyCycle.objects.filter(week_start__lte=today)
        .filter(Exists(owing))
        .select_related("org")
        .order_by("compile_due", "org_id")
    )


def late_reports(user: Any, today: datetime.date) -> QuerySet[Assignment]:
    """Leaf assignments of weekly lists past their week's report day with no report yet."""
    return (
        assignments(user)
        .filter(
            relayed=False,
            task__task_list__kind=ListKind.WEEKLY,
            task__task_list__cycle__report_due__lt=today,
            first_report_at__isnull=True,
        )
        .select_related("task__task_list__cycle", "org")
        .order_by("task__task_list__cycle__report_due", "org__path")
    )
