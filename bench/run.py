"""`make bench`: province-scale benchmarks on PostgreSQL, each reported as a ratio to raw SQL
for the same rows measured in the same run. Writes bench/results/latest.json and the table in
docs/performance.md.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dangjian  (default)
    BENCH_COUNTIES=100 (default; the full province)  BENCH_RUNS=30
    BENCH_MEMBERS=100 (members per village branch)  BENCH_IMPORT_ROWS=100000
    BENCH_ONLY=tasks (only the task roll-up and the 3+X pack, spliced into docs/performance.md)
    BENCH_ONLY=rectification|scoring|projects|… (one area's own benchmark, spliced likewise; see AREAS)

Roster benchmarks (the filtered 花名册 page, the roster API, the 100,000-row Excel import) are skipped,
with the reason in the results, when the code they measure is not there.
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
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "100"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
ONLY = os.environ.get("BENCH_ONLY", "")  # "tasks" or an AREAS key: only that, spliced into the docs


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
        call_command("gen_province", counties=COUNTIES, seed=SEED, members=MEMBERS)
        gen_seconds = round(time.perf_counter() - t, 1)
    else:
        gen_seconds = None
    with connection.cursor() as c:
        c.execute("ANALYZE")
    if ONLY in ONLY_SECTIONS:
        section_only(ONLY)
        return
    totals = {k: Org.objects.filter(kind=k).count() for k in ("county", "township", "station", "branch")}
    from dangjian.members.models import Member

    totals["member"] = Member.objects.count()
    admin = (
        User.objects.filter(roles__role=Role.COUNTY_ADMIN, roles__org__name__contains="县")
        .exclude(
            username__startswith="bench_"
        )  # the export's own user holds 42 counties; it stays for reruns
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

    skipped: list[dict] = []
    imports: list[dict] = []
    roster_benchmarks(county, township, results, skipped)
    import_benchmark(admin, county, imports, skipped)
    meetings_benchmark(results, skipped)
    cases: list[dict] = []
    cases_benchmark(cases, skipped)
    tasks: list[dict] = []
    tasks_benchmark(tasks, skipped)
    areas: dict[str, list[dict]] = {key: [] for key in AREAS}
    for key, rows in areas.items():
        area_benchmark(key, rows, skipped)

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
        "imports": imports,
        "cases": cases,
        "tasks": tasks,
        **areas,
        "skipped": skipped,
        "note": ""
        if COUNTIES == 100
        else f"注意：本次以 BENCH_COUNTIES={COUNTIES} 运行，不是完整的省级规模（100个县）。"
        f" Note: run with BENCH_COUNTIES={COUNTIES}, not the full province of 100 counties.",
    }
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    write_markdown(report)
    print(json.dumps(report, ensure_ascii=False, indent=2))


def township_user(township):
    """A township office login (党建办) on `township`: the generated province only has county admins."""
    from dangjian.accounts.models import RoleAssignment, User
    from dangjian.core.roles import Role

    user, _ = User.objects.get_or_create(
        username=f"bench_township_{township.pk}", defaults={"real_name": "基准测试党建办", "is_demo": True}
    )
    RoleAssignment.objects.get_or_create(user=user, org=township, role=Role.TOWNSHIP_STAFF)
    return user


def url_or_none(name: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def roster_benchmarks(county, township, results: list, skipped: list) -> None:
    """(a) the filtered roster page and (b) the roster API, as a township office user, against the raw
    SQL that fetches the same count and first page of 50 rows with their joins."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = township_user(township)
    client = Client()
    client.force_login(user, backend="dangjian.accounts.backends.PlatformBackend")
    q = "王"
    like = township.path + "%"

    def get(url):
        def run():
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)
            return r

        return run

    def raw_page():
        with connection.cursor() as c:
            where = (
                "FROM members_member m JOIN members_person p ON p.id = m.person_id "
                "JOIN orgs_org o ON o.id = m.org_id WHERE o.path LIKE %s AND m.status = 'full' "
                "AND p.gender = 'female' AND m.standing IN ('normal', 'suspended') "
                "AND (p.name LIKE %s OR p.name_pinyin LIKE %s OR p.name_initials LIKE %s)"
            )
            args = [like, f"%{q}%", f"{q}%", f"{q}%"]
            c.execute("SELECT count(*) " + where, args)
            count = c.fetchone()[0]
            c.execute(
                "SELECT m.id, m.status, m.joined_on, m.full_on, m.standing, m.is_mobile, p.name, p.gender, "
                "p.birth_date, p.id_number, p.phone, p.education, p.occupation, o.name, g.name "
                + where.replace("WHERE", "LEFT JOIN orgs_org g ON g.id = m.group_id WHERE")
                + " ORDER BY m.org_id, p.name LIMIT 50",
                args,
            )
            c.fetchall()
            return count

    def raw_api():
        with connection.cursor() as c:
            where = (
                "FROM members_member m JOIN orgs_org o ON o.id = m.org_id "
                "WHERE o.path LIKE %s AND m.standing IN ('normal', 'suspended')"
            )
            c.execute("SELECT count(*) " + where, [like])
            count = c.fetchone()[0]
            c.execute(
                "SELECT m.*, p.*, o.name, g.name FROM members_member m "
                "JOIN members_person p ON p.id = m.person_id JOIN orgs_org o ON o.id = m.org_id "
                "LEFT JOIN orgs_org g ON g.id = m.group_id "
                "WHERE o.path LIKE %s AND m.standing IN ('normal', 'suspended') "
                "ORDER BY m.org_id, p.name LIMIT 50",
                [like],
            )
            c.fetchall()
            return count

    page_url = url_or_none("member-list")
    if page_url is None:
        skipped.append({"name": "党员花名册（筛选）", "reason": "URL member-list 尚不存在"})
    else:
        url = f"{page_url}?org={township.pk}&status=full&gender=female&q={q}"
        rows = raw_page()
        with CaptureQueriesContext(connection) as captured:
            get(url)()
        results.append(
            (
                f"党员花名册（乡镇，正式党员+女+姓名“{q}”），{len(captured)}次查询",
                rows,
                timed(get(url)),
                timed(raw_page),
            )
        )
    api_base = "/api/v1/members/"
    probe = client.get(f"{api_base}?org={township.pk}")
    if probe.status_code != 200:
        skipped.append({"name": "党员API列表", "reason": f"{api_base} 返回 {probe.status_code}"})
    else:
        url = f"{api_base}?org={township.pk}"
        rows = raw_api()
        assert probe.json()["count"] == rows, (probe.json()["count"], rows)
        with CaptureQueriesContext(connection) as captured:
            get(url)()
        results.append(
            (f"党员API列表（乡镇，第1页50条），{len(captured)}次查询", rows, timed(get(url)), timed(raw_api))
        )


