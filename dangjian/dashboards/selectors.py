"""Scoped reads of the dashboards: which org a dashboard is for (404 outside scope), its level, the
breadcrumb and the children to drill into, the month a page is read for, and the panels' charts built for
that org as JSON-ready dicts. A chart and its Excel export both come from `build_panels`, so they agree."""

from __future__ import annotations

import calendar
import datetime
import logging
import re
from dataclasses import asdict, dataclass
from typing import Any

from django.http import Http404

from dangjian.core.scope import get_scoped_or_404
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from .panels import PANELS, Chart, Panel, level_of, panels_for

log = logging.getLogger(__name__)
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
LEVEL_LABELS = {"county": "县级", "township": "乡镇级", "station": "工作站级", "branch": "村（社区）级"}
# Kinds whose dashboard a parent links to (a township's stations and communities, a station's villages).
CHILD_KINDS = (
    OrgKind.COUNTY,
    OrgKind.TOWNSHIP,
    OrgKind.STATION,
    OrgKind.BRANCH,
    OrgKind.COMMUNITY,
)


@dataclass(frozen=True)
class Month:
    """The month a dashboard is read for; `as_of` is the day its figures stand at (today in the running
    month, the month's last day for a past one)."""

    start: datetime.date
    as_of: datetime.date
    error: str = ""

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{self.start.year}年{self.start.month}月"


def month_from(text: str | None, today: datetime.date) -> Month:
    """`?month=2026-10` → that month; empty → this month. A bad or future month reads as this month with
    a message shown beside the picker."""
    this = Month(today.replace(day=1), today)
    text = (text or "").strip()
    if not text:
        return this
    m = MONTH.match(text)
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 2000:
        return Month(this.start, this.as_of, "月份格式不正确：请按“2026-10”的格式选择月份。")
    start = datetime.date(int(m.group(1)), int(m.group(2)), 1)
    if start > today:
        return Month(this.start, this.as_of, "不能查看尚未开始的月份，已显示本月。")
    last = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return Month(start, min(last, today))


def dashboard_org(user: Any, pk: Any) -> Org:
    """The org of a dashboard: open and in the user's scope, else 404 (as if absent)."""
    org = get_scoped_or_404(Org, user, "view", pk=pk)
    if org.archived_at is not None:
        raise Http404("未找到")
    return org


def top_org(user: Any) -> Org | None:
    """The user's own top org: the shallowest open org they may see that has a dashboard."""
    kinds = [k for k in OrgKind.values if level_of(k)]
    return (
        Org.objects.restrict(user, "view")
        .filter(archived_at__isnull=True, kind__in=kinds)
        .order_by("depth", "path")
        .first()
    )


def breadcrumb(user: Any, org: Org) -> list[Org]:
    """The org's ancestors the user may see, top first (one query)."""
    ids = org.ancestor_ids()
    if not ids:
        return []
    return list(
        Org.objects.restrict(user, "view").filter(pk__in=ids, archived_at__isnull=True).order_by("depth")
    )


def children(org: Org) -> list[Org]:
    """The open child orgs that have a dashboard of their own (one query); the org is already in scope,
    and so is its subtree."""
    return list(
        Org.objects.filter(parent=org, archived_at__isnull=True, kind__in=CHILD_KINDS).order_by(
            "sort_order", "path"
        )
    )


def panel_or_404(org: Org, code: str) -> Panel:
    """A panel shown at the org's level, else 404."""
    panel = PANELS.get(code or "")
    level = level_of(org.kind)
    if panel is None or level not in panel.levels:
        raise Http404("未找到该图表")
    return panel


def chart_dict(panel: Panel, chart: Chart) -> dict[str, Any]:
    data = asdict(chart)
    data["columns"] = [list(c) for c in chart.columns]
    return {"code": panel.code, "title": panel.title, **data}


def build_panel(panel: Panel, user: Any, org: Org, as_of: datetime.date) -> dict[str, Any]:
    """One panel as JSON. A panel that fails is shown as an error card and logged, so one app's fault
    does not take the whole dashboard down."""
    try:
        return chart_dict(panel, panel.build(user, org, as_of))
    except Exception:  # any app's panel; the log has the traceback
        log.exception("dashboard panel %s failed for org %s", panel.code, org.pk)
        return {"code": panel.code, "title": panel.title, "error": "该图表暂时无法生成，请稍后再试。"}


def build_panels(user: Any, org: Org, as_of: datetime.date, code: str | None = None) -> list[dict[str, Any]]:
    """Every panel of the org's level (or just `code`, 404 if not shown there), built for `as_of`."""
    if code:
        return [build_panel(panel_or_404(org, code), user, org, as_of)]
    level = level_of(org.kind)
    return [build_panel(p, user, org, as_of) for p in panels_for(level)] if level else []
