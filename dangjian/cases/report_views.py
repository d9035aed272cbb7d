"""The monthly ledger report (月度台账) of a county, township or station and the departments' answer and
solution rates (部门报到率、办结率): read-only pages over cases/stats.py with Excel export. An org or
county outside the user's scope answers 404; a bad month, date or org kind answers 400 in Chinese."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangjian.core.dates import add_months
from dangjian.core.errors import DomainError
from dangjian.core.excel import XLSX_TYPE
from dangjian.core.routes import scoped
from dangjian.orgs.models import Org

from . import stats
from .models import Case

PICKER_LIMIT = 500
EXPORT_OVERDUE_LIMIT = 20000
OVERDUE_HEADERS = [
    "受理编号",
    "标题",
    "类型",
    "类别",
    "所属组织",
    "责任人",
    "立项日期",
    "办结时限",
    "逾期天数",
    "状态",
]
RATE_HEADERS = [
    "部门",
    "按时报到率（%）",
    "按期办结率（%）",
    "派单",
    "已报到",
    "按时报到",
    "应按时报到",
    "退回",
    "待报到",
    "已办结",
    "按期办结",
    "应办结",
]


# --- parameters ----------------------------------------------------------------------------------------


def pick_org(user: Any, value: str | None) -> Org | None:
    """The org asked for (`?org=`), or the user's first county/township/station. Not a number or not a
    county/township/station → 400; outside the user's scope → 404, as everywhere."""
    value = (value or "").strip()
    if not value:
        return stats.report_orgs(user).order_by("depth", "path").first()
    if not value.isdigit() or int(value) >= 2**31:
        raise DomainError("组织参数不正确：请从列表中选择县、乡镇或工作站。", "org")
    org = Org.objects.restrict(user, "view").filter(pk=int(value)).first()
    if org is None:
        raise Http404("未找到")
    if org.kind not in stats.REPORT_KINDS:
        raise DomainError("月度台账只能按县、乡镇或工作站生成，请重新选择组织。", "org")
    if org.archived_at is not None:
        raise DomainError(f"“{org.name}”已撤销，请选择其他组织。", "org")
    return org


def org_choices(user: Any) -> list[tuple[int, str]]:
    orgs = list(stats.report_orgs(user).order_by("path").values_list("pk", "name", "depth")[:PICKER_LIMIT])
    top = min((d for _, _, d in orgs), default=0)
    return [(pk, "\u3000" * (depth - top) + name) for pk, name, depth in orgs]


def parse_day(text: str | None, label: str, field: str) -> datetime.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise DomainError(f"{label}格式不正确：请按“2026-11-22”的格式填写。", field) from exc


# --- Excel with one sheet per table --------------------------------------------------------------------


