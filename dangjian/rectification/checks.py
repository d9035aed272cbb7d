"""Findings of the rectification app: a county contact leader (包联领导) of a branch under rectification
who did not visit it at least once last month. One query over the supports the user may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from dangjian.core.findings import Finding, register_check
from dangjian.core.rules import rule_values
from dangjian.members.records.common import cite

from . import rules as R
from .choices import CaseStatus, SupportKind

AREA = "软弱涣散村党组织整顿"


@register_check("rectification.leader_visits", "包联领导当月未到村", AREA)
def leader_visits(user: Any, today: datetime.date) -> list[Finding]:
    """Last calendar month, for supports in place since its first day: fewer visits than the county's rule."""
    from .models import Support

    end = today.replace(day=1)
    start = (end - datetime.timedelta(days=1)).replace(day=1)
    rows = list(
        Support.objects.restrict(user)
        .filter(
            kind=SupportKind.COUNTY_LEADER,
            since__lte=start,
            case__status__in=(CaseStatus.IDENTIFIED, CaseStatus.RECTIFYING),
        )
        .annotate(n=Count("visits", filter=Q(visits__visited_on__gte=start, visits__visited_on__lt=end)))
        .values("pk", "name", "n", "case_id", "case__org_id", "case__org__name", "case__county_id")
        .order_by("case__org__path")
    )
    need = rule_values(R.LEADER_VISITS.code, {r["case__county_id"] for r in rows})
    found = []
    for r in rows:
        minimum = int(need[r["case__county_id"]])
        if r["n"] < minimum:
            found.append(
                Finding(
                    rule=R.LEADER_VISITS.code,
                    org_id=r["case__org_id"],
                    org_name=r["case__org__name"],
                    subject=f"{r['case__org__name']}包联领导{r['name']}",
                    message=f"{start:%Y年%m月}到村{r['n']}次，少于每月{minimum}次{cite(R.LEADER_VISITS)}。",
                    severity="overdue",
                    due_on=end - datetime.timedelta(days=1),
                    url=reverse("rectification-detail", args=[r["case_id"]]),
                )
            )
    return found
