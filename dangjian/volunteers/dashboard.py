"""The volunteer panel: hours served this year by each team of the org's subtree (one aggregate query),
each bar opening the team's page."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Sum
from django.urls import reverse

from dangjian.dashboards.panels import LEVELS, Chart, Panel, register

from .models import Attendance

TOP = 15


def hours_by_team(user: Any, org: Any, today: datetime.date) -> Chart:
    rows = list(
        Attendance.objects.restrict(user)
        .filter(org__path__startswith=org.path, present=True, callout__starts_at__year=today.year)
        .values("callout__team_id", "callout__team__name")
        .annotate(hours=Sum("hours"), people=Count("team_member", distinct=True))
        .order_by("-hours", "callout__team__name")[:TOP]
    )
    table = [
        {"team": r["callout__team__name"], "people": r["people"], "hours": float(r["hours"])} for r in rows
    ]
    data = [
        {"value": t["hours"], "url": reverse("volunteer-team-detail", args=[r["callout__team_id"]])}
        for t, r in zip(table, rows, strict=True)
    ]
    option = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 16, "bottom": 8, "top": 24, "containLabel": True},
        "xAxis": {"type": "value", "name": "小时"},
        "yAxis": {"type": "category", "inverse": True, "data": [t["team"] for t in table]},
        "series": [{"name": "服务时长", "type": "bar", "data": data, "itemStyle": {"color": "#0d6efd"}}],
        "title": {"text": "" if table else "本年度暂无出动记录", "left": "center", "top": "middle"},
    }
    return Chart(
        option=option,
        columns=[("team", "队伍"), ("people", "到岗人数"), ("hours", "服务时长（小时）")],
        rows=table,
        list_url=reverse("volunteer-team-list"),
        note=f"{today.year}年各队出动到岗的服务时长合计（前{TOP}名）。",
    )


register(
    Panel(
        code="volunteers.hours_by_team",
        title="志愿服务时长（按队伍）",
        levels=frozenset(LEVELS),
        build=hours_by_team,
        order=80,
    )
)
