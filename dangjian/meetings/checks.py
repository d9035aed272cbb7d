"""Findings of the meetings app (registered with dangjian.core.findings), read by /findings/, the
dashboards, reminders and scores.

- meetings.unmet: an obligation of the most recently closed month, quarter and year not met (red), and
  the weeks of this month already past without the office's weekly summary — older periods are history
  for the compliance page, not work to do;
- meetings.due_soon: this month, quarter or year closes within the county's warning window and an
  obligation is still open (amber, due on the period's last day);
- meetings.absent_running: members who missed their most recent held meetings without leave, time
  after time (red once that reaches the 党章's six months).

Each check is a few aggregate queries through the compliance engine, whatever the number of orgs.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from dangjian.core.findings import Finding, pk_url, register_check

from . import rules as R
from .compliance import Cell, Compliance, Period, absent_runs, evaluate, local_values, scope_of, stretch_label

AREA = "组织生活"


def compliance_url(org_id: int, period: Period) -> str:
    """The evidence of a finding: the compliance page of that org and period."""
    return f"{reverse('meeting-compliance')}?org={org_id}&period={period.key}"


def _what(ob: R.Obligation, cell: Cell) -> str:
    each = "，每个党小组1次" if ob.needs == "groups" else ""
    return f"（应至少{cell.required}次{each}）"


def _message(period: Period, ob: R.Obligation, cell: Cell, state: str, today: datetime.date) -> str:
    if ob.period == "week":
        weeks = [stretch_label(s, e) for s, e, st in cell.missing if st == state]
        listed = "、".join(weeks)
        return f"{period.label}有{len(weeks)}周未召开{ob.title}（{listed}；应每周至少{cell.required}次）"
    held = f"只召开{cell.meetings}次" if cell.meetings else "未召开"
    text = f"{period.label}{held}{ob.title}{_what(ob, cell)}"
    if state == "due_soon":
        left = (period.end - today).days
        so_far = held.removeprefix("只")
        text = f"{period.label}尚{so_far}{ob.title}{_what(ob, cell)}，{period.end:%Y-%m-%d}截止，还剩{left}天"
    return text


def _findings(result: Compliance, state: str, today: datetime.date) -> list[Finding]:
    period = result.period
    found = []
    for org, ob, cell in result.own_cells():
        if not (cell.overdue if state == "overdue" else cell.due_soon):
            continue
        ends = [e for _, e, st in cell.missing if st == state]
        found.append(
            Finding(
                rule=ob.code,
                org_id=org.id,
                org_name=org.name,
                subject=f"{period.label} {ob.title}",
                message=_message(period, ob, cell, state, today) + "。",
                severity=state,
                due_on=max(ends) if ob.period == "week" else period.end,
                url=compliance_url(org.id, period),
            )
        )
    return found


@register_check("meetings.unmet", "会议未按规定召开", AREA)
def unmet(user, today: datetime.date) -> list[Finding]:
    prefixes = scope_of(user)
    if not prefixes:
        return []
    found: list[Finding] = []
    for kind in ("month", "quarter", "year"):
        last = Period.containing(today, kind).previous()
        periods = {"month", "week"} if kind == "month" else {kind}
        found += _findings(evaluate(prefixes, last, today, user=user, periods=periods), "overdue", today)
    this_month = Period.containing(today, "month")
    found += _findings(evaluate(prefixes, this_month, today, user=user, periods={"week"}), "overdue", today)
    return found


@register_check("meetings.due_soon", "会议即将到期未召开", AREA, red=False)
def due_soon(user, today: datetime.date) -> list[Finding]:
    prefixes = scope_of(user)
    if not prefixes:
        return []
    window = local_values([R.WARNING_DAYS.code], today)[R.WARNING_DAYS.code]
    found: list[Finding] = []
    for kind in ("month", "quarter", "year"):
        current = Period.containing(today, kind)
        if (current.end - today).days > window.largest:
            continue  # no county's window has opened yet
        found += _findings(evaluate(prefixes, current, today, user=user, periods={kind}), "due_soon", today)
    return found


@register_check("meetings.absent_running", "党员连续缺席组织生活", AREA)
def absent_running(user, today: datetime.date) -> list[Finding]:
    found = []
    for run in absent_runs(scope_of(user), today, user=user):
        if run.months_out:
            rule, severity = R.ABSENT_MONTHS.code, "overdue"
            extra = "，已连续六个月以上未参加党的组织生活，请按党章第九条处理"
        else:
            rule, severity, extra = R.ABSENT_RUNNING.code, "info", ""
        found.append(
            Finding(
                rule=rule,
                org_id=run.org_id,
                org_name=run.org_name,
                subject=run.name,
                message=(
                    f"最近{run.run}次已召开的会议均未请假缺席（{run.since:%Y-%m-%d}至{run.last:%Y-%m-%d}）{extra}。"
                ),
                severity=severity,
                due_on=None,
                url=pk_url("member-detail", run.member_id),
            )
        )
    return found
