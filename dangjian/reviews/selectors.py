"""Scoped reads of the 3+X app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from .models import MonthlyReview, ReviewTopic


def reviews(user: Any) -> QuerySet:
    return MonthlyReview.objects.restrict(user).select_related("org", "notice", "created_by", "published_by")


def topics(user: Any) -> QuerySet:
    return ReviewTopic.objects.restrict(user).select_related("review", "review__org", "department")


def review_orgs(user: Any) -> QuerySet:
    """Counties and townships where the user may open an analysis."""
    if user is None:
        return Org.objects.none()
    return (
        Org.objects.restrict(user, "add")
        .filter(kind__in=(OrgKind.COUNTY, OrgKind.TOWNSHIP), archived_at__isnull=True)
        .order_by("path")
    )


def viewable_orgs(user: Any) -> QuerySet:
    return (
        Org.objects.restrict(user)
        .filter(kind__in=(OrgKind.COUNTY, OrgKind.TOWNSHIP), archived_at__isnull=True)
        .order_by("path")
    )
