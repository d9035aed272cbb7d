"""Reads of 四议两公开 for pages and the API, always through the scope layer."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from dangjian.core.scope import path_q, scope_prefixes
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from .models import DECISION_POLICY, Decision, Opinion

VILLAGE_KINDS = (OrgKind.BRANCH, OrgKind.COMMUNITY)


def decisions(user: Any) -> QuerySet:
    return (
        Decision.objects.restrict(user)
        .select_related("org", "county")
        .annotate(opinion_count=Count("opinions", distinct=True))
    )


def opinions(user: Any) -> QuerySet:
    return Opinion.objects.restrict(user).select_related("decision", "decision__org")


def add_orgs(user: Any) -> QuerySet:
    """Villages and communities where the user may open a decision."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Org.objects.none()
    qs = Org.objects.filter(kind__in=VILLAGE_KINDS, archived_at__isnull=True).order_by("path")
    if user.is_superuser:
        return qs
    prefixes = scope_prefixes(user, DECISION_POLICY["add"])
    return qs.filter(path_q("path", prefixes)) if prefixes else qs.none()
