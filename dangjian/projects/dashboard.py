"""The projects app's dashboard panels for the org's subtree and the year of the chosen day: projects and
budget by status and kind (each bar opens the project list filtered the same way), and outcome totals per
unit (a log axis, since 斤 of fruit and parking spaces differ by orders of magnitude). One query each."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from dangjian.dashboards.panels import LEVELS, Chart, Panel, register

from . import stats
from .choices import ProjectKind, ProjectStatus

KIND_COLORS = {
    ProjectKind.LIVELIHOOD: "#0d6efd",
    ProjectKind.INDUSTRY: "#198754",
    ProjectKind.INFRASTRUCTURE: "#fd7e14",
}


def list_url(org: Any, year: int, **query: Any) -> str:
    return f"{reverse('projects-list')}?{urlencode({'org': org.pk, 'year': year, **query})}"


def _wan(value) -> float:
    return round(float(value) / 10000, 2)


def projects(user: Any, org: Any, today: datetime.date) -> Chart:
    year = today.year
    cells = stats.cells(user, org.path, year=year)
    count = {(s, k): n for s, k, n, _ in cells}
    budget = {(s, k): b for s, k, _, b in cells}
    statuses = ProjectStatus.choices
    series = [
        {
            "name": label,
            "type": "bar",
            "stack": "projects",
            "itemStyle": {"color": KIND_COLORS[kind]},
            "data": [
                {"value": count.get((s, kind), 0), "url": list_url(org, year, status=s, kind=kind)}
                for s, _ in statuses
            ],
        }
        for kind, label in ProjectKind.choices
    ]
    series.append(
        {
            "name": "预算（万元）",
            "type": "line",
            "yAxisIndex": 1,
            "data": [
                {
                    "value": _wan(sum(b for (st, _), b in budget.items() if st == s)),
                    "url": list_url(org, year, status=s),
                }
                for s, _ in statuses
            ],
        }
    )
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "type": "scroll"},
        "xAxis": {"type": "category", "data": [label for _, label in statuses]},
        "yAxis": [{"type": "value", "name": "个", "minInterval": 1}, {"type": "value", "name": "万元"}],
        "series": series,
    }
    rows = [
        {
            "status": s_label,
            "kind": k_label,
            "count": count.get((s, k), 0),
            "budget": _wan(budget.get((s, k), 0)),
        }
        for s, s_label in statuses
        for k, k_label in ProjectKind.choices
    ]
    total = sum(count.values())
    money = _wan(sum(budget.values()))
    return Chart(
        option=option,
        columns=[("status", "状态"), ("kind", "类别"), ("count", "项目数"), ("budget", "预算（万元）")],
        rows=rows,
        list_url=list_url(org, year),
        note=f"{year}年{org.name}及以下共{total}个项目，预算合计{money:,.2f}万元。",
    )


def outcomes(user: Any, org: Any, today: datetime.date) -> Chart:
    year = today.year
    units = stats.unit_totals(user, org.path, year=year)
    url = list_url(org, year)
    option = {
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [u for u, _ in units]},
        "yAxis": {"type": "log", "name": "数量（对数）"},
        "series": [
            {
                "name": "成效合计",
                "type": "bar",
                "label": {"show": True, "position": "top"},
                "data": [{"value": float(t), "url": url} for _, t in units],
            }
        ],
        "title": {"text": "" if units else "本年度尚无登记的成效", "left": "center", "top": "middle"},
    }
    return Chart(
        option=option,
        columns=[("unit", "单位"), ("total", "合计")],
        rows=[{"unit": u, "total": float(t)} for u, t in units],
        list_url=url,
        note=f"{year}年{org.name}及以下项目登记的成效，按计量单位合计（各单位分别汇总，不相加）。",
    )


register(
    Panel(
        code="projects",
        title="项目：按状态和类别的数量与预算",
        levels=frozenset(LEVELS),
        build=projects,
        order=70,
    )
)
register(
    Panel(
        code="outcomes",
        title="项目成效：按计量单位合计",
        levels=frozenset(LEVELS),
        build=outcomes,
        order=71,
    )
)
