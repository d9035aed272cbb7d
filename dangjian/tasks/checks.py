"""Findings of the monthly task lists (set-based, through the scope layer); the weekly cycle's are in
weekly_checks.py.

- tasks.assignment_overdue (red): an assignment (not passed on down) past its due date and not done.
- tasks.assignment_due_soon (amber): not done and due today or within the county's warning window
  (rule tasks.due_soon_days).

Weekly lists are left to weekly_checks (their report day is the week's, not the assignment's)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q

from dangjian.core.findings import Finding, pk_url, register_check
from dangjian.core.rules import REGISTRY, rule_values
from dangjian.members.records.common import cite

from . import rules as R
from .choices import AssignmentState, ListKind
from .models import Assignment

AREA = "任务清单与两下两上"
FIELDS = ("pk", "org_id", "org__name", "task__title", "due", "county_id", "done_amount", "target_amount")


def _open(user: Any, q: Q):
    return (
        Assignment.objects.restrict(user)
        .filter(q, relayed=False)
        .exclude(state=AssignmentState.DONE)
        .exclude(task__task_list__kind=ListKind.WEEKLY)
        .order_by("due", "org__path", "pk")
        .values(*FIELDS)
    )


def _finding(row: dict, message: str, severity: str, rule: str) -> Finding:
    return Finding(
        rule=rule,
        org_id=row["org_id"],
        org_name=row["org__name"],
        subject=f"任务“{row['task__title']}”",
        message=message,
        severity=severity,
        due_on=row["due"],
        url=pk_url("assignment-detail", row["pk"]),
    )


@register_check("tasks.assignment_overdue", "任务逾期未完成", AREA)
def assignment_overdue(user: Any, today: datetime.date) -> list[Finding]:
    return [
        _finding(
            row,
            f"已逾期{(today - row['due']).days}天（期限{row['due']:%Y-%m-%d}），"
            f"完成{row['done_amount'].normalize():f}/{row['target_amount'].normalize():f}。",
            "overdue",
            R.TASK_DUE.code,
        )
        for row in _open(user, Q(due__lt=today))
    ]


@register_check("tasks.assignment_due_soon", "任务即将到期", AREA, red=False)
def assignment_due_soon(user: Any, today: datetime.date) -> list[Finding]:
    rule = REGISTRY[R.DUE_SOON_DAYS.code]
    widest = int(rule.value)
    rows = list(_open(user, Q(due__gte=today, due__lte=today + datetime.timedelta(days=max(widest, 31)))))
    windows = {k: int(v) for k, v in rule_values(rule.code, {r["county_id"] for r in rows}).items()}
    found = []
    for row in rows:
        left = (row["due"] - today).days
        if left <= windows.get(row["county_id"], widest):
            when = "今天到期" if left == 0 else f"还有{left}天到期"
            found.append(
                _finding(
                    row,
                    f"{when}（期限{row['due']:%Y-%m-%d}），尚未完成{cite(rule)}。",
                    "due_soon",
                    rule.code,
                )
            )
    return found
