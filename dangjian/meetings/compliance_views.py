"""The compliance page (who held what they owed, per org and period) and the calendar (what is planned
and what is owed this month). Read-only: both evaluate through the engine, within the user's scope;
an org outside it answers 404."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangjian.core.excel import xlsx_response
from dangjian.core.routes import scoped
from dangjian.orgs.choices import OrgKind

from . import compliance_tables
from .choices import MeetingStatus
from .compliance import (
    PERIOD_LABELS,
    Compliance,
    Period,
    evaluate,
    org_for,
    scope_of,
    stretch_label,
    visible_orgs,
)
from .models import Meeting

PICKER_LIMIT = 500
CALENDAR_LIMIT = 300
PICKER_KINDS = [k for k in OrgKind.values if k not in (OrgKind.BRANCH, OrgKind.COMMUNITY, OrgKind.GROUP)]
WEEKDAYS = "一二三四五六日"


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


def _meeting_url(m: Meeting) -> str:
    try:
        return m.get_absolute_url()
    except NoReverseMatch:
        return ""


def owed_items(result: Compliance) -> list[dict]:
    """Each obligation still open among the periods ending this month, on the day it closes."""
    items = []
    by_code = {o.code: o for o in result.obligations}
    for org, ob, cell in result.own_cells():
        for start, end, state in cell.missing:
            what = (
                result.period.label
                if ob.period == result.period.kind
                else f"{stretch_label(start, end)}这一周"
            )
            items.append(
                {
                    "day": end,
                    "org": org.name,
                    "org_id": org.id,
                    "title": by_code[ob.code].title,
                    "what": what,
                    "state": state,
                    "required": cell.required,
                }
            )
    return items


@scoped("list", model=Meeting)
@login_required
@require_GET
def calendar_page(request):
    """Per org and month: the meetings planned (and held), and what is owed with its closing date."""
    user, today = request.user, timezone.localdate()
    require_scope(user)
    org = org_for(user, request.GET.get("org"))
    error = ""
    try:
        month = Period.parse(request.GET["month"]) if request.GET.get("month") else Period.containing(today)
        if month.kind != "month":
            raise ValueError(month.key)
    except ValueError:
        month, error = Period.containing(today), "月份格式不正确：请按“2026-11”的格式选择月份。"
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(month.start, datetime.time.min, tzinfo=tz)
    finish = datetime.datetime.combine(month.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    meetings = list(
        Meeting.objects.restrict(user)
        .filter(org__path__startswith=org.path)
        .filter(
            Q(status=MeetingStatus.PLANNED, planned_at__gte=begin, planned_at__lt=finish)
            | Q(status=MeetingStatus.HELD, held_on__gte=month.start, held_on__lte=month.end)
        )
        .select_related("org")
        .order_by("planned_at", "pk")[: CALENDAR_LIMIT + 1]
    )
    ending = [month]
    if month.number % 3 == 0:
        ending.append(Period.containing(month.start, "quarter"))
    if month.number == 12:
        ending.append(Period.containing(month.start, "year"))
    owed: list[dict] = []
    for period in ending:
        kinds = {period.kind, "week"} if period.kind == "month" else {period.kind}
        owed += owed_items(evaluate([org.path], period, today, user=user, periods=kinds, upcoming=True))
    owed.sort(key=lambda i: (i["day"], i["org"], i["title"]))
    days: dict[datetime.date, dict] = {}
    first = month.start - datetime.timedelta(days=month.start.weekday())
    last = month.end + datetime.timedelta(days=6 - month.end.weekday())
    day = first
    while day <= last:
        days[day] = {
            "day": day,
            "weekday": WEEKDAYS[day.weekday()],
            "in_month": day.month == month.number,
            "today": day == today,
            "meetings": [],
            "owed": [],
        }
        day += datetime.timedelta(days=1)
    for m in meetings[:CALENDAR_LIMIT]:
        local = m.held_on if m.status == MeetingStatus.HELD else timezone.localtime(m.planned_at).date()
        when = timezone.localtime(m.held_at if m.status == MeetingStatus.HELD and m.held_at else m.planned_at)
        days[local]["meetings"].append({"m": m, "time": f"{when:%H:%M}", "url": _meeting_url(m)})
    for item in owed[:CALENDAR_LIMIT]:
        days[item["day"]]["owed"].append(item)
    weeks = [list(days.values())[i : i + 7] for i in range(0, len(days), 7)]
    ctx = {
        "title": "组织生活日历",
        "org": org,
        "month": month,
        "previous": month.previous(),
        "next": month.next(),
        "weeks": weeks,
        "busy_days": [d for d in days.values() if d["in_month"] and (d["meetings"] or d["owed"])],
        "owed": owed[:CALENDAR_LIMIT],
        "owed_total": len(owed),
        "meetings_truncated": len(meetings) > CALENDAR_LIMIT,
        "limit": CALENDAR_LIMIT,
        "weekdays": WEEKDAYS,
        "breadcrumb": breadcrumb(user, org),
        "org_choices": org_choices(user),
        "error": error,
        "ending": ending,
    }
    return render(request, "meetings/calendar.html", ctx, status=400 if error else 200)
