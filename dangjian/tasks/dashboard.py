"""The tasks app's dashboard panel: the monthly task lists' completion trend under an org (completion per
`stats.percent_of` over the same leaf assignments as the roll-up page, and assignments late), one aggregate
query whatever the number of assignments."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode

from dangjian.core.dates import add_months
from dangjian.dashboards import rules as DR
from dangjian.dashboards.panels import LEVELS, Chart, Panel, register

from . import stats
from .choices import AssignmentState, ListKind

COLUMNS = [
    ("month", "月份"),
    ("assignments", "承办任务（项）"),
    ("reported", "已报告"),
    ("done_count", "已完成"),
    ("late", "逾期未完成"),
    ("percent", "完成率（%）"),
]


def assignments_url(org_id: int, month: datetime.date, **extra: str) -> str:
    """The assignment list behind a month's figures: the org's subtree, that month's list, leaves only."""
    query = {"org": org_id, "month": f"{month:%Y-%m}", "leaf": "true", **extra}
    return f"{reverse('assignment-list')}?{urlencode(query)}"


def trend(user: Any, org: Any, today: datetime.date) -> Chart:
    last = today.replace(day=1)
    months = [add_months(last, -i) for i in reversed(range(int(DR.TREND_MONTHS.value)))]
    figures = stats._figures(today) | {"done_count": Count("pk", filter=Q(state=AssignmentState.DONE))}
    found = {
        g["period_start"]: g
        for g in stats.leaves(user, under=org, kind=ListKind.MONTHLY)
        .filter(period_start__gte=months[0], period_start__lte=last)
        .values("period_start")
        .annotate(**figures)
        .order_by()
    }
    rows, percent_data, late_data = [], [], []
    for m in months:
        g = found.get(m, {})
        percent = stats.percent_of(g.get("capped") or Decimal(0), g.get("target") or Decimal(0))
        row = {
            "month": f"{m.year}年{m.month}月",
            "assignments": g.get("assignments", 0),
            "reported": g.get("reported", 0),
            "done_count": g.get("done_count", 0),
            "late": g.get("late", 0),
            "percent": percent if g else None,
        }
        rows.append(row)
        percent_data.append({"value": percent if g else "-", "url": assignments_url(org.pk, m)})
        late_data.append({"value": row["late"], "url": assignments_url(org.pk, m, status="late")})
    current = rows[-1]
    note = (
        f"{current['month']}月度清单：承办{current['assignments']}项，已完成{current['done_count']}项，"
        f"逾期未完成{current['late']}项；完成率按各承办目标完成量（超额按100%计）汇总。"
    )
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": ["完成率（%）", "逾期未完成（项）"], "top": 0},
        "grid": {"left": 48, "right": 48, "top": 36, "bottom": 32},
        "xAxis": {"type": "category", "data": [f"{m.month}月" for m in months]},
        "yAxis": [
            {"type": "value", "name": "%", "min": 0, "max": 100},
            {"type": "value", "name": "项", "minInterval": 1},
        ],
        "series": [
            {
                "name": "逾期未完成（项）",
                "type": "bar",
                "barMaxWidth": 28,
                "yAxisIndex": 1,
                "data": late_data,
                "itemStyle": {"color": "#dc3545"},
            },
            {"name": "完成率（%）", "type": "line", "data": percent_data, "itemStyle": {"color": "#198754"}},
        ],
    }
    return Chart(
        option=option,
        columns=COLUMNS,
        rows=rows,
        list_url=assignments_url(org.pk, last),
        note=note,
    )


register(Panel(code="tasks.trend", title="月度任务完成趋势", levels=frozenset(LEVELS), build=trend, order=20))
