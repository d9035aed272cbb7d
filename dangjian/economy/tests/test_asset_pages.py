"""Asset pages and API: scope (404 outside), filters and Excel export, refusals beside the field with a 400,
the contracts' income beside the recorded income on the village page, and constant queries at two sizes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.roles import Role
from dangjian.economy import services
from dangjian.economy.choices import AssetKind, AssetUnit, ContractUse, IncomeKind
from dangjian.economy.models import Asset, AssetContract, Income

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year - 1


def staff(world, client_for):
    return client_for(world.user(Role.TOWNSHIP_STAFF))


def test_list_filters_flags_and_export(world, client_for):
    client = staff(world, client_for)
    r = client.get(reverse("economy-assets"))
    page = r.content.decode()
    assert r.status_code == 200 and "甲村机动地" in page and "外村粮库" not in page and "即将到期" in page
    r = client.get(reverse("economy-assets"), {"kind": AssetKind.GRANARY, "q": "甲村"})
    assert "甲村粮仓" in r.content.decode() and "甲村机动地" not in r.content.decode()
    r = client.get(reverse("economy-assets"), {"expiring": "true", "use": "rented", "sort": "-name"})
    assert "甲村机动地" in r.content.decode() and "甲村粮仓" not in r.content.decode()
    r = client.get(reverse("economy-assets"), {"export": "xlsx"})
    assert r.status_code == 200 and "spreadsheetml" in r["Content-Type"]


def test_detail_and_forms_are_scoped(world, client_for):
    client = staff(world, client_for)
    a = world.assets
    r = client.get(reverse("economy-asset", args=[a["land"].pk]), {"year": YEAR})
    assert (
        r.status_code == 200 and "甲村种植合作社" in r.content.decode() and "80,000.00" in r.content.decode()
    )
    for url in (
        reverse("economy-asset", args=[a["out"].pk]),
        reverse("economy-asset-edit", args=[a["out"].pk]),
        reverse("economy-contract-new", args=[a["out"].pk]),
        reverse("economy-contract-edit", args=[a["out_contract"].pk]),
        reverse("economy-asset-new", args=[world.orgs["out_branch"].pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "越权"}).status_code == 404
    assert (
        client.post(reverse("economy-contract-income", args=[world.orgs["out_branch"].pk])).status_code == 404
    )
    reader = client_for(world.user(Role.VILLAGE_SECRETARY))
    assert reader.get(reverse("economy-asset-edit", args=[a["land"].pk])).status_code == 403


def test_contract_form_refuses_beside_the_field(world, client_for):
    client = staff(world, client_for)
    url = reverse("economy-contract-new", args=[world.assets["granary"].pk])
    data = {"counterparty": "某公司", "use": "rented", "start": "2025-05-01", "end": "2025-04-30"}
    r = client.post(url, {**data, "annual_amount": "1000"})
    assert r.status_code == 400 and "早于起始日期" in r.content.decode()
    assert not AssetContract.objects.filter(asset=world.assets["granary"]).exists()
    r = client.post(url, {**data, "end": "2026-04-30", "annual_amount": "1000"})
    assert r.status_code == 302
    r = client.post(url, {**data, "end": "2026-04-30", "annual_amount": "1000"})
    assert r.status_code == 400 and "期限重叠" in r.content.decode()
    r = client.post(
        reverse("economy-asset-new", args=[world.orgs["community"].pk]),
        {"name": "社区仓库", "kind": "building", "quantity": "80", "unit": "sqm", "use": "idle"},
    )
    assert r.status_code == 302 and Asset.objects.filter(name="社区仓库").exists()


def test_village_page_shows_due_beside_recorded_and_records_it(world, client_for):
    client = staff(world, client_for)
    branch = world.orgs["branch"]
    r = client.get(reverse("economy-village", args=[branch.pk]), {"year": YEAR})
    page = r.content.decode()
    assert "合同应收" in page and "甲村种植合作社" in page and "计入收入" in page
    r = client.post(reverse("economy-contract-income", args=[branch.pk]), {"year": YEAR})
    assert r.status_code == 302
    kinds = Income.objects.get(org=branch, year=YEAR).lines.values_list("kind", "note")
    assert (IncomeKind.RENT, "资产合同：甲村机动地·甲村种植合作社") in list(kinds)


def _bulk(world, n):
    for i in range(n):
        asset = services.save_asset(
            world.root, world.orgs["branch"], name=f"资产{i}", kind=AssetKind.BUILDING, quantity=i + 1,
            unit=AssetUnit.SQM,
        )  # fmt: skip
        services.save_contract(
            world.root, asset.org, asset, counterparty=f"对方{i}", use=ContractUse.CONTRACTED,
            start=datetime.date(YEAR, 1, 1), end=datetime.date(YEAR + 1, 1, 31), annual_amount=1000,
        )  # fmt: skip


def test_constant_queries_at_two_sizes(world, client_for):
    client = staff(world, client_for)
    urls = [
        reverse("economy-assets"),
        reverse("economy-village", args=[world.orgs["branch"].pk]) + f"?year={YEAR}",
        reverse("economy-asset", args=[world.assets["land"].pk]),
        "/api/v1/economy-assets/",
        "/api/v1/economy-contracts/",
    ]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as q:
                assert client.get(url).status_code == 200
            found.append(len(q))
        return found

    _bulk(world, 2)
    small = counts()
    _bulk(world, 3)
    assert counts() == small


def test_api_scope_and_refusals(world, client_for):
    client = staff(world, client_for)
    r = client.get("/api/v1/economy-assets/")
    assert {row["name"] for row in r.json()["results"]} == {"甲村机动地", "甲村粮仓"}
    r = client.get("/api/v1/economy-contracts/", {"expiring": "true"})
    assert [row["counterparty"] for row in r.json()["results"]] == ["甲村种植合作社"]
    assert client.get(f"/api/v1/economy-assets/{world.assets['out'].pk}/").status_code == 404
    body = {
        "org": world.orgs["branch"].pk,
        "asset": world.assets["granary"].pk,
        "counterparty": "某公司",
        "contract_use": "contracted",
        "start": "2025-05-01",
        "end": "2025-01-01",
        "annual_amount": "500",
    }
    r = client.post("/api/v1/economy-contracts/", body, content_type="application/json")
    assert r.status_code == 400 and "早于起始日期" in r.json()["detail"]
    r = client.post(
        "/api/v1/economy-contracts/", {**body, "org": world.orgs["sibling"].pk, "end": "2025-12-31"},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 400 and "不是村甲二的集体资产" in r.json()["detail"]
    r = client.post(
        "/api/v1/economy-contracts/",
        {**body, "asset": world.assets["out"].pk},
        content_type="application/json",
    )
    assert r.status_code == 404
    r = client.post(
        "/api/v1/economy-contracts/", {**body, "end": "2025-12-31"}, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["annual_amount"] == "500.00"
    r = client.post(
        "/api/v1/economy-assets/",
        {"org": world.orgs["branch"].pk, "name": "晒场", "asset_kind": "other", "quantity": "3",
         "asset_unit": "mu"},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 201 and r.json()["asset_use"] == "idle"
    assert Asset.objects.get(name="晒场").quantity == Decimal("3.00")