def import_benchmark(admin, county, imports: list, skipped: list) -> None:
    """(c) a 100,000-row roster workbook through `import_members` (check every row, then write), against
    reading the same file with the import's own reader alone (`read_upload`: calamine, header and cell
    cleaning). The import runs in a transaction rolled back afterwards, so the bench can be run again on
    the same database."""
    import tempfile

    from django.db import transaction

    try:
        from dangjian.members.services.importing import (
            IMPORT_COLUMNS,
            IMPORT_REQUIRED,
            IMPORT_SHEET,
            import_members,
        )
        from dangjian.members.services.sheet_file import read_upload
    except ImportError as exc:
        skipped.append({"name": f"花名册导入（{IMPORT_ROWS:,}行）", "reason": f"导入服务尚不存在：{exc}"})
        return
    path = Path(tempfile.gettempdir()) / f"bench_import_{IMPORT_ROWS}.xlsx"
    t = time.perf_counter()
    branch_codes = build_import_file(path, county, IMPORT_COLUMNS, IMPORT_SHEET)
    build_seconds = time.perf_counter() - t

    def parse_only() -> int:
        with path.open("rb") as f:
            return len(read_upload(f, IMPORT_COLUMNS, IMPORT_REQUIRED, IMPORT_SHEET).rows)

    t = time.perf_counter()
    parsed = parse_only()
    parse_seconds = time.perf_counter() - t
    assert parsed == IMPORT_ROWS, parsed
    with transaction.atomic():
        t = time.perf_counter()
        with path.open("rb") as f:
            report = import_members(admin, f, dry_run=False)
        seconds = time.perf_counter() - t
        transaction.set_rollback(True)
    if not report.ok or report.created != IMPORT_ROWS:
        errors = [f"第{e.row}行 {e.column} {e.message}" for e in report.errors[:5]]
        skipped.append(
            {
                "name": f"花名册导入（{IMPORT_ROWS:,}行）",
                "reason": f"导入未通过：创建{report.created}行；{errors}",
            }
        )
        return
    imports.append(
        {
            "name": f"花名册导入（{IMPORT_ROWS:,}行，{len(branch_codes)}个党支部，校验并写入）",
            "rows": IMPORT_ROWS,
            "seconds": round(seconds, 1),
            "rows_per_s": round(IMPORT_ROWS / seconds),
            "baseline_seconds": round(parse_seconds, 1),
            "baseline_rows_per_s": round(IMPORT_ROWS / parse_seconds),
            "ratio": round(seconds / parse_seconds, 2),
            "file_build_seconds": round(build_seconds, 1),
        }
    )


def build_import_file(path: Path, county, columns: dict[str, str], sheet: str) -> list[str]:
    """A valid workbook of IMPORT_ROWS new members spread over the county's branches (write-only mode).
    ID numbers use area code 890000, which no real division and no generated county uses."""
    import random

    from django.utils import timezone
    from openpyxl import Workbook

    from dangjian.members.choices import DuesCategory, Education, MemberStatus
    from dangjian.members.demo import IdAllocator, draw_member
    from dangjian.orgs.models import Org

    codes = list(
        Org.objects.filter(path__startswith=county.path, kind="branch")
        .order_by("code")
        .values_list("code", flat=True)
    )
    rng = random.Random(f"bench-import-{IMPORT_ROWS}")
    ids = IdAllocator()
    today = timezone.localdate()
    labels = {
        "gender": {"male": "男", "female": "女"},
        "status": dict(MemberStatus.choices),
        "education": dict(Education.choices),
        # The exempt label's full-width brackets become half-width when a cell is read (NFKC), and the
        # import then does not know it; "困难党员" is an alias it accepts.
        "dues_category": dict(DuesCategory.choices) | {DuesCategory.EXEMPT: "困难党员"},
    }
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(list(columns))
    for i in range(IMPORT_ROWS):
        p = draw_member(rng, ids, "890000", today)
        values = {
            "org": codes[i % len(codes)],
            "name": p.name,
            "gender": labels["gender"][p.gender],
            "ethnicity": "汉族",
            "birth_date": p.birth,
            "id_number": p.id_number,
            "phone": p.phone,
            "education": labels["education"][p.education],
            "occupation": p.occupation,
            "status": labels["status"][p.status],
            "joined_on": p.joined_on,
            "full_on": p.full_on,
            "group": None,
            "dues_category": labels["dues_category"][p.dues_category],
            "dues_base": float(p.dues_base) if p.dues_base is not None else None,
        }
        ws.append([values.get(field) for field in columns.values()])
    wb.save(path)
    return codes


