"""The dashboards' panels. Each app declares what it shows in its own `dashboard.py` (as Decidim's
components declare their stats), reading through the scope layer and its own `stats.py`; the dashboard
pages, the big screen, the chart API and the Excel export read every panel from here, so a chart and its
export can never disagree."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The org kinds that have a dashboard; a community (社区) is read as a village branch.
LEVELS = ("county", "township", "station", "branch")


def level_of(kind: str) -> str | None:
    if kind in ("province", "city"):
        return "county"
    if kind == "community":
        return "branch"
    return kind if kind in LEVELS else None


@dataclass
class Chart:
    """One panel's figures. `option` is an ECharts option (JSON only, no functions); a data item may be a
    dict with `url`, the list behind that bar, cell or slice, which the page opens on click. `rows` are the
    same figures for the Excel export, under `columns` ((key, Chinese header), in order). `list_url` is the
    list behind the whole panel; `note` one line of context shown under the chart, so a figure is never
    read alone."""

    option: dict[str, Any]
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]]
    list_url: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Panel:
    """`build(user, org, today)` returns the panel's Chart for `org`'s subtree as `user` may see it, in a
    constant number of queries whatever the row count."""

    code: str
    title: str
    levels: frozenset[str]
    build: Callable[[Any, Any, datetime.date], Chart]
    order: int = 100


PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    if panel.code in PANELS:
        raise ValueError(f"dashboard panel {panel.code!r} registered twice")
    PANELS[panel.code] = panel
    return panel


def panels_for(level: str) -> list[Panel]:
    return sorted((p for p in PANELS.values() if level in p.levels), key=lambda p: (p.order, p.code))
