"""This app's part of the demo counties and of the generated province.

Demo: every demo village (村、社区) gets its collective income for the last two years, written through the
services (audit trail), idempotent by (village, year). Figures from the reports:
- 韩家楼村 (seed 000): 出租+绩效+分红, 村集体经济收入稳定在1000万元以上 — both years above 1000万元; the
  split between the three sources is invented;
- 柏林峁村 (seed 001): its upper-level subsidy money, having no suitable outlet, was put into 老牛湾村 as
  shares for dividends (与老牛湾村进行入股分红) — a 入股他村分红 line naming 老牛湾村; 老牛湾村 runs the
  scenic-area business (文旅, seed 001). Amounts invented.
Every other village's figures are invented (deterministic per village): about 8% recorded as none and, for
last year, about 4% not recorded yet, so the no-income finding and its list have rows.

Collective assets (idempotent by village and asset name; contracts by asset and start date): 韩家楼村's
机动地 (储备地) and 粮库 named in seed 000, plus the 村办企业 workshop, farm machinery and an idle yard;
sizes, counterparties and amounts invented. Their rent contracts come to 320万元 a year, part of the village's
recorded rent (380万元 last year); the 机动地 contract ends within 90 days so the flag shows. 老牛湾村's
农家乐用房 (seed 001: 85000 rent) and an invented asset each in 大辛庄村 and 柏林峁村.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import services
from .choices import AssetKind, AssetUnit, AssetUse, ContractUse, IncomeKind
from .generate import PROVINCE_LABELS, insert_province, invented_lines  # noqa: F401  (the generator's entry point)
from .models import Asset, AssetContract, Income

DEMO_LABELS: tuple[str, ...] = ("村集体经济收入", "村集体资产", "集体资产合同")
INVENTED = "虚构（演示）"
HANJIALOU = "000 五寨县韩家楼村：“出租+绩效+分红”，村集体经济收入稳定在1000万元以上（分项金额虚构）"
BOLINMAO = "001 老牛湾镇：柏林峁村上级补贴扶持资金与老牛湾村入股分红（金额虚构）"
LAONIUWAN = "001 老牛湾镇：老牛湾村“农文旅”融合发展（金额虚构）"
VILLAGE_KINDS = (OrgKind.BRANCH, OrgKind.COMMUNITY)


def _named(year_index: int, name: str, orgs: dict[str, Org]) -> tuple[list[services.Line], str, str] | None:
    """The lines of the villages the reports speak of; None for the others."""
    bump = Decimal(year_index * 150000)
    if name == "韩家楼村":
        return (
            [
                services.Line(IncomeKind.RENT, Decimal("3800000") - bump, note="机动地、粮库等资产出租"),
                services.Line(IncomeKind.PERFORMANCE, Decimal("3500000"), note="村办企业经营绩效"),
                services.Line(IncomeKind.DIVIDEND, Decimal("2900000"), note="村账资金合理投资分红"),
            ],
            "出租+绩效+分红（种子000）",
            HANJIALOU,
        )
    if name == "柏林峁村" and "老牛湾村" in orgs:
        return (
            [
                services.Line(
                    IncomeKind.SHARE, Decimal("48000") - bump / 10, orgs["老牛湾村"], "上级补贴扶持资金入股"
                )
            ],
            "入股老牛湾村分红（种子001）",
            BOLINMAO,
        )
    if name == "老牛湾村":
        return (
            [
                services.Line(
                    IncomeKind.PERFORMANCE, Decimal("620000") - bump, note="景区停车场、售票等经营"
                ),
                services.Line(IncomeKind.RENT, Decimal("85000"), note="农家乐用房出租"),
            ],
            "农文旅融合发展（种子001）",
            LAONIUWAN,
        )
    return None


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Add this app's demo rows (idempotent: a second run creates nothing)."""
    today = today or timezone.localdate()
    codes = [p.code for p in org_demo.walk() if p.spec.kind in VILLAGE_KINDS]
    villages = list(Org.objects.filter(code__in=codes, archived_at__isnull=True).order_by("path"))
    by_name = {v.name: v for v in villages}
    years = (today.year - 1, today.year - 2)
    done = set(Income.objects.filter(org__in=villages, year__in=years).values_list("org_id", "year"))
    for village in villages:
        rng = random.Random(f"economy-{village.code}")
        for index, year in enumerate(years):
            if (village.pk, year) in done:
                skipped["村集体经济收入"] += 1
                continue
            named = _named(index, village.name, by_name)
            if named is None:
                invented = invented_lines(rng)
                if index == 0 and rng.random() < 0.04:
                    continue
                lines = [services.Line(k, a, note=n) for k, a, n in invented]
                note, source = "", INVENTED
            else:
                lines, note, source = named
            services.record_income(admin, village, year=year, lines=lines, note=note, demo_source=source)
            created["村集体经济收入"] += 1

    _load_assets(admin, by_name, created, skipped, today)