MEETINGS_RAW_SQL = """
WITH o AS (
    SELECT id, parent_id, kind FROM orgs_org WHERE path LIKE %(root)s AND archived_at IS NULL
), committee AS (
    SELECT o.id AS org_id FROM o WHERE o.kind IN ('branch', 'community') AND EXISTS (
        SELECT 1 FROM members_member m WHERE m.org_id = o.id AND m.status = 'full' AND m.standing = 'normal'
        LIMIT 1 OFFSET 6)
), grp AS (
    SELECT parent_id AS org_id, count(*) AS n FROM o WHERE kind = 'group' GROUP BY parent_id
), held AS (
    SELECT CASE WHEN mt.kind = 'group' AND o.kind = 'group' THEN o.parent_id ELSE mt.org_id END AS org_id,
           mt.kind,
           CASE WHEN mt.kind = 'office_weekly' THEN date_trunc('week', mt.held_on)::date
                ELSE date_trunc('month', mt.held_on)::date END AS bucket,
           count(*) AS n
    FROM meetings_meeting mt JOIN o ON o.id = mt.org_id
    WHERE mt.status = 'held' AND mt.held_on <= %(end)s
      AND mt.kind IN ('committee', 'group', 'theme_day', 'station_monthly', 'office_monthly', 'office_weekly')
      AND (mt.held_on >= %(start)s OR (mt.kind = 'office_weekly' AND mt.held_on >= %(first_monday)s))
    GROUP BY 1, 2, 3
), owed AS (
    SELECT o.id AS org_id, r.kind, %(start)s::date AS bucket,
           CASE WHEN r.kind = 'group' THEN grp.n ELSE 1 END AS required
    FROM o CROSS JOIN (VALUES ('committee'), ('group'), ('theme_day')) AS r(kind)
    LEFT JOIN grp ON grp.org_id = o.id
    WHERE o.kind IN ('branch', 'community')
      AND (r.kind <> 'committee' OR o.id IN (SELECT org_id FROM committee))
      AND (r.kind <> 'group' OR grp.n > 0)
    UNION ALL
    SELECT o.id, 'station_monthly', %(start)s::date, 1 FROM o WHERE o.kind = 'station'
    UNION ALL
    SELECT o.id, 'office_monthly', %(start)s::date, 1
    FROM o JOIN orgs_office f ON f.township_id = o.id WHERE o.kind = 'township'
    UNION ALL
    SELECT o.id, 'office_weekly', w.bucket, 1
    FROM o JOIN orgs_office f ON f.township_id = o.id CROSS JOIN unnest(%(mondays)s::date[]) AS w(bucket)
    WHERE o.kind = 'township'
)
SELECT d.org_id, d.kind, count(*) AS due, count(*) FILTER (WHERE coalesce(h.n, 0) >= d.required) AS met
FROM owed d LEFT JOIN held h ON h.org_id = d.org_id AND h.kind = d.kind AND h.bucket = d.bucket
GROUP BY d.org_id, d.kind
UNION ALL
SELECT mt.org_id, 'attendance', count(*), count(*) FILTER (WHERE a.status = 'present')
FROM meetings_meetingattendance a JOIN meetings_meeting mt ON mt.id = a.meeting_id JOIN o ON o.id = mt.org_id
WHERE mt.status = 'held' AND mt.held_on BETWEEN %(start)s AND %(end)s
GROUP BY mt.org_id
"""


def province_meetings(root, today) -> float | None:
    """Meetings for a province generated before the meetings generator existed: rebuild its plan from
    the same seed and size, check the codes match, and run only the meetings generator (once)."""
    from django.db import connection, transaction

    from dangjian.meetings.generate import insert_province_meetings
    from dangjian.meetings.models import Meeting
    from dangjian.orgs import demo as org_demo
    from dangjian.orgs.models import Org

    if Meeting.objects.filter(org__path__startswith=root.path).exists():
        return None
    plan = org_demo.plan_province(SEED, COUNTIES)
    ids = dict(Org.objects.filter(code__startswith=f"{plan.code}-").values_list("code", "id"))
    ids[plan.code] = root.pk
    if any(o.code not in ids for o in plan.orgs):
        raise LookupError(f"数据库中的演示省与种子{SEED}、{COUNTIES}个县的规划不一致")
    t = time.perf_counter()
    with transaction.atomic():
        insert_province_meetings(plan, [ids[o.code] for o in plan.orgs], today)
    seconds = round(time.perf_counter() - t, 1)
    with connection.cursor() as c:  # set hint bits and the visibility map before anything is timed
        c.execute("VACUUM ANALYZE meetings_meeting, meetings_meetingattendance")
    return seconds


def meetings_benchmark(results: list, skipped: list, runs: int | None = None) -> None:
    """(d) Every meeting rule for every branch, station and township office of the province for one closed
    month: the compliance engine (its four queries, the per-org evaluation and the roll-up up the tree)
    against one hand-written SQL statement giving the same result — per org × rule the obligations due
    and met, and per org the attendance expected and present — measured in the same run."""
    from django.db import connection
    from django.utils import timezone

    from dangjian.meetings.compliance import Period, evaluate
    from dangjian.orgs.models import Org

    name = "组织生活合规：全省每个党支部、工作站、党建办一个月的全部会议规则"
    root = Org.objects.filter(name__startswith="演示省（生成").order_by("pk").first()
    if root is None:
        skipped.append({"name": name, "reason": "没有生成的演示省"})
        return
    today = timezone.localdate()
    try:
        generated = province_meetings(root, today)
    except LookupError as exc:
        skipped.append({"name": name, "reason": str(exc)})
        return
    period = Period.containing(today).previous()
    weeks = period.buckets("week")
    params = {
        "root": root.path + "%",
        "start": period.start,
        "end": period.end,
        "first_monday": weeks[0][0],
        "mondays": [start for start, _ in weeks],
    }

    def engine():
        result = evaluate([root.path], period, today)
        found = {(o.id, c.code): (c.due, c.met) for o in result.orgs.values() for c in o.own.values()}
        for o in result.orgs.values():
            if o.own_expected:
                found[(o.id, "attendance")] = (o.own_expected, o.own_present)
        return found

    def raw():
        with connection.cursor() as c:
            c.execute(MEETINGS_RAW_SQL, params)
            return c.fetchall()

    from dangjian.meetings import rules as R

    codes = {o.kind: o.code for o in R.OBLIGATIONS} | {"attendance": "attendance"}
    mine, theirs = engine(), {(org, codes[kind]): (due, met) for org, kind, due, met in raw()}
    assert mine == theirs, (len(mine), len(theirs))
    branches = Org.objects.filter(path__startswith=root.path, kind="branch").count()
    owed = sum(1 for _, code in mine if code != "attendance")
    label = f"{name}（{period.label}，{branches:,}个党支部，{owed:,}项义务及各组织参会率）"
    if generated is not None:
        label += f"；先为已有的演示省生成会议，用时{generated} s"
    n = runs or min(RUNS, 5)
    results.append((label, owed, timed(engine, n), timed(raw, n)))


PACK_TARGET_MS = 2000  # issue 6: a county's 3+X pack in at most 2 s
MISMATCH = f"数据库中的演示省与种子{SEED}、{COUNTIES}个县的规划不一致"


