"""The meetings app's dashboard panel: obligations met by branch (heat map of orgs × meeting kinds) for
the quarter of the chosen month, read from the compliance engine — the same figures as the compliance page
and the meetings findings, in its four queries whatever the number of orgs."""

from __future__ import annotations

import datetime
from typing import Any

from dangjian.dashboards.panels import LEVELS, Chart, Panel, level_of, register

from . import rules as R
from .checks import compliance_url
from .compliance import OrgResult, Period, evaluate

COLUMNS = [
    ("org", "组织"),
    ("obligation", "组织生活"),
    ("due", "应完成（次）"),
    ("met", "已完成（次）"),
    ("rate", "完成率（%）"),
    ("overdue", "逾期未完成"),
]


def rate(met: int, due: int) -> int | None:
    return round(met * 100 / due) if due else None


def _rows_for(result, org) -> list[OrgResult]:
    """The orgs a level shows: a county its townships, a township or station its branches, a branch
    itself."""
    root = result.orgs.get(org.pk)
    if root is None:
        return []
    level = level_of(org.kind)
    if level == "branch":
        return [root]
    if level == "county":
        return result.children(org.pk)
    branches = [o for o in result.orgs.values() if o.kind in R.BRANCH_ORGS and o.id != org.pk]
    return sorted(branches, key=lambda o: o.path)


def obligations(user: Any, org: Any, today: datetime.date) -> Chart:
    period = Period.containing(today, "quarter")
    result = evaluate([org.path], period, today, user=user)
    orgs = _rows_for(result, org)
    columns = result.columns(orgs)
    data, rows = [], []
    for y, o in enumerate(orgs):
        url = compliance_url(o.id, period)
        for x, ob in enumerate(columns):
            cell = o.total.get(ob.code)
            due, met = (cell.due, cell.met) if cell else (0, 0)
            value = rate(met, due)
            data.append({"value": [x, y, "-" if value is None else value], "url": url})
            rows.append(
                {
                    "org": o.name,
                    "obligation": ob.title,
                    "due": due,
                    "met": met,
                    "rate": value,
                    "overdue": cell.overdue if cell else 0,
                }
            )
    root = result.orgs.get(org.pk)
    due, met = (root.due, root.met) if root else (0, 0)
    held = rate(met, due)
    note = f"{period.label}截至{today:%Y-%m-%d}：应完成{due}次，已完成{met}次" + (
        f"，完成率{held}%。" if held is not None else "。"
    )
    option = {
        "tooltip": {"position": "top"},
        "grid": {"left": 90, "right": 16, "top": 8, "bottom": 100},
        "xAxis": {
            "type": "category",
            "data": [ob.title for ob in columns],
            "axisLabel": {"interval": 0, "rotate": 30},
            "splitArea": {"show": True},
        },
        "yAxis": {
            "type": "category",
            "data": [o.name for o in orgs],
            "inverse": True,
            "splitArea": {"show": True},
            "axisLabel": {"interval": 0 if len(orgs) <= 20 else "auto", "fontSize": 11},
        },
        "visualMap": {
            "min": 0,
            "max": 100,
            "calculable": False,
            "orient": "horizontal",
            "left": "center",
            "bottom": 0,
            "itemHeight": 120,
            "text": ["100%", "0%"],
            "inRange": {"color": ["#dc3545", "#ffc107", "#198754"]},
        },
        "series": [
            {"name": "完成率（%）", "type": "heatmap", "data": data, "label": {"show": len(orgs) <= 12}}
        ],
    }
    return Chart(
        option=option,
        columns=COLUMNS,
        rows=rows,
        list_url=compliance_url(org.pk, period),
        note=note,
        extra={"period": period.key},
    )


register(
    Panel(
        code="meetings.obligations",
        title="组织生活完成情况（按支部）",
        levels=frozenset(LEVELS),
        build=obligations,
        order=10,
    )
)
