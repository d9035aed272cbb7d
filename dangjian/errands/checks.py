"""Findings of the errands app (registered with dangjian.core.findings): a township with service
centres that used fewer half-days than the rule in a month. One query per period through the scope
layer; a half-day counts once however many centres open in it."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from dangjian.core.findings import Finding, register_check
from dangjian.members.records.common import cite
from dangjian.stations.selectors import county_rules

from . import rules as R
from .models import ServiceCentre, ServiceSession
from .selectors import Month, slot_count, townships

AREA = "群众事项代办"


def schedule_url(township_id: int, month: Month) -> str:
    return f"{reverse('service-schedule')}?township={township_id}&month={month.key}"


@register_check("errands.service_half_days_short", "乡镇便民服务中心每月下村服务半天数不足", AREA)
def service_half_days_short(user: Any, today: datetime.date) -> list[Finding]:
    """Overdue for the last closed month (townships with a centre open then); due soon for the current
    month (townships with a centre open now) while fewer half-days than the rule are on the schedule,
    future ones included."""
    rule = county_rules([R.HALF_DAYS_PER_MONTH.code], today)[R.HALF_DAYS_PER_MONTH.code]
    visible = townships(user, "view", ServiceCentre)
    current = Month.of(today)
    closed = current.previous()
    found = []
    for month, severity, still_open in (
        (closed, "overdue", Q(archived_at__isnull=True) | Q(archived_at__date__gte=closed.start)),
        (current, "due_soon", Q(archived_at__isnull=True)),
    ):
        open_then = ServiceCentre.objects.filter(
            still_open, org=OuterRef("pk"), created_at__date__lte=month.end
        )
        rows = (
            visible.filter(Exists(open_then))
            .annotate(n=slot_count(ServiceSession.objects.filter(month.q())))
            .filter(rule.q("path", lambda v: Q(n__lt=v)))
        )
        for t in rows:
            wanted = rule.for_path(t.path)
            state = "" if severity == "overdue" else "目前安排了"
            found.append(
                Finding(
                    rule=R.HALF_DAYS_PER_MONTH.code,
                    org_id=t.pk,
                    org_name=t.name,
                    subject=t.name,
                    message=f"{month.label}便民服务中心{state}{t.n}个半天，应不少于{wanted}个"
                    f"{cite(R.HALF_DAYS_PER_MONTH)}。",
                    severity=severity,
                    due_on=month.end,
                    url=schedule_url(t.pk, month),
                )
            )
    return found