def backfill(root, insert, tables: str) -> float | None:
    """A province generated before an app's generator: rebuild its plan, check it matches the database,
    add only that app's rows (`insert(plan, org_ids, today)`). Seconds taken, or None on a mismatch."""
    from django.db import connection, transaction
    from django.utils import timezone

    from dangjian.orgs import demo as org_demo
    from dangjian.orgs.models import Org

    plan = org_demo.plan_province(SEED, COUNTIES)
    ids = dict(Org.objects.filter(code__startswith=f"{plan.code}-").values_list("code", "id"))
    ids[plan.code] = root.pk
    if any(o.code not in ids for o in plan.orgs):
        return None
    t = time.perf_counter()
    with transaction.atomic():
        insert(plan, [ids[o.code] for o in plan.orgs], timezone.localdate())
    seconds = round(time.perf_counter() - t, 1)
    with connection.cursor() as c:
        c.execute(f"VACUUM ANALYZE {tables}")
    return seconds


def cases_benchmark(cases: list, skipped: list, runs: int | None = None) -> None:
    """(e) A township office user's overdue cases, page 1 of 50 and the count, through the scope layer and
    the selectors (and the case list page), and (f) a county's monthly ledger report through
    `cases.stats.monthly_ledger` (and its page), each against raw SQL giving the same rows or figures
    (asserted equal first), same run. The county is the province's first: the only one whose cases have
    timelines (the ledger counts supervision, escalation and reopening from them)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.cases import stats
    from dangjian.cases.generate import insert_province_cases
    from dangjian.cases.models import Case
    from dangjian.cases.selectors import overdue_q
    from dangjian.core.roles import Role
    from dangjian.orgs.models import Org

    overdue_sql = """
    SELECT c.id, c.receipt_no, c.title, c.kind, c.state, c.deadline, o.name, u.real_name, cat.name,
           count(*) OVER () AS total
    FROM cases_case c JOIN orgs_org o ON o.id = c.org_id
    LEFT JOIN accounts_user u ON u.id = c.owner_id LEFT JOIN cases_category cat ON cat.id = c.category_id
    WHERE c.township_id = %(township)s AND c.deadline < %(today)s AND (
          (c.kind = 'problem' AND c.state IN ('open', 'rectifying'))
       OR (c.kind = 'errand' AND c.state IN ('received', 'promised'))
       OR (c.kind = 'whistle' AND c.state IN ('raised', 'routed', 'answered'))
       OR (c.kind = 'rectify' AND c.state IN ('open', 'rectifying')))
    ORDER BY c.deadline, c.id LIMIT 50
    """
    ledger_sql = """
    WITH c AS (
        SELECT * FROM cases_case
        WHERE county_id = %(county)s
          AND ((opened_on <= %(end)s AND (closed_at IS NULL OR closed_at >= %(start_at)s))
               OR (published_at >= %(start_at)s AND published_at < %(end_at)s))
    ), f AS (
        SELECT kind, category_id, township_id,
               opened_on < %(start)s AND (closed_at IS NULL OR closed_at >= %(start_at)s) AS carried,
               opened_on BETWEEN %(start)s AND %(end)s AS opened,
               closed_at >= %(start_at)s AND closed_at < %(end_at)s AS closed,
               (deadline IS NULL OR (done_at AT TIME ZONE 'Asia/Shanghai')::date <= deadline) AS in_time,
               opened_on <= %(end)s AND (closed_at IS NULL OR closed_at >= %(cutoff_at)s) AS open_at_end,
               opened_on <= %(end)s AND deadline < %(cutoff_day)s
                   AND (done_at IS NULL OR done_at >= %(cutoff_at)s) AS overdue_at_end,
               published_at >= %(start_at)s AND published_at < %(end_at)s AS published
        FROM c
    )
    SELECT kind, category_id, township_id,
           count(*) FILTER (WHERE carried), count(*) FILTER (WHERE opened), count(*) FILTER (WHERE closed),
           count(*) FILTER (WHERE closed AND in_time),
           count(*) FILTER (WHERE closed AND NOT coalesce(in_time, false)),
           count(*) FILTER (WHERE open_at_end), count(*) FILTER (WHERE overdue_at_end),
           0, 0, 0, count(*) FILTER (WHERE published)
    FROM f GROUP BY 1, 2, 3
    UNION ALL
    SELECT c.kind, c.category_id, c.township_id, 0, 0, 0, 0, 0, 0, 0,
           count(*) FILTER (WHERE e.type = 'reopen'), count(*) FILTER (WHERE e.type = 'escalate'),
           count(*) FILTER (WHERE e.type = 'supervise'), 0
    FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id
    WHERE c.county_id = %(county)s AND e.type IN ('reopen', 'escalate', 'supervise')
      AND e.at >= %(start_at)s AND e.at < %(end_at)s
    GROUP BY 1, 2, 3
    """
    ledger_overdue_sql = """
    SELECT c.*, o.name, cat.name, u.real_name FROM cases_case c JOIN orgs_org o ON o.id = c.org_id
    LEFT JOIN cases_category cat ON cat.id = c.category_id LEFT JOIN accounts_user u ON u.id = c.owner_id
    WHERE c.county_id = %(county)s AND c.opened_on <= %(end)s AND c.deadline < %(cutoff_day)s
      AND (c.done_at IS NULL OR c.done_at >= %(cutoff_at)s)
    ORDER BY c.deadline, c.id LIMIT %(limit)s
    """

    name = "案件：乡镇逾期清单、县月度台账"
    root = Org.objects.filter(name__startswith="演示省（生成").order_by("pk").first()
    if root is None:
        skipped.append({"name": name, "reason": "没有生成的演示省"})
        return
    today = timezone.localdate()
    generated = None
    if not Case.objects.filter(county__path__startswith=root.path).exists():
        generated = backfill(root, insert_province_cases, "cases_case, cases_caseevent, cases_caseroute")
        if generated is None:
            skipped.append({"name": name, "reason": MISMATCH})
            return
    county = Org.objects.filter(path__startswith=root.path, kind="county").order_by("code").first()
    township = Org.objects.filter(parent=county, kind="township").order_by("code").first()
    admin = User.objects.filter(roles__org=county, roles__role=Role.COUNTY_ADMIN).order_by("pk").first()
    office = township_user(township)
    total = Case.objects.filter(county__path__startswith=root.path).count()
    scale = f"全省{total:,}件案件"
    if generated is not None:
        scale += f"；先为已有的演示省生成案件，用时{generated} s"
    n = runs or min(RUNS, 10)

    def overdue_orm():
        qs = (
            Case.objects.restrict(office)
            .filter(overdue_q(today), township=township)
            .select_related("org", "owner", "category")
            .order_by("deadline", "pk")
        )
        return qs.count(), [(c.pk, c.org.name, c.owner and c.owner.real_name) for c in qs[:50]]

    def overdue_raw():
        with connection.cursor() as c:
            c.execute(overdue_sql, {"township": township.pk, "today": today})
            rows = c.fetchall()
        return (rows[0][-1] if rows else 0), [(r[0], r[6], r[7]) for r in rows]

    count, page = overdue_orm()
    assert (count, page) == overdue_raw(), "逾期清单：ORM 与原始 SQL 结果不一致"
    label = f"乡镇逾期案件第1页（50条）及计数，乡镇党建办用户（{scale}）"
    cases.append(
        {"name": label, "rows": count, "app": timed(overdue_orm, n), "raw_sql": timed(overdue_raw, n)}
    )

    client = Client()
    client.force_login(office, backend="dangjian.accounts.backends.PlatformBackend")
    url = f"/cases/?view=overdue&org={township.pk}"
    probe = client.get(url)
    if probe.status_code != 200:
        skipped.append({"name": "案件列表页（已逾期）", "reason": f"{url} 返回 {probe.status_code}"})
    else:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        cases.append(
            {
                "name": f"案件列表页“已逾期”第1页（乡镇党建办），{len(captured)}次查询",
                "rows": count,
                "app": timed(lambda: client.get(url), n),
                "raw_sql": timed(overdue_raw, n),
            }
        )

    month_start = stats.parse_month("", today)
    m = stats.month_of(month_start, today)
    params = {
        "county": county.pk,
        "start": m.start,
        "end": m.end,
        "start_at": m.start_at,
        "end_at": m.end_at,
        "cutoff_day": m.cutoff_day,
        "cutoff_at": m.cutoff_at,
        "limit": stats.OVERDUE_LIMIT,
    }

    def ledger_orm():
        report = stats.monthly_ledger(admin, county, month_start, today=today)
        towns = {r.org_id: r.counts.as_dict() for r in report.org_rows}
        return report.total.as_dict(), towns, [c.pk for c in report.overdue]

    def ledger_raw():
        fields = list(stats.LEDGER_METRICS)
        total, towns = dict.fromkeys(fields, 0), {}
        with connection.cursor() as c:
            c.execute(ledger_sql, params)
            for row in c.fetchall():
                town = towns.setdefault(row[2], dict.fromkeys(fields, 0))
                for code, value in zip(fields, row[3:], strict=True):
                    total[code] += value
                    town[code] += value
            c.execute(ledger_overdue_sql, params)
            overdue = [r[0] for r in c.fetchall()]
        return total, towns, overdue

    mine = ledger_orm()
    assert mine == ledger_raw(), "月度台账：stats.monthly_ledger 与原始 SQL 结果不一致"
    opened = mine[0]["opened"]
    label = f"县月度台账（{m.label}，{len(mine[1])}个乡镇，本月新增{opened:,}件），县管理员"
    cases.append(
        {"name": label, "rows": opened, "app": timed(ledger_orm, n), "raw_sql": timed(ledger_raw, n)}
    )
    client.force_login(admin, backend="dangjian.accounts.backends.PlatformBackend")
    url = f"/cases/report/?org={county.pk}&month={m.start:%Y-%m}"
    probe = client.get(url)
    if probe.status_code != 200:
        skipped.append({"name": "案件月度台账页", "reason": f"{url} 返回 {probe.status_code}"})
    else:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        cases.append(
            {
                "name": f"县月度台账页（{m.label}），{len(captured)}次查询",
                "rows": opened,
                "app": timed(lambda: client.get(url), n),
                "raw_sql": timed(ledger_raw, n),
            }
        )
    for row in cases:
        row["ratio_median"] = round(row["app"]["median_ms"] / max(row["raw_sql"]["median_ms"], 0.01), 2)


def section_only(key: str) -> None:
    """`BENCH_ONLY=<key>`: run one area's benchmarks and splice its section into docs/performance.md."""
    from django.db import connection

    rows: list[dict] = []
    skipped: list[dict] = []
    ONLY_SECTIONS[key]["run"](rows, skipped)
    report = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "database": f"{connection.vendor} {connection.pg_version}",
        key: rows,
        "skipped": skipped,
        "note": f"（{datetime.now():%Y-%m-%d}，BENCH_ONLY={key}，BENCH_COUNTIES={COUNTIES}"
        + ("" if COUNTIES == 100 else "：不是完整的省级规模 / not the full province")
        + "）",
    }
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / f"{key}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    splice_section(ONLY_SECTIONS[key]["heading"], ONLY_SECTIONS[key]["lines"](report, note=True))
    print(json.dumps(report, ensure_ascii=False, indent=2))


