"""What dashboards and reports read: the distribution of an org's villages by income band for a year,
overall and per township. One query (villages with their year's total and band, grouped in SQL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from dangjian.orgs.models import PATH_SEGMENT, Org

from .choices import Band
from .selectors import villages_with_income

SEGMENT = PATH_SEGMENT + 1


@dataclass
class Distribution:
    year: int
    counts: dict[str, int] = field(default_factory=dict)
    townships: list[tuple[int, str, dict[str, int]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def distribution(user: Any, org: Org, year: int) -> Distribution:
    scope = Org.objects.restrict(user, "view").filter(path__startswith=org.path)
    rows = list(
        villages_with_income(scope, year)
        .values("band")
        .annotate(n=Count("pk"))
        .values_list("band", "n")
        .order_by()
    )
    counts = {b.value: 0 for b in Band}
    for band, n in rows:
        counts[band] += n
    return Distribution(year, counts)


def by_township(user: Any, org: Org, year: int) -> Distribution:
    """The same per township (for a county's page): two queries."""
    scope = Org.objects.restrict(user, "view").filter(path__startswith=org.path)
    townships = {
        path: (pk, name)
        for pk, name, path in scope.filter(kind="township").values_list("pk", "name", "path").order_by("path")
    }
    result = distribution(user, org, year)
    per: dict[str, dict[str, int]] = {p: {b.value: 0 for b in Band} for p in townships}
    for path, band in villages_with_income(scope, year).values_list("path", "band"):
        for n in range(SEGMENT + 1, len(path), SEGMENT):
            if path[:n] in per:
                per[path[:n]][band] += 1
                break
    result.townships = [(townships[p][0], townships[p][1], c) for p, c in per.items()]
    return result
