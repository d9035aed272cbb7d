"""Pages of the dashboards: the dashboard of an org (cards of charts fetched as JSON), the big screen
(1920×1080, dark, refreshing itself), the charts' JSON and their Excel export. Read-only; an org outside
the user's scope answers 404."""

from __future__ import annotations

import tempfile
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangjian.core.dates import add_months
from dangjian.core.excel import XLSX_TYPE, excel_value
from dangjian.core.routes import scoped
from dangjian.orgs.models import Org

from . import rules as R
from .panels import level_of, panels_for
from .selectors import (
    LEVEL_LABELS,
    Month,
    breadcrumb,
    build_panels,
    children,
    dashboard_org,
    month_from,
    top_org,
)

MONTH_CHOICES = 24  # months offered in the picker, this one first


def _month(request) -> Month:
    return month_from(request.GET.get("month"), timezone.localdate())


def _context(request, org: Org, month: Month) -> dict[str, Any]:
    today = timezone.localdate()
    level = level_of(org.kind)
    start = today.replace(day=1)
    return {
        "org": org,
        "level": level,
        "level_label": LEVEL_LABELS.get(level or "", ""),
        "panels": panels_for(level) if level else [],
        "breadcrumb": breadcrumb(request.user, org),
        "children": children(org),
        "month": month,
        "months": [add_months(start, -i) for i in range(MONTH_CHOICES)],
        "data_url": f"{reverse('dashboard-data', args=[org.pk])}?month={month.key}",
        "export_url": reverse("dashboard-export", args=[org.pk]),
        "refresh_seconds": int(R.SCREEN_REFRESH_SECONDS.value),
    }


@scoped("user")
@login_required
@require_GET
def index(request):
    """The user's own top org's dashboard."""
    org = top_org(request.user)
    if org is None:
        return render(request, "dashboards/none.html", {"title": "数据看板"})
    return redirect("dashboard", pk=org.pk)


@scoped("object", model=Org)
@login_required
@require_GET
def dashboard(request, pk: int):
    org = dashboard_org(request.user, pk)
    month = _month(request)
    ctx = _context(request, org, month)
    ctx["title"] = f"{org.name}数据看板"
    return render(request, "dashboards/dashboard.html", ctx)


@scoped("object", model=Org)
@login_required
@require_GET
def screen(request, pk: int):
    """大屏: the same panels at 1920×1080 on a dark theme, re-fetching their JSON every minute."""
    org = dashboard_org(request.user, pk)
    ctx = _context(request, org, _month(request))
    ctx["title"] = f"{org.name}党建数据大屏"
    ctx["cols"], ctx["rows"] = screen_grid(len(ctx["panels"]))
    return render(request, "dashboards/screen.html", ctx)


@scoped("object", model=Org)
@login_required
@require_GET
def data(request, pk: int):
    """The charts as JSON: every panel of the org's level, or `?panel=<code>` alone (404 if not shown)."""
    org = dashboard_org(request.user, pk)
    month = _month(request)
    panels = build_panels(request.user, org, month.as_of, request.GET.get("panel"))
    return JsonResponse(
        {
            "org": {"id": org.pk, "name": org.name, "kind": org.kind, "level": level_of(org.kind)},
            "month": month.key,
            "as_of": month.as_of.isoformat(),
            "generated_at": timezone.localtime().isoformat(timespec="seconds"),
            "panels": panels,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@scoped("object", model=Org)
@login_required
@require_GET
def export(request, pk: int):
    """Excel of a panel's figures (`?panel=<code>`), or of every panel, one sheet each."""
    org = dashboard_org(request.user, pk)
    month = _month(request)
    code = request.GET.get("panel")
    panels = [p for p in build_panels(request.user, org, month.as_of, code) if "error" not in p]
    name = f"{org.name}-{panels[0]['title']}" if code and panels else f"{org.name}数据看板"
    return workbook_response(f"{name}-{month.key}.xlsx", panels, f"{org.name} {month.label}")


def screen_grid(n: int) -> tuple[int, int]:
    """Columns and rows that fit `n` cards on 1920×1080 without scrolling."""
    cols = 3 if n <= 6 else 4 if n <= 12 else 5
    return cols, max(1, -(-n // cols))


def workbook_response(filename: str, panels: list[dict[str, Any]], heading: str) -> FileResponse:
    """One sheet per panel: a title line (with the panel's note), the headers, the rows; write-only mode
    so a big panel streams in constant memory."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    stamp = timezone.localtime()
    used: set[str] = set()
    for p in panels:
        title = _sheet_title(p["title"], used)
        ws = wb.create_sheet(title)
        ws.append([f"{heading} {p['title']}（导出时间 {stamp:%Y-%m-%d %H:%M}）"])
        if p.get("note"):
            ws.append([p["note"]])
        header = []
        for _, label in p["columns"]:
            cell = WriteOnlyCell(ws, value=label)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        keys = [k for k, _ in p["columns"]]
        for row in p["rows"]:
            ws.append([excel_value(row.get(k)) for k in keys])
    if not panels:
        wb.create_sheet("无数据").append([f"{heading}：此级别没有图表。"])
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(tmp)
    tmp.seek(0)
    response = FileResponse(tmp, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:28] or "图表"
    name, n = clean, 2
    while name in used:
        name, n = f"{clean}{n}", n + 1
    used.add(name)
    return name