TASKS_ROLLUP_SQL = """
SELECT substr(o.path, 1, %(width)s) AS prefix,
       sum(a.target_amount), sum(least(a.done_amount, a.target_amount)), sum(a.done_amount), count(*),
       count(*) FILTER (WHERE a.state <> 'pending'),
       count(*) FILTER (WHERE a.due < %(today)s AND a.state <> 'done')
FROM tasks_assignment a JOIN orgs_org o ON o.id = a.org_id
WHERE NOT a.relayed AND a.period_start = %(month)s AND o.path LIKE %(root)s
GROUP BY 1 ORDER BY 1
"""
TASKS_PACK_SQL = """
SELECT a.task_id, sum(a.target_amount), sum(least(a.done_amount, a.target_amount)), sum(a.done_amount),
       count(*), count(*) FILTER (WHERE a.state <> 'pending'),
       count(*) FILTER (WHERE a.due < %(today)s AND a.state <> 'done')
FROM tasks_assignment a JOIN orgs_org o ON o.id = a.org_id JOIN tasks_task t ON t.id = a.task_id
JOIN orgs_org issuer ON issuer.id = t.org_id
WHERE NOT a.relayed AND a.period_start = %(month)s AND o.path LIKE %(county)s AND a.county_id = %(county_id)s
  AND %(county_path)s LIKE issuer.path || '%%'
GROUP BY 1;
"""


