"""Scoped reads of collective income, and the set-based finding other apps read: the villages with no
collective income in a year (no record, or a record whose total is 0)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from dangjian.orgs.models import Org

from . import rules as R
from .choices import Band
from .models import Asset, AssetContract, Income
from .services import due_in_year

VILLAGE_KINDS = ("branch", "community")


def band_case(field: str = "total") -> Case:
    """The band of a total, in SQL, from the registered edges (lower edges inclusive)."""
    e5, e10, e50, e100 = R.BAND_EDGES.value
    return Case(
        When(**{f"{field}__isnull": True}, then=Value(Band.NONE)),
        When(**{f"{field}__lte": 0}, then=Value(Band.NONE)),
        When(**{f"{field}__lt": e5}, then=Value(Band.WEAK)),
        When(**{f"{field}__lt": e10}, then=Value(Band.B5)),
        When(**{f"{field}__lt": e50}, then=Value(Band.B10)),
        When(**{f"{field}__lt": e100}, then=Value(Band.B50)),
        default=Value(Band.B100),
        output_field=CharField(),
    )


def income_rows() -> QuerySet[Income]:
    return (
        Income.objects.select_related("org", "township")
        .annotate(band=band_case())
        .order_by("-year", "org__path")
    )


def incomes(user: Any) -> QuerySet[Income]:
    return income_rows().restrict(user)


def villages(user_or_queryset: Any) -> QuerySet[Org]:
    """Open villages (村、社区) the user may see, or of the given Org queryset."""
    if isinstance(user_or_queryset, QuerySet):
        qs = user_or_queryset
    else:
        qs = Org.objects.restrict(user_or_queryset, "view")
    return qs.filter(kind__in=VILLAGE_KINDS, archived_at__isnull=True)


def villages_with_income(user_or_queryset: Any, year: int) -> QuerySet[Org]:
    """Villages annotated with `income_total` (None if not recorded) and `band` for the year."""
    total = Income.objects.filter(org=OuterRef("pk"), year=year).values("total")[:1]
    return (
        villages(user_or_queryset)
        .annotate(income_total=Subquery(total))
        .annotate(band=band_case("income_total"))
    )


def villages_without_income(user_or_queryset: Any, year: int) -> QuerySet[Org]:
    """The "no collective income" finding, as one query: villages with no record for the year or a total
    of 0. Each carries `income_total` (None: not recorded; 0: recorded as none)."""
    earning = Income.objects.filter(year=year, total__gt=0).values("org_id")
    return (
        villages(user_or_queryset)
        .exclude(pk__in=earning)
        .annotate(
            income_total=Subquery(Income.objects.filter(org=OuterRef("pk"), year=year).values("total")[:1])
        )
        .order_by("path")
    )


def expiring_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Contracts ending in this window (both ends included) are flagged (economy.contract_expiring_days)."""
    return today, today + datetime.timedelta(days=R.EXPIRING_DAYS.value)


def asset_rows(today: datetime.date) -> QuerySet[Asset]:
    """Assets with their contract count, the end of their current contract, and the expiring flag."""
    low, high = expiring_window(today)
    ending = AssetContract.objects.filter(asset=OuterRef("pk"), end__gte=low, end__lte=high)
    current = Q(contracts__start__lte=today, contracts__end__gte=today)
    return (
        Asset.objects.select_related("org", "township")
        .annotate(
            contract_count=Count("contracts"),
            current_end=Min("contracts__end", filter=current),
            expiring=Exists(ending),
        )
        .order_by("org__path", "name")
    )


def contract_rows(today: datetime.date) -> QuerySet[AssetContract]:
    low, high = expiring_window(today)
    return (
        AssetContract.objects.select_related("asset", "org")
        .annotate(expiring=ExpressionWrapper(Q(end__gte=low, end__lte=high), output_field=BooleanField()))
        .order_by("org__path", "asset__name", "start")
    )


def contracts_due(user: Any, org: Any, year: int) -> list[tuple[AssetContract, Decimal]]:
    """The village's contracts that fall in `year` (in the user's scope), each with its income due."""
    rows = (
        AssetContract.objects.restrict(user)
        .filter(org=org, start__lte=datetime.date(year, 12, 31), end__gte=datetime.date(year, 1, 1))
        .select_related("asset")
        .order_by("asset__name", "start")
    )
    return [(c, due_in_year(c, year)) for c in rows]
