"""Findings on mobility, lost contact, transfers and dues (registered with dangjian.core.findings).

Each check reads only what the user may see, in a constant number of queries whatever the number of
rows: the thresholds become a cut-off date, so "six months ago or more" is one `<=` in SQL."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse

from dangjian.core.dates import add_months, add_years, month_start
from dangjian.core.findings import Finding, pk_url, register_check
from dangjian.core.rules import rule_values

from ..choices import DuesCategory, MemberStatus, Standing, TransferKind, TransferStatus
from ..models import DuesPayment, Member, MobileRecord, Transfer
from ..rules import (
    DUES_ARREARS_MONTHS,
    LOST_CONTACT_SUSPEND_MONTHS,
    MOBILE_TRANSFER_MONTHS,
    SUSPENSION_REMOVE_YEARS,
    TRANSFER_CONFIRM_DAYS,
)
from .common import Counties, cite, cutoff

AREA = "党员管理"


@register_check("members.mobile_transfer_due", "流动党员应转移组织关系", AREA)
def mobile_transfer_due(user: Any, today: datetime.date) -> list[Finding]:
    """Open spells at a fixed place that have lasted the full six months, unless a transfer is under way."""
    months = MOBILE_TRANSFER_MONTHS.value
    pending = Transfer.objects.filter(member=OuterRef("member"), status=TransferStatus.PENDING)
    rows = (
        MobileRecord.objects.restrict(user, "view")
        .filter(ended_on__isnull=True, fixed_place=True, since__lte=cutoff(today, months))
        .exclude(Exists(pending))
        .select_related("member__person", "org")
        .order_by("since", "pk")
    )
    return [
        Finding(
            rule=MOBILE_TRANSFER_MONTHS.code,
            org_id=r.org_id,
            org_name=r.org.name,
            subject=r.member.person.name,
            message=f"应转移组织关系：{r.since:%Y-%m-%d}起在{r.destination}，在外有相对固定处所已满{months}个月"
            f"{cite(MOBILE_TRANSFER_MONTHS)}。",
            severity="overdue",
            due_on=add_months(r.since, months),
            url=reverse("mobile-detail", args=[r.pk]),
        )
        for r in rows
    ]


@register_check("members.lost_contact_suspend", "失联满6个月建议停止党籍", AREA)
def lost_contact_suspend(user: Any, today: datetime.date) -> list[Finding]:
    months = LOST_CONTACT_SUSPEND_MONTHS.value
    rows = (
        Member.objects.restrict(user, "view")
        .filter(standing=Standing.NORMAL, lost_contact_since__lte=cutoff(today, months))
        .select_related("person", "org")
        .order_by("lost_contact_since", "pk")
    )
    findings = []
    for m in rows:
        proposal = (
            "失联的预备党员应取消预备党员资格" if m.status == MemberStatus.PROBATIONARY else "建议停止党籍"
        )
        findings.append(
            Finding(
                rule=LOST_CONTACT_SUSPEND_MONTHS.code,
                org_id=m.org_id,
                org_name=m.org.name,
                subject=m.person.name,
                message=f"{proposal}：自{m.lost_contact_since:%Y-%m-%d}失去联系已满{months}个月"
                f"{cite(LOST_CONTACT_SUSPEND_MONTHS)}。",
                severity="overdue",
                due_on=add_months(m.lost_contact_since, months),
                url=reverse("member-standing", args=[m.pk]),
            )
        )
    return findings


@register_check("members.suspension_remove", "停止党籍满2年建议除名", AREA)
def suspension_remove(user: Any, today: datetime.date) -> list[Finding]:
    years = SUSPENSION_REMOVE_YEARS.value
    rows = (
        Member.objects.restrict(user, "view")
        .filter(standing=Standing.SUSPENDED, standing_since__lte=cutoff(today, 12 * years))
        .select_related("person", "org")
        .order_by("standing_since", "pk")
    )
    return [
        Finding(
            rule=SUSPENSION_REMOVE_YEARS.code,
            org_id=m.org_id,
            org_name=m.org.name,
            subject=m.person.name,
            message=f"建议按自行脱党除名：自{m.standing_since:%Y-%m-%d}停止党籍已满{years}年"
            f"{cite(SUSPENSION_REMOVE_YEARS)}。",
            severity="overdue",
            due_on=add_years(m.standing_since, years),
            url=reverse("member-standing", args=[m.pk]),
        )
        for m in rows
    ]


@register_check("members.transfer_unconfirmed", "转接超过一个月未确认接收", AREA)
def transfer_unconfirmed(user: Any, today: datetime.date) -> list[Finding]:
    """Pending longer than the county's limit. The side that must act is the receiving branch for an
    internal transfer and the sending branch (awaiting the return slip) for one out of the system;
    that side's county sets the limit."""
    counties = Counties()
    limits = {k: int(v) for k, v in rule_values(TRANSFER_CONFIRM_DAYS.code, counties.ids).items()}
    shortest = min(limits.values())
    rows = (
        Transfer.objects.restrict(user, "view")
        .filter(status=TransferStatus.PENDING, issued_on__lt=today - datetime.timedelta(days=shortest))
        .select_related("member__person", "from_org", "to_org")
        .order_by("issued_on", "pk")
    )
    findings = []
    for t in rows:
        org = t.to_org if t.kind == TransferKind.INTERNAL else t.from_org
        days = limits[counties.of(org.path)]
        waited = (today - t.issued_on).days
        if waited <= days:
            continue
        period = "一个月" if days == 30 else f"{days}天"
        findings.append(
            Finding(
                rule=TRANSFER_CONFIRM_DAYS.code,
                org_id=org.pk,
                org_name=org.name,
                subject=t.member.person.name,
                message=f"转接超过{period}未确认接收：介绍信{t.issued_on:%Y-%m-%d}开具，已{waited}天"
                f"{cite(TRANSFER_CONFIRM_DAYS)}。",
                severity="overdue",
                due_on=t.issued_on + datetime.timedelta(days=days),
                url=reverse("transfer-detail", args=[t.pk]),
            )
        )
    return findings


@register_check("members.dues_arrears", "连续6个月未交纳党费", AREA)
def dues_arrears(user: Any, today: datetime.date) -> list[Finding]:
    """Members on the roll for the whole window who paid nothing in the six months ending last month:
    one query, the payments tested with NOT EXISTS over the window."""
    months = DUES_ARREARS_MONTHS.value
    last = add_months(month_start(today), -1)
    first = add_months(last, -(months - 1))
    paid = DuesPayment.objects.filter(member=OuterRef("pk"), month__gte=first, month__lte=last)
    rows = (
        Member.objects.restrict(user, "view")
        .filter(standing=Standing.NORMAL, joined_on__lt=add_months(first, 1))
        .exclude(dues_category=DuesCategory.EXEMPT)
        .exclude(Exists(paid))
        .order_by("org__path", "person__name")
        .values_list("pk", "org_id", "org__name", "person__name")
    )
    # Plain values and one message and URL pattern for all: a county can have thousands of these.
    message = f"连续{months}个月未交纳党费（{first:%Y年%m月}至{last:%Y年%m月}）{cite(DUES_ARREARS_MONTHS)}。"
    due_on = add_months(last, 1) - datetime.timedelta(days=1)
    return [
        Finding(
            rule=DUES_ARREARS_MONTHS.code,
            org_id=org_id,
            org_name=org_name,
            subject=name,
            message=message,
            severity="overdue",
            due_on=due_on,
            url=pk_url("member-dues", pk),
        )
        for pk, org_id, org_name, name in rows
    ]
