"""Reads for pages and the API, always through the scope layer."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from dangjian.accounts.models import User
from dangjian.core.scope import path_q, scope_prefixes
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.villages.models import POST_RANK, Post, current_holder_q

from .models import Coaching, Mentorship, PayBatch, PayLine, ReserveCadre
from .services import office_staff_q

VILLAGE_KINDS = (OrgKind.BRANCH, OrgKind.COMMUNITY)


def orgs_for(user: Any, roles, kinds=VILLAGE_KINDS) -> QuerySet[Org]:
    """Orgs of `kinds` where the user holds one of `roles` (the choices of a create form)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Org.objects.none()
    qs = Org.objects.filter(kind__in=kinds, archived_at__isnull=True).order_by("path")
    if user.is_superuser:
        return qs
    prefixes = scope_prefixes(user, roles)
    return qs.filter(path_q("path", prefixes)) if prefixes else qs.none()


def reserves(user: Any) -> QuerySet[ReserveCadre]:
    return ReserveCadre.objects.restrict(user).select_related("org")


def mentorships(user: Any) -> QuerySet[Mentorship]:
    return (
        Mentorship.objects.restrict(user)
        .select_related("org", "reserve")
        .annotate(
            activity_count=Count("activities", distinct=True),
            evaluation_count=Count("evaluations", distinct=True),
        )
        .order_by("org__path", "-started_on", "pk")
    )


def coachings(user: Any) -> QuerySet[Coaching]:
    return (
        Coaching.objects.restrict(user)
        .select_related("org")
        .annotate(session_count=Count("sessions"))
        .order_by("org__path", "-started_on", "pk")
    )


def batches(user: Any) -> QuerySet[PayBatch]:
    return PayBatch.objects.restrict(user).select_related("township")


def lines(user: Any) -> QuerySet[PayLine]:
    return PayLine.objects.restrict(user).select_related("org", "batch")


def mentor_posts(user: Any, reserve: ReserveCadre) -> QuerySet[Post]:
    """Current two-committee members of the reserve's village (the usual mentors)."""
    return (
        Post.objects.restrict(user)
        .filter(current_holder_q(), org=reserve.org)
        .select_related("org")
        .order_by(POST_RANK, "since", "pk")
    )


def mentor_users(reserve: ReserveCadre) -> QuerySet[User]:
    return User.objects.filter(office_staff_q(reserve.org), is_active=True).distinct().order_by("real_name")
