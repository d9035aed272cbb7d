"""The scoring app's dashboard panel: the children of the chosen org ranked by this month's score (a
county's townships, a township's stations, a station's villages), each bar opening that child's score
drill-down, with the change from last month and the context note in the rows. Two queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from dangjian.dashboards.panels import Chart, Panel, register

from . import selectors
from .choices import Rollup
from .models import IndicatorSet, Result
from .tables import change_text


def _period(user: Any, org: Any, today: datetime.date) -> str:
    """This month's results if computed, else the latest month before it."""
    key = (
        Result.objects.restrict(user)
        .filter(org__path__startswith=org.path, period__contains="-", period__lte=f"{today:%Y-%m}")
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return key or f"{today:%Y-%m}"


def ranking(user: Any, org: Any, today: datetime.date) -> Chart:
    period = _period(user, org, today)
    ranked = selectors.ranking(user, org, period)
    rows = [
        {
            "rank": i,
            "name": r.org.name,
            "score": float(r.score),
            "change": change_text(r.change),
            "note": r.note,
        }
        for i, r in enumerate(ranked, start=1)
    ]
    worst_first = list(reversed(ranked))
    data = [
        {
            "name": r.org.name,
            "value": float(r.score),
            "url": r.get_absolute_url(),
            "change": change_text(r.change),
            "itemStyle": {"color": "#dc3545" if r is ranked[-1] and len(ranked) > 1 else "#0d6efd"},
        }
        for r in worst_first
    ]
    method = (
        IndicatorSet.objects.filter(pk=ranked[0].indicator_set_id).values_list("rollup", flat=True).first()
        if ranked
        else None
    )
    label = Rollup(method).label if method else ""
    option = {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 24, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "name": "得分"},
        "yAxis": {"type": "category", "data": [r.org.name for r in worst_first]},
        "series": [
            {"name": "综合得分", "type": "bar", "data": data, "label": {"show": True, "position": "right"}}
        ],
        "title": {"text": "" if ranked else "本月尚无考核结果", "left": "center", "top": "middle"},
    }
    note = f"{period}考核得分排名；上级得分汇总方法：{label}。点击条形查看失分记录。" if ranked else ""
    if ranked:
        note += f"末位 {ranked[-1].org.name}：{ranked[-1].note or '无计算指标的统计'}"
    return Chart(
        option=option,
        columns=[
            ("rank", "排名"),
            ("name", "单位"),
            ("score", "综合得分"),
            ("change", "较上月"),
            ("note", "情况说明"),
        ],
        rows=rows,
        list_url=f"{reverse('scoring-list')}?{urlencode({'period': period})}",
        note=note,
        extra={"period": period},
    )


PANEL = register(
    Panel("scoring.ranking", "考核排名", frozenset({"county", "township", "station"}), ranking, order=20)
)
