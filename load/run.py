"""`make load`: the platform under a mixed load on loopback, gunicorn in front of PostgreSQL.

1. creates a fresh PostgreSQL database, migrates it and seeds it (the demo counties by default);
2. serves it with gunicorn (DEBUG off) on 127.0.0.1 and runs load/locustfile.py headless;
3. fails unless the run had no failed request and the rows written (民情日记, 问题台账) equal the writes
   that succeeded;
4. measures the throughput of scoped list APIs with wrk, beside a bare Django JSON view (load/bare.py)
   served the same way, and writes load/results/latest.json and the table in docs/performance.md.

    .venv/bin/python -m load.run                      # the full run: 50 users for 10 minutes
    .venv/bin/python -m load.run --users 10 --duration 30s --seed world --no-bench   # CI's short run

LOAD_PG (postgres://postgres@127.0.0.1:5432) is the server; the database is dropped afterwards unless
--keep-db.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
RESULTS = ROOT / "load" / "results"
DOCS = ROOT / "docs" / "performance.md"
SECTION = "## 负载与模糊测试 / Load and fuzzing"
BEGIN, END = "<!-- load:begin (load/run.py) -->", "<!-- load:end -->"
WORLD_PASSWORD = "Test-pass-2026"  # dangjian.core.testing.PASSWORD
WORLD_ACCOUNTS = {"county": ["county"], "office": ["office"], "secretary": ["secretary"]}
BENCH_PATHS = ["/api/v1/orgs/?page_size=20", "/api/v1/members/?page_size=20"]


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", "50")))
    p.add_argument(
        "--duration", default=os.environ.get("LOAD_DURATION", "10m"), help="locust -t, e.g. 30s, 10m"
    )
    p.add_argument("--spawn-rate", type=float, default=5.0)
    p.add_argument("--workers", type=int, default=int(os.environ.get("LOAD_WORKERS", "3")))
    p.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", "8731")))
    p.add_argument(
        "--seed", choices=["demo", "world"], default="demo", help="demo counties or the test world"
    )
    p.add_argument("--no-bench", action="store_true", help="skip the wrk throughput comparison")
    p.add_argument("--bench-seconds", type=int, default=20)
    p.add_argument("--keep-db", action="store_true")
    p.add_argument("--db", help="the database's name (default: a new load_<time>_<pid>)")
    p.add_argument(
        "--prepare-only",
        action="store_true",
        help="create, migrate and seed --db, then stop and keep it (CI prepares it beside the test suite)",
    )
    p.add_argument("--prepared", action="store_true", help="--db came from --prepare-only; use it")
    p.add_argument("--no-docs", action="store_true", help="do not write docs/performance.md")
    return p.parse_args()


def log(msg: str) -> None:
    print(f"== {msg}", flush=True)


def server_env(db_url: str) -> dict[str, str]:
    """Production-like settings: DEBUG off, plain http on loopback, demo logins on for the demo accounts, and
    each worker keeping its database connection as deploy/env.example does (CONN_MAX_AGE=60): without it
    every request opens a PostgreSQL backend, which halved the list APIs' throughput."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        DEBUG="false",
        SECRET_KEY="load-test-only-not-secret",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DEMO_LOGINS_ENABLED="true",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        DJANGO_SETTINGS_MODULE="dangjian.settings",
        CONN_MAX_AGE="60",
    )
    return env


def run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)


def counts(env: dict[str, str]) -> dict[str, int]:
    """Rows of the kinds the load writes, read in a separate process so this one stays Django-free."""
    code = (
        "import json; from dangjian.errands.models import Diary; from dangjian.cases.models import Case; "
        "print(json.dumps({'diaries': Diary.objects.count(), "
        "'cases': Case.objects.filter(kind='problem').count()}))"
    )
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def seed(kind: str, env: dict[str, str]) -> None:
    if kind == "demo":
        run([PY, "manage.py", "load_demo"], env)
        return
    code = "from dangjian.core.testing import build_world; build_world()"
    run([PY, "manage.py", "shell", "-c", code], env)


def prepare(name: str, kind: str, env: dict[str, str]) -> None:
    """Migrate (the real migrations: CI's check that they apply on PostgreSQL) and seed the database."""
    t = time.time()
    log(f"database {name}: migrate and seed ({kind})")
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    seed(kind, env)
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    log(f"ready in {time.time() - t:.0f} s")


