"""Scoped reads of earmarked funds. Balances are computed from the rows in the same query (correlated
sums), never stored: balance = allocated − re-allocated below − disbursed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import MONEY, Allocation, Disbursement, Fund

CENT = Decimal("0.01")


class Money(DecimalField):
    """The output of sums and differences of yuan amounts, rounded to the fen as read: SQLite computes
    them in floating point (0.06 comes back as 0.0600000000000001), PostgreSQL in exact numerics."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else Decimal(value).quantize(CENT)


ZERO = Value(Decimal("0.00"), output_field=Money(**MONEY))


def money_sum(field: str = "amount") -> Sum:
    return Sum(field, output_field=Money(**MONEY))


def _money(expr) -> ExpressionWrapper:
    return ExpressionWrapper(expr, output_field=Money(**MONEY))


def _sum(qs: QuerySet, key: str) -> Coalesce:
    total = qs.order_by().values(key).annotate(s=money_sum()).values("s")
    return Coalesce(Subquery(total, output_field=Money(**MONEY)), ZERO, output_field=Money(**MONEY))


def with_balances(qs: QuerySet[Allocation]) -> QuerySet[Allocation]:
    """Each allocation with `reallocated` (passed on below it), `disbursed` and `balance`."""
    return qs.annotate(
        reallocated=_sum(Allocation.objects.filter(parent=OuterRef("pk")), "parent"),
        disbursed=_sum(Disbursement.objects.filter(allocation=OuterRef("pk")), "allocation"),
    ).annotate(balance=_money(F("amount") - F("reallocated") - F("disbursed")))


def with_totals(qs: QuerySet[Fund]) -> QuerySet[Fund]:
    """Each fund with `allocated` (sent down from the county), `unallocated` and `disbursed` (anywhere)."""
    return qs.annotate(
        allocated=_sum(Allocation.objects.filter(fund=OuterRef("pk"), parent__isnull=True), "fund"),
        disbursed=_sum(Disbursement.objects.filter(allocation__fund=OuterRef("pk")), "allocation__fund"),
    ).annotate(unallocated=_money(F("amount") - F("allocated")))


def allocation_rows() -> QuerySet[Allocation]:
    return with_balances(
        Allocation.objects.select_related("fund", "org", "parent__org").order_by(
            "-fund__year", "fund_id", "org__path"
        )
    )


def allocations(user: Any) -> QuerySet[Allocation]:
    return allocation_rows().restrict(user)


def fund_rows() -> QuerySet[Fund]:
    return with_totals(Fund.objects.select_related("county").order_by("-year", "county__path", "pk"))


def funds(user: Any) -> QuerySet[Fund]:
    return fund_rows().restrict(user)


def disbursement_rows() -> QuerySet[Disbursement]:
    return Disbursement.objects.select_related("allocation__fund", "allocation__org").order_by("-on", "-pk")


def disbursements(user: Any) -> QuerySet[Disbursement]:
    return disbursement_rows().restrict(user)


def allocation_balance(allocation_id: int) -> Decimal:
    """One allocation's balance from its records (what the services check a new row against)."""
    return with_balances(Allocation.objects.filter(pk=allocation_id)).values_list("balance", flat=True).get()


def fund_unallocated(fund_id: int) -> Decimal:
    return with_totals(Fund.objects.filter(pk=fund_id)).values_list("unallocated", flat=True).get()
