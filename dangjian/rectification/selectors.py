"""Scoped reads of the rectification app: the ledger with each plan's progress, and the rows of a case."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from .models import RectificationCase


def ledger(user: Any) -> QuerySet[RectificationCase]:
    """整顿台账: cases the user may see with their plan's item counts (one query)."""
    return ledger_rows().restrict(user)


def ledger_rows() -> QuerySet[RectificationCase]:
    return (
        RectificationCase.objects.all()
        .select_related("org", "township", "plan")
        .annotate(
            items=Count("plan__items", distinct=True),
            closed_items=Count("plan__items", filter=Q(plan__items__item__state="closed"), distinct=True),
            supports_n=Count("supports", distinct=True),
        )
        .order_by("-year", "org__path")
    )
