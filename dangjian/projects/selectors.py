"""Scoped reads of the projects app: the ledger with each project's funding, milestones and progress."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import FundingSource, Project

MONEY = DecimalField(max_digits=16, decimal_places=2)


def ledger(user: Any) -> QuerySet[Project]:
    """项目台账: the projects the user may see, with funded total and milestone counts (one query)."""
    return ledger_rows().restrict(user)


def ledger_rows() -> QuerySet[Project]:
    funded = (
        FundingSource.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(t=Sum("amount"))
        .values("t")
    )
    return (
        Project.objects.all()
        .select_related("org", "township", "county")
        .annotate(
            funded=Coalesce(Subquery(funded, output_field=MONEY), Value(Decimal(0)), output_field=MONEY),
            ms_total=Count("milestones", distinct=True),
            ms_done=Count("milestones", filter=Q(milestones__done_on__isnull=False), distinct=True),
        )
        .order_by("-year", "org__path", "pk")
    )


def gap(budget: Decimal, funded: Decimal | None) -> Decimal:
    """What the sources still lack against the budget (0 when fully funded)."""
    return max(budget - (funded or Decimal(0)), Decimal(0))
