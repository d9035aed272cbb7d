"""The demo: every demo village has income for the last two years with the reports' figures (韩家楼村 above
1000万元, 柏林峁村's share in 老牛湾村), the funds of the three demo counties reconcile, and a second run
creates nothing."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from dangjian.economy import demo as economy_demo
from dangjian.economy.choices import IncomeKind
from dangjian.economy.models import Income, IncomeLine
from dangjian.funds import demo as funds_demo
from dangjian.funds.models import Disbursement, Fund
from dangjian.funds.selectors import allocation_rows, fund_rows
from dangjian.orgs import demo as org_demo

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 9, 15)


def test_demo_figures_and_idempotence(world):
    org_demo.load_demo_orgs(world.root, Counter(), Counter())
    created, skipped = Counter(), Counter()
    economy_demo.load_demo(world.root, created, skipped, TODAY)
    funds_demo.load_demo(world.root, created, skipped, TODAY)
    assert set(created) <= set(economy_demo.DEMO_LABELS + funds_demo.DEMO_LABELS)
    for year in (2025, 2024):
        assert Income.objects.get(org__name="韩家楼村", year=year).total >= Decimal("10000000")
        share = IncomeLine.objects.get(income__org__name="柏林峁村", income__year=year)
        assert share.kind == IncomeKind.SHARE and share.partner.name == "老牛湾村"
    assert Income.objects.filter(year=2024, total=0).exists()
    assert {"五寨县", "宜君县", "交城县"} <= set(Fund.objects.values_list("county__name", flat=True))
    assert all(a.balance >= 0 for a in allocation_rows()) and all(f.unallocated >= 0 for f in fund_rows())
    assert Disbursement.objects.filter(amount=Decimal("505000.00"), allocation__org__name="前所乡").exists()
    again = Counter()
    economy_demo.load_demo(world.root, again, Counter(), TODAY)
    funds_demo.load_demo(world.root, again, Counter(), TODAY)
    assert not again
