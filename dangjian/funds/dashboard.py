"""The funds panel: allocated / disbursed / balance by purpose for the org's subtree (this year), each bar
opening the allocation list filtered by purpose."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from dangjian.dashboards.panels import Chart, Panel, register

from .stats import by_purpose


def _wan(value) -> float:
    return round(float(value) / 10000, 2)


def build(user: Any, org: Any, today: datetime.date) -> Chart:
    rows = by_purpose(user, org, today.year)
    base = reverse("funds-allocations")

    def url(purpose: str) -> str:
        return f"{base}?{urlencode({'purpose': purpose, 'year': today.year, 'within': org.pk})}"

    series = [
        ("下达", "allocated"),
        ("支出", "disbursed"),
        ("余额", "balance"),
    ]
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [name for name, _ in series]},
        "xAxis": {"type": "category", "data": [r.label for r in rows]},
        "yAxis": {"type": "value", "name": "万元"},
        "series": [
            {
                "name": name,
                "type": "bar",
                "data": [{"value": _wan(getattr(r, key)), "url": url(r.purpose)} for r in rows],
            }
            for name, key in series
        ],
    }
    table = [
        {
            "purpose": r.label,
            "allocated": _wan(r.allocated),
            "disbursed": _wan(r.disbursed),
            "balance": _wan(r.balance),
        }
        for r in rows
    ]
    total = sum(r.allocated for r in rows)
    spent = sum(r.disbursed for r in rows)
    return Chart(
        option=option,
        columns=[
            ("purpose", "用途"),
            ("allocated", "下达（万元）"),
            ("disbursed", "支出（万元）"),
            ("balance", "余额（万元）"),
        ],
        rows=table,
        list_url=f"{base}?{urlencode({'year': today.year, 'within': org.pk})}",
        note=f"{today.year}年下达{org.name}及以下共{_wan(total):,.2f}万元，已支出{_wan(spent):,.2f}万元。",
    )


register(
    Panel(
        code="funds.by_purpose",
        title="专项资金：按用途下达、支出和余额",
        levels=frozenset({"county", "township", "station", "branch"}),
        build=build,
        order=60,
    )
)