def tasks_benchmark(rows: list, skipped: list, runs: int | None = None) -> None:
    """(g) Last month's task roll-up for the whole province by county (`tasks.stats.rollup` through the
    scope layer, as a province-level admin) against one SQL aggregate giving the same figures (asserted
    equal first), and (h) a county's 3+X monthly pack — the Word file, the workbook and the PDF built from
    live data (`reviews.bench.build_pack`) — against the SQL of the figures it reports, same run."""
    from django.db import connection, transaction
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.core.dates import add_months, month_start
    from dangjian.core.roles import Role
    from dangjian.orgs.models import Org
    from dangjian.tasks import stats
    from dangjian.tasks.generate import insert_province_tasks
    from dangjian.tasks.models import Assignment

    name = "任务：全省月度汇总、县3+X月度分析材料"
    root = Org.objects.filter(name__startswith="演示省（生成").order_by("pk").first()
    if root is None:
        skipped.append({"name": name, "reason": "没有生成的演示省"})
        return
    today = timezone.localdate()
    generated = None
    if not Assignment.objects.filter(county__path__startswith=root.path).exists():
        generated = backfill(root, insert_province_tasks, "tasks_assignment, tasks_taskreport, tasks_task")
        if generated is None:
            skipped.append({"name": name, "reason": MISMATCH})
            return
    user = province_user(root)
    month = add_months(month_start(today), -1)
    width = len(root.path) + stats.SEGMENT
    n = runs or min(RUNS, 10)
    total = Assignment.objects.filter(county__path__startswith=root.path).count()
    scale = f"全省{total:,}条任务承办"
    if generated is not None:
        scale += f"；先为已有的演示省生成任务，用时{generated} s"

    def province_orm():
        found = stats.rollup(user, under=root, period_start=month, today=today)
        return [(r.org_path, r.target, r.capped, r.done, r.assignments, r.reported, r.late) for r in found]

    def province_raw():
        with connection.cursor() as c:
            c.execute(
                TASKS_ROLLUP_SQL, {"width": width, "today": today, "month": month, "root": root.path + "%"}
            )
            return [tuple(r) for r in c.fetchall()]

    mine = province_orm()
    assert mine == province_raw(), "全省月度汇总：stats.rollup 与原始 SQL 结果不一致"
    leaves = sum(r[4] for r in mine)
    label = f"全省{month:%Y年%m月}任务汇总（按下一级{len(mine)}行，{leaves:,}条承办；{scale}）"
    rows.append(
        {"name": label, "rows": leaves, "app": timed(province_orm, n), "raw_sql": timed(province_raw, n)}
    )

    county = Org.objects.filter(path__startswith=root.path, kind="county").order_by("code").first()
    admin = User.objects.filter(roles__org=county, roles__role=Role.COUNTY_ADMIN).order_by("pk").first()
    townships = Org.objects.filter(parent=county, kind="township").count()
    try:
        from dangjian.reviews.bench import build_pack
    except ImportError as exc:
        skipped.append({"name": "县3+X月度分析材料", "reason": f"reviews.bench 不可用：{exc}"})
        return
    params = {
        "today": today,
        "month": month,
        "county": county.path + "%",
        "county_id": county.pk,
        "county_path": county.path,
    }

    def pack_raw():
        with connection.cursor() as c:
            c.execute(TASKS_PACK_SQL, params)
            c.fetchall()
            c.execute(
                TASKS_ROLLUP_SQL,
                {
                    "width": len(county.path) + stats.SEGMENT,
                    "today": today,
                    "month": month,
                    "root": params["county"],
                },
            )
            return c.fetchall()

    from dangjian.reviews import documents
    from dangjian.reviews import stats as review_stats
    from dangjian.reviews.services import create_review

    with transaction.atomic():
        review = create_review(admin, org=county, month=month, today=today)
        sizes = build_pack(admin, review)
        size = "，".join(f"{k} {v / 1024:.0f} KB" for k, v in sizes.items())
        t = time.perf_counter()
        pack = review_stats.build_pack(admin, review)
        data_ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        documents.build_pdf(pack, "http://localhost")
        pdf_ms = (time.perf_counter() - t) * 1000
        label = (
            f"县3+X月度分析材料（Word、Excel、PDF，{townships}个乡镇，{month:%Y年%m月}；{size}；"
            f"其中读数据约{data_ms:.0f} ms、排版PDF约{pdf_ms:.0f} ms）"
        )
        app = timed(lambda: build_pack(admin, review), min(n, 5))
        if app["median_ms"] > PACK_TARGET_MS:
            over = (app["median_ms"] - PACK_TARGET_MS) / 1000
            label += f"。未达 {PACK_TARGET_MS / 1000:.0f} s 目标，超出 {over:.1f} s"
        rows.append({"name": label, "rows": townships, "app": app, "raw_sql": timed(pack_raw, n)})
        transaction.set_rollback(True)
    for row in rows:
        row["ratio_median"] = round(row["app"]["median_ms"] / max(row["raw_sql"]["median_ms"], 0.01), 2)


TASKS_HEADING = "## 任务与3+X / Tasks and the 3+X pack"


