"""The compliance page (who held what they owed, per org and period) and the calendar (every routine
planned, held or owed this month; gathered by meetings/calendar.py). Read-only, within the user's
scope; an org outside it answers 404."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from dangjian.core.excel import xlsx_response
from dangjian.core.routes import scoped
from dangjian.orgs.choices import OrgKind

from . import calendar, compliance_tables
from .compliance import PERIOD_LABELS, Period, evaluate, org_for, scope_of, visible_orgs
from .models import Meeting

PICKER_LIMIT = 500
CALENDAR_LIMIT = 300  # records of each kind on the page
EXPORT_LIMIT = 20000  # records of each kind in the Excel file
PICKER_KINDS = [k for k in OrgKind.values if k not in (OrgKind.BRANCH, OrgKind.COMMUNITY, OrgKind.GROUP)]


def require_scope(user) -> None:
    if not scope_of(user):
        raise PermissionDenied("您的角色不能查看组织生活情况。")


def period_from(params, today: datetime.date) -> tuple[Period, str]:
    """`?period=2026-Q4`, or the picker's kind/year/month/quarter; the current month by default.
    Bad input gives the current month and a message to show beside the picker."""
    text = params.get("period")
    kind = params.get("kind")
    try:
        if text:
            return Period.parse(text), ""
        if kind:
            year = int(params.get("year") or today.year)
            if kind == "month":
                return Period.parse(f"{year}-{int(params.get('month') or today.month):02d}"), ""
            if kind == "quarter":
                return Period.parse(f"{year}-Q{int(params.get('quarter') or 1)}"), ""
            if kind == "year":
                return Period.parse(str(year)), ""
            raise ValueError(kind)
    except (TypeError, ValueError):
        return Period.containing(
            today
        ), "期间格式不正确：请选择月度（如2026-11）、季度（如2026-Q4）或年度（如2026）。"
    return Period.containing(today), ""


def breadcrumb(user, org) -> list:
    """The org's ancestors the user may see, top first."""
    ids = org.ancestor_ids()
    return list(visible_orgs(user).filter(pk__in=ids).order_by("depth")) if ids else []


def org_choices(user) -> list[tuple[int, str]]:
    orgs = list(
        visible_orgs(user)
        .filter(kind__in=PICKER_KINDS)
        .order_by("path")
        .values_list("pk", "name", "depth")[:PICKER_LIMIT]
    )
    top = min((d for _, _, d in orgs), default=0)
    return [(pk, "\u3000" * (depth - top) + name) for pk, name, depth in orgs]


