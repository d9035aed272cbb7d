"""党费: what a member owes each month under the 2008 rules, payments one at a time or as a branch's
monthly collection, and the months a member has not paid."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.dates import add_months, month_start
from dangjian.core.rules import rule_value, rule_values
from dangjian.core.scope import require
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of

from ..choices import Standing
from ..models import DuesPayment, Member
from ..records.common import Counties, Errors, cite, member_probe
from ..rules import DUES_FARMER_AMOUNT, DUES_WORKING_BANDS, dues_amount
from .roster import MEMBER_ORG_KINDS

ARREARS_LOOKBACK_MONTHS = 12


def monthly_amount(member: Member) -> Decimal:
    """The member's monthly dues, with the farmer amount in force in the member's county."""
    farmer = rule_value(DUES_FARMER_AMOUNT.code, county_of(member.org))
    return dues_amount(member.dues_category, member.dues_base, str(farmer))


class DuesCalculator:
    """Monthly amounts for many members in two queries: the counties, then their farmer amounts."""

    def __init__(self) -> None:
        self.counties = Counties()
        self.farmer = rule_values(DUES_FARMER_AMOUNT.code, self.counties.ids)

    def amount(self, member: Member) -> Decimal:
        farmer = self.farmer[self.counties.of(member.org.path)]
        return dues_amount(member.dues_category, member.dues_base, str(farmer))


def _check_month(e: Errors, member: Member, month: datetime.date, today: datetime.date) -> None:
    if month > month_start(today):
        e.add("不能登记以后月份的党费。", "month")
    if month < month_start(member.joined_on):
        e.add(f"{member.person.name}{member.joined_on:%Y年%m月}入党，不能登记此前月份的党费。", "month")


@transaction.atomic
def record_payment(
    actor: User,
    member: Member,
    month: datetime.date | None,
    amount: Decimal | None,
    paid_on: datetime.date | None,
    note: str = "",
    *,
    today: datetime.date | None = None,
) -> DuesPayment:
    """One month's dues for one member. An amount other than the computed one needs a note saying why
    (an approved reduction, a different base): the treasurer must be able to account for it."""
    today = today or timezone.localdate()
    member = Member.objects.select_for_update().select_related("person", "org").get(pk=member.pk)
    require(actor, "change", member)
    e = Errors()
    if member.standing != Standing.NORMAL:
        e.add(f"该党员党籍状态为“{member.get_standing_display()}”，不能登记党费。")
    note = e.text(note, label="备注", field="note", limit=200)
    if month is None:
        e.add("请填写所属月份。", "month")
    else:
        month = month_start(month)
        _check_month(e, member, month, today)
        if DuesPayment.objects.filter(member=member, month=month).exists():
            e.add(f"{member.person.name}{month:%Y年%m月}的党费已登记。", "month")
    e.date(paid_on, label="交纳日期", field="paid_on", today=today)
    expected = monthly_amount(member)
    if amount is None:
        e.add("请填写金额。", "amount")
    elif amount < 0:
        e.add("金额不能为负数。", "amount")
    elif amount != expected and not note:
        e.add(
            f"金额{amount}元与按规定计算的{expected}元（{member.get_dues_category_display()}）不一致；"
            f"如经批准减免或另有原因，请在备注中说明{cite(DUES_WORKING_BANDS)}。",
            "amount",
        )
    e.raise_any()
    payment = DuesPayment.objects.create(
        member=member,
        org=member.org,
        month=month,
        amount=amount,
        paid_on=paid_on,
        note=note,
        recorded_by=actor,
    )
    audit.record(actor, "dues.pay", payment, org=member.org, after=audit.snapshot(payment))
    return payment


@transaction.atomic
def record_payments_bulk(
    actor: User,
    org: Org,
    month: datetime.date | None,
    member_ids: Iterable[int],
    paid_on: datetime.date | None,
    *,
    today: datetime.date | None = None,
) -> list[DuesPayment]:
    """A branch's monthly collection: each chosen member pays the computed amount. All or nothing."""
    today = today or timezone.localdate()
    require(actor, "change", member_probe(org))
    ids = sorted({int(pk) for pk in member_ids})
    e = Errors()
    if org.kind not in MEMBER_ORG_KINDS:
        e.add("请选择村（社区）党支部。", "org")
    if not ids:
        e.add("请勾选交纳党费的党员。", "member_ids")
    e.date(paid_on, label="交纳日期", field="paid_on", today=today)
    if month is None:
        e.add("请填写所属月份。", "month")
        e.raise_any()
    month = month_start(month)
    members = list(
        Member.objects.filter(pk__in=ids, org=org, standing=Standing.NORMAL).select_related("person", "org")
    )
    if len(members) != len(ids):
        e.add("所选党员中有不在本支部花名册上（或党籍不正常）的，请刷新页面后重新勾选。", "member_ids")
    for member in members:
        _check_month(e, member, month, today)
    paid = DuesPayment.objects.filter(member_id__in=ids, month=month).values_list(
        "member__person__name", flat=True
    )
    if paid:
        e.add(f"{month:%Y年%m月}的党费已登记：{'、'.join(paid)}。", "member_ids")
    e.raise_any()
    calculator = DuesCalculator()
    payments = DuesPayment.objects.bulk_create(
        [
            DuesPayment(
                member=m,
                org=org,
                month=month,
                amount=calculator.amount(m),
                paid_on=paid_on,
                recorded_by=actor,
            )
            for m in members
        ]
    )
    for payment in payments:
        audit.record(actor, "dues.pay", payment, org=org, after=audit.snapshot(payment), note="按月集中收缴")
    return payments


def arrears(member: Member, *, today: datetime.date | None = None) -> list[datetime.date]:
    """Unpaid months from the later of the joining month and twelve months ago, to last month."""
    today = today or timezone.localdate()
    last = add_months(month_start(today), -1)
    first = max(month_start(member.joined_on), add_months(month_start(today), -ARREARS_LOOKBACK_MONTHS))
    paid = set(member.dues_payments.filter(month__gte=first, month__lte=last).values_list("month", flat=True))
    months, m = [], first
    while m <= last:
        if m not in paid:
            months.append(m)
        m = add_months(m, 1)
    return months
