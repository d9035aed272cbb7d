"""For the lead's benchmark harness: a county's whole dashboard (every panel of the county level built,
as its county admin) through the app, and raw SQL for the main panels' figures in the same run — cases by
kind, state and overdue; the development funnel; rectification by status; the monthly tasks' trend. Each
raw result is asserted equal to the panel's own figures before anything is timed."""

from __future__ import annotations

import datetime
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.utils import timezone

from dangjian.cases.kinds import KINDS
from dangjian.core.dates import add_months
from dangjian.development.models import Stage
from dangjian.rectification.choices import CaseStatus as RectStatus

from . import rules as R
from .panels import PANELS, panels_for
from .selectors import build_panels


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


def _fetch(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as c:
        c.execute(sql, params)
        return c.fetchall()


def raw_cases(path: str, today: datetime.date) -> list[tuple]:
    """(kind, state, count, overdue) under `path`; overdue as cases.selectors.overdue_q says."""
    clauses, params = [], []
    for kind, spec in KINDS.items():
        clauses.append(f"(c.kind = %s AND c.state IN ({', '.join(['%s'] * len(spec.running_states))}))")
        params += [kind, *spec.running_states]
    sql = (
        "SELECT c.kind, c.state, COUNT(*), SUM(CASE WHEN ("  # noqa: S608 (placeholders only)
        + " OR ".join(clauses)
        + ") AND c.deadline < %s "
        "THEN 1 ELSE 0 END) FROM cases_case c JOIN orgs_org o ON o.id = c.org_id "
        "WHERE o.path LIKE %s GROUP BY c.kind, c.state ORDER BY c.kind, c.state"
    )
    rows = _fetch(sql, [*params, today, path + "%"])
    return [(k, s, n, int(late or 0)) for k, s, n, late in rows]


def raw_development(path: str) -> list[tuple]:
    sql = """
        SELECT d.status, d.stage, COUNT(*) FROM development_developmentcase d
        JOIN orgs_org o ON o.id = d.org_id WHERE o.path LIKE %s
        GROUP BY d.status, d.stage ORDER BY d.status, d.stage"""
    return _fetch(sql, [path + "%"])


def raw_rectification(path: str, year: int) -> list[tuple]:
    sql = """
        SELECT r.status, COUNT(*) FROM rectification_rectificationcase r
        JOIN orgs_org o ON o.id = r.org_id WHERE o.path LIKE %s AND r.year = %s
        GROUP BY r.status ORDER BY r.status"""
    return _fetch(sql, [path + "%", year])


def raw_tasks(path: str, today: datetime.date) -> list[tuple]:
    """(month start, assignments, done, late) of the monthly lists' leaf assignments, trend months."""
    last = today.replace(day=1)
    first = add_months(last, -(int(R.TREND_MONTHS.value) - 1))
    sql = """
        SELECT a.period_start, COUNT(*),
               SUM(CASE WHEN a.state = 'done' THEN 1 ELSE 0 END),
               SUM(CASE WHEN a.due < %s AND a.state <> 'done' THEN 1 ELSE 0 END)
        FROM tasks_assignment a JOIN orgs_org o ON o.id = a.org_id
        JOIN tasks_task t ON t.id = a.task_id JOIN tasks_tasklist l ON l.id = t.task_list_id
        WHERE o.path LIKE %s AND a.relayed = %s AND l.kind = 'monthly'
          AND a.period_start >= %s AND a.period_start <= %s
        GROUP BY a.period_start ORDER BY a.period_start"""
    rows = _fetch(sql, [today, path + "%", False, first, last])
    return [(_day(d), n, int(done or 0), int(late or 0)) for d, n, done, late in rows]


def _day(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])


def _panel(user, county, today, code) -> dict:
    return build_panels(user, county, today, code)[0]


