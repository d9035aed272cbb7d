"""The demo's collective assets: 韩家楼村's 机动地 (储备地) and 粮库 from seed 000 with contracts whose income
due is part of its recorded rent, one contract flagged as expiring, assets in three other villages, and a
second run that creates nothing."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from dangjian.economy import demo as economy_demo
from dangjian.economy import services
from dangjian.economy.choices import IncomeKind
from dangjian.economy.models import Asset, AssetContract, IncomeLine
from dangjian.economy.selectors import contract_rows
from dangjian.orgs import demo as org_demo

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 9, 15)


def test_demo_assets(world):
    org_demo.load_demo_orgs(world.root, Counter(), Counter())
    created = Counter()
    economy_demo.load_demo(world.root, created, Counter(), TODAY)
    assert created["村集体资产"] == len(economy_demo.ASSETS) and created["集体资产合同"] == 5
    names = set(Asset.objects.filter(org__name="韩家楼村").values_list("name", flat=True))
    assert {"机动地（储备地）", "村粮库"} <= names
    assert Asset.objects.get(org__name="韩家楼村", name="村粮库").demo_source.startswith("000")
    contracts = AssetContract.objects.filter(org__name="韩家楼村").select_related("asset")
    due = sum((services.due_in_year(c, 2025) for c in contracts), Decimal(0))
    rent = IncomeLine.objects.get(
        income__org__name="韩家楼村", income__year=2025, kind=IncomeKind.RENT
    ).amount
    assert due == Decimal("3200000.00") and 0 < due < rent
    assert contract_rows(TODAY).filter(org__name="韩家楼村", expiring=True).count() == 1
    others = set(Asset.objects.exclude(org__name="韩家楼村").values_list("org__name", flat=True))
    assert others >= {"老牛湾村", "大辛庄村", "柏林峁村"}
    again = Counter()
    economy_demo.load_demo(world.root, again, Counter(), TODAY)
    assert not again
