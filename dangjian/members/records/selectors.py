"""Scoped reads for the records pages: what is proposed for a lost member, the month's dues of a roll,
households nobody looks after per branch. Each is a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from dangjian.core.dates import add_months, add_years

from ..choices import MemberStatus, Standing
from ..models import DuesPayment, Household, Member
from ..rules import LOST_CONTACT_SUSPEND_MONTHS, SUSPENSION_REMOVE_YEARS
from .common import reached
from .filtersets import open_link


def lost_or_suspended() -> Q:
    return Q(standing=Standing.NORMAL, lost_contact_since__isnull=False) | Q(standing=Standing.SUSPENDED)


def proposal(member: Member, today: datetime.date) -> tuple[str, str, datetime.date | None]:
    """(decision kind, what is proposed in words, from when) for a lost or suspended member."""
    months, years = LOST_CONTACT_SUSPEND_MONTHS.value, SUSPENSION_REMOVE_YEARS.value
    if member.standing == Standing.SUSPENDED and member.standing_since:
        due = add_years(member.standing_since, years)
        if due <= today:
            return "remove", "建议按自行脱党除名", due
        return "restore", f"停止党籍中；{due:%Y-%m-%d}前可经县级组织部门批准恢复党籍", due
    if member.lost_contact_since:
        due = add_months(member.lost_contact_since, months)
        if reached(member.lost_contact_since, today, months):
            if member.status == MemberStatus.PROBATIONARY:
                return "", "失联的预备党员应取消预备党员资格", due
            return "suspend", "建议停止党籍", due
        return "found", f"继续查找；{due:%Y-%m-%d}满{months}个月", due
    return "", "", None


def with_month_payment(queryset: QuerySet[Member], month: datetime.date) -> QuerySet[Member]:
    """Members annotated with the month's payment (amount and date), members who joined later left out."""
    payment = DuesPayment.objects.filter(member=OuterRef("pk"), month=month)
    return queryset.filter(joined_on__lt=add_months(month, 1)).annotate(
        paid_amount=Subquery(payment.values("amount")[:1]),
        paid_on=Subquery(payment.values("paid_on")[:1]),
    )


def unlinked_by_branch(households: QuerySet[Household]) -> list[dict[str, Any]]:
    """Per branch, how many of the (already restricted) households have no member looking after them."""
    return list(
        households.exclude(open_link())
        .values("org_id", "org__name")
        .annotate(n=Count("id"))
        .order_by("org__path")
    )