@scoped("list", model=Meeting, exports=True)
@login_required
@require_GET
def compliance_page(request):
    """An org's children with their held-rate, attendance-rate and each rule's count against what was
    owed; red unmet in a closed period, amber closing within the warning window, green met."""
    user, today = request.user, timezone.localdate()
    require_scope(user)
    org = org_for(user, request.GET.get("org"))
    period, error = period_from(request.GET, today)
    result = evaluate([org.path], period, today, user=user)
    table = compliance_tables.build(result, org.pk)
    if request.GET.get("export") == "xlsx":
        stamp = timezone.localtime()
        name = f"组织生活完成情况-{org.name}-{period.label}"
        return xlsx_response(
            f"{name}-{stamp:%Y%m%d-%H%M}.xlsx",
            "组织生活完成情况",
            table.headers(),
            table.export_rows(),
            title=f"{org.name} {period.label} 组织生活完成情况（导出时间 {stamp:%Y-%m-%d %H:%M}）",
        )
    choices = org_choices(user)
    ctx = {
        "title": "组织生活完成情况",
        "org": org,
        "table": table,
        "period": period,
        "error": error,
        "previous": period.previous(),
        "next": period.next(),
        "closed": period.closed(today),
        "window": result.window.for_path(org.path),
        "breadcrumb": breadcrumb(user, org),
        "org_choices": choices,
        "org_in_choices": any(pk == org.pk for pk, _ in choices),
        "years": list(range(today.year + 1, today.year - 6, -1)),
        "months": list(range(1, 13)),
        "quarters": [(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
        "period_kinds": list(PERIOD_LABELS.items()),
        "meeting_list": compliance_tables.meeting_list_url(),
    }
    return render(request, "meetings/compliance.html", ctx, status=400 if error else 200)


# --- the calendar ------------------------------------------------------------------------------------


def calendar_org(user, params) -> tuple:
    """The org asked for (404 outside scope, as everywhere), or the user's top org and a message
    when `?org=` is not an id at all."""
    text = (params.get("org") or "").strip()
    if text and not (text.isdigit() and int(text) < 2**31):
        return org_for(user, None), "组织参数不正确：请从列表中选择组织。"
    return org_for(user, text or None), ""


def calendar_month(params, today: datetime.date) -> tuple[Period, str]:
    try:
        month = Period.parse(params["month"]) if params.get("month") else Period.containing(today)
        if month.kind != "month":
            raise ValueError(month.key)
    except ValueError:
        return Period.containing(today), "月份格式不正确：请按“2026-11”的格式选择月份。"
    return month, ""


def calendar_kinds(params) -> tuple[list[str], str]:
    try:
        return calendar.parse_kinds(params.getlist("show")), ""
    except ValueError:
        names = "、".join(calendar.KINDS.values())
        return list(calendar.KINDS), f"事项类别不正确：请在{names}中选择。"


@scoped("list", model=Meeting, exports=True)
@login_required
@require_GET
def calendar_page(request):
    """Per org and month: every routine planned, held or owed — meetings, field visits, inspections,
    service half-days, research rounds and trainings — and the month's items as an Excel file."""
    user, today = request.user, timezone.localdate()
    require_scope(user)
    org, org_error = calendar_org(user, request.GET)
    month, month_error = calendar_month(request.GET, today)
    kinds, kind_error = calendar_kinds(request.GET)
    error = org_error or month_error or kind_error
    exporting = request.GET.get("export") == "xlsx" and not error
    found = calendar.gather(user, org, month, today, kinds, EXPORT_LIMIT if exporting else CALENDAR_LIMIT)
    if exporting:
        stamp = timezone.localtime()
        cut = (
            f"；{'、'.join(found.truncated)}超过{EXPORT_LIMIT}条，只导出前{EXPORT_LIMIT}条"
            if found.truncated
            else ""
        )
        return xlsx_response(
            f"组织生活日历-{org.name}-{month.label}-{stamp:%Y%m%d-%H%M}.xlsx",
            "组织生活日历",
            calendar.EXPORT_HEADERS,
            calendar.export_rows(
                sorted([*found.done, *found.owed], key=lambda i: i["day"]), request.build_absolute_uri
            ),
            title=f"{org.name} {month.label} 组织生活日历（{'、'.join(calendar.KINDS[k] for k in kinds)}；"
            f"导出时间 {stamp:%Y-%m-%d %H:%M}{cut}）",
        )
    owed = found.owed[:CALENDAR_LIMIT]
    weeks = calendar.month_grid(month, today, found.done, owed)
    show = urlencode([("show", k) for k in kinds]) if len(kinds) < len(calendar.KINDS) else ""
    ctx = {
        "title": "组织生活日历",
        "org": org,
        "month": month,
        "previous": month.previous(),
        "next": month.next(),
        "weeks": weeks,
        "busy_days": [d for w in weeks for d in w if d["in_month"] and (d["items"] or d["owed"])],
        "owed": owed,
        "owed_total": len(found.owed),
        "done_total": len(found.done),
        "truncated": found.truncated,
        "limit": CALENDAR_LIMIT,
        "weekdays": calendar.WEEKDAYS,
        "breadcrumb": breadcrumb(user, org),
        "org_choices": org_choices(user),
        "error": error,
        "ending": found.ending,
        "kinds": [(k, label, k in kinds) for k, label in calendar.KINDS.items()],
        "show": show,
        "export_query": urlencode([("org", org.pk), ("month", month.key), *(("show", k) for k in kinds)]),
    }
    return render(request, "meetings/calendar.html", ctx, status=400 if error else 200)