def app_figures(user, county, today: datetime.date) -> dict[str, list[tuple]]:
    """The same figures read from the panels' own rows (the Excel rows), in the raw SQL's shape."""
    kind_codes = {spec.label: k for k, spec in KINDS.items()}
    state_codes = {(k, label): s for k, spec in KINDS.items() for s, label in spec.states.items()}
    cases = sorted(
        (kind_codes[r["kind"]], state_codes[(kind_codes[r["kind"]], r["state"])], r["count"], r["overdue"])
        for r in _panel(user, county, today, "cases.by_state")["rows"]
    )
    funnel = {r["step"]: r["count"] for r in _panel(user, county, today, "development.funnel")["rows"]}
    labels = dict(Stage.choices)
    development = {
        "open": sum(funnel.get(labels[s], 0) for s in Stage.values),
        "probation": funnel["预备党员"],
        "full": funnel["已转正"],
    }
    codes = {label: code for code, label in RectStatus.choices}
    rect = sorted(
        (codes[r["status"]], r["count"])
        for r in _panel(user, county, today, "rectification.status")["rows"]
        if r["count"]
    )
    months = [add_months(today.replace(day=1), -i) for i in reversed(range(int(R.TREND_MONTHS.value)))]
    trend = [
        (m, r["assignments"], r["done_count"], r["late"])
        for m, r in zip(months, _panel(user, county, today, "tasks.trend")["rows"], strict=True)
        if r["assignments"]
    ]
    return {"cases": cases, "development": [development], "rectification": rect, "tasks": trend}


def raw_figures(county, today: datetime.date) -> dict[str, list[tuple]]:
    dev: dict[str, int] = {"open": 0, "probation": 0, "full": 0}
    for status, _stage, n in raw_development(county.path):
        if status in dev:
            dev[status] += n
    return {
        "cases": sorted(raw_cases(county.path, today)),
        "development": [dev],
        "rectification": sorted(raw_rectification(county.path, today.year)),
        "tasks": raw_tasks(county.path, today),
    }


def dashboard_benchmark(
    user=None, county=None, today: datetime.date | None = None, runs: int = 10
) -> list[dict]:
    """Rows for bench/results: the county's whole dashboard and its main panels' figures, app against raw
    SQL. By default the first county of the generated province (演示省（生成…）) or else the first county,
    as one of its county admins or else the first superuser; [] when there is no county."""
    from dangjian.accounts.models import User
    from dangjian.orgs.models import Org

    today = today or timezone.localdate()
    if county is None:
        province = Org.objects.filter(name__startswith="演示省（生成").order_by("pk").first()
        counties = Org.objects.filter(kind="county", archived_at__isnull=True).order_by("pk")
        county = (counties.filter(path__startswith=province.path) if province else counties).first()
    if county is None:
        return []
    user = (
        user
        or User.objects.filter(roles__org=county, roles__role="county_admin").order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    app = app_figures(user, county, today)
    raw = raw_figures(county, today)
    for key in raw:
        assert app[key] == raw[key], f"数据看板 {key}：面板数据与原始 SQL 不一致 {app[key]} != {raw[key]}"
    main = ["cases.by_state", "development.funnel", "rectification.status", "tasks.trend"]
    panels = [p.code for p in panels_for("county")]
    cases_n = sum(r[2] for r in raw["cases"])
    return [
        {
            "name": f"{county.name}县级数据看板（全部{len(panels)}个图表；"
            f"原始SQL为其中{len(main)}个主要图表的数字）",
            "rows": cases_n,
            "app": _timed(lambda: build_panels(user, county, today), runs),
            "raw_sql": _timed(lambda: raw_figures(county, today), runs),
        },
        {
            "name": f"{county.name}县级看板主要图表：案件、发展党员、整顿、任务（与原始SQL相同）",
            "rows": cases_n,
            "app": _timed(lambda: [build_panels(user, county, today, c) for c in main if c in PANELS], runs),
            "raw_sql": _timed(lambda: raw_figures(county, today), runs),
        },
    ]
