"""The collective-income panel: the org's villages by income band (last year, whose accounts are closed),
each bar opening the filtered list; the villages with none in red, opening the no-income list."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from dangjian.dashboards.panels import Chart, Panel, register

from .choices import Band
from .stats import distribution

RED, BLUE = "#dc3545", "#0d6efd"


def build(user: Any, org: Any, today: datetime.date) -> Chart:
    year = today.year - 1
    dist = distribution(user, org, year)

    def url(band: str) -> str:
        if band == Band.NONE:
            return f"{reverse('economy-none')}?{urlencode({'year': year, 'within': org.pk})}"
        return f"{reverse('economy-list')}?{urlencode({'year': year, 'band': band, 'within': org.pk})}"

    option = {
        "tooltip": {"trigger": "axis"},
        "xAxis": {
            "type": "category",
            "data": [b.label for b in Band],
            "axisLabel": {"interval": 0, "rotate": 20},
        },
        "yAxis": {"type": "value", "name": "村数"},
        "series": [
            {
                "name": "村数",
                "type": "bar",
                "data": [
                    {
                        "value": dist.counts[b.value],
                        "url": url(b.value),
                        "itemStyle": {"color": RED if b == Band.NONE else BLUE},
                    }
                    for b in Band
                ],
            }
        ],
    }
    none = dist.counts[Band.NONE]
    return Chart(
        option=option,
        columns=[("band", "收入档次"), ("villages", "村数")],
        rows=[{"band": b.label, "villages": dist.counts[b.value]} for b in Band],
        list_url=f"{reverse('economy-list')}?{urlencode({'year': year, 'within': org.pk})}",
        note=f"{year}年{org.name}共{dist.total}个村（社区），无集体经济收入{none}个（含未登记）。",
        extra={"highlight": {"band": Band.NONE.value, "villages": none, "url": url(Band.NONE)}},
    )


register(
    Panel(
        code="economy.bands",
        title="村集体经济收入分布",
        levels=frozenset({"county", "township", "station"}),
        build=build,
        order=61,
    )
)
