"""Progress rolled up from plan items to plans, townships and counties (what dashboards read): one
aggregate query over the items the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from .models import PlanItem


@dataclass
class Progress:
    org_id: int
    name: str
    cases: int
    items: int
    closed: int

    @property
    def percent(self) -> int:
        return round(self.closed * 100 / self.items) if self.items else 0


def rollup(user: Any, year: int) -> dict[str, list[Progress]]:
    """{"township": [...], "county": [...]}: cases with a plan, items and signed-off items per level."""
    rows = list(
        PlanItem.objects.restrict(user)
        .filter(plan__case__year=year)
        .values(
            "plan__case__township_id",
            "plan__case__township__name",
            "plan__case__county_id",
            "plan__case__county__name",
        )
        .annotate(
            cases=Count("plan__case_id", distinct=True),
            items=Count("pk"),
            closed=Count("pk", filter=Q(item__state="closed")),
        )
        .order_by("plan__case__county__path", "plan__case__township__path")
    )
    townships = [
        Progress(
            r["plan__case__township_id"],
            r["plan__case__township__name"] or "",
            r["cases"],
            r["items"],
            r["closed"],
        )
        for r in rows
    ]
    counties: dict[int, Progress] = {}
    for r in rows:
        c = counties.setdefault(
            r["plan__case__county_id"],
            Progress(r["plan__case__county_id"], r["plan__case__county__name"], 0, 0, 0),
        )
        c.cases += r["cases"]
        c.items += r["items"]
        c.closed += r["closed"]
    return {"township": townships, "county": list(counties.values())}
