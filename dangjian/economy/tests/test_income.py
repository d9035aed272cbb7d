"""Collective income: recording with its lines and total, refusals in Chinese, the no-income finding,
bands at their edges, pages and API in scope."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from dangjian.core.errors import DomainError
from dangjian.core.findings import CHECKS
from dangjian.core.roles import Role
from dangjian.economy import services
from dangjian.economy.choices import Band, IncomeKind
from dangjian.economy.models import Income, IncomeLine
from dangjian.economy.selectors import income_rows, villages_without_income
from dangjian.economy.stats import by_township, distribution

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year - 1


def test_total_is_the_sum_of_lines_and_a_correction_replaces_them(world):
    o = world.orgs
    income = services.record_income(
        world.root,
        o["community"],
        year=YEAR,
        lines=[services.Line(IncomeKind.RENT, "1000.10"), services.Line(IncomeKind.DIVIDEND, "0.20")],
    )
    assert income.total == Decimal("1000.30")
    services.record_income(
        world.root, o["community"], year=YEAR, lines=[services.Line(IncomeKind.CONTRACT, "5")]
    )
    income.refresh_from_db()
    assert income.total == Decimal("5.00")
    assert list(IncomeLine.objects.filter(income=income).values_list("kind", flat=True)) == ["contract"]
    for i in Income.objects.all():
        assert i.total == sum((line.amount for line in i.lines.all()), Decimal("0.00"))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (services.Line(IncomeKind.RENT, "-1"), "不能为负数"),
        (services.Line(IncomeKind.SHARE, "10"), "须写明入股的村"),
        (services.Line("bogus", "10"), "请选择收入来源"),
    ],
)
def test_bad_lines_are_refused_in_chinese(world, line, message):
    with pytest.raises(DomainError, match=message):
        services.record_income(world.root, world.orgs["community"], year=YEAR, lines=[line])
    assert not Income.objects.filter(org=world.orgs["community"]).exists()


def test_only_villages_and_office_roles_record(world):
    with pytest.raises(DomainError, match="按村"):
        services.record_income(world.root, world.orgs["township"], year=YEAR, lines=[])
    with pytest.raises(Exception):  # noqa: B017 (ActionDenied for a village secretary)
        services.record_income(world.user(Role.VILLAGE_SECRETARY), world.orgs["branch"], year=YEAR, lines=[])


def test_no_income_finding_is_set_based_and_scoped(world):
    user = world.user(Role.TOWNSHIP_STAFF)
    names = dict(villages_without_income(user, YEAR).values_list("name", "income_total"))
    assert names == {"村甲二": Decimal("0.00"), "社区甲": None}
    found = {f.org_name: f for f in CHECKS["economy.no_income"].run(user, datetime.date(YEAR + 1, 3, 1))}
    assert set(found) == {"村甲二", "社区甲"}
    assert found["村甲二"].severity == "overdue" and "为0" in found["村甲二"].message
    assert "外村" not in str(villages_without_income(world.user("out_admin"), YEAR).values_list("name"))


@pytest.mark.parametrize(
    ("total", "band"),
    [("0", Band.NONE), ("0.01", Band.WEAK), ("49999.99", Band.WEAK), ("50000", Band.B5), ("100000", Band.B10),
     ("499999.99", Band.B10), ("500000", Band.B50), ("1000000", Band.B100), ("10000000", Band.B100)],
)  # fmt: skip
def test_band_edges(world, total, band):
    lines = [services.Line(IncomeKind.RENT, total)] if Decimal(total) else []
    income = services.record_income(world.root, world.orgs["community"], year=YEAR, lines=lines)
    assert income_rows().get(pk=income.pk).band == band


def test_distribution_counts_every_village(world):
    dist = distribution(world.user(Role.COUNTY_ADMIN), world.orgs["county"], YEAR)
    assert dist.counts[Band.NONE] == 2 and dist.counts[Band.B5] == 1 and dist.total == 3
    per = by_township(world.user(Role.COUNTY_ADMIN), world.orgs["county"], YEAR)
    assert per.townships[0][1] == "镇甲" and per.townships[0][2][Band.NONE] == 2


def test_pages_and_exports(world, client_for, django_assert_max_num_queries):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    r = client.get(reverse("economy-list"), {"year": YEAR, "band": Band.B5})
    assert r.status_code == 200 and "村甲一" in r.content.decode() and "外村" not in r.content.decode()
    assert client.get(reverse("economy-list"), {"export": "xlsx"}).status_code == 200
    r = client.get(reverse("economy-none"), {"year": YEAR})
    assert "社区甲" in r.content.decode() and "村甲一" not in r.content.decode()
    r = client.get(reverse("economy-village", args=[world.orgs["sibling"].pk]))
    assert "村甲一" in r.content.decode()  # holds a share in 村甲二
    assert client.get(reverse("economy-village", args=[world.orgs["out_branch"].pk])).status_code == 404
    r = client.get(reverse("economy-bands"), {"year": YEAR, "org": world.orgs["township"].pk})
    assert r.status_code == 200 and "镇甲" in r.content.decode()
    with django_assert_max_num_queries(12):
        client.get(reverse("economy-list"), {"year": YEAR})


def test_record_form_refuses_beside_the_field(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    url = reverse("economy-record", args=[world.orgs["community"].pk])
    r = client.post(url, {"year": YEAR, "share": "100"})
    assert r.status_code == 400 and "须写明入股的村" in r.content.decode()
    r = client.post(url, {"year": YEAR, "rent": "2000"})
    assert r.status_code == 302
    assert Income.objects.get(org=world.orgs["community"], year=YEAR).total == Decimal("2000.00")


def test_api(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    r = client.get("/api/v1/economy-incomes/", {"year": YEAR})
    assert r.status_code == 200 and {row["org_name"] for row in r.json()["results"]} == {"村甲一", "村甲二"}
    r = client.post(
        "/api/v1/economy-incomes/",
        {"org": world.orgs["community"].pk, "year": YEAR, "lines": [{"income_kind": "share", "amount": "5"}]},
        content_type="application/json",
    )
    assert r.status_code == 400 and "入股的村" in r.json()["detail"]
    r = client.get("/api/v1/economy-no-income/", {"year": YEAR})
    assert {row["name"] for row in r.json()["results"]} == {"村甲二", "社区甲"}
    r = client.get("/api/v1/economy-bands/", {"year": YEAR})
    assert {row["income_band"]: row["villages"] for row in r.json()}[Band.NONE] == 2
