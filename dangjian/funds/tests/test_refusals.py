"""Bad input refused with a clear Chinese message naming the rule, nothing written; boundaries allowed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.funds import services
from dangjian.funds.models import Allocation, Disbursement
from dangjian.funds.selectors import allocation_balance

pytestmark = pytest.mark.django_db
ON = datetime.date.today() - datetime.timedelta(days=10)


def test_disbursement_larger_than_the_balance_is_refused(world):
    village = world.funds["甲"]["village"]  # 20,000 allocated, 5,000 spent
    before = (Disbursement.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as exc:
        services.disburse(world.root, village, amount="15000.01", on=ON, spent_on="修路")
    assert "超过村甲一该笔资金的余额15,000.00元" in exc.value.message and "不得超过" in exc.value.message
    assert (Disbursement.objects.count(), AuditEvent.objects.count()) == before
    services.disburse(world.root, village, amount="15000.00", on=ON, spent_on="修路")  # exactly the balance
    assert allocation_balance(village.pk) == Decimal("0.00")


def test_allocation_outside_the_funds_county_is_refused(world):
    fund = world.funds["甲"]["fund"]
    with pytest.raises(DomainError) as exc:
        services.allocate(world.root, fund, org=world.orgs["out_branch"], amount="1", on=ON)
    assert exc.value.message.startswith("“外村”不属于县甲，不能分配县甲的资金") and exc.value.field == "org"
    with pytest.raises(DomainError, match="不属于县甲"):
        services.allocate(world.root, fund, org=world.orgs["county"], amount="1", on=ON)


def test_allocations_never_exceed_what_the_giver_holds(world):
    f = world.funds["甲"]
    with pytest.raises(DomainError, match="超过县甲.*尚未分配40,000.00元"):
        services.allocate(world.root, f["fund"], org=world.orgs["township"], amount="40000.01", on=ON)
    with pytest.raises(DomainError, match="超过镇甲的余额40,000.00元"):
        services.allocate(
            world.root, f["fund"], org=world.orgs["sibling"], amount="40000.01", on=ON, parent=f["township"]
        )
    row = services.allocate(
        world.root, f["fund"], org=world.orgs["sibling"], amount="40000", on=ON, parent=f["township"]
    )
    assert allocation_balance(f["township"].pk) == Decimal("0.00") and row.amount == Decimal("40000.00")


def test_tree_shape_and_roles(world):
    f = world.funds["甲"]
    with pytest.raises(DomainError, match="只能再分配给本乡镇的村"):
        services.allocate(
            world.root, f["fund"], org=world.orgs["township"], amount="1", on=ON, parent=f["township"]
        )
    with pytest.raises(DomainError, match="只有乡镇收到的资金"):
        services.allocate(
            world.root, f["fund"], org=world.orgs["sibling"], amount="1", on=ON, parent=f["village"]
        )
    with pytest.raises(ActionDenied):
        services.allocate(
            world.user(Role.TOWNSHIP_STAFF), f["fund"], org=world.orgs["township"], amount="1", on=ON
        )
    row = services.allocate(
        world.user(Role.TOWNSHIP_STAFF),
        f["fund"],
        org=world.orgs["sibling"],
        amount="1",
        on=ON,
        parent=f["township"],
    )
    assert row.parent_id == f["township"].pk
    with pytest.raises(ActionDenied):
        services.disburse(world.user(Role.VILLAGE_SECRETARY), f["village"], amount="1", on=ON, spent_on="x")


@pytest.mark.parametrize(
    ("amount", "message"), [("0", "大于0"), ("-5", "大于0"), ("1.001", "两位小数"), ("abc", "数字")]
)
def test_amounts(world, amount, message):
    with pytest.raises(DomainError, match=message):
        services.disburse(world.root, world.funds["甲"]["village"], amount=amount, on=ON, spent_on="x")


def test_future_dates_refused(world):
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.allocate(
            world.root,
            world.funds["甲"]["fund"],
            org=world.orgs["township"],
            amount="1",
            on=datetime.date.today() + datetime.timedelta(days=1),
        )
    assert Allocation.objects.filter(amount=1).count() == 0
