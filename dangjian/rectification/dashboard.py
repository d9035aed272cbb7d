"""The rectification app's dashboard panels for the year of the chosen month: weak branches by status
(one aggregate query over the ledger), and their plans' progress (items signed off ÷ items, as
`stats.rollup` counts it) by township at a county, by village below — one aggregate query each."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode

from dangjian.dashboards.panels import LEVELS, Chart, Panel, level_of, register

from .choices import CaseStatus
from .models import PlanItem, RectificationCase

STATUS_COLORS = {
    CaseStatus.CHECKING: "#ffc107",
    CaseStatus.CLEARED: "#adb5bd",
    CaseStatus.IDENTIFIED: "#fd7e14",
    CaseStatus.RECTIFYING: "#dc3545",
    CaseStatus.CONSOLIDATING: "#0d6efd",
    CaseStatus.CLOSED: "#198754",
}


def ledger_url(org: Any, year: int, **query: Any) -> str:
    """The ledger behind a figure. The ledger filters by village name, not by org, so below the user's
    own level a village's name narrows it and a township or station's figures open the year's ledger."""
    if level_of(org.kind) == "branch":
        query["q"] = org.name
    return f"{reverse('rectification-list')}?{urlencode({'year': year, **query})}"


def by_status(user: Any, org: Any, today: datetime.date) -> Chart:
    year = today.year
    counts = dict(
        RectificationCase.objects.restrict(user)
        .filter(org__path__startswith=org.path, year=year)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    rows = [{"status": label, "count": counts.get(code, 0)} for code, label in CaseStatus.choices]
    data = [
        {
            "name": label,
            "value": counts[code],
            "url": ledger_url(org, year, status=code),
            "itemStyle": {"color": STATUS_COLORS[code]},
        }
        for code, label in CaseStatus.choices
        if counts.get(code)
    ]
    total = sum(counts.values())
    active = sum(
        counts.get(c, 0) for c in (CaseStatus.IDENTIFIED, CaseStatus.RECTIFYING, CaseStatus.CONSOLIDATING)
    )
    option = {
        "tooltip": {"trigger": "item", "formatter": "{b}：{c}个（{d}%）"},
        "legend": {"bottom": 0, "type": "scroll"},
        "series": [
            {
                "name": "整顿状态",
                "type": "pie",
                "radius": ["35%", "65%"],
                "center": ["50%", "45%"],
                "label": {"formatter": "{b}\n{c}个"},
                "data": data,
            }
        ],
        "title": {"text": "" if total else "本年度无整顿对象", "left": "center", "top": "middle"},
    }
    return Chart(
        option=option,
        columns=[("status", "状态"), ("count", "村（社区）数")],
        rows=rows,
        list_url=ledger_url(org, year),
        note=f"{year}年度列入排查{total}个，已认定在整顿及巩固中{active}个。",
        extra={"year": year},
    )


def plan_progress(user: Any, org: Any, today: datetime.date) -> Chart:
    year = today.year
    by_township = level_of(org.kind) == "county"
    keys = (
        ("plan__case__township_id", "plan__case__township__name")
        if by_township
        else ("plan__case_id", "plan__case__org__name")
    )
    groups = list(
        PlanItem.objects.restrict(user)
        .filter(plan__case__year=year, plan__case__org__path__startswith=org.path)
        .values(*keys)
        .annotate(items=Count("pk"), closed=Count("pk", filter=Q(item__state="closed")))
        .order_by(keys[1])
    )
    rows, names, done, open_ = [], [], [], []
    for g in groups:
        pk, name = g[keys[0]], g[keys[1]] or "（未归属乡镇）"
        url = (
            reverse("dashboard", args=[pk]) + f"?month={today:%Y-%m}"
            if by_township and pk
            else reverse("rectification-detail", args=[pk])
            if pk
            else ledger_url(org, year)
        )
        percent = round(g["closed"] * 100 / g["items"]) if g["items"] else 0
        rows.append({"name": name, "items": g["items"], "closed": g["closed"], "percent": percent})
        names.append(name)
        done.append({"value": g["closed"], "url": url})
        open_.append({"value": g["items"] - g["closed"], "url": url})
    items = sum(r["items"] for r in rows)
    closed = sum(r["closed"] for r in rows)
    option = {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"data": ["已销号", "未销号"], "top": 0},
        "grid": {"left": 110, "right": 24, "top": 32, "bottom": 24},
        "xAxis": {"type": "value", "minInterval": 1, "name": "事项"},
        "yAxis": {"type": "category", "data": names, "inverse": True},
        "series": [
            {
                "name": "已销号",
                "type": "bar",
                "stack": "n",
                "barMaxWidth": 28,
                "data": done,
                "itemStyle": {"color": "#198754"},
            },
            {
                "name": "未销号",
                "type": "bar",
                "stack": "n",
                "barMaxWidth": 28,
                "data": open_,
                "itemStyle": {"color": "#ffc107"},
            },
        ],
    }
    return Chart(
        option=option,
        columns=[
            ("name", "乡镇" if by_township else "村（社区）"),
            ("items", "方案事项"),
            ("closed", "已销号"),
            ("percent", "进度（%）"),
        ],
        rows=rows,
        list_url=ledger_url(org, year),
        note=f"{year}年度一村一策方案事项{items}项，已销号{closed}项"
        + (f"，进度{round(closed * 100 / items)}%。" if items else "。"),
    )


register(
    Panel(
        code="rectification.status",
        title="软弱涣散村党组织整顿状态",
        levels=frozenset(LEVELS),
        build=by_status,
        order=50,
    )
)
register(
    Panel(
        code="rectification.progress",
        title="一村一策方案推进",
        levels=frozenset({"county", "township", "station"}),
        build=plan_progress,
        order=51,
    )
)
