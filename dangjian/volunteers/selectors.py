"""Reads for pages and the API, always through the scope layer; totals are one query, not a loop."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from dangjian.core.roles import WORKERS
from dangjian.core.scope import path_q, scope_prefixes
from dangjian.orgs.models import Org

from .models import Attendance, CallOut, Team, TeamMember
from .services import TEAM_ORG_KINDS

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=9, decimal_places=1))


def _count(qs: QuerySet, field: str) -> Subquery:
    return Coalesce(
        Subquery(qs.values(field).annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
    )


def _sum(qs: QuerySet, field: str) -> Subquery:
    return Coalesce(
        Subquery(
            qs.values(field).annotate(h=Sum("hours")).values("h"),
            output_field=DecimalField(max_digits=9, decimal_places=1),
        ),
        ZERO,
    )


def orgs_for(user: Any, roles=WORKERS) -> QuerySet[Org]:
    """Orgs where the user may set up a team (the choices of the new-team form)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Org.objects.none()
    qs = Org.objects.filter(kind__in=TEAM_ORG_KINDS, archived_at__isnull=True).order_by("path")
    if user.is_superuser:
        return qs
    prefixes = scope_prefixes(user, roles)
    return qs.filter(path_q("path", prefixes)) if prefixes else qs.none()


def teams(user: Any) -> QuerySet[Team]:
    """Teams with their active member count, call-out count and hours served (subqueries: no fan-out)."""
    active = TeamMember.objects.filter(team=OuterRef("pk"), left_on__isnull=True)
    callouts = CallOut.objects.filter(team=OuterRef("pk"))
    served = Attendance.objects.filter(callout__team=OuterRef("pk"), present=True)
    return (
        Team.objects.restrict(user)
        .select_related("org")
        .annotate(
            member_count=_count(active, "team"),
            callout_count=_count(callouts, "team"),
            total_hours=_sum(served, "callout__team"),
        )
        .order_by("org__path", "name", "pk")
    )


def callouts(user: Any) -> QuerySet[CallOut]:
    return (
        CallOut.objects.restrict(user)
        .select_related("team", "org")
        .annotate(
            called_count=Count("attendance", filter=Q(attendance__called=True)),
            present_count=Count("attendance", filter=Q(attendance__present=True)),
            total_hours=Coalesce(Sum("attendance__hours", filter=Q(attendance__present=True)), ZERO),
        )
        .order_by("-starts_at", "-pk")
    )


def team_members(user: Any) -> QuerySet[TeamMember]:
    """Enrolled people with their call-outs attended and hours served (totals per member)."""
    return (
        TeamMember.objects.restrict(user)
        .select_related("team", "org", "member")
        .annotate(
            times=Count("attendance", filter=Q(attendance__present=True)),
            total_hours=Coalesce(Sum("attendance__hours", filter=Q(attendance__present=True)), ZERO),
        )
        .order_by("team_id", "joined_on", "pk")
    )


def attendance_of(user: Any, callout: CallOut) -> QuerySet[Attendance]:
    return (
        Attendance.objects.restrict(user)
        .filter(callout=callout)
        .select_related("team_member", "team_member__member")
        .order_by("-present", "team_member__name")
    )