def workbook_response(filename: str, sheets: Sequence[tuple[str, str, list[str], Iterable[Sequence]]]):
    """An .xlsx with one sheet per (sheet name, title line, headers, rows), written in write-only mode."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, title, headers, rows in sheets:
        ws = wb.create_sheet(name[:31])
        ws.append([title])
        cells = []
        for h in headers:
            c = WriteOnlyCell(ws, value=h)
            c.font = bold
            cells.append(c)
        ws.append(cells)
        for row in rows:
            ws.append(list(row))
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(tmp)
    tmp.seek(0)
    response = FileResponse(tmp, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- the monthly ledger --------------------------------------------------------------------------------


def case_list_url(org_id: int, month: stats.Month, metric: str, kind: str = "", category: Any = "") -> str:
    """The case list behind one figure: the org's cases (with its subtree) of the kind and category that
    the figure counts (`category=0`: uncategorised), narrowed by `ledger=<metric>:<month>`."""
    params: list[tuple[str, Any]] = [("org", org_id)]
    if kind:
        params.append(("kind", kind))
    if category != "":
        params.append(("category", category or 0))
    params.append(("ledger", f"{metric}:{month.key}"))
    return f"{reverse('case-list')}?{urlencode(params)}"


def _cells(counts: stats.Counts, url) -> list[dict]:
    """One dict per figure: value, link (None for a zero or where no list matches it) and colour."""
    colours = {"overdue_at_end": "status-red", "closed_late": "status-red", "closed_on_time": "status-green"}
    cells = []
    for code in stats.LEDGER_METRICS:
        value = getattr(counts, code)
        cells.append(
            {
                "code": code,
                "value": value,
                "url": url(code) if value and url else None,
                "css": colours.get(code, "") if value else "",
            }
        )
    return cells


def ledger_tables(report: stats.MonthlyLedger) -> dict[str, Any]:
    org, month = report.org, report.month
    rows = []
    for r in report.rows:
        kind, cat = r.kind, ("" if r.subtotal else r.category_id)

        def url(code, kind=kind, cat=cat):
            return case_list_url(org.pk, month, code, kind, cat)

        rows.append({"row": r, "cells": _cells(r.counts, url)})
    org_rows = []
    for r in report.org_rows:

        def town_url(code, pk=r.org_id):
            return case_list_url(pk, month, code)

        org_rows.append({"row": r, "cells": _cells(r.counts, town_url if r.org_id else None)})
    total = _cells(report.total, lambda code: case_list_url(org.pk, month, code))
    return {"rows": rows, "org_rows": org_rows, "total": total}


def _overdue_row(case: Case, cutoff: datetime.date) -> list[Any]:
    return [
        case.receipt_no,
        case.title,
        case.get_kind_display(),
        case.category.name if case.category_id else "",
        case.org.name,
        case.owner.display_name if case.owner_id else "",
        case.opened_on,
        case.deadline,
        (cutoff - case.deadline).days if case.deadline else "",
        case.state_label,
    ]


def ledger_export(report: stats.MonthlyLedger):
    org, month = report.org, report.month
    stamp = timezone.localtime()
    name = f"{org.name}{month.label}月度台账"
    heads = list(stats.LEDGER_METRICS.values())
    summary = [[r.kind_label, r.category, *r.counts.values()] for r in report.rows]
    summary.append(["合计", "", *report.total.values()])
    cutoff = "截至今天" if month.running else f"截至{month.end:%Y-%m-%d}"
    sheets: list[tuple[str, str, list[str], Iterable[Sequence]]] = [
        (
            "分类汇总",
            f"{name}（{cutoff}；导出时间 {stamp:%Y-%m-%d %H:%M}）",
            ["类型", "类别", *heads],
            summary,
        )
    ]
    if report.org_rows:
        towns = [[r.name, *r.counts.values()] for r in report.org_rows]
        towns.append(["合计", *report.total.values()])
        sheets.append(("各乡镇", f"{name}·各乡镇", ["乡镇", *heads], towns))
    sheets.append(
        (
            "月末逾期案件",
            f"{name}·月末逾期案件（共{report.total.overdue_at_end}件）",
            OVERDUE_HEADERS,
            [_overdue_row(c, month.cutoff_day) for c in report.overdue],
        )
    )
    return workbook_response(f"{name}-{stamp:%Y%m%d-%H%M}.xlsx", sheets)


@scoped("list", model=Case, exports=True)
@login_required
@require_GET
def ledger_page(request):
    """A county's, township's or station's cases in a month per kind and category (a county also per
    township), each figure a link to the cases behind it, and the cases overdue at month end."""
    user, today = request.user, timezone.localdate()
    month_text = request.GET.get("month")
    ctx: dict[str, Any] = {
        "title": "案件月度台账",
        "org_choices": org_choices(user),
        "headers": stats.LEDGER_METRICS,
        "month_value": (month_text or "").strip() or f"{add_months(today.replace(day=1), -1):%Y-%m}",
        "max_month": f"{today:%Y-%m}",
    }
    try:
        org = pick_org(user, request.GET.get("org"))
        month_start = stats.parse_month(month_text, today)
    except DomainError as e:
        ctx["error"] = e.message
        return render(request, "cases/report.html", ctx, status=400)
    if org is None:
        ctx["empty"] = "您的管辖范围内没有县、乡镇或工作站，无法生成月度台账。"
        return render(request, "cases/report.html", ctx)
    exporting = request.GET.get("export") == "xlsx"
    report = stats.monthly_ledger(
        user,
        org,
        month_start,
        today=today,
        overdue_limit=EXPORT_OVERDUE_LIMIT if exporting else stats.OVERDUE_LIMIT,
    )
    if exporting:
        return ledger_export(report)
    month = report.month
    ctx.update(
        title=f"{org.name}{month.label}案件月度台账",
        org=org,
        report=report,
        month=month,
        month_value=month.key,
        previous=f"{add_months(month.start, -1):%Y-%m}",
        next=f"{add_months(month.start, 1):%Y-%m}" if not month.running else "",
        org_in_choices=any(pk == org.pk for pk, _ in ctx["org_choices"]),
        overdue_rows=[(c, (month.cutoff_day - c.deadline).days) for c in report.overdue],
        **ledger_tables(report),
    )
    return render(request, "cases/report.html", ctx)


# --- department rates ----------------------------------------------------------------------------------


def pick_county(user: Any, value: str | None) -> Org | None:
    value = (value or "").strip()
    counties = stats.rate_counties(user)
    if not value:
        return counties.order_by("path").first()
    if not value.isdigit() or int(value) >= 2**31:
        raise DomainError("县参数不正确：请从列表中选择县。", "county")
    county = counties.filter(pk=int(value)).first()
    if county is None:
        raise Http404("未找到")
    return county


def period_of(params, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """`?start=&end=` (dates), last month by default."""
    first = add_months(today.replace(day=1), -1)
    start = parse_day(params.get("start"), "开始日期", "start") or first
    end = parse_day(params.get("end"), "结束日期", "end") or add_months(first, 1) - datetime.timedelta(days=1)
    if end < start:
        raise DomainError("结束日期不能早于开始日期。", "end")
    if (end - start).days > 3660:
        raise DomainError("统计期间不能超过10年。", "end")
    return start, end


def rate_row(r: stats.DepartmentRate) -> list[Any]:
    return [
        r.name,
        r.answer_rate if r.answer_rate is not None else "—",
        r.solve_rate if r.solve_rate is not None else "—",
        r.routed,
        r.answered,
        r.answered_on_time,
        r.answer_due,
        r.declined,
        r.pending,
        r.solved,
        r.solved_on_time,
        r.solve_due,
    ]


@scoped("list", model=Case, exports=True)
@login_required
@require_GET
def department_page(request):
    """Per county department, over whistles raised in a period: routed, reported for duty on time, solved
    on time, declined, and the two rates the scores read. A liaison sees only their own department."""
    user, today = request.user, timezone.localdate()
    counties = list(stats.rate_counties(user).order_by("path").values_list("pk", "name")[:PICKER_LIMIT])
    ctx: dict[str, Any] = {
        "title": "部门报到率与办结率",
        "counties": counties,
        "start_value": request.GET.get("start", ""),
        "end_value": request.GET.get("end", ""),
    }
    try:
        county = pick_county(user, request.GET.get("county"))
        start, end = period_of(request.GET, today)
    except DomainError as e:
        ctx["error"] = e.message
        return render(request, "cases/report_departments.html", ctx, status=400)
    if county is None:
        ctx["empty"] = "您的管辖范围内没有县，无法统计部门报到率。"
        return render(request, "cases/report_departments.html", ctx)
    rates = stats.department_rates(user, county, start, end, today=today)
    if request.GET.get("export") == "xlsx":
        stamp = timezone.localtime()
        name = f"{county.name}部门报到率与办结率"
        title = f"{name}（{start:%Y-%m-%d}至{end:%Y-%m-%d}吹哨；导出时间 {stamp:%Y-%m-%d %H:%M}）"
        rows = [rate_row(r) for r in rates.rows] + [rate_row(rates.total)]
        return workbook_response(
            f"{name}-{stamp:%Y%m%d-%H%M}.xlsx", [("部门报到率", title, RATE_HEADERS, rows)]
        )
    ctx.update(
        title=f"{county.name}部门报到率与办结率",
        county=county,
        rates=rates,
        start_value=f"{start:%Y-%m-%d}",
        end_value=f"{end:%Y-%m-%d}",
        export_query=urlencode({"county": county.pk, "start": start, "end": end, "export": "xlsx"}),
    )
    return render(request, "cases/report_departments.html", ctx)
