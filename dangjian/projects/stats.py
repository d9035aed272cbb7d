"""Project figures rolled up by level (what the roll-up page, the dashboards and the bench read): counts and
budgets per status and kind, funded totals and outcome totals per unit, for each township or county, in
three aggregate queries over the projects the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from .choices import ProjectKind, ProjectStatus
from .models import FundingSource, Outcome, Project, Unit

LEVELS = {"county": "县", "township": "乡镇"}


@dataclass
class Rollup:
    org_id: int | None
    name: str
    projects: int = 0
    budget: Decimal = Decimal(0)
    funded: Decimal = Decimal(0)
    by_status: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    budget_by_kind: dict[str, Decimal] = field(default_factory=dict)
    outcomes: dict[str, Decimal] = field(default_factory=dict)

    @property
    def gap(self) -> Decimal:
        return max(self.budget - self.funded, Decimal(0))


def _filtered(qs: QuerySet, prefix: str, filters: dict[str, Any]) -> QuerySet:
    lookups = {
        "year": "year",
        "kind": "kind",
        "status": "status",
        "county": "county_id",
        "within": "org__path__startswith",
    }
    wanted = {f"{prefix}{lookups[k]}": v for k, v in filters.items() if v not in (None, "")}
    return qs.filter(**wanted)


def rollup(user: Any, level: str = "township", **filters: Any) -> list[Rollup]:
    """One row per township (or county) with projects in the user's scope. `filters`: year, kind, status,
    county (id), within (an org path: that subtree only)."""
    key = "county" if level == "county" else "township"
    projects = _filtered(Project.objects.restrict(user), "", filters)
    rows: dict[int | None, Rollup] = {}
    for r in (
        projects.values(f"{key}_id", f"{key}__name", f"{key}__path", "status", "kind")
        .annotate(n=Count("pk"), budget=Sum("budget"))
        .order_by(f"{key}__path", "status", "kind")
    ):
        row = rows.setdefault(r[f"{key}_id"], Rollup(r[f"{key}_id"], r[f"{key}__name"] or "（县直）"))
        row.projects += r["n"]
        row.budget += r["budget"] or 0
        row.by_status[r["status"]] = row.by_status.get(r["status"], 0) + r["n"]
        row.by_kind[r["kind"]] = row.by_kind.get(r["kind"], 0) + r["n"]
        row.budget_by_kind[r["kind"]] = row.budget_by_kind.get(r["kind"], Decimal(0)) + (r["budget"] or 0)
    sources = _filtered(FundingSource.objects.restrict(user), "project__", filters)
    for r in sources.values(f"project__{key}_id").annotate(t=Sum("amount")).order_by():
        if r[f"project__{key}_id"] in rows:
            rows[r[f"project__{key}_id"]].funded += r["t"] or 0
    outcomes = _filtered(Outcome.objects.restrict(user), "project__", filters)
    for r in outcomes.values(f"project__{key}_id", "unit__name").annotate(t=Sum("quantity")).order_by():
        if r[f"project__{key}_id"] in rows:
            rows[r[f"project__{key}_id"]].outcomes[r["unit__name"]] = r["t"]
    return list(rows.values())


def total(rows: list[Rollup], name: str = "合计") -> Rollup:
    out = Rollup(None, name)
    for r in rows:
        out.projects += r.projects
        out.budget += r.budget
        out.funded += r.funded
        for src, dst in (
            (r.by_status, out.by_status),
            (r.by_kind, out.by_kind),
            (r.budget_by_kind, out.budget_by_kind),
            (r.outcomes, out.outcomes),
        ):
            for k, v in src.items():
                dst[k] = dst.get(k, 0) + v
    return out


def unit_names() -> list[str]:
    return list(Unit.objects.order_by("sort_order", "pk").values_list("name", flat=True))


def columns(units: list[str]) -> list[tuple[str, str]]:
    """(key, header) of the roll-up table and its Excel export, outcome units last."""
    cols = [
        ("name", "县 / 乡镇"),
        ("projects", "项目数"),
        ("budget", "预算（元）"),
        ("funded", "已落实资金（元）"),
        ("gap", "资金缺口（元）"),
    ]
    cols += [(f"status:{s}", ProjectStatus(s).label) for s in ProjectStatus.values]
    cols += [(f"kind:{k}", f"{ProjectKind(k).label}（个）") for k in ProjectKind.values]
    cols += [(f"unit:{u}", f"成效（{u}）") for u in units]
    return cols


def as_cells(row: Rollup, units: list[str]) -> list[Any]:
    cells: list[Any] = [row.name, row.projects, row.budget, row.funded, row.gap]
    cells += [row.by_status.get(s, 0) for s in ProjectStatus.values]
    cells += [row.by_kind.get(k, 0) for k in ProjectKind.values]
    cells += [row.outcomes.get(u, "") for u in units]
    return cells


def cells(user: Any, path: str, **filters: Any) -> list[tuple[str, str, int, Decimal]]:
    """(status, kind, projects, budget) under one org (the dashboards' projects panel), one query."""
    projects = _filtered(Project.objects.restrict(user), "", filters | {"within": path})
    return [
        (r["status"], r["kind"], r["n"], r["budget"] or Decimal(0))
        for r in projects.values("status", "kind").annotate(n=Count("pk"), budget=Sum("budget")).order_by()
    ]


def unit_totals(user: Any, path: str, **filters: Any) -> list[tuple[str, Decimal]]:
    """(unit, total) of the outcomes under one org, in the unit table's order, one query."""
    outcomes = _filtered(Outcome.objects.restrict(user), "project__", filters | {"within": path})
    return [
        (r["unit__name"], r["t"])
        for r in outcomes.values("unit__name", "unit__sort_order")
        .annotate(t=Sum("quantity"))
        .order_by("unit__sort_order")
    ]
