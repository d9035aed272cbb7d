"""A million-row ledger export (the 党员花名册 Excel, `/members/?export=xlsx`) streamed with its peak memory,
against raw SQL writing the same rows with openpyxl in write-only mode (the parse-free baseline), each in its
own process so that each process's peak resident memory is its own. Rows are counted in both files and
asserted equal before the figures are reported.

    BENCH_EXPORT_ROWS=1000000 (about: whole counties are added until the scope holds at least this many)
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = int(os.environ.get("BENCH_EXPORT_ROWS", "1000000"))
ON_ROLL = ("normal", "suspended")


def sheet_rows(path: str) -> int:
    """Rows in the workbook's first sheet, read from its XML as a stream (parsing a million rows with
    openpyxl would take minutes)."""
    pattern, count, tail = re.compile(rb"<row[ >]"), 0, b""
    with zipfile.ZipFile(path) as z:
        name = next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        with z.open(name) as f:
            while chunk := f.read(1 << 20):
                data = tail + chunk
                count += len(pattern.findall(data))
                tail = data[-5:] if not data.endswith(b">") else b""
                count -= len(pattern.findall(tail))
    return count


def _peak_mb() -> float:
    """This process's own peak resident memory (VmHWM): ru_maxrss would carry the high-water mark of the
    benchmark process it was forked from."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child_app(user_id: int, out: str) -> dict:
    import django

    django.setup()
    from django.test import Client

    from dangjian.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id), backend="dangjian.accounts.backends.PlatformBackend")
    t = time.perf_counter()
    r = client.get("/members/", {"export": "xlsx"})
    assert r.status_code == 200, r.status_code
    with open(out, "wb") as f:
        for chunk in r.streaming_content:
            f.write(chunk)
    return {"seconds": round(time.perf_counter() - t, 2), "peak_mb": _peak_mb()}


def child_raw(paths: list[str], out: str) -> dict:
    import psycopg
    from openpyxl import Workbook

    t = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("党员花名册")
    ws.append(["党员花名册"])
    ws.append(
        [
            "姓名",
            "性别",
            "出生日期",
            "所在党支部",
            "党员类别",
            "入党时间",
            "转正时间",
            "身份证号",
            "电话",
            "学历",
        ]
    )
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn, conn.cursor(name="export") as cur:
        cur.itersize = 2000
        cur.execute(
            "SELECT p.name, p.gender, p.birth_date, o.name, m.status, m.joined_on, m.full_on, p.id_number, "
            "p.phone, p.education FROM members_member m JOIN members_person p ON p.id = m.person_id "
            "JOIN orgs_org o ON o.id = m.org_id WHERE o.path LIKE ANY(%s) AND m.standing = ANY(%s) "
            "ORDER BY o.path, p.name_pinyin",
            [[p + "%" for p in paths], list(ON_ROLL)],
        )
        for row in cur:
            ws.append(list(row))
    wb.save(out)
    return {"seconds": round(time.perf_counter() - t, 2), "peak_mb": _peak_mb()}


def _run_child(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.export", *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def export_benchmark(runs: int, root_user, root) -> list[dict]:
    """One run each (a million-row export takes minutes); the row's median and p95 are that run."""
    from dangjian.accounts.models import RoleAssignment, User
    from dangjian.core.roles import Role
    from dangjian.members.models import Member
    from dangjian.orgs.models import Org

    user, _ = User.objects.get_or_create(
        username="bench_export", defaults={"real_name": "基准测试导出", "is_demo": True}
    )
    chosen, total = [], 0
    for county in Org.objects.filter(path__startswith=root.path, kind="county").order_by("path"):
        if total >= TARGET:
            break
        chosen.append(county)
        total += Member.objects.filter(org__path__startswith=county.path, standing__in=ON_ROLL).count()
    RoleAssignment.objects.filter(user=user).delete()
    for county in chosen:
        RoleAssignment.objects.create(user=user, org=county, role=Role.COUNTY_ADMIN)
    with tempfile.TemporaryDirectory() as tmp:
        app_file, raw_file = f"{tmp}/app.xlsx", f"{tmp}/raw.xlsx"
        app = _run_child("app", str(user.pk), app_file)
        raw = _run_child("raw", json.dumps([c.path for c in chosen]), raw_file)
        app_rows, raw_rows = sheet_rows(app_file) - 2, sheet_rows(raw_file) - 2
        assert app_rows == raw_rows == total, (app_rows, raw_rows, total)
        size_mb = round(os.path.getsize(app_file) / 2**20, 1)
    return [
        {
            "name": f"党员花名册导出 Excel（{len(chosen)}个县，流式写出，{size_mb} MB）："
            f"应用进程峰值内存 {app['peak_mb']} MB，原始SQL+openpyxl 进程 {raw['peak_mb']} MB",
            "rows": total,
            "app": {
                "median_ms": round(app["seconds"] * 1000),
                "p95_ms": round(app["seconds"] * 1000),
                "runs": 1,
            },
            "raw_sql": {
                "median_ms": round(raw["seconds"] * 1000),
                "p95_ms": round(raw["seconds"] * 1000),
                "runs": 1,
            },
            "peak_mb": app["peak_mb"],
        }
    ]


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, str(ROOT))
    mode = sys.argv[1]
    result = (
        child_app(int(sys.argv[2]), sys.argv[3])
        if mode == "app"
        else child_raw(json.loads(sys.argv[2]), sys.argv[3])
    )
    print(json.dumps(result))
