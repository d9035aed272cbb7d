"""Findings on member development (registered with dangjian.core.findings): steps past their deadline,
steps due within the warning window, and branches that have admitted no one for years. Each check is
one or two queries through the scope layer."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse

from dangjian.core.findings import Finding, register_check

from . import rules as R
from . import selectors
from .models import DevelopmentCase

AREA = "发展党员"


def _finding(case: DevelopmentCase, severity: str, today: datetime.date) -> Finding:
    rule = selectors.deadline_rule(case) or R.DUE_SOON_DAYS
    title = R.step_title(case.rule_version, case.next_step)
    if rule is R.ASSESSMENT_MONTHS:
        title = f"培养考察（每半年一次）或“{title}”"
    else:
        title = f"“{title}”"
    days = (case.next_due - today).days
    if severity == "overdue":
        message = f"{title}应于{case.next_due:%Y-%m-%d}前办理，已逾期{-days}天。"
    else:
        message = f"{title}应于{case.next_due:%Y-%m-%d}前办理，还剩{days}天。"
    return Finding(
        rule=rule.code,
        org_id=case.org_id,
        org_name=case.org.name,
        subject=case.person.name,
        message=message,
        severity=severity,
        due_on=case.next_due,
        url=case.get_absolute_url(),
    )


@register_check("development.overdue", "发展党员步骤已逾期", AREA)
def overdue(user, today: datetime.date) -> list[Finding]:
    rows = selectors.cases(user).filter(status__in=selectors.ACTIVE, next_due__lt=today)
    return [_finding(c, "overdue", today) for c in rows.order_by("next_due", "pk")]


@register_check("development.due_soon", "发展党员步骤即将到期", AREA, red=False)
def due_soon(user, today: datetime.date) -> list[Finding]:
    window = selectors.county_rules([R.DUE_SOON_DAYS.code], today)[R.DUE_SOON_DAYS.code]
    soon = window.q(
        "org__path",
        lambda days: Q(next_due__gte=today, next_due__lte=today + datetime.timedelta(days=int(days))),
    )
    rows = selectors.cases(user).filter(soon, status__in=selectors.ACTIVE)
    return [_finding(c, "due_soon", today) for c in rows.order_by("next_due", "pk")]


@register_check("development.no_admission", "长期未发展党员的党支部", AREA, red=False)
def no_admission(user, today: datetime.date) -> list[Finding]:
    rule = selectors.county_rules([R.NO_ADMISSION_YEARS.code], today)[R.NO_ADMISSION_YEARS.code]
    board = reverse("development-board")
    found = []
    for org in selectors.no_admission(user, today, rule=rule):
        years = rule.for_path(org.path)
        since = f"最近一名党员入党时间为{org.last_joined:%Y-%m-%d}" if org.last_joined else "尚无党员入党记录"
        found.append(
            Finding(
                rule=R.NO_ADMISSION_YEARS.code,
                org_id=org.pk,
                org_name=org.name,
                subject=org.name,
                message=f"连续{years}年以上未发展党员（{since}）。",
                severity="info",
                url=f"{board}?org={org.pk}&status=all",
            )
        )
    return found