SEED_ASSET = "000 五寨县韩家楼村：盘活村里机动地、粮库等资产（规模、对方、金额虚构）"
INVENTED_ASSET = "虚构（演示）"
R, C = ContractUse.RENTED, ContractUse.CONTRACTED
# village, name, kind, quantity, unit, location, use, source, [(counterparty, use, years back, end, amount)]
# where end is days from today (int) or years ahead (ending 31 December, str).
ASSETS = (
    (
        "韩家楼村",
        "机动地（储备地）",
        AssetKind.RESERVE_LAND,
        "600",
        AssetUnit.MU,
        "村东、村南两片",
        AssetUse.RENTED,
        SEED_ASSET,
        [("韩家楼村杂粮种植专业合作社", R, 3, 60, "1200000")],
    ),
    (
        "韩家楼村",
        "村粮库",
        AssetKind.GRANARY,
        "2",
        AssetUnit.SEAT,
        "村西粮站旧址",
        AssetUse.RENTED,
        SEED_ASSET,
        [("五寨县某粮贸有限公司", R, 5, "2", "900000")],
    ),
    (
        "韩家楼村",
        "村办企业厂房",
        AssetKind.BUILDING,
        "3000",
        AssetUnit.SQM,
        "村北工业点",
        AssetUse.RENTED,
        INVENTED_ASSET,
        [("某杂粮加工企业", R, 4, "1", "1100000")],
    ),
    (
        "韩家楼村",
        "农机具",
        AssetKind.EQUIPMENT,
        "8",
        AssetUnit.SET,
        "村委会院内",
        AssetUse.SELF_RUN,
        INVENTED_ASSET,
        [],
    ),
    (
        "韩家楼村",
        "旧学校院落",
        AssetKind.BUILDING,
        "1",
        AssetUnit.ITEM,
        "村中",
        AssetUse.IDLE,
        INVENTED_ASSET,
        [],
    ),
    (
        "老牛湾村",
        "农家乐用房",
        AssetKind.BUILDING,
        "600",
        AssetUnit.SQM,
        "景区入口",
        AssetUse.RENTED,
        "001 老牛湾村：农家乐用房出租（规模、对方虚构；年租金与收入明细一致）",
        [("老牛湾农家乐经营户", R, 2, "2", "85000")],
    ),
    (
        "大辛庄村",
        "机动地",
        AssetKind.RESERVE_LAND,
        "150",
        AssetUnit.MU,
        "村南",
        AssetUse.CONTRACTED,
        INVENTED_ASSET,
        [("小杂粮种植大户", C, 1, "4", "30000")],
    ),
    (
        "柏林峁村",
        "村集体粮仓",
        AssetKind.GRANARY,
        "1",
        AssetUnit.SEAT,
        "村委会旁",
        AssetUse.IDLE,
        INVENTED_ASSET,
        [],
    ),
)


def _load_assets(admin, by_name: dict[str, Org], created: Counter[str], skipped: Counter[str], today) -> None:
    have = {(a.org_id, a.name): a for a in Asset.objects.filter(org__in=by_name.values())}
    signed = set(AssetContract.objects.filter(org__in=by_name.values()).values_list("asset_id", "start"))
    for village, name, kind, qty, unit, location, use, source, contracts in ASSETS:
        org = by_name.get(village)
        if org is None:
            continue
        asset = have.get((org.pk, name))
        if asset is None:
            asset = services.save_asset(
                admin, org, name=name, kind=kind, quantity=qty, unit=unit, location=location, use=use,
                note="演示数据", demo_source=source,
            )  # fmt: skip
            created["村集体资产"] += 1
        else:
            skipped["村集体资产"] += 1
        for counterparty, how, back, end, amount in contracts:
            start = datetime.date(today.year - back, 1, 1)
            if (asset.pk, start) in signed:
                skipped["集体资产合同"] += 1
                continue
            finish = (
                today + datetime.timedelta(days=end)
                if isinstance(end, int)
                else datetime.date(today.year + int(end), 12, 31)
            )
            services.save_contract(
                admin, org, asset, counterparty=counterparty, use=how, start=start, end=finish,
                annual_amount=amount, payment_terms="每年1月底前一次付清当年租金", note="演示数据（虚构）",
            )  # fmt: skip
            created["集体资产合同"] += 1
