"""Pages, exports, the API and the dashboard panel read through the scope layer, in constant queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.roles import Role
from dangjian.dashboards.panels import PANELS
from dangjian.funds import services
from dangjian.funds.stats import by_purpose

pytestmark = pytest.mark.django_db
ON = datetime.date.today() - datetime.timedelta(days=10)


def test_lists_filter_sort_export_and_stay_in_scope(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    for name in ("funds-list", "funds-allocations", "funds-disbursements"):
        r = client.get(reverse(name), {"sort": "-amount" if name != "funds-list" else "-year"})
        body = r.content.decode()
        assert r.status_code == 200 and "外" not in body.replace("外县", "") or "外村" not in body
        assert "外村" not in body and "外镇" not in body
        assert client.get(reverse(name), {"export": "xlsx"}).status_code == 200
    r = client.get(
        reverse("funds-allocations"), {"purpose": "industry", "level": "village", "sort": "balance"}
    )
    assert "村甲一" in r.content.decode() and "15,000.00" in r.content.decode()


def test_village_page_shows_what_came_what_was_spent_and_the_balance(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    r = client.get(reverse("funds-village", args=[world.orgs["branch"].pk]))
    body = r.content.decode()
    assert r.status_code == 200
    assert "甲县产业发展资金" in body and "甲村大棚修缮" in body and "15,000.00" in body and "镇甲" in body
    assert client.get(reverse("funds-village", args=[world.orgs["out_branch"].pk])).status_code == 404


def test_pages_run_constant_queries(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    f = world.funds["甲"]
    urls = [
        reverse("funds-village", args=[world.orgs["branch"].pk]),
        reverse("funds-detail", args=[f["fund"].pk]),
        reverse("funds-allocation", args=[f["township"].pk]),
        reverse("funds-allocations"),
        reverse("funds-disbursements"),
        reverse("funds-list"),
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    small = counts()
    for _ in range(5):
        services.disburse(world.root, f["village"], amount="10", on=ON, spent_on="办公用品")
        services.allocate(
            world.root, f["fund"], org=world.orgs["sibling"], amount="10", on=ON, parent=f["township"]
        )
    assert counts() == small


def test_forms_show_the_refusal_beside_the_field(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    f = world.funds["甲"]
    r = client.post(
        reverse("funds-disburse", args=[f["village"].pk]), {"amount": "99999", "on": ON, "spent_on": "x"}
    )
    assert r.status_code == 400 and "超过村甲一该笔资金的余额" in r.content.decode()
    r = client.post(reverse("funds-reallocate", args=[f["township"].pk]), {"org": world.orgs["sibling"].pk,
                    "amount": "100", "on": ON})  # fmt: skip
    assert r.status_code == 302
    assert client.get(reverse("funds-allocate", args=[f["fund"].pk])).status_code == 403
    admin = client_for(world.user(Role.COUNTY_ADMIN))
    data = {"county": world.orgs["county"].pk, "name": "甲县运转经费", "year": 2026, "purpose": "running"}
    r = admin.post(reverse("funds-new"), data | {"amount": "5000", "document": "甲组〔2026〕3号"})
    assert r.status_code == 302


def test_api_scoped_and_refusals(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    f = world.funds["甲"]
    rows = client.get("/api/v1/fund-allocations/").json()["results"]
    assert {r["org_name"] for r in rows} == {"镇甲", "村甲一"}
    assert {r["org_name"]: Decimal(r["balance"]) for r in rows}["镇甲"] == Decimal("40000.00")
    data = {"org": world.orgs["out_branch"].pk, "amount": "1", "on": ON.isoformat()}
    r = client.post(f"/api/v1/funds/{f['fund'].pk}/allocate/", data, content_type="application/json")
    assert r.status_code == 400 and "不属于县甲" in r.json()["org"][0]
    r = client.post(f"/api/v1/fund-allocations/{f['village'].pk}/disburse/", {"amount": "15000.01",
                    "on": ON.isoformat(), "spent_on": "x"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and "余额" in r.json()["amount"][0]
    assert client.get(f"/api/v1/funds/{world.funds['外']['fund'].pk}/").status_code == 404


def test_stats_and_panel(world):
    user = world.user(Role.COUNTY_ADMIN)
    rows = {r.purpose: r for r in by_purpose(user, world.orgs["county"])}
    assert rows["industry"].allocated == Decimal("60000.00") and rows["industry"].balance == Decimal(
        "55000.00"
    )
    village = {r.purpose: r for r in by_purpose(user, world.orgs["branch"])}["industry"]
    assert (village.allocated, village.disbursed) == (Decimal("20000.00"), Decimal("5000.00"))
    chart = PANELS["funds.by_purpose"].build(user, world.orgs["county"], datetime.date.today())
    assert (
        chart.rows[0]["allocated"] == 6.0
        and "purpose=industry" in chart.option["series"][0]["data"][0]["url"]
    )
    chart = PANELS["economy.bands"].build(user, world.orgs["county"], datetime.date.today())
    assert chart.extra["highlight"]["villages"] == 2
