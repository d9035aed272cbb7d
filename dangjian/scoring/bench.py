"""For the lead's benchmark harness: a province ranking month — every township of the generated province
ranked by its score with its change from last month and its context note — through the app (the scope
layer as the province-level admin, the same read the ranking page and the dashboard panel make) and raw
SQL in the same run, asserted equal first."""

from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from .choices import Level
from .models import Result

RAW_SQL = """
SELECT r.org_id, r.score, r.rank, r.rank_prev, r.note
FROM scoring_result r JOIN orgs_org o ON o.id = r.org_id
WHERE r.period = %(period)s AND r.level = 'township' AND o.path LIKE %(root)s
ORDER BY r.score DESC, o.path
"""


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


def _same(row: tuple) -> tuple:
    """A row as both sides can be compared (SQLite hands back a decimal as a float)."""
    return (row[0], Decimal(str(row[1])).quantize(Decimal("0.01")), *row[2:])


def app_ranking(user, root, period: str) -> list[tuple]:
    rows = (
        Result.objects.restrict(user)
        .filter(period=period, level=Level.TOWNSHIP, org__path__startswith=root.path)
        .order_by("-score", "org__path")
        .values_list("org_id", "score", "rank", "rank_prev", "note")
    )
    return list(rows)


def raw_ranking(root, period: str) -> list[tuple]:
    with connection.cursor() as c:
        c.execute(RAW_SQL, {"period": period, "root": root.path + "%"})
        return [tuple(r) for r in c.fetchall()]


def ranking_benchmark(
    root_user=None, root=None, today: datetime.date | None = None, runs: int = 10
) -> list[dict]:
    """Rows for bench/results. By default the generated province (演示省（生成…）) as its province-level
    admin, else the first superuser; the latest month with results; [] without a generated province."""
    from dangjian.accounts.models import User
    from dangjian.orgs.models import Org

    today = today or timezone.localdate()
    root = root or Org.objects.filter(name__startswith="演示省（生成").order_by("pk").first()
    if root is None:
        return []
    root_user = (
        root_user
        or User.objects.filter(roles__org=root, roles__role="county_admin").order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    period = (
        Result.objects.filter(
            org__path__startswith=root.path, period__lte=f"{today:%Y-%m}", period__contains="-"
        )
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if period is None:
        return []
    app, raw = app_ranking(root_user, root, period), raw_ranking(root, period)
    assert [_same(a) for a in app] == [_same(r) for r in raw], "考核排名：应用与原始 SQL 结果不一致"
    return [
        {
            "name": f"全省乡镇考核排名（{period}，{len(app):,}个乡镇，含较上月名次和情况说明）",
            "rows": len(app),
            "app": _timed(lambda: app_ranking(root_user, root, period), runs),
            "raw_sql": _timed(lambda: raw_ranking(root, period), runs),
        }
    ]
