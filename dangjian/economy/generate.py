"""Collective income of the generated province, in bulk: every village branch, the last two years, with
one to three lines (invented, deterministic per seed and village) and its total equal to their sum. About
8% of village-years are recorded as none. Every village also gets two invented assets (储备地 and 粮仓) and,
when rented or contracted out, one contract each, never overlapping. No audit rows (the caller records one
event)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from dangjian.cases.generate import county_admins
from dangjian.members.demo import Table, flush
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind

from .choices import AssetKind, AssetUnit, AssetUse, ContractUse, IncomeKind
from .models import Asset, AssetContract, Income, IncomeLine

PROVINCE_LABELS: dict[str, str] = {
    "economy_income": "村集体经济收入",
    "economy_line": "收入明细",
    "economy_asset": "村集体资产",
    "economy_contract": "集体资产合同",
}
ASSET_COLUMNS = (
    "id", "org_id", "township_id", "name", "kind", "quantity", "unit", "location", "use", "note",
    "demo_source", "updated_by_id", "updated_at",
)  # fmt: skip
CONTRACT_COLUMNS = (
    "id", "asset_id", "org_id", "counterparty", "use", "start", "end", "annual_amount", "payment_terms",
    "note", "updated_by_id", "updated_at",
)  # fmt: skip
# name, kind, unit, (low, high) quantity, yuan per unit a year, the contract's use when not idle
GENERATED_ASSETS = (
    ("机动地（储备地）", AssetKind.RESERVE_LAND, AssetUnit.MU, (30, 400), (300, 800), ContractUse.CONTRACTED),
    ("村集体粮仓", AssetKind.GRANARY, AssetUnit.SEAT, (1, 3), (5000, 40000), ContractUse.RENTED),
)
INCOME_COLUMNS = (
    "id", "org_id", "township_id", "county_id", "year", "total", "note", "demo_source", "updated_by_id",
    "updated_at",
)  # fmt: skip
LINE_COLUMNS = ("id", "income_id", "kind", "amount", "partner_id", "note")
# (lower, upper) in yuan and weight: none, under 5万, 5–10万, 10–50万, 50–100万, over 100万
SPREAD = ((0, 0, 8), (8000, 49999, 30), (50000, 99999, 26), (100000, 499999, 28), (500000, 999999, 5),
          (1000000, 3000000, 3))  # fmt: skip
NOTES = {
    IncomeKind.RENT: "集体资产出租",
    IncomeKind.CONTRACT: "机动地、荒山发包",
    IncomeKind.PERFORMANCE: "合作社经营",
    IncomeKind.DIVIDEND: "入股企业分红",
}


def invented_lines(rng: random.Random) -> list[tuple[str, Decimal, str]]:
    """An invented year's lines: [] for a year recorded as none."""
    low, high, _ = rng.choices(SPREAD, weights=[w for *_, w in SPREAD])[0]
    if not high:
        return []
    total = rng.randint(low, high)
    kinds = rng.sample(list(NOTES), rng.randint(1, 3))
    cuts = sorted(rng.randint(0, total) for _ in range(len(kinds) - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    return [(k, Decimal(p), NOTES[k]) for k, p in zip(kinds, parts, strict=True) if p > 0]


def _villages(plan, org_ids: list[int]) -> list[tuple[int, int | None, int | None, str]]:
    parent = {i: o.parent for i, o in enumerate(plan.orgs)}
    found = []
    for i, o in enumerate(plan.orgs):
        if o.kind != OrgKind.BRANCH:
            continue
        up: dict[str, int] = {}
        j = parent[i]
        while j is not None:
            up.setdefault(plan.orgs[j].kind, org_ids[j])
            j = parent[j]
        found.append((org_ids[i], up.get(OrgKind.TOWNSHIP), up.get(OrgKind.COUNTY), o.code))
    return found


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    villages = _villages(plan, org_ids)
    admins = county_admins(sorted({c for _, _, c, _ in villages if c}))
    incomes, lines = Table(Income, INCOME_COLUMNS), Table(IncomeLine, LINE_COLUMNS)
    assets, contracts = Table(Asset, ASSET_COLUMNS), Table(AssetContract, CONTRACT_COLUMNS)
    now, source = timezone.now(), f"生成（种子{plan.seed}）"
    for n, (village, township, county, code) in enumerate(villages, 1):
        rng = random.Random(f"economy-{plan.seed}-{code}")
        user = (admins.get(county) or admins[None])[0]
        for year in (today.year - 1, today.year - 2):
            rows = invented_lines(rng)
            pk = incomes.take_id()
            total = sum((a for _, a, _ in rows), Decimal(0))
            incomes.add((pk, village, township, county, year, total, "", source, user, now))
            for kind, amount, note in rows:
                lines.add((lines.take_id(), pk, kind, amount, None, note))
        rng = random.Random(f"economy-asset-{plan.seed}-{code}")
        _assets(rng, assets, contracts, (village, township, user), today, now, source)
        if n % 5000 == 0:
            flush([incomes, lines, assets, contracts])
    flush([incomes, lines, assets, contracts])
    org_demo.reset_sequences(Income, IncomeLine, Asset, AssetContract)
    return {
        "economy_income": incomes.total,
        "economy_line": lines.total,
        "economy_asset": assets.total,
        "economy_contract": contracts.total,
    }


def _assets(rng, assets: Table, contracts: Table, who: tuple, today, now, source: str) -> None:
    """Two invented assets for a village; about 60% let out under one contract that may end within 90 days."""
    village, township, user = who
    for name, kind, unit, (low, high), (p_low, p_high), how in GENERATED_ASSETS:
        quantity = rng.randint(low, high)
        let = rng.random() < 0.6
        use = (
            (AssetUse.CONTRACTED if how == ContractUse.CONTRACTED else AssetUse.RENTED)
            if let
            else AssetUse.IDLE
        )
        pk = assets.take_id()
        assets.add((pk, village, township, name, kind, quantity, unit, "", use, "", source, user, now))
        if let:
            start = datetime.date(today.year - rng.randint(0, 4), 1, 1)
            end = today + datetime.timedelta(days=rng.randint(10, 5 * 365))
            amount = Decimal(quantity * rng.randint(p_low, p_high))
            terms = "每年一次付清"
            row = (contracts.take_id(), pk, village, "承包（承租）方（虚构）", how, start, end, amount, terms)
            contracts.add((*row, "", user, now))
