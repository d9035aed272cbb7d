"""Findings of the two-down two-up weekly cycle (set-based, through the scope layer).

- tasks.report_missing (red): a village holding a week's task has not reported after the week's report day.
- tasks.compilation_missing (red): a station holding a week's list has not submitted its compilation after
  the week's compile day.
- tasks.weekly_due_soon (amber): either of those is due today or within the county's warning window.

One finding per village (or station) and week, whatever the number of tasks. Only the last
`LOOKBACK_WEEKS` weeks are read: older weeks are history for the reports, not reminders."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse

from dangjian.core.findings import Finding, register_check
from dangjian.stations.selectors import county_rules

from . import weekly_rules as WR
from .choices import CompilationState, ListKind
from .models import Assignment, Compilation
from .weekly import safe_url


def safe_url_name(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


AREA = "任务清单与两下两上"
LOOKBACK_WEEKS = 4
CYCLE = "task__task_list__cycle"


def _weekly(user: Any, today: datetime.date):
    since = today - datetime.timedelta(weeks=LOOKBACK_WEEKS)
    return Assignment.objects.restrict(user).filter(
        task__task_list__kind=ListKind.WEEKLY, **{f"{CYCLE}__week_start__gte": since}
    )


def _villages(user: Any, today: datetime.date, due_q: Q):
    """(village, week) pairs with a task of the week not reported, the week's report day matching."""
    return (
        _weekly(user, today)
        .filter(due_q, parent__isnull=False, relayed=False, first_report_at__isnull=True)
        .values_list(
            "org_id",
            "org__name",
            "parent__org_id",
            "parent__org__name",
            f"{CYCLE}__pk",
            f"{CYCLE}__week_start",
            f"{CYCLE}__report_due",
        )
        .order_by(f"{CYCLE}__week_start", "org__path")
        .distinct()
    )


def _stations(user: Any, today: datetime.date, due_q: Q):
    submitted = Compilation.objects.filter(
        cycle__task_list_id=OuterRef("task__task_list_id"),
        org_id=OuterRef("org_id"),
        state=CompilationState.SUBMITTED,
    )
    return (
        _weekly(user, today)
        .filter(due_q, parent__isnull=True, org__kind="station")
        .filter(~Exists(submitted))
        .values_list(
            "org_id",
            "org__name",
            f"{CYCLE}__pk",
            f"{CYCLE}__week_start",
            f"{CYCLE}__compile_due",
            f"{CYCLE}__org__name",
        )
        .order_by(f"{CYCLE}__week_start", "org__path")
        .distinct()
    )


def _station_url(station_id: int, cycle_id: int) -> str:
    base = safe_url("weekly-station", station_id)
    return f"{base}?cycle={cycle_id}" if base else ""


def _village_url(name: str, week: datetime.date) -> str:
    """The weekly tasks list at that week and village: the village reports from there."""
    base = safe_url_name("weekly-assignment-list")
    return f"{base}?{urlencode({'week': f'{week:%Y-%m-%d}', 'q': name})}" if base else ""


def _village_findings(rows, severity: str, today: datetime.date) -> list[Finding]:
    out = []
    for org_id, name, _station_id, station, _cycle_id, week, due in rows:
        when = "已过" if severity == "overdue" else ("今天到期" if due == today else f"{due:%Y-%m-%d}到期")
        out.append(
            Finding(
                rule=WR.REPORT_WEEKDAY.code,
                org_id=org_id,
                org_name=name,
                subject=f"{name}（{station}）{week:%Y-%m-%d}周",
                message=f"{week:%Y-%m-%d}周任务未向工作站汇报（村级汇报期限{due:%Y-%m-%d}{when}）。"
                if severity == "overdue"
                else f"{week:%Y-%m-%d}周任务尚未向工作站汇报，汇报期限{when}。",
                severity=severity,
                due_on=due,
                url=_village_url(name, week),
            )
        )
    return out


def _station_findings(rows, severity: str, today: datetime.date) -> list[Finding]:
    out = []
    for org_id, name, cycle_id, week, due, township in rows:
        when = "今天到期" if due == today else f"{due:%Y-%m-%d}到期"
        out.append(
            Finding(
                rule=WR.COMPILE_WEEKDAY.code,
                org_id=org_id,
                org_name=name,
                subject=f"{name}{week:%Y-%m-%d}周汇总",
                message=f"{week:%Y-%m-%d}周工作汇总未向{township}上报（期限{due:%Y-%m-%d}已过）。"
                if severity == "overdue"
                else f"{week:%Y-%m-%d}周工作汇总尚未向{township}上报，{when}。",
                severity=severity,
                due_on=due,
                url=_station_url(org_id, cycle_id),
            )
        )
    return out


@register_check("tasks.report_missing", "两下两上：村级周汇报逾期未报", AREA)
def report_missing(user: Any, today: datetime.date) -> list[Finding]:
    rows = _villages(user, today, Q(**{f"{CYCLE}__report_due__lt": today}))
    return _village_findings(rows, "overdue", today)


@register_check("tasks.compilation_missing", "两下两上：工作站周汇总逾期未上报", AREA)
def compilation_missing(user: Any, today: datetime.date) -> list[Finding]:
    rows = _stations(user, today, Q(**{f"{CYCLE}__compile_due__lt": today}))
    return _station_findings(rows, "overdue", today)


@register_check("tasks.weekly_due_soon", "两下两上：村级汇报或工作站汇总即将到期", AREA, red=False)
def weekly_due_soon(user: Any, today: datetime.date) -> list[Finding]:
    window = county_rules([WR.DUE_SOON_DAYS.code], today)[WR.DUE_SOON_DAYS.code]

    def soon(field: str):
        return Q(**{f"{CYCLE}__{field}__gte": today}) & window.q(
            "org__path", lambda v: Q(**{f"{CYCLE}__{field}__lte": today + datetime.timedelta(days=v)})
        )

    return _village_findings(
        _villages(user, today, soon("report_due")), "due_soon", today
    ) + _station_findings(_stations(user, today, soon("compile_due")), "due_soon", today)
