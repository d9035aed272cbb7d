"""The cases app's dashboard panel: cases under an org by kind and state, with how many of each are
overdue (the case list's own `overdue_q`), one aggregate query through `Case.objects.restrict(user)`.
Closed cases are counted in the note and the Excel rows, not drawn: they would dwarf the work in hand."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode

from dangjian.dashboards.panels import LEVELS, Chart, Panel, register

from .kinds import KINDS
from .selectors import cases, overdue_q

COLUMNS = [
    ("kind", "类型"),
    ("state", "状态"),
    ("count", "件数"),
    ("overdue", "其中逾期"),
]


def case_list_url(org_id: int, **query: str) -> str:
    return f"{reverse('case-list')}?{urlencode({'view': 'all', 'org': org_id, **query})}"


def by_state(user: Any, org: Any, today: datetime.date) -> Chart:
    counts = {
        (r["kind"], r["state"]): r
        for r in cases(user)
        .filter(org__path__startswith=org.path)
        .values("kind", "state")
        .annotate(n=Count("pk"), late=Count("pk", filter=overdue_q(today)))
        .order_by()
    }
    rows, labels, on_time, late = [], [], [], []
    closed = 0
    for kind, spec in KINDS.items():
        for state, label in spec.states.items():
            r = counts.get((kind, state))
            if r is None:
                continue
            rows.append({"kind": spec.label, "state": label, "count": r["n"], "overdue": r["late"]})
            if state == "closed":
                closed += r["n"]
                continue
            code = f"{kind}:{state}"
            labels.append(f"{spec.label}·{label}")
            on_time.append({"value": r["n"] - r["late"], "url": case_list_url(org.pk, state=code)})
            late.append({"value": r["late"], "url": case_list_url(org.pk, state=code, view="overdue")})
    open_n = sum(r["count"] for r in rows) - closed
    overdue_n = sum(r["overdue"] for r in rows)
    option = {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"data": ["未逾期", "已逾期"], "top": 0},
        "grid": {"left": 130, "right": 24, "top": 32, "bottom": 24},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": labels, "inverse": True},
        "series": [
            {
                "name": "未逾期",
                "type": "bar",
                "stack": "n",
                "barMaxWidth": 28,
                "data": on_time,
                "itemStyle": {"color": "#0d6efd"},
            },
            {
                "name": "已逾期",
                "type": "bar",
                "stack": "n",
                "barMaxWidth": 28,
                "data": late,
                "itemStyle": {"color": "#dc3545"},
            },
        ],
    }
    return Chart(
        option=option,
        columns=COLUMNS,
        rows=rows,
        list_url=case_list_url(org.pk),
        note=f"办理中{open_n}件，其中逾期{overdue_n}件；已销号（归档）{closed}件。",
        extra={"open": open_n, "overdue": overdue_n, "closed": closed},
    )


register(
    Panel(
        code="cases.by_state",
        title="问题台账、代办与吹哨办理情况",
        levels=frozenset(LEVELS),
        build=by_state,
        order=30,
    )
)
