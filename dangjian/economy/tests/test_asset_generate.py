"""The province generator's collective assets: two per village, contracts only on let assets, in term order,
never overlapping on one asset, visible through the scoped selectors."""

from __future__ import annotations

import datetime

import pytest

from dangjian.economy import generate
from dangjian.economy.models import Asset, AssetContract
from dangjian.economy.selectors import asset_rows
from dangjian.orgs import demo as org_demo

pytestmark = pytest.mark.django_db


def test_generated_assets_and_contracts(world):
    plan = org_demo.plan_province(7, counties=1, townships=2, branches=5, grids=0)
    ids = org_demo.insert_province(plan)
    made = generate.insert_province(plan, ids, datetime.date(2026, 9, 1))
    assert made["economy_asset"] == 2 * 2 * 5
    assets = Asset.objects.filter(org_id__in=ids)
    assert assets.count() == 20 and 0 < made["economy_contract"] <= 20
    contracts = AssetContract.objects.filter(org_id__in=ids).select_related("asset")
    assert all(c.start <= c.end and c.asset.use != "idle" and c.org_id == c.asset.org_id for c in contracts)
    assert asset_rows(datetime.date(2026, 9, 1)).filter(org_id__in=ids).count() == 20
