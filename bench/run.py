"""`make bench`: province-scale benchmarks on PostgreSQL, each reported as a ratio to raw SQL
for the same rows measured in the same run. Writes bench/results/latest.json and the table in
docs/performance.md.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dangjian  (default)
    BENCH_COUNTIES=100 (default; the full province)  BENCH_RUNS=30
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_dangjian")
COUNTIES = int(os.environ.get("BENCH_COUNTIES", "100"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
SEED = int(os.environ.get("BENCH_SEED", "1"))


def ensure_database() -> None:
    import psycopg

    base, name = DB_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def timed(fn, runs: int = RUNS) -> dict:
    fn()  # warm caches once, as a server that has been up for a minute would be
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


def main() -> None:
    os.environ["DATABASE_URL"] = DB_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    os.environ.setdefault("DEBUG", "true")
    sys.path.insert(0, str(ROOT))
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dangjian.accounts.models import User
    from dangjian.core.roles import Role
    from dangjian.orgs.models import Org

    call_command("migrate", verbosity=0)
    if not Org.objects.filter(name__startswith="演示省（生成").exists():
        t = time.perf_counter()
        call_command("gen_province", counties=COUNTIES, seed=SEED)
        gen_seconds = round(time.perf_counter() - t, 1)
    else:
        gen_seconds = None
    with connection.cursor() as c:
        c.execute("ANALYZE")
    totals = {k: Org.objects.filter(kind=k).count() for k in ("county", "township", "station", "branch")}
    admin = (
        User.objects.filter(roles__role=Role.COUNTY_ADMIN, roles__org__name__contains="县")
        .order_by("pk")
        .last()
    )
    county = admin.roles.get(role=Role.COUNTY_ADMIN).org
    township = Org.objects.filter(parent=county, kind="township").order_by("pk").first()
    results = []

    def orm_subtree():
        return list(
            Org.objects.restrict(admin)
            .filter(path__startswith=township.path, archived_at__isnull=True)
            .order_by("path")
            .values_list("id", "name", "kind", "path")
        )

    def raw_subtree():
        with connection.cursor() as c:
            c.execute(
                "SELECT id, name, kind, path FROM orgs_org WHERE path LIKE %s AND archived_at IS NULL "
                "ORDER BY path",
                [township.path + "%"],
            )
            return c.fetchall()

    assert len(orm_subtree()) == len(raw_subtree())
    results.append(("乡镇子树（ORM + 范围过滤）", len(raw_subtree()), timed(orm_subtree), timed(raw_subtree)))

    client = Client()
    client.force_login(admin, backend="dangjian.accounts.backends.PlatformBackend")

    def page(url):
        def get():
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)

        return get

    def raw_workbench():
        with connection.cursor() as c:
            c.execute(
                "SELECT kind, count(*) FROM orgs_org WHERE path LIKE %s AND archived_at IS NULL "
                "GROUP BY kind",
                [county.path + "%"],
            )
            c.fetchall()
            c.execute(
                "SELECT count(*) FROM orgs_grid g JOIN orgs_org o ON o.id = g.org_id WHERE o.path LIKE %s",
                [county.path + "%"],
            )
            c.fetchall()
            c.execute(
                "SELECT count(*) FROM orgs_department d JOIN orgs_org o ON o.id = d.county_id "
                "WHERE o.path LIKE %s",
                [county.path + "%"],
            )
            c.fetchall()
            c.execute(
                "SELECT a.* FROM core_auditevent a JOIN orgs_org o ON o.id = a.org_id WHERE o.path LIKE %s "
                "ORDER BY a.created_at DESC LIMIT 8",
                [county.path + "%"],
            )
            c.fetchall()

    def raw_list():
        with connection.cursor() as c:
            c.execute(
                "SELECT count(*) FROM orgs_org WHERE path LIKE %s AND archived_at IS NULL",
                [county.path + "%"],
            )
            c.fetchall()
            c.execute(
                "SELECT o.id, o.name, o.kind, o.code, p.name FROM orgs_org o LEFT JOIN orgs_org p "
                "ON p.id = o.parent_id WHERE o.path LIKE %s AND o.archived_at IS NULL "
                "ORDER BY o.path LIMIT 50",
                [county.path + "%"],
            )
            c.fetchall()

    def raw_detail():
        with connection.cursor() as c:
            c.execute("SELECT * FROM orgs_org WHERE parent_id = %s ORDER BY sort_order, name", [township.pk])
            c.fetchall()
            c.execute(
                "SELECT substr(path, 1, %s), kind, count(*) FROM orgs_org WHERE path LIKE %s AND depth > %s "
                "GROUP BY 1, 2",
                [len(township.path) + 9, township.path + "%", township.depth + 1],
            )
            c.fetchall()

    county_rows = Org.objects.filter(path__startswith=county.path).count()
    for label, url, raw, rows in [
        ("工作台（县管理员）", "/", raw_workbench, county_rows),
        ("组织列表第1页（全县）", f"/orgs/list/?within={county.pk}", raw_list, county_rows),
        ("乡镇页面（下级及各级计数）", f"/orgs/{township.pk}/", raw_detail, len(raw_subtree())),
    ]:
        with CaptureQueriesContext(connection) as q:
            page(url)()
        results.append((label + f"，{len(q)}次查询", rows, timed(page(url)), timed(raw)))

    report = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "database": f"{connection.vendor} {connection.pg_version}",
        "province": totals,
        "gen_province_seconds": gen_seconds,
        "results": [
            {
                "name": n,
                "rows": rows,
                "app": a,
                "raw_sql": r,
                "ratio_median": round(a["median_ms"] / max(r["median_ms"], 0.01), 2),
            }
            for n, rows, a, r in results
        ],
    }
    (ROOT / "bench" / "results" / "latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    write_markdown(report)
    print(json.dumps(report, ensure_ascii=False, indent=2))


def write_markdown(report: dict) -> None:
    lines = [
        "# 性能 / Performance",
        "",
        "由 `make bench` 生成（PostgreSQL，省级规模）。每一项与同一次运行中取同样数据的原始 SQL 对比。",
        "Generated by `make bench` on PostgreSQL at province scale; each row is compared with raw SQL for "
        "the same rows, measured in the same run.",
        "",
        f"- 时间 / when: {report['when']}; 机器 / machine: {report['machine']}",
        f"- 规模 / scale: {report['province']}"
        + (
            f"; gen_province 用时 {report['gen_province_seconds']} s"
            if report["gen_province_seconds"]
            else ""
        ),
        "",
        "| 项目 | 行数 | 应用中位数 ms | 应用 p95 ms | 原始SQL中位数 ms | 倍数 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in report["results"]:
        lines.append(
            f"| {r['name']} | {r['rows']} | {r['app']['median_ms']} | {r['app']['p95_ms']} | "
            f"{r['raw_sql']['median_ms']} | {r['ratio_median']}× |"
        )
    lines += [
        "",
        "页面的倍数包含模板渲染与会话处理（原始 SQL 只含查询），因此高于纯查询的倍数。",
        "Page ratios include template rendering and session handling, which raw SQL does not.",
    ]
    (ROOT / "docs" / "performance.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
