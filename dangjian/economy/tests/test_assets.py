"""Collective assets and their contracts: each refusal in Chinese with nothing saved, pro-rating by the months
of a year at the year boundaries, the 90-day expiring flag at its edges, the contracts' income recorded as
income lines through record_income, and an audit row for every write."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.economy import services
from dangjian.economy.choices import AssetKind, AssetUnit, ContractUse, IncomeKind
from dangjian.economy.models import Asset, AssetContract, Income
from dangjian.economy.selectors import asset_rows, contract_rows

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = D.today().year - 1


def sign(world, asset=None, org=None, **kw):
    asset = asset or world.assets["granary"]
    args = {
        "counterparty": "某合作社",
        "use": ContractUse.RENTED,
        "start": D(2020, 1, 1),
        "end": D(2020, 12, 31),
        "annual_amount": "12000",
    }
    args.update(kw)
    return services.save_contract(world.root, org or asset.org, asset, **args)


def test_asset_is_saved_with_audit_and_refused_in_chinese(world):
    before = AuditEvent.objects.filter(action="economy.asset").count()
    asset = services.save_asset(
        world.root, world.orgs["community"], name="社区门面房", kind=AssetKind.BUILDING, quantity="240.5",
        unit=AssetUnit.SQM,
    )  # fmt: skip
    assert asset.quantity == Decimal("240.50") and asset.township == world.orgs["township"]
    assert AuditEvent.objects.filter(action="economy.asset").count() == before + 1
    with pytest.raises(DomainError, match="按村"):
        services.save_asset(
            world.root, world.orgs["township"], name="x", kind="granary", quantity=1, unit="seat"
        )
    with pytest.raises(DomainError, match="计量单位"):
        services.save_asset(world.root, world.orgs["branch"], name="x", kind="granary", quantity=1, unit="吨")
    with pytest.raises(ActionDenied):
        services.save_asset(
            world.user(Role.VILLAGE_SECRETARY), world.orgs["branch"], name="x", kind="granary", quantity=1,
            unit="seat",
        )  # fmt: skip


def test_term_ending_before_it_starts_is_refused(world):
    with pytest.raises(DomainError, match="终止日期（2020-01-01）早于起始日期（2020-01-02）"):
        sign(world, start=D(2020, 1, 2), end=D(2020, 1, 1))
    assert not AssetContract.objects.filter(asset=world.assets["granary"]).exists()
    assert sign(world, start=D(2020, 1, 1), end=D(2020, 1, 1)).pk  # one day is a term


def test_asset_of_another_village_is_refused(world):
    with pytest.raises(DomainError, match="不是村甲二的集体资产"):
        sign(world, org=world.orgs["sibling"])
    assert not AssetContract.objects.filter(asset=world.assets["granary"]).exists()


def test_overlapping_contracts_on_one_asset_are_refused(world):
    first = sign(world, start=D(2020, 1, 1), end=D(2020, 12, 31))
    audits = AuditEvent.objects.filter(action="economy.contract").count()
    with pytest.raises(DomainError, match="期限重叠：某合作社（2020-01-01至2020-12-31）"):
        sign(world, start=D(2020, 12, 31), end=D(2021, 12, 31))
    assert AuditEvent.objects.filter(action="economy.contract").count() == audits
    sign(world, start=D(2021, 1, 1), end=D(2021, 12, 31))  # the day after is free
    services.save_contract(  # a correction of itself does not clash with itself
        world.root, first.org, first.asset, contract=first, counterparty="某合作社", use=ContractUse.RENTED,
        start=D(2020, 1, 1), end=D(2020, 12, 30), annual_amount="13000",
    )  # fmt: skip
    first.refresh_from_db()
    assert first.annual_amount == Decimal("13000.00")
    assert AuditEvent.objects.filter(action="economy.contract").count() == audits + 2


@pytest.mark.parametrize(
    ("start", "end", "year", "months"),
    [
        (D(2024, 1, 1), D(2024, 12, 31), 2024, 12),
        (D(2024, 1, 1), D(2024, 12, 31), 2025, 0),
        (D(2024, 7, 15), D(2025, 7, 14), 2024, 5),  # July's 1st is before the start
        (D(2024, 7, 15), D(2025, 7, 14), 2025, 7),  # 5 + 7 = the 12 months of the term
        (D(2024, 12, 1), D(2025, 11, 30), 2024, 1),
        (D(2024, 12, 2), D(2025, 11, 30), 2024, 0),
        (D(2023, 6, 1), D(2026, 5, 31), 2025, 12),
    ],
)
def test_months_of_a_year_at_the_boundaries(start, end, year, months):
    assert services.months_in_year(start, end, year) == months


def test_due_is_pro_rated_across_the_year_boundary(world):
    c = sign(world, start=D(2024, 7, 1), end=D(2025, 6, 30), annual_amount="100000")
    assert services.due_in_year(c, 2024) == Decimal("50000.00")
    assert services.due_in_year(c, 2025) == Decimal("50000.00")
    assert services.due_in_year(c, 2026) == Decimal("0.00")
    c = sign(world, start=D(2026, 2, 1), end=D(2026, 2, 28), annual_amount="10000")
    assert services.due_in_year(c, 2026) == Decimal("833.33")


@pytest.mark.parametrize(("days", "flagged"), [(-1, False), (0, True), (90, True), (91, False)])
def test_expiring_within_90_days_edges(world, days, flagged):
    today = D(2026, 3, 1)
    c = sign(world, start=D(2020, 1, 1), end=today + datetime.timedelta(days=days))
    assert contract_rows(today).get(pk=c.pk).expiring is flagged
    assert asset_rows(today).get(pk=c.asset_id).expiring is flagged


def test_contract_income_is_recorded_through_record_income(world):
    branch = world.orgs["branch"]
    land = world.assets["land_contract"]
    share = sign(
        world, asset=world.assets["granary"], use=ContractUse.SHAREHOLDING, start=D(YEAR, 7, 1),
        end=D(YEAR + 5, 6, 30), annual_amount="24000",
    )  # fmt: skip
    for _ in range(2):  # a second run replaces the lines it wrote
        income = services.record_contract_income(world.root, branch, year=YEAR, contracts=[land, share])
    lines = {(line.kind, line.amount) for line in income.lines.all()}
    assert lines == {
        (IncomeKind.RENT, Decimal("80000.00")),  # recorded by hand, kept
        (IncomeKind.SHARE, Decimal("12000.00")),  # kept
        (IncomeKind.RENT, Decimal("80000.00")),
        (IncomeKind.DIVIDEND, Decimal("12000.00")),  # six months of 24000
    }
    assert income.lines.count() == 4 and income.total == Decimal("184000.00")
    assert Income.objects.get(pk=income.pk).total == sum(line.amount for line in income.lines.all())
    with pytest.raises(DomainError, match="只能登记本村"):
        services.record_contract_income(
            world.root, branch, year=YEAR, contracts=[world.assets["out_contract"]]
        )
    with pytest.raises(DomainError, match="没有应收"):
        services.record_contract_income(world.root, branch, year=YEAR - 5, contracts=[land])


def test_assets_are_scoped(world):
    staff = world.user(Role.TOWNSHIP_STAFF)
    assert set(Asset.objects.restrict(staff).values_list("name", flat=True)) == {"甲村机动地", "甲村粮仓"}
    assert not AssetContract.objects.restrict(staff).filter(counterparty="外县粮贸公司").exists()
