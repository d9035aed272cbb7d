"""For the lead's benchmark harness: a county's project roll-up (per township: projects, budget, funded,
outcomes per unit) through the app (`stats.rollup` as the county's admin, through the scope layer) against
raw SQL in the same run, asserted equal first."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from decimal import Decimal

from django.db import connection
from django.db.models import Count

from . import stats
from .models import Project

RAW_SQL = """
WITH p AS (
    SELECT pr.id, pr.township_id, pr.budget
    FROM projects_project pr JOIN orgs_org o ON o.id = pr.org_id
    WHERE pr.county_id = %(county)s AND o.path LIKE %(root)s
), f AS (
    SELECT p.township_id, SUM(s.amount) AS funded
    FROM projects_fundingsource s JOIN p ON p.id = s.project_id GROUP BY p.township_id
), u AS (
    SELECT p.township_id, un.name AS unit, SUM(oc.quantity) AS total
    FROM projects_outcome oc JOIN p ON p.id = oc.project_id JOIN projects_unit un ON un.id = oc.unit_id
    GROUP BY p.township_id, un.name
)
SELECT p.township_id, COUNT(*), SUM(p.budget), MAX(f.funded)
FROM p LEFT JOIN f ON f.township_id = p.township_id
GROUP BY p.township_id ORDER BY p.township_id
"""
RAW_UNITS = """
SELECT pr.township_id, un.name, SUM(oc.quantity)
FROM projects_outcome oc JOIN projects_project pr ON pr.id = oc.project_id
JOIN projects_unit un ON un.id = oc.unit_id JOIN orgs_org o ON o.id = pr.org_id
WHERE pr.county_id = %(county)s AND o.path LIKE %(root)s
GROUP BY pr.township_id, un.name
"""


def _dec(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def raw_rollup(county_id: int, root: str = "/") -> list[tuple]:
    """(township id, projects, budget, funded, {unit: total}) per township, by raw SQL."""
    params = {"county": county_id, "root": root + "%"}
    with connection.cursor() as c:
        c.execute(RAW_UNITS, params)
        units: dict[int, dict[str, Decimal]] = {}
        for township, unit, total in c.fetchall():
            units.setdefault(township, {})[unit] = _dec(total)
        c.execute(RAW_SQL, params)
        return [
            (township, n, _dec(budget), _dec(funded), units.get(township, {}))
            for township, n, budget, funded in c.fetchall()
        ]


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


def rollup_benchmark(user=None, county=None, runs: int = 10) -> list[dict]:
    """One row for bench/results: a county's roll-up by township, app against raw SQL. By default the
    generated county with the most projects, read by its county admin (or the first superuser); [] when
    there are no projects."""
    from dangjian.accounts.models import User
    from dangjian.orgs.models import Org

    if county is None:
        top = (
            Project.objects.values("county").order_by("county").annotate(n=Count("pk")).order_by("-n").first()
        )
        if top is None:
            return []
        county = Org.objects.get(pk=top["county"])
    user = (
        user
        or User.objects.filter(roles__org=county, roles__role="county_admin").order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )

    def app():
        rows = stats.rollup(user, "township", county=county.pk)
        return sorted(
            (
                r.org_id,
                r.projects,
                _dec(r.budget),
                _dec(r.funded),
                {k: _dec(v) for k, v in r.outcomes.items()},
            )
            for r in rows
        )

    def raw():
        return raw_rollup(county.pk, county.path)

    assert app() == raw(), "项目汇总：stats.rollup 与原始 SQL 结果不一致"
    projects = sum(r[1] for r in raw())
    return [
        {
            "name": f"{county.name}项目按乡镇汇总（{projects:,}个项目，预算、资金、成效按单位）",
            "rows": projects,
            "app": _timed(app, runs),
            "raw_sql": _timed(raw, runs),
        }
    ]
