"""For the lead's benchmark harness: a county's fund balances through the app (the scoped selector with its
correlated sums, as that county's admin) against raw SQL in the same run, asserted equal first."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from decimal import Decimal

from django.db import connection

from .selectors import allocation_rows

RAW_SQL = """
SELECT a.id,
       a.amount
       - COALESCE((SELECT SUM(c.amount) FROM funds_allocation c WHERE c.parent_id = a.id), 0)
       - COALESCE((SELECT SUM(d.amount) FROM funds_disbursement d WHERE d.allocation_id = a.id), 0)
FROM funds_allocation a JOIN orgs_org o ON o.id = a.org_id
WHERE o.path LIKE %(root)s
ORDER BY a.id
"""
CENT = Decimal("0.01")


def _timed(fn: Callable[[], object], runs: int) -> dict:
    fn()
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 2),
        "runs": runs,
    }


def raw_balances(root_path: str) -> list[tuple[int, Decimal]]:
    with connection.cursor() as c:
        c.execute(RAW_SQL, {"root": root_path + "%"})
        return [(pk, Decimal(str(v)).quantize(CENT)) for pk, v in c.fetchall()]


def balance_benchmark(user=None, county=None, runs: int = 10) -> list[dict]:
    """One row for bench/results: every allocation balance of a county (by default the first county of the
    generated province, as its admin, else the first superuser); [] without a generated province."""
    from dangjian.accounts.models import User
    from dangjian.orgs.models import Org

    if county is None:
        root = Org.objects.filter(name__startswith="演示省（生成").order_by("pk").first()
        if root is None:
            return []
        county = Org.objects.filter(kind="county", path__startswith=root.path).order_by("path").first()
        if county is None:
            return []
    user = (
        user
        or User.objects.filter(roles__org=county, roles__role="county_admin").order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )

    def app() -> list[tuple[int, Decimal]]:
        rows = allocation_rows().restrict(user).filter(org__path__startswith=county.path)
        return sorted(rows.order_by().values_list("pk", "balance"))

    def raw() -> list[tuple[int, Decimal]]:
        return raw_balances(county.path)

    got = app()
    assert got == raw(), "专项资金余额：应用计算与原始 SQL 结果不一致"
    return [
        {
            "name": f"{county.name}专项资金余额（{len(got):,}笔分配，下达−再分配−支出，与原始SQL逐笔相同）",
            "rows": len(got),
            "app": _timed(app, runs),
            "raw_sql": _timed(raw, runs),
        }
    ]
