"""Balances always reconcile with their records: any sequence of allocations and disbursements, valid or
refused, leaves every balance equal to allocated − re-allocated below − disbursed, never negative, and
every refusal writes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEvent
from dangjian.funds import services
from dangjian.funds.choices import Purpose
from dangjian.funds.models import Allocation, Disbursement
from dangjian.funds.selectors import allocation_rows, fund_rows

TODAY = datetime.date(2026, 6, 30)
ON = datetime.date(2026, 3, 1)

# An operation: ("alloc", parent index or None, target key, amount in fen) or ("spend", index, fen).
TARGETS = ["township", "branch", "sibling", "community", "out_branch", "county"]
ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("alloc"),
            st.one_of(st.none(), st.integers(0, 7)),
            st.sampled_from(TARGETS),
            st.integers(1, 120_000),
        ),
        st.tuples(st.just("spend"), st.integers(0, 7), st.integers(1, 60_000)),
    ),
    max_size=14,
)


def expected(rows: list[dict], fund_amount: Decimal) -> tuple[dict[int, Decimal], Decimal]:
    """Balances from the raw rows, in Python: the oracle the selectors must agree with."""
    spent: dict[int, Decimal] = {}
    for d in Disbursement.objects.values("allocation_id", "amount"):
        spent[d["allocation_id"]] = spent.get(d["allocation_id"], Decimal(0)) + d["amount"]
    below: dict[int, Decimal] = {}
    for r in rows:
        if r["parent_id"]:
            below[r["parent_id"]] = below.get(r["parent_id"], Decimal(0)) + r["amount"]
    balances = {r["id"]: r["amount"] - below.get(r["id"], 0) - spent.get(r["id"], 0) for r in rows}
    top = sum((r["amount"] for r in rows if not r["parent_id"]), Decimal(0))
    return balances, fund_amount - top


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=ops)
def test_any_sequence_keeps_balances_equal_to_records(world, sequence):
    o = world.orgs
    sid = transaction.savepoint()
    try:
        fund = services.create_fund(
            world.root,
            o["county"],
            name="性质测试资金",
            year=2026,
            purpose=Purpose.RUNNING,
            amount="100000.00",
            document="测试〔2026〕1号",
        )
        made: list[Allocation] = []
        for op in sequence:
            events, rows = (
                AuditEvent.objects.count(),
                (Allocation.objects.count(), Disbursement.objects.count()),
            )
            try:
                if op[0] == "alloc":
                    _, parent_i, target, fen = op
                    parent = made[parent_i % len(made)] if parent_i is not None and made else None
                    made.append(
                        services.allocate(
                            world.root,
                            fund,
                            org=o[target],
                            amount=Decimal(fen) / 100,
                            on=ON,
                            parent=parent,
                            today=TODAY,
                        )
                    )
                elif made:
                    _, i, fen = op
                    services.disburse(
                        world.root,
                        made[i % len(made)],
                        amount=Decimal(fen) / 100,
                        on=ON,
                        spent_on="测试支出",
                        today=TODAY,
                    )
            except DomainError:
                assert AuditEvent.objects.count() == events
                assert (Allocation.objects.count(), Disbursement.objects.count()) == rows
            rows_now = list(Allocation.objects.filter(fund=fund).values("id", "parent_id", "amount"))
            want, unallocated = expected(rows_now, fund.amount)
            got = {a.pk: a.balance for a in allocation_rows().filter(fund=fund)}
            assert got == want
            assert all(b >= 0 for b in got.values())
            f = fund_rows().get(pk=fund.pk)
            assert f.unallocated == unallocated >= 0
            assert not Allocation.objects.filter(
                fund=fund, org__path__startswith=o["out_county"].path
            ).exists()
    finally:
        transaction.savepoint_rollback(sid)
