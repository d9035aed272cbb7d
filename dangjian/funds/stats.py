"""What dashboards and reports read: allocated / disbursed / balance by purpose for an org's subtree.

"Allocated" to a subtree is what entered it from above (allocations into the subtree whose giver lies
outside it), so money passed on inside the subtree is not counted twice; its balance is that less what
was disbursed inside it. Two aggregate queries whatever the row count."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from .choices import Purpose
from .models import Allocation, Disbursement
from .selectors import money_sum


@dataclass
class PurposeTotals:
    purpose: str
    label: str
    allocated: Decimal
    disbursed: Decimal

    @property
    def balance(self) -> Decimal:
        return self.allocated - self.disbursed


def by_purpose(user: Any, org: Any, year: int | None = None) -> list[PurposeTotals]:
    inside = Q(org__path__startswith=org.path)
    entering = inside & (Q(parent__isnull=True) | ~Q(parent__org__path__startswith=org.path))
    allocs = Allocation.objects.restrict(user).filter(entering)
    spent = Disbursement.objects.restrict(user).filter(allocation__org__path__startswith=org.path)
    if year:
        allocs = allocs.filter(fund__year=year)
        spent = spent.filter(allocation__fund__year=year)
    got = dict(allocs.values("fund__purpose").annotate(s=money_sum()).values_list("fund__purpose", "s"))
    out = dict(
        spent.values("allocation__fund__purpose")
        .annotate(s=money_sum())
        .values_list("allocation__fund__purpose", "s")
    )
    zero = Decimal("0.00")
    return [
        PurposeTotals(p.value, p.label, got.get(p.value) or zero, out.get(p.value) or zero) for p in Purpose
    ]
