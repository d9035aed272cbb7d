"""The province generator's funds and income, and the balance benchmark (app against raw SQL)."""

from __future__ import annotations

import datetime

import pytest

from dangjian.economy import generate as economy_generate
from dangjian.economy.models import Income
from dangjian.funds import generate
from dangjian.funds.bench import balance_benchmark, raw_balances
from dangjian.funds.selectors import allocation_rows
from dangjian.orgs import demo as org_demo

pytestmark = pytest.mark.django_db


def test_generated_province_balances_reconcile_and_the_benchmark_agrees(world):
    plan = org_demo.plan_province(7, counties=2, townships=2, branches=4, grids=0)
    ids = org_demo.insert_province(plan)
    today = datetime.date(2026, 9, 1)
    counts = generate.insert_province(plan, ids, today)
    assert counts["funds_fund"] == 6 and counts["funds_allocation"] == 2 * 2 * (1 + 4 + 1 + 2 + 1)
    root = ids[0]
    rows = allocation_rows().filter(org__path__startswith=_path(root))
    assert all(r.balance >= 0 for r in rows)
    assert sorted((r.pk, r.balance) for r in rows) == raw_balances(_path(root))
    result = balance_benchmark(runs=2)
    assert result and result[0]["rows"] > 0
    made = economy_generate.insert_province(plan, ids, today)
    assert made["economy_income"] == 2 * 2 * 4 * 2
    for income in Income.objects.filter(year=2025, org_id__in=ids).prefetch_related("lines"):
        assert income.total == sum(line.amount for line in income.lines.all())


def _path(pk: int) -> str:
    from dangjian.orgs.models import Org

    return Org.objects.get(pk=pk).path
