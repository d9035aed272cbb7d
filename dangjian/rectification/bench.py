"""For the lead's benchmark harness: the province-wide early warning through the app (`early_warning` as a
province-level admin, every registered signal, each reading its check through the scope layer) and raw
SQL in the same run.

Two rows: (1) the whole warning against the raw SQL of its table-local signals (satisfaction and the
screening sheet); (2) the same three signals through the app against that SQL, asserted equal first. The
findings-based signals (secretary vacancy, meetings owed, no admission) are the existing checks' own
queries and are benchmarked with their apps."""

from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.utils import timezone

from dangjian.core.dates import add_months

from . import rules as R
from .warning import SIGNALS, early_warning

TABLE_SIGNALS = ["low_satisfaction", "bottom_rank", "no_income"]
RAW_SQL = """
WITH v AS (
    SELECT id, path FROM orgs_org
    WHERE kind IN ('branch', 'community') AND archived_at IS NULL AND path LIKE %(root)s
), sat AS (
    SELECT COALESCE(v1.id, v2.id) AS village, count(*) AS total,
           count(*) FILTER (WHERE c.satisfaction >= 2) AS ok
    FROM cases_case c JOIN orgs_org o ON o.id = c.org_id
    LEFT JOIN v v1 ON v1.id = o.id LEFT JOIN v v2 ON v2.id = o.parent_id
    WHERE c.state = 'closed' AND c.closed_at >= %(since)s AND c.satisfaction IS NOT NULL
      AND (v1.id IS NOT NULL OR v2.id IS NOT NULL)
    GROUP BY 1
), latest AS (
    SELECT county_id, max(year) AS year FROM rectification_screening WHERE year >= %(year)s GROUP BY county_id
), scr AS (
    SELECT r.org_id, r.proposed, r.collective_income = 0 AS no_income
    FROM rectification_screeningrow r
    JOIN rectification_screening s ON s.id = r.screening_id
    JOIN latest l ON l.county_id = s.county_id AND l.year = s.year
)
SELECT v.id, sat.ok * 100 < %(limit)s * sat.total,
       COALESCE(scr.proposed, false), COALESCE(scr.no_income, false)
FROM v LEFT JOIN sat ON sat.village = v.id LEFT JOIN scr ON scr.org_id = v.id
WHERE sat.ok * 100 < %(limit)s * sat.total OR scr.proposed OR scr.no_income
ORDER BY v.id
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


def raw_signals(root_path: str, today: datetime.date) -> list[tuple[int, tuple[str, ...]]]:
    start = add_months(today, -int(R.SATISFACTION_MONTHS.value))
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    params = {
        "root": root_path + "%",
        "since": since,
        "year": today.year - 1,
        "limit": R.LOW_SATISFACTION.value,
    }
    with connection.cursor() as c:
        c.execute(RAW_SQL, params)
        return [
            (pk, tuple(code for code, hit in zip(TABLE_SIGNALS, flags, strict=True) if hit))
            for pk, *flags in c.fetchall()
        ]


def warning_benchmark(
    root_user=None, root=None, today: datetime.date | None = None, runs: int = 10
) -> list[dict]:
    """Rows for bench/results: the whole warning and the table-local signals, app against raw SQL. By
    default the generated province (演示省（生成…）) as its province-level admin (`bench_province`, which
    the tasks benchmark creates) or else the first superuser; [] when there is no generated province."""
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
    root_path = root.path

    def app_subset():
        rows = early_warning(root_user, today, codes=TABLE_SIGNALS)
        return sorted((r.org_id, tuple(c for c in TABLE_SIGNALS if c in r.signals)) for r in rows)

    def raw():
        return raw_signals(root_path, today)

    assert app_subset() == raw(), "软弱涣散预警：early_warning 与原始 SQL 结果不一致"
    villages = len(early_warning(root_user, today))
    subset = len(app_subset())
    return [
        {
            "name": f"全省软弱涣散预警（全部{len(SIGNALS)}类信号，{villages:,}个村有信号；"
            f"原始SQL为其中{len(TABLE_SIGNALS)}类表内信号）",
            "rows": villages,
            "app": _timed(lambda: early_warning(root_user, today), runs),
            "raw_sql": _timed(raw, runs),
        },
        {
            "name": f"全省软弱涣散预警：满意率、排名末位、无集体收入（{subset:,}个村，与原始SQL逐行相同）",
            "rows": subset,
            "app": _timed(app_subset, runs),
            "raw_sql": _timed(raw, runs),
        },
    ]
