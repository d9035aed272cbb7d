"""The development app's dashboard panel: the funnel of people on the way to membership under an org —
each stage of those still being trained (申请入党 → 积极分子 → 发展对象 → 接收), the probationary members and
those made full members — one aggregate query through `selectors.cases(user)`. Each step opens the case
list with the same filters (`status`, `stage`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode

from dangjian.dashboards.panels import LEVELS, Chart, Panel, register

from .models import CaseStatus, Stage
from .selectors import cases

COLUMNS = [("step", "阶段"), ("count", "人数"), ("filter", "列表筛选")]


def case_list_url(org_id: int, **query: Any) -> str:
    return f"{reverse('development-case-list')}?{urlencode({'org': org_id, **query})}"


def funnel(user: Any, org: Any, today: datetime.date) -> Chart:
    counts = {
        (r["status"], r["stage"]): r["n"]
        for r in cases(user)
        .filter(org__path__startswith=org.path)
        .values("status", "stage")
        .annotate(n=Count("pk"))
        .order_by()
    }
    steps: list[tuple[str, int, dict[str, Any]]] = []
    for stage in Stage:
        n = counts.get((CaseStatus.OPEN, stage.value), 0)
        if stage.value <= Stage.CANDIDATE or n:
            steps.append((stage.label, n, {"status": CaseStatus.OPEN, "stage": stage.value}))
    for status in (CaseStatus.PROBATION, CaseStatus.FULL):
        n = sum(v for (s, _), v in counts.items() if s == status)
        steps.append(("预备党员" if status == CaseStatus.PROBATION else "已转正", n, {"status": status}))
    stopped = sum(v for (s, _), v in counts.items() if s == CaseStatus.STOPPED)
    data = [{"name": name, "value": n, "url": case_list_url(org.pk, **query)} for name, n, query in steps]
    rows = [
        {"step": name, "count": n, "filter": "，".join(f"{k}={v}" for k, v in query.items())}
        for name, n, query in steps
    ]
    option = {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "name": "发展党员",
                "type": "funnel",
                "sort": "none",
                "left": "5%",
                "width": "60%",
                "top": 8,
                "bottom": 8,
                "minSize": "12%",
                "label": {"show": True, "position": "right", "formatter": "{b}：{c}人"},
                "data": data,
            }
        ],
    }
    return Chart(
        option=option,
        columns=COLUMNS,
        rows=rows,
        list_url=case_list_url(org.pk),
        note=f"按各人当前所处阶段计数；已终止培养{stopped}人不计入。",
        extra={"stopped": stopped},
    )


register(
    Panel(
        code="development.funnel",
        title="发展党员各阶段人数",
        levels=frozenset(LEVELS),
        build=funnel,
        order=40,
    )
)
