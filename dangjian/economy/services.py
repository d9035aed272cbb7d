"""The only writer of collective income: record a village's income for a year with its lines (replacing
what was recorded before for that year), the total written with them in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import DomainError, DomainErrors
from dangjian.core.scope import require
from dangjian.members.records.common import Errors
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import rules as R
from .choices import AssetKind, AssetUnit, AssetUse, ContractUse, IncomeKind
from .models import Asset, AssetContract, Income, IncomeLine

VILLAGE_KINDS = frozenset({OrgKind.BRANCH, OrgKind.COMMUNITY})
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Line:
    kind: str
    amount: Any
    partner: Org | None = None
    note: str = ""


def _raise(e: Errors) -> None:
    if e.items:
        raise e.items[0] if len(e.items) == 1 else DomainErrors(e.items)


def _places(org: Org) -> tuple[Org | None, Org | None]:
    rows = {o.kind: o for o in Org.objects.filter(pk__in=org.ancestor_ids())}
    return rows.get(OrgKind.TOWNSHIP), rows.get(OrgKind.COUNTY)


def _check_line(e: Errors, org: Org, n: int, line: Line) -> Decimal:
    where = f"第{n}项"
    try:
        amount = Decimal(str(line.amount))
    except (InvalidOperation, TypeError, ValueError):
        e.add(f"{where}：金额须为数字（元）。", "lines")
        return Decimal(0)
    if not amount.is_finite() or amount < 0:
        e.add(f"{where}：金额不能为负数。", "lines")
    elif amount != amount.quantize(CENT) or amount >= Decimal("1e12"):
        e.add(f"{where}：金额最多保留两位小数，且不超过一万亿元。", "lines")
    if line.kind not in IncomeKind.values:
        e.add(f"{where}：请选择收入来源。", "lines")
    if line.kind == IncomeKind.SHARE:
        if line.partner is None:
            e.add(f"{where}：入股他村分红须写明入股的村。", "lines")
        elif line.partner.pk == org.pk or line.partner.kind not in VILLAGE_KINDS:
            e.add(f"{where}：入股的须是另一个村（社区）。", "lines")
    elif line.partner is not None:
        e.add(f"{where}：只有“入股他村分红”需要写入股的村。", "lines")
    if len(line.note or "") > 200:
        e.add(f"{where}：说明不能超过200个字。", "lines")
    return amount


def record_income(
    actor: User,
    org: Org,
    *,
    year: int,
    lines: Sequence[Line],
    note: str = "",
    demo_source: str = "",
) -> Income:
    """Record (or correct) a village's collective income for a year; no lines means none that year."""
    require(actor, "add", Income(org=org))
    e = Errors()
    note = e.text(note, label="说明", field="note", limit=300)
    if org.kind not in VILLAGE_KINDS:
        e.add("集体经济收入按村（社区）登记。", "org")
    if not 2000 <= int(year) <= timezone.localdate().year:
        e.add("年度无效（不能晚于今年）。", "year")
    amounts = [_check_line(e, org, n, line) for n, line in enumerate(lines, 1)]
    _raise(e)
    township, county = _places(org)
    with transaction.atomic():
        income = Income.objects.select_for_update().filter(org=org, year=year).first()
        before = snapshot(income) if income else None
        if income is None:
            income = Income(org=org, year=year, township=township, county=county, updated_by=actor)
        else:
            income.lines.all().delete()
        income.total = sum(amounts, Decimal("0.00"))
        income.note = note
        income.updated_by = actor
        income.demo_source = demo_source or income.demo_source
        income.save()
        IncomeLine.objects.bulk_create(
            IncomeLine(income=income, kind=line.kind, amount=a, partner=line.partner, note=line.note or "")
            for line, a in zip(lines, amounts, strict=True)
        )
        detail = "；".join(
            f"{IncomeKind(line.kind).label}{a:,.2f}元" for line, a in zip(lines, amounts, strict=True)
        )
        audit.record(
            actor,
            "economy.record",
            income,
            org=org,
            before=before or {},
            after=snapshot(income),
            note=detail[:300],
        )
    return income


def parse_lines(rows: Sequence[dict[str, Any]]) -> list[Line]:
    """API/form rows ({kind, amount, partner id, note}) to Lines; an unknown partner is refused."""
    ids = {r.get("partner") for r in rows if r.get("partner")}
    partners = Org.objects.in_bulk(ids) if ids else {}
    if len(partners) != len(ids):
        raise DomainError("入股的村不存在。", "lines")
    return [
        Line(
            r["kind"],
            r["amount"],
            partners.get(r.get("partner")) if r.get("partner") else None,
            r.get("note", ""),
        )
        for r in rows
    ]


# ---- collective assets and their contracts -------------------------------------------------------------

INCOME_OF = {
    ContractUse.RENTED: IncomeKind.RENT,
    ContractUse.CONTRACTED: IncomeKind.CONTRACT,
    ContractUse.SHAREHOLDING: IncomeKind.DIVIDEND,
}
CONTRACT_NOTE = "资产合同："


