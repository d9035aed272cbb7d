"""The liaison panel: deputies of the org's subtree by how far their contacts this year reach the target
(one aggregate query), each slice opening the deputy list."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from dangjian.dashboards.panels import Chart, Panel, register

from . import selectors

COLORS = {"success": "#198754", "warning": "#ffc107", "danger": "#dc3545"}


def contacts_standing(user: Any, org: Any, today: datetime.date) -> Chart:
    target = selectors.contact_target(org)
    counts = {"success": 0, "warning": 0, "danger": 0}
    in_term = selectors.deputies(user, today.year).filter(
        org__path__startswith=org.path, term_start__lte=today, term_end__gte=today
    )
    for n in in_term.values_list("contacts_year", flat=True):
        counts[selectors.standing(n, target)] += 1
    labels = {"success": f"达到{target}次", "warning": f"不足{target}次", "danger": "全年未联系"}
    rows = [{"standing": labels[k], "count": v} for k, v in counts.items()]
    url = reverse("liaison-deputy-list") + "?in_term=true"
    data = [
        {"name": labels[k], "value": v, "url": url, "itemStyle": {"color": COLORS[k]}}
        for k, v in counts.items()
        if v
    ]
    option = {
        "tooltip": {"trigger": "item", "formatter": "{b}：{c}人（{d}%）"},
        "legend": {"bottom": 0},
        "series": [{"name": "本年联系", "type": "pie", "radius": ["35%", "65%"], "data": data}],
        "title": {"text": "" if data else "暂无现任代表委员", "left": "center", "top": "middle"},
    }
    return Chart(
        option=option,
        columns=[("standing", "本年联系情况"), ("count", "人数")],
        rows=rows,
        list_url=url,
        note=f"现任党代表、人大代表、政协委员{today.year}年联系支部和群众的次数，目标每年{target}次（县可调整）。",
    )


register(
    Panel(
        code="liaison.contacts_standing",
        title="代表委员联系情况",
        levels=frozenset({"county", "township", "station"}),
        build=contacts_standing,
        order=85,
    )
)