def tasks_lines(report: dict, note: bool = False) -> list[str]:
    if not report.get("tasks"):
        return []
    lines = [
        "",
        TASKS_HEADING,
        "",
        "全省上月任务汇总（tasks.stats.rollup，经范围层，省级管理员）与给出相同数字的一条 SQL 聚合对比"
        "（先断言相等）；县3+X月度分析材料（Word、Excel、PDF 全部生成）与其所用数字的 SQL 对比。"
        "目标：3+X 材料 ≤2 s。",
        "Last month's task roll-up for the whole province (tasks.stats.rollup through the scope layer) "
        "against one SQL aggregate with the same figures (asserted equal first); a county's 3+X pack "
        "(Word, Excel and PDF all built) against the SQL of the figures it reports. "
        "Target: the pack in at most 2 s.",
        "",
        "3+X 材料的名称里列出读数据和排版 PDF 各用多少时间。读数据的大半是成绩单读取全县每一项检查的结果"
        "（组织生活缺席与应开未开的会、案件逾期等，每项检查一次全县查询）；"
        "PDF 由 WeasyPrint 排版并嵌入中文字体。"
        "未达 2 s 目标时，差距就在这两处：检查结果按天缓存、PDF 改为后台生成是下一步（见 issue 9）。",
        "The pack's name shows how long reading the figures and laying out the PDF each took. Most of the "
        "reading is the scorecard reading every check's findings for the county (absences and meetings owed, "
        "overdue cases, …; one county-wide query per check); the PDF is WeasyPrint with the CJK font "
        "embedded. Where the 2 s target is missed, that is where: caching findings per day and building the "
        "PDF in the background are the next steps (issue 9).",
        "",
        "| 项目 | 行数 | 应用中位数 ms | 应用 p95 ms | 原始SQL中位数 ms | 倍数 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in report["tasks"]:
        lines.append(
            f"| {r['name']} | {r['rows']:,} | {r['app']['median_ms']} | {r['app']['p95_ms']} | "
            f"{r['raw_sql']['median_ms']} | {r['ratio_median']}× |"
        )
    if note and report.get("note"):
        lines += ["", report["note"]]
    return lines


# Areas whose app ships its own benchmark (`<app>/bench.py`): module, function, heading, what it measures
# (Chinese, English), the model whose rows show the app's generator has run, and its tables to analyse.
AREAS: dict[str, dict] = {
    "rectification": {
        "bench": "dangjian.rectification.bench:warning_benchmark",
        "province": True,
        "heading": "## 软弱涣散预警 / Weak-branch early warning",
        "zh": "全省软弱涣散早期预警（rectification.warning.early_warning，经范围层，省级管理员，全部信号："
        "书记空缺、应开未开的会、两年未发展党员、满意率低、排名末位、无集体收入）与原始 SQL 对比。"
        "原始 SQL 只算其中的表内信号（满意率、排名末位、无集体收入），第二行是应用只算这三类，"
        "与原始 SQL 先断言逐行相同。其余信号读各自模块的检查（组织生活、党员发展、村“两委”），"
        "其基准见各自的章节。",
        "en": "The province-wide early warning for weak and lax branches "
        "(rectification.warning.early_warning through the scope layer as a province-level admin, "
        "every signal) against raw SQL. The raw SQL computes the table-local signals (satisfaction, "
        "bottom of the screening, no collective income); the second row is the app computing only "
        "those, asserted equal row for row first. The other signals read the checks of their own "
        "areas, benchmarked in their sections.",
    },
    "scoring": {
        "bench": "dangjian.scoring.bench:ranking_benchmark",
        "province": True,
        "generator": ("dangjian.scoring.demo:insert_province", "scoring.Result"),
        "heading": "## 考核排名 / Province ranking month",
        "zh": "全省所有乡镇一个月的考核结果排名（经范围层，省级管理员）"
        "与给出相同名次的原始 SQL 对比（先断言相等）。",
        "en": "A month's ranking of every township of the province (through the scope layer, as a "
        "province-level admin) against raw SQL giving the same ranks (asserted equal first).",
    },
    "projects": {
        "bench": "dangjian.projects.bench:rollup_benchmark",
        "generator": ("dangjian.projects.demo:insert_province", "projects.Project"),
        "heading": "## 项目汇总 / Project roll-up",
        "zh": "一个县的项目按乡镇汇总（预算、资金来源、成效按单位，经范围层）与原始 SQL 对比（先断言相等）。",
        "en": "A county's projects rolled up by township (budget, funding, outcomes per unit, through the "
        "scope layer) against raw SQL (asserted equal first).",
    },
    "funds": {
        "bench": "dangjian.funds.bench:balance_benchmark",
        "generator": ("dangjian.funds.demo:insert_province", "funds.Fund"),
        "heading": "## 专项资金余额 / Fund balances",
        "zh": "一个县每笔资金分配的余额（分配 − 再分配 − 支出，由记录算出，经范围层）"
        "与原始 SQL 对比（先断言相等）。",
        "en": "Every allocation balance of a county (allocated − passed on − disbursed, computed from the "
        "records, through the scope layer) against raw SQL (asserted equal first).",
    },
    "export": {
        "bench": "bench.export:export_benchmark",
        "province": True,
        "heading": "## 百万行导出 / Million-row export",
        "zh": "约100万名党员的花名册 Excel 导出（经范围层与列表页同一路径，分块读取、"
        "openpyxl 只写模式流式写出），与原始 SQL（服务器端游标）+ openpyxl 只写模式写出同样行的进程对比；"
        "两个文件的行数先断言相等。目标：峰值内存 ≤300 MB。",
        "en": "The roster's Excel export of about a million members (through the scope layer, the list "
        "page's own path, read in chunks and written by openpyxl in write-only mode) against raw SQL with a "
        "server-side cursor writing the same rows the same way; row counts of both files asserted equal "
        "first. Target: peak memory ≤300 MB.",
    },
    "dashboards": {
        "bench": "dangjian.dashboards.bench:dashboard_benchmark",
        "heading": "## 县级数据看板 / County dashboard",
        "zh": "一个县的数据看板（全部面板的数据，经范围层）"
        "与给出主要面板相同数字的原始 SQL 对比（先断言相等）。",
        "en": "A county's dashboard (every panel's figures, through the scope layer) against raw SQL giving "
        "the main panels' figures (asserted equal first).",
    },
}


def area_benchmark(key: str, out: list, skipped: list, runs: int | None = None) -> None:
    """The area's own benchmark (`<app>/bench.py`), after backfilling its rows into a province generated
    before its generator existed; each row gets its ratio to raw SQL."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    from dangjian.orgs.models import Org

    area = AREAS[key]
    root = Org.objects.filter(name__startswith="演示省（生成").order_by("pk").first()
    if root is None:
        skipped.append({"name": area["heading"][3:], "reason": "没有生成的演示省"})
        return
    if "generator" in area:
        insert, label = area["generator"]
        model = apps.get_model(label)
        if not model.objects.exists():
            if backfill(root, import_string(insert.replace(":", ".")), model._meta.db_table) is None:
                skipped.append({"name": area["heading"][3:], "reason": MISMATCH})
                return
    fn = import_string(area["bench"].replace(":", "."))
    kwargs: dict = {"runs": runs or min(RUNS, 10)}
    if area.get("province"):
        kwargs |= {"root_user": province_user(root), "root": root}
    rows = fn(**kwargs)
    if not rows:
        skipped.append({"name": area["heading"][3:], "reason": "没有可测的数据"})
    for row in rows:
        row["ratio_median"] = round(row["app"]["median_ms"] / max(row["raw_sql"]["median_ms"], 0.01), 2)
        out.append(row)


def province_user(root):
    """A province-level admin (the generated province has county admins only)."""
    from dangjian.accounts.models import RoleAssignment, User
    from dangjian.core.roles import Role

    user, _ = User.objects.get_or_create(
        username="bench_province", defaults={"real_name": "基准测试省级管理员", "is_demo": True}
    )
    RoleAssignment.objects.get_or_create(user=user, org=root, role=Role.COUNTY_ADMIN)
    return user


def area_lines(key: str, report: dict, note: bool = False) -> list[str]:
    if not report.get(key):
        return []
    area = AREAS[key]
    lines = [
        "",
        area["heading"],
        "",
        area["zh"],
        area["en"],
        "",
        "| 项目 | 行数 | 应用中位数 ms | 应用 p95 ms | 原始SQL中位数 ms | 倍数 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in report[key]:
        lines.append(
            f"| {r['name']} | {r['rows']:,} | {r['app']['median_ms']} | {r['app']['p95_ms']} | "
            f"{r['raw_sql']['median_ms']} | {r['ratio_median']}× |"
        )
    if note and report.get("note"):
        lines += ["", report["note"]]
    return lines


def splice_section(heading: str, lines: list[str]) -> None:
    """`BENCH_ONLY=…`: put this run's figures for one area into docs/performance.md, leaving the rest as
    the last full run wrote it."""
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text() if doc.exists() else ""
    section = "\n".join(lines).strip("\n")
    if heading in text:
        head, rest = text.split(heading, 1)
        tail = rest[rest.find("\n## ") :] if "\n## " in rest else "\n"
        text = head.rstrip("\n") + "\n\n" + section + "\n" + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    doc.write_text(text)


# Sections of docs/performance.md that a full run does not write: the verdicts against issue 9's targets
# (written by hand from the figures) and load/run.py's section. A full run keeps them where they were.
TARGETS_HEADING = "## 目标对照 / Against the targets"
LOAD_HEADING = "## 负载与模糊测试 / Load and fuzzing"


def kept_section(text: str, heading: str) -> list[str]:
    """The lines of `heading`'s section in the current doc (up to the next `## `), or none."""
    if heading not in text:
        return []
    rest = text.split(heading, 1)[1]
    end = rest.find("\n## ")
    body = rest if end < 0 else rest[:end]
    return ["", (heading + body).strip("\n")]


def write_markdown(report: dict) -> None:
    doc = ROOT / "docs" / "performance.md"
    old = doc.read_text() if doc.exists() else ""
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
    if report.get("imports"):
        lines += [
            "",
            "| 导入 | 行数 | 用时 s | 行/秒 | 仅解析用时 s | 仅解析 行/秒 | 倍数 |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in report["imports"]:
            lines.append(
                f"| {r['name']} | {r['rows']:,} | {r['seconds']} | {r['rows_per_s']:,} | "
                f"{r['baseline_seconds']} | {r['baseline_rows_per_s']:,} | {r['ratio']}× |"
            )
        lines += [
            "",
            "导入的基线是用导入本身的读取器（read_upload：calamine 解析 .xlsx，并识别表头、清洗单元格）"
            "读取同一文件（不校验、不写库）；导入在事务中执行后回滚。",
            "The import's baseline is reading the same file with the import's own reader (read_upload: "
            "calamine parses the .xlsx, then the header is found and cells cleaned), no checks, no writes; "
            "the import runs inside a transaction that is rolled back.",
        ]
    lines += kept_section(old, TARGETS_HEADING)
    if report.get("cases"):
        lines += [
            "",
            "## 案件 / Cases",
            "",
            "乡镇党建办用户的逾期案件（范围层 + selectors，第1页50条及计数）和县月度台账"
            "（cases.stats.monthly_ledger），各与同一次运行中给出相同结果的原始 SQL 对比（先断言相等）。",
            "A township office user's overdue cases (scope layer + selectors, page 1 of 50 and the count) "
            "and a county's monthly ledger (cases.stats.monthly_ledger), each against raw SQL with the same "
            "result (asserted equal first), same run.",
            "",
            "| 项目 | 行数 | 应用中位数 ms | 应用 p95 ms | 原始SQL中位数 ms | 倍数 |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for r in report["cases"]:
            lines.append(
                f"| {r['name']} | {r['rows']:,} | {r['app']['median_ms']} | {r['app']['p95_ms']} | "
                f"{r['raw_sql']['median_ms']} | {r['ratio_median']}× |"
            )
    lines += tasks_lines(report)
    for key in AREAS:
        lines += area_lines(key, report)
    for item in report.get("skipped", []):
        lines += ["", f"- 跳过 / skipped：{item['name']} — {item['reason']}"]
    if report.get("note"):
        lines += ["", report["note"]]
    lines += [
        "",
        "页面的倍数包含模板渲染与会话处理（原始 SQL 只含查询），因此高于纯查询的倍数。",
        "Page ratios include template rendering and session handling, which raw SQL does not.",
    ]
    lines += kept_section(old, LOAD_HEADING)
    doc.write_text("\n".join(lines) + "\n")


ONLY_SECTIONS = {
    "tasks": {"run": tasks_benchmark, "heading": TASKS_HEADING, "lines": tasks_lines},
    **{
        key: {
            "run": lambda rows, skipped, key=key: area_benchmark(key, rows, skipped),
            "heading": area["heading"],
            "lines": lambda report, note=False, key=key: area_lines(key, report, note),
        }
        for key, area in AREAS.items()
    },
}


if __name__ == "__main__":
    main()