def _money(e: Errors, value: Any, *, label: str, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        e.add(f"{label}须为数字。", field)
        return Decimal(0)
    if not amount.is_finite() or amount < 0:
        e.add(f"{label}不能为负数。", field)
    elif amount != amount.quantize(CENT) or amount >= Decimal("1e10"):
        e.add(f"{label}最多保留两位小数，且不超过一百亿。", field)
    return amount


def save_asset(
    actor: User,
    org: Org,
    *,
    name: str,
    kind: str,
    quantity: Any,
    unit: str,
    location: str = "",
    use: str = AssetUse.IDLE,
    note: str = "",
    asset: Asset | None = None,
    demo_source: str = "",
) -> Asset:
    """Register a village's collective asset, or correct one (`asset`); the village never changes."""
    if asset is not None:
        org = asset.org
    require(actor, "change" if asset else "add", asset or Asset(org=org))
    e = Errors()
    name = e.text(name, label="资产名称", field="name", limit=100, required=True)
    location = e.text(location, label="坐落位置", field="location", limit=200)
    note = e.text(note, label="说明", field="note", limit=300)
    if org.kind not in VILLAGE_KINDS:
        e.add("集体资产按村（社区）登记。", "org")
    if kind not in AssetKind.values:
        e.add("请选择资产类别。", "kind")
    if unit not in AssetUnit.values:
        e.add("请选择计量单位（亩、平方米、座、台、处）。", "unit")
    if use not in AssetUse.values:
        e.add("请选择现状用途。", "use")
    amount = _money(e, quantity, label="数量", field="quantity")
    _raise(e)
    with transaction.atomic():
        before = snapshot(asset) if asset else {}
        if asset is None:
            township, _ = _places(org)
            asset = Asset(org=org, township=township)
        asset.name, asset.kind, asset.quantity, asset.unit = name, kind, amount, unit
        asset.location, asset.use, asset.note, asset.updated_by = location, use, note, actor
        asset.demo_source = demo_source or asset.demo_source
        asset.save()
        audit.record(
            actor, "economy.asset", asset, org=org, before=before, after=snapshot(asset), note=asset.name
        )
    return asset


def save_contract(
    actor: User,
    org: Org,
    asset: Asset,
    *,
    counterparty: str,
    use: str,
    start: datetime.date,
    end: datetime.date,
    annual_amount: Any,
    payment_terms: str = "",
    note: str = "",
    contract: AssetContract | None = None,
) -> AssetContract:
    """Sign (or correct) a contract on a village's asset. Refused: an asset of another village, a term
    ending before it starts, a term overlapping another contract on the same asset."""
    require(actor, "change" if contract else "add", contract or AssetContract(org=org, asset=asset))
    e = Errors()
    counterparty = e.text(counterparty, label="对方", field="counterparty", limit=100, required=True)
    payment_terms = e.text(payment_terms, label="支付方式", field="payment_terms", limit=200)
    note = e.text(note, label="说明", field="note", limit=300)
    if asset.org_id != org.pk:
        e.add(f"“{asset.name}”不是{org.name}的集体资产：合同只能签在本村的资产上。", "asset")
    if contract is not None and contract.asset_id != asset.pk:
        e.add("合同的资产不能更改；请另签一份合同。", "asset")
    if use not in ContractUse.values:
        e.add("请选择合同方式（出租、发包、入股）。", "use")
    if start and end and end < start:
        e.add(f"合同终止日期（{end:%Y-%m-%d}）早于起始日期（{start:%Y-%m-%d}）。", "end")
    amount = _money(e, annual_amount, label="年金额", field="annual_amount")
    _raise(e)
    with transaction.atomic():
        Asset.objects.select_for_update().filter(pk=asset.pk).first()
        clash = (
            AssetContract.objects.filter(asset=asset, start__lte=end, end__gte=start)
            .exclude(pk=contract.pk if contract else None)
            .first()
        )
        if clash is not None:
            raise DomainError(
                f"与该资产已有合同期限重叠：{clash.counterparty}（{clash.start:%Y-%m-%d}至{clash.end:%Y-%m-%d}）；"
                "同一资产同一时间只能有一份合同。",
                "start",
            )
        before = snapshot(contract) if contract else {}
        contract = contract or AssetContract(asset=asset, org=org)
        contract.counterparty, contract.use, contract.start, contract.end = counterparty, use, start, end
        contract.annual_amount, contract.payment_terms, contract.note = amount, payment_terms, note
        contract.updated_by = actor
        contract.save()
        audit.record(
            actor,
            "economy.contract",
            contract,
            org=org,
            before=before,
            after=snapshot(contract),
            note=f"{asset.name}：{contract}"[:300],
        )
    return contract


def months_in_year(start: datetime.date, end: datetime.date, year: int) -> int:
    """Months of `year` whose first day falls within the term (rule economy.contract_prorate)."""
    return sum(1 for m in range(1, 13) if start <= datetime.date(year, m, 1) <= end)


def due_in_year(contract: AssetContract, year: int) -> Decimal:
    """The contract's income due for `year`: the annual amount pro-rated by the months it covers."""
    months = months_in_year(contract.start, contract.end, year)
    return (contract.annual_amount * months / R.PRORATE.value).quantize(CENT)


def record_contract_income(actor: User, org: Org, *, year: int, contracts: Sequence[AssetContract]) -> Income:
    """Write the contracts' income due for `year` as income lines (rent, contracting, dividends) through
    record_income: lines earlier written this way are replaced, the year's other lines are kept."""
    require(actor, "add", Income(org=org))
    if any(c.org_id != org.pk for c in contracts):
        raise DomainError("只能登记本村资产合同的收入。", "org")
    existing = Income.objects.filter(org=org, year=year).prefetch_related("lines__partner").first()
    kept = [
        Line(line.kind, line.amount, line.partner, line.note)
        for line in (existing.lines.all() if existing else [])
        if not line.note.startswith(CONTRACT_NOTE)
    ]
    added = [
        Line(INCOME_OF[c.use], due, note=f"{CONTRACT_NOTE}{c.asset.name}·{c.counterparty}"[:200])
        for c in contracts
        if (due := due_in_year(c, year)) > 0
    ]
    if not added:
        raise DomainError(f"{year}年没有应收的资产合同收入。", "year")
    return record_income(actor, org, year=year, lines=kept + added, note=existing.note if existing else "")
