"""The only writer of earmarked funds: register a fund, allocate it down the tree, record a disbursement.
Each write locks its fund's row first, so two clerks passing on the same money are serialised and the
balance a write is checked against is the one it commits on."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import DomainError, DomainErrors
from dangjian.core.scope import require
from dangjian.members.records.common import Errors, cite
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import rules as R
from .choices import Purpose
from .models import Allocation, Disbursement, Fund
from .selectors import allocation_balance, fund_unallocated

VILLAGE_KINDS = frozenset({OrgKind.BRANCH, OrgKind.COMMUNITY})
CENT = Decimal("0.01")


def _raise(e: Errors) -> None:
    if e.items:
        raise e.items[0] if len(e.items) == 1 else DomainErrors(e.items)


def yuan(value: Decimal) -> str:
    return f"{value:,.2f}元"


def _amount(e: Errors, value: Any, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        e.add("金额须为数字（元）。", field)
        return Decimal(0)
    if not amount.is_finite() or amount <= 0:
        e.add("金额须大于0元。", field)
    elif amount != amount.quantize(CENT):
        e.add("金额最多保留两位小数（分）。", field)
    elif amount >= Decimal("1e12"):
        e.add("金额过大。", field)
    return amount


def _date(e: Errors, value: Any, label: str, today: datetime.date) -> None:
    if not isinstance(value, datetime.date):
        e.add(f"请填写{label}。", "on")
    elif value > today:
        e.add(f"{label}不能晚于今天。", "on")


def create_fund(
    actor: User,
    county: Org,
    *,
    name: str,
    year: int,
    purpose: str,
    amount: Any,
    document: str,
    demo_source: str = "",
) -> Fund:
    """Register a fund the county received (its amount, year, purpose and the document it came with)."""
    require(actor, "add", Fund(county=county))
    e = Errors()
    name = e.text(name, label="资金名称", field="name", limit=100, required=True)
    document = e.text(document, label="资金文件（文号）", field="document", limit=200, required=True)
    value = _amount(e, amount)
    if county.kind != OrgKind.COUNTY:
        e.add("专项资金按县登记。", "county")
    if purpose not in Purpose.values:
        e.add("请选择资金用途。", "purpose")
    if not 2000 <= int(year) <= timezone.localdate().year + 1:
        e.add("年度无效。", "year")
    _raise(e)
    with transaction.atomic():
        fund = Fund.objects.create(
            county=county,
            name=name,
            year=year,
            purpose=purpose,
            amount=value,
            document=document,
            demo_source=demo_source,
            created_by=actor,
        )
        audit.record(actor, "funds.create", fund, org=county, after=snapshot(fund))
    return fund


def allocate(
    actor: User,
    fund: Fund,
    *,
    org: Org,
    amount: Any,
    on: datetime.date,
    parent: Allocation | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> Allocation:
    """Pass money one step down: from the fund to a township or village of its county, or from a
    township's allocation to one of its villages. Never more than the giver still holds."""
    today = today or timezone.localdate()
    county = fund.county
    if not org.path.startswith(county.path) or org.pk == county.pk:
        raise DomainError(
            f"“{org.name}”不属于{county.name}，不能分配{county.name}的资金{cite(R.WITHIN_COUNTY)}。", "org"
        )
    if parent is None:
        require(actor, "allocate", fund)
    else:
        require(actor, "allocate", parent)
    e = Errors()
    value = _amount(e, amount)
    note = e.text(note, label="说明", field="note", limit=200)
    _date(e, on, "下达日期", today)
    if org.archived_at is not None:
        e.add(f"“{org.name}”已撤销。", "org")
    if parent is None:
        if org.kind != OrgKind.TOWNSHIP and org.kind not in VILLAGE_KINDS:
            e.add("县级资金下达到乡镇或村（社区）。", "org")
    elif parent.fund_id != fund.pk:
        e.add("上级分配不属于这笔资金。", "parent")
    elif parent.org.kind != OrgKind.TOWNSHIP:
        e.add("只有乡镇收到的资金可以再分配到村。", "parent")
    elif org.kind not in VILLAGE_KINDS or not org.path.startswith(parent.org.path):
        e.add(f"“{parent.org.name}”的资金只能再分配给本乡镇的村（社区）。", "org")
    _raise(e)
    with transaction.atomic():
        Fund.objects.select_for_update().filter(pk=fund.pk).get()
        if parent is None:
            left, giver = fund_unallocated(fund.pk), f"{county.name}{fund}尚未分配"
        else:
            left, giver = allocation_balance(parent.pk), f"{parent.org.name}的余额"
        if value > left:
            raise DomainError(
                f"分配金额{yuan(value)}超过{giver}{yuan(left)}{cite(R.NO_OVER_ALLOCATION)}。", "amount"
            )
        row = Allocation.objects.create(
            fund=fund, parent=parent, org=org, amount=value, on=on, note=note, created_by=actor
        )
        audit.record(actor, "funds.allocate", row, org=org, after=snapshot(row))
    return row


def disburse(
    actor: User,
    allocation: Allocation,
    *,
    amount: Any,
    on: datetime.date,
    spent_on: str,
    payee: str = "",
    voucher: str = "",
    today: datetime.date | None = None,
) -> Disbursement:
    """Record money spent from an allocation; never more than its balance."""
    today = today or timezone.localdate()
    require(actor, "disburse", allocation)
    e = Errors()
    value = _amount(e, amount)
    spent_on = e.text(spent_on, label="支出用途", field="spent_on", limit=200, required=True)
    payee = e.text(payee, label="收款方", field="payee", limit=100)
    voucher = e.text(voucher, label="凭证号", field="voucher", limit=60)
    _date(e, on, "支出日期", today)
    if isinstance(on, datetime.date) and on < allocation.on:
        e.add(f"支出日期不能早于资金下达日期{allocation.on:%Y-%m-%d}。", "on")
    _raise(e)
    with transaction.atomic():
        Fund.objects.select_for_update().filter(pk=allocation.fund_id).get()
        left = allocation_balance(allocation.pk)
        if value > left:
            raise DomainError(
                f"支出金额{yuan(value)}超过{allocation.org.name}该笔资金的余额{yuan(left)}{cite(R.NO_OVERSPEND)}。",
                "amount",
            )
        row = Disbursement.objects.create(
            allocation=allocation,
            amount=value,
            on=on,
            spent_on=spent_on,
            payee=payee,
            voucher=voucher,
            created_by=actor,
        )
        audit.record(actor, "funds.disburse", row, org=allocation.org, after=snapshot(row))
    return row