class Server:
    """gunicorn on loopback, stopped by its own pid."""

    def __init__(self, app: str, port: int, workers: int, env: dict[str, str], log_path: Path):
        self.port = port
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                app,
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)  # noqa: S310
                return
            except urllib.error.HTTPError:  # any answer (a redirect to login, a 404) means it is serving
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise SystemExit(f"gunicorn 启动失败，见 {log_path}") from None
                time.sleep(0.5)
        raise SystemExit(f"gunicorn 未在 60 秒内就绪，见 {log_path}")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def wrk(url: str, seconds: int, headers: dict[str, str]) -> dict:
    cmd = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    p50 = re.search(r"\s50%\s+([\d.]+\w+)", out)
    p99 = re.search(r"\s99%\s+([\d.]+\w+)", out)
    return {
        "rps": round(rps, 1),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "",
        "p50": p50.group(1) if p50 else "",
        "p99": p99.group(1) if p99 else "",
    }


def token_for(base: str, username: str, password: str) -> str:
    req = urllib.request.Request(  # noqa: S310 - loopback
        f"{base}/api/v1/auth/token/",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310
        return json.loads(r.read())["token"]


def bench(args: argparse.Namespace, env: dict[str, str], base: str, username: str, password: str) -> dict:
    """Scoped list APIs (token auth, so no session row is written per request) vs the bare JSON view."""
    token = token_for(base, username, password)
    result = {"user": username, "seconds": args.bench_seconds, "connections": 16, "apis": {}}
    for path in BENCH_PATHS:
        result["apis"][path] = wrk(f"{base}{path}", args.bench_seconds, {"Authorization": f"Token {token}"})
        log(f"{path}: {result['apis'][path]}")
    return result


def bench_bare(args: argparse.Namespace, env: dict[str, str]) -> dict:
    port = args.port + 1
    server = Server("load.bare:application", port, args.workers, env, RESULTS / "gunicorn-bare.log")
    try:
        out = wrk(f"http://127.0.0.1:{port}/bare/", args.bench_seconds, {})
    finally:
        server.stop()
    log(f"bare JSON view: {out}")
    return out


def markdown(r: dict) -> str:
    load = r["load"]
    lines = [
        BEGIN,
        f"- 时间 / when: {r['when']}; 机器 / machine: {r['machine']}; gunicorn {r['workers']} 个同步进程，"
        f"PostgreSQL，数据：{r['seed']}；负载均值（开始/结束）/ load average (start/end): {r['loadavg']}",
        f"- locust：{r['users']} 个用户（县管理员 : 党建办 : 村书记 = 2 : 5 : 3），{r['duration']}，"
        f"请求 {load['requests']:,} 次，失败 {load['failures']} 次，{load['rps']} 请求/秒，"
        f"中位数 {load['median_ms']} ms，p95 {load['p95_ms']} ms",
        f"- 写入核对 / writes vs rows: {r['check']}",
        "",
        "| 写入 | 成功写入 | 库中新增行 |",
        "|---|---:|---:|",
    ]
    for k, label in (
        ("diaries", "民情日记（POST /api/v1/diaries/）"),
        ("cases", "问题台账（POST /api/v1/cases/）"),
    ):
        lines.append(f"| {label} | {load['writes'].get(k, 0)} | {r['rows_added'][k]} |")
    lines += ["", "| 请求 | 次数 | 失败 | 中位数 ms | p95 ms |", "|---|---:|---:|---:|---:|"]
    for e in load["endpoints"]:
        lines.append(
            f"| {e['method']} {e['name']} | {e['requests']} | {e['failures']} "
            f"| {e['median_ms']} | {e['p95_ms']} |"
        )
    if r.get("bench"):
        b = r["bench"]
        lines += [
            "",
            f"吞吐量 / throughput（wrk，{b['connections']} 个连接，各 {b['seconds']} s，"
            f"{b['user']} 的令牌）：",
            "",
            "| 接口 | 请求/秒 | p50 | p99 | 非2xx |",
            "|---|---:|---:|---:|---:|",
        ]
        for path, m in b["apis"].items():
            lines.append(
                f"| GET {path}（范围内列表） | {m['rps']} | {m['p50']} | {m['p99']} | {m['non_2xx']} |"
            )
        m = b["bare"]
        lines.append(
            f"| GET /bare/（同一设置下的最简 Django JSON 视图） | {m['rps']} | {m['p50']} | {m['p99']} "
            f"| {m['non_2xx']} |"
        )
    lines.append(END)
    return "\n".join(lines)


def write_docs(text: str) -> None:
    doc = DOCS.read_text(encoding="utf-8")
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        doc = head + text + rest.split(END, 1)[1]
    elif SECTION in doc:
        doc = doc.replace(SECTION, f"{SECTION}\n\n{text}", 1)
    else:
        doc = doc.rstrip("\n") + f"\n\n{SECTION}\n\n{text}\n"
    DOCS.write_text(doc, encoding="utf-8")


def main() -> int:
    args = parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    pg = os.environ.get("LOAD_PG", "postgres://postgres@127.0.0.1:5432")
    name = args.db or f"load_{int(time.time())}_{os.getpid()}"
    db_url = f"{pg}/{name}"
    env = server_env(db_url)
    import psycopg

    if not args.prepared:
        with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    server = None
    try:
        if not args.prepared:
            prepare(name, args.seed, env)
        if args.prepare_only:
            return 0
        before = counts(env)
        base = f"http://127.0.0.1:{args.port}"
        server = Server("dangjian.wsgi:application", args.port, args.workers, env, RESULTS / "gunicorn.log")
        load_env = dict(env, LOAD_RESULT=str(RESULTS / "locust.json"))
        if args.seed == "world":
            load_env.update(LOAD_ACCOUNTS=json.dumps(WORLD_ACCOUNTS), LOAD_PASSWORD=WORLD_PASSWORD)
        loadavg_start = os.getloadavg()[0]
        log(f"locust: {args.users} users for {args.duration} against {base}")
        subprocess.run(
            [
                str(Path(PY).parent / "locust"),
                "-f",
                "load/locustfile.py",
                "--headless",
                "--only-summary",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                args.duration,
                "--host",
                base,
                "--stop-timeout",
                "30",
            ],
            cwd=ROOT,
            env=load_env,
            check=False,
        )
        load = json.loads((RESULTS / "locust.json").read_text(encoding="utf-8"))
        after = counts(env)
        added = {k: after[k] - before[k] for k in before}
        problems = []
        if load["failures"]:
            problems.append(f"{load['failures']} 次请求失败：{load['errors'][:5]}")
        for k, n in added.items():
            if n != load["writes"].get(k, 0):
                problems.append(f"{k}: 成功写入 {load['writes'].get(k, 0)} 次，库中新增 {n} 行")
        if not load["writes"]:
            problems.append("没有任何写入成功")
        check = "；".join(problems) or "全部相等 / all equal"
        log(f"writes {load['writes']} rows added {added}: {check}")
        password = WORLD_PASSWORD if args.seed == "world" else "demo12345"
        office = (WORLD_ACCOUNTS if args.seed == "world" else {"office": ["office_laoniuwan"]})["office"][0]
        result = {
            "when": datetime.now().isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "seed": "演示县（load_demo）" if args.seed == "demo" else "测试小世界（build_world）",
            "users": args.users,
            "duration": args.duration,
            "workers": args.workers,
            "loadavg": f"{loadavg_start:.1f}/{os.getloadavg()[0]:.1f}",
            "load": load,
            "rows_added": added,
            "check": check,
            "ok": not problems,
        }
        if not args.no_bench and shutil.which("wrk"):
            result["bench"] = bench(args, env, base, office, password)
            server.stop()
            server = None
            result["bench"]["bare"] = bench_bare(args, env)
        elif not args.no_bench:
            log("wrk 未安装（apt-get install -y wrk），跳过吞吐量对比")
        out = RESULTS / ("latest.json" if not args.no_docs else "short.json")
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        if not args.no_docs:
            write_docs(markdown(result))
        log(f"results in {out}")
        return 0 if not problems else 1
    finally:
        if server:
            server.stop()
        if not (args.keep_db or args.prepare_only):
            with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
