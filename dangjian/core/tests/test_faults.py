"""kill -9 in the middle of real `manage.py` processes, then restart: no partial writes, no reminder lost or
sent twice; and neither PostgreSQL dropping every connection under load nor a real restart of PostgreSQL (a
private cluster the test starts, since the shared server cannot be restarted) needs an app restart.

The short version runs in `make test` (one or two kills per scenario, small data). FAULTS_FULL=1 (`make
faults`) runs the long one: bigger files, kills spread over the whole run, several in a row. Each scenario
prints one summary line (`pytest -s` shows them); docs/reliability.md lists a full run's figures.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .ops import FULL, ROOT, agent, env_for, manage, query

# The scenarios run in subprocesses; the mark only makes pytest-django create the test database that
# the scratch databases are copied from.
pytestmark = pytest.mark.django_db

TAG = "故障测试提醒#"


ROWS = 10000 if FULL else 2000
CASES = 300 if FULL else 30
SMS = 40 if FULL else 5
RESTART_CASES = 60 if FULL else 12


@pytest.fixture(scope="module")
def world_url(scratch, tmp_path_factory):
    """One scratch database for the module, seeded in one process: the test world, a roster file, cases
    ready to sign off (more on PostgreSQL, for the restart test) and pending SMS reminders. The scenarios
    touch disjoint rows."""
    url = scratch.new()
    roster = tmp_path_factory.mktemp("roster") / "roster.xlsx"
    more = ["restart_cases", str(RESTART_CASES)] if scratch.engine == "postgresql" else []
    agent(url, "seed", "roster", str(ROWS), str(roster), "cases", str(CASES), "reminders", str(SMS), *more)
    return url, roster


def _start(url: str, args: list[str], **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env=env_for(url, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _kill_when(proc: subprocess.Popen, seen, delay: float = 0.0) -> bool:
    """Read the process's output until `seen(line)`, wait `delay`, SIGKILL it. False if it ended first."""
    for line in proc.stdout:
        if seen(line):
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
            return proc.returncode == -signal.SIGKILL
    proc.wait()
    proc.stdout.close()
    return False


def _members(url: str) -> dict:
    people, members, imports = query(
        url,
        "SELECT (SELECT count(*) FROM members_person), (SELECT count(*) FROM members_member),"
        " (SELECT count(*) FROM core_auditevent WHERE action = 'member.import')",
    )[0]
    return {"people": people, "members": members, "imports": imports}


# --- (a) a roster import -------------------------------------------------------------------------------


def _writing(url: str) -> bool:
    """Whether some process holds an open write transaction on the scratch database right now: on SQLite
    the write lock cannot be taken, on PostgreSQL a backend is inside a transaction that inserts (or COPYs)
    members."""
    import sqlite3

    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            conn.close()
    return bool(
        query(
            url,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND xact_start IS NOT NULL"
            " AND state IN ('active', 'idle in transaction')"
            " AND (query LIKE 'INSERT INTO \"members_%%' OR query LIKE 'COPY \"members_%%')",
            (url.rsplit("/", 1)[1],),
        )[0][0]
    )


def _kill_inside_write(proc: subprocess.Popen, url: str, delay: float) -> bool:
    """SIGKILL `proc` `delay` seconds after its write transaction is seen open. False if it ended first."""
    threading.Thread(target=lambda: proc.stdout.read(), daemon=True).start()  # keep the pipe drained
    while proc.poll() is None:
        if _writing(url):
            time.sleep(delay)
            if proc.poll() is not None:
                break
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.002)
    proc.wait()
    return False


def test_import_killed_mid_way_writes_all_or_nothing_and_reruns(world_url):
    url, roster = world_url
    before = _members(url)
    cmd = ["manage.py", "import_members", str(roster), "--user", "root", "--commit"]
    # Inside the single write transaction, seen from outside (the short run: as soon as it opens); the
    # full run also kills while the rows are still being checked, and later in the write.
    plan: list[tuple[str, float]] = [("write", 0.0)]
    if FULL:
        plan = [("check", 0.0)] + [("write", d) for d in (0.0, 0.02, 0.05, 0.1, 0.2, 0.4)]
    outcomes = []
    for where, delay in plan:
        proc = _start(url, cmd)
        if where == "check":
            killed = _kill_when(proc, lambda line: line.startswith("已检查"))
        else:
            killed = _kill_inside_write(proc, url, delay)
        now = _members(url)
        added = now["members"] - before["members"]
        assert added in (0, ROWS), f"partial import: {added} of {ROWS} rows written"
        assert now["people"] - before["people"] == added
        assert now["imports"] - before["imports"] == (1 if added else 0)
        outcomes.append(f"{where}+{delay}s: " + ("killed, nothing written" if killed else "finished first"))
        if added:
            break
    # The short run's one kill must have landed inside the write, or it proved nothing.
    assert outcomes[0].endswith("killed, nothing written"), outcomes
    if added == 0:
        done = manage(url, *cmd[1:])
        assert f"已导入{ROWS}名党员" in done.stdout
    after = _members(url)
    assert after["members"] - before["members"] == ROWS and after["imports"] - before["imports"] == 1
    print(f"\n[faults] import {ROWS} rows: {outcomes}; the re-run imported all {ROWS}")


# --- (b) sign-offs -------------------------------------------------------------------------------------

CASES_SQL = """
SELECT c.id, c.state, c.closed_at IS NOT NULL, c.closed_by_id IS NOT NULL,
  (SELECT count(*) FROM cases_caseevent e WHERE e.case_id = c.id AND e.transition = 'sign_off'),
  (SELECT count(*) FROM core_auditevent a
    WHERE a.action = 'cases.sign_off' AND a.object_id = CAST(c.id AS TEXT))
FROM cases_case c WHERE c.title LIKE %s ORDER BY c.id
"""


def _cases(url: str, title: str = "故障测试问题") -> dict:
    """Each case either closed with all four traces of its sign-off, or accepted with none of them."""
    out: dict = {"closed": 0, "accepted": 0, "bad": []}
    for pk, state, closed_at, closed_by, events, audits in query(url, CASES_SQL, (f"{title}%",)):
        traces = (bool(closed_at), bool(closed_by), events, audits)
        if state == "closed" and traces == (True, True, 1, 1):
            out["closed"] += 1
        elif state == "accepted" and traces == (False, False, 0, 0):
            out["accepted"] += 1
        else:
            out["bad"].append((pk, state, traces))
    return out


def _nth(prefix: str, n: int):
    """A line test that is true at the n-th line starting with `prefix`."""
    seen = [0]

    def test(line: str) -> bool:
        seen[0] += line.startswith(prefix)
        return seen[0] == n and line.startswith(prefix)

    return test


def test_signoffs_killed_mid_loop_leave_every_case_whole(world_url):
    url, _ = world_url
    rng = random.Random(9)
    kills = 0
    for _ in range(30):  # a loop that never finishes fails below instead of hanging
        check = _cases(url)
        assert check["bad"] == [], f"cases half signed off: {check['bad'][:5]}"
        if check["accepted"] == 0:
            break
        # Let a few sign-offs through, then kill at a random moment inside the next ones.
        proc = _start(url, ["-m", "dangjian.core.tests.ops_agent", "signoff_loop"])
        after = rng.randint(2, 8 if FULL else 5)
        if kills < (8 if FULL else 1) and _kill_when(proc, _nth("signed", after), rng.random() * 0.05):
            kills += 1
            continue
        if proc.poll() is None:
            proc.wait()
    final = _cases(url)
    assert (final["closed"], final["accepted"], final["bad"]) == (CASES, 0, [])
    print(f"\n[faults] sign-off: {CASES} cases, {kills} kills mid-loop, none partial, all closed once")


# --- (c) send_reminders ---------------------------------------------------------------------------------

DELIVERIES_SQL = """
SELECT n.title, d.state, d.send_key, d.detail FROM notifications_delivery d
JOIN notifications_notification n ON n.id = d.notification_id
WHERE d.channel = 'sms' AND n.title LIKE %s
"""


def _deliveries(url: str) -> dict[str, tuple[str, str, str]]:
    """title: (state, send key, detail) of each test SMS delivery."""
    return {title: tuple(rest) for title, *rest in query(url, DELIVERIES_SQL, (f"{TAG}%",))}


def _log(path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def _events(path, kind: str) -> list[list[str]]:
    """The fake gateway's record (ops_agent.SlowSms): [key, title(, message id)] of each `kind` event."""
    return [e[1:] for e in map(str.split, _log(path)) if e[0] == kind]


def test_send_reminders_killed_mid_send_loses_none_and_sends_none_twice(world_url, tmp_path):
    url, _ = world_url
    log = tmp_path / "sms.log"
    slow = {
        "NOTIFY_SMS_BACKEND": "dangjian.core.tests.ops_agent.SlowSms",
        "FAULTS_SMS_LOG": str(log),
        "FAULTS_SMS_DELAY": "0.1" if FULL else "0.2",
    }
    cmd = ["send_reminders", "--no-escalate"]
    rng = random.Random(3)
    # Killed while a message is in the gateway ("gateway": not yet accepted) and right after the gateway
    # accepted it, before the run saved it as sent ("accepted": the window an idempotency key closes).
    plan = ["gateway", "accepted"] * (3 if FULL else 1)
    held: dict[str, str] = {}  # title: key of each delivery claimed by a killed run
    window: dict[str, str] = {}  # those of them the gateway had accepted
    for when in plan:
        states = _deliveries(url)
        if sum(s == "pending" for s, _, _ in states.values()) - len(held) < 3:
            break
        hang_at = rng.randint(1, 3 if FULL else 2)
        hangs = len(_events(log, "hang"))
        proc = _start(
            url, ["manage.py", *cmd], **slow, FAULTS_SMS_HANG_AT=str(hang_at), FAULTS_SMS_HANG_WHEN=when
        )
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if len(_events(log, "hang")) > hangs:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.01)
        proc.wait()
        proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL, "send_reminders ended before the kill"
        key, title = _events(log, "hang")[-1]
        held[title] = key
        if when == "accepted":
            window[title] = key
        states = _deliveries(url)
        # The killed one is still pending (claimed), its key saved by the claim before the gateway call;
        # none is half-marked: the sent ones are exactly those the gateway accepted, bar the window's.
        assert states[title][:2] == ("pending", key)
        accepted = {t for _, t, _ in _events(log, "accepted")}
        assert {t for t, (s, _, _) in states.items() if s == "sent"} == accepted - set(window)
    if not FULL:
        # Restarted at once: everything else goes; the claimed ones wait for their claims to expire.
        manage(url, *cmd, **slow)
        assert {t for t, (s, _, _) in _deliveries(url).items() if s == "pending"} == set(held)
    # No run touched a claimed delivery before its claim expired.
    assert sorted(k for k, _ in _events(log, "start") if k in held.values()) == sorted(held.values())
    assert _events(log, "repeat") == []
    # What five minutes (services.LOCK) of waiting does to the killed runs' claims.
    query(url, "UPDATE notifications_delivery SET locked_until = NULL WHERE state = 'pending'")
    manage(url, *cmd, **slow)
    states = _deliveries(url)
    assert len(states) == SMS and {s for s, _, _ in states.values()} == {"sent"}
    # The gateway accepted each delivery's key once, with that delivery's text, and each row records
    # the message id it was accepted under; the window's ones came back with their keys and were only
    # answered with the original id.
    accepted = {key: (title, msg) for key, title, msg in _events(log, "accepted")}
    assert len(accepted) == len(_events(log, "accepted")) == SMS, "a reminder was lost or sent twice"
    for title, (_, key, detail) in states.items():
        assert accepted[key][0] == title and detail == f"已发送（测试网关 {accepted[key][1]}）"
    assert {title: key for key, title, _ in _events(log, "repeat")} == window
    print(
        f"\n[faults] send_reminders: {SMS} SMS, {len(held)} kills ({len(window)} after the gateway accepted, "
        "before 'sent' was saved), each accepted exactly once"
    )


# --- (d) PostgreSQL drops every connection under load ----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(url: str, data: dict | None = None, token: str = "") -> tuple[int, dict | None]:
    """(status, JSON body) of a GET, or of a POST when `data` is given; status 0 when no answer came
    within 10 s (refused, reset, hung)."""
    headers = {"Authorization": f"Token {token}"} if token else {}
    body = None
    if data is not None:
        body, headers["Content-Type"] = json.dumps(data).encode(), "application/json"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers), timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except (OSError, ValueError):
        return 0, None


def _get(url: str) -> int:
    return _call(url)[0]


@contextlib.contextmanager
def _gunicorn(url: str, **settings: str) -> Iterator[str]:
    """gunicorn (2 workers) on a free port against `url`; yields its base address once /healthz answers."""
    port = _free_port()
    gunicorn = ["-m", "gunicorn", "dangjian.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"]
    proc = subprocess.Popen(
        [sys.executable, *gunicorn, "--log-level", "warning"],
        cwd=ROOT,
        env=env_for(url, **settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while _get(f"{base}/healthz") != 200:
            assert time.monotonic() < deadline and proc.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
        yield base
        assert proc.poll() is None, "gunicorn died under the test"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


class Load:
    """One thread per job, each calling its job in a loop and recording (began, ended, status) of every
    request it made (a job returning None made none). `quiet()` pauses them all and waits until no
    request is in flight; the load resumes when the block ends."""

    def __init__(self, jobs: list[Callable[[], int | None]]):
        self.requests: list[tuple[float, float, int]] = []
        self.stop, self.paused, self.lock, self.active = (
            threading.Event(),
            threading.Event(),
            threading.Lock(),
            0,
        )
        self.threads = [threading.Thread(target=self.run, args=(job,)) for job in jobs]

    def run(self, job: Callable[[], int | None]) -> None:
        while not self.stop.is_set():
            with self.lock:
                go = not self.paused.is_set()
                self.active += go
            if not go:
                time.sleep(0.01)
                continue
            began = time.monotonic()
            status = job()
            if status is not None:
                self.requests.append((began, time.monotonic(), status))
            with self.lock:
                self.active -= 1

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        self.paused.set()
        while self.active:
            time.sleep(0.005)
        try:
            yield
        finally:
            self.paused.clear()

    def __enter__(self) -> Load:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()

    def split(self, windows: list[tuple[float, float]]) -> dict[str, list[int]]:
        """Statuses of the requests that overlapped a window ("during") and of all the others ("clear")."""

        def overlaps(b: float, e: float) -> bool:
            return any(b <= w_end and e >= w_begin for w_begin, w_end in windows)

        return {
            "during": [s for b, e, s in self.requests if overlaps(b, e)],
            "clear": [s for b, e, s in self.requests if not overlaps(b, e)],
        }


def _serve_through_terminations(url: str, health_checks: bool, rounds: list[str]) -> dict:
    """gunicorn (2 workers, persistent connections) under a request loop while every backend of its
    database is terminated once per round: "busy" rounds while requests are in flight (those die with
    their connection, whatever the settings), "quiet" rounds between requests (the load pauses), where
    only the app's handling of a dropped idle connection decides the next request. Returns the statuses
    of requests that overlapped a termination ("during") and of all the others ("clear")."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    terminated, windows = 0, []
    with _gunicorn(url, CONN_MAX_AGE="600", CONN_HEALTH_CHECKS=str(health_checks).lower()) as base:
        with (
            Load([lambda: _get(f"{base}/healthz")] * 4) as load,
            psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin,
        ):
            for kind in rounds:
                time.sleep(1.0)
                with load.quiet() if kind == "quiet" else contextlib.nullcontext():
                    began = time.monotonic()
                    terminated += admin.execute(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid()",
                        [name],
                    ).fetchone()[0]
                    windows.append((began, time.monotonic()))
            time.sleep(1.0)
    return {"terminated": terminated, **load.split(windows)}


@pytest.fixture(scope="module")
def pg_url(scratch):
    if scratch.engine != "postgresql":
        pytest.skip("PostgreSQL only (CI runs the suite on both engines)")
    return scratch.new()


def test_app_recovers_when_postgresql_drops_every_connection(pg_url):
    rounds = ["busy", "quiet"] * (5 if FULL else 1)
    healthy = _serve_through_terminations(pg_url, health_checks=True, rounds=rounds)
    assert healthy["terminated"] >= len(rounds), "the workers' persistent connections were not there"
    # Every request that did not overlap a termination succeeded, and gunicorn was never restarted.
    assert len(healthy["clear"]) > 50 and set(healthy["clear"]) == {200}, healthy["clear"]
    # Without the health check the first request on each dropped connection fails: the setting matters.
    bare = _serve_through_terminations(pg_url, health_checks=False, rounds=["quiet"])
    assert bare["terminated"] >= 2 and 503 in bare["clear"]
    print(
        f"\n[faults] PostgreSQL dropped every connection {len(rounds)}x under load: with CONN_HEALTH_CHECKS "
        f"{len(healthy['clear'])} requests all 200, {healthy['during'].count(200)}/{len(healthy['during'])} "
        f"in flight at a termination; without: {bare['clear'].count(503)} failed after one quiet termination"
    )


# --- (e) a real PostgreSQL restart under load -------------------------------------------------------------

PG_BIN = Path("/usr/lib/postgresql/15/bin")
RESTART_TITLE = "重启测试问题"


class Cluster:
    """A private PostgreSQL cluster in a temporary directory, on its own port: unlike the shared server,
    it may be stopped and restarted. As root, its files and processes belong to the postgres user
    (initdb refuses root)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="faults_pg_"))
        self.data, self.port = self.root / "data", _free_port()
        self.sudo = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.sudo:
            shutil.chown(self.root, "postgres")
        self._pg(
            "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "-N"
        )
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/faults"

    def _pg(self, tool: str, *args) -> None:
        subprocess.run([*self.sudo, PG_BIN / tool, *map(str, args)], check=True, capture_output=True)

    def ctl(self, action: str, mode: str = "fast") -> None:
        """pg_ctl start, stop or restart, waiting until it is done (`mode`: how a stop ends sessions)."""
        # fsync off: only the server process stops here, never the machine, so nothing it wrote to the OS
        # is lost; with it on, a shutdown checkpoint on this shared, busy disk takes tens of seconds.
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg("pg_ctl", action, "-D", self.data, "-w", "-m", mode, "-l", self.root / "log", "-o", opts)

    def started_at(self) -> str:
        return query(self.url, "SELECT CAST(pg_postmaster_start_time() AS TEXT)")[0][0]

    def close(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.ctl("stop", "immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster(scratch, world_url):
    """The private cluster with a copy of the module's database (the test world with the restart test's
    accepted cases) and an API token for root."""
    if scratch.engine != "postgresql":
        pytest.skip("PostgreSQL only (CI runs the suite on both engines)")
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"{PG_BIN}/initdb is not installed: no private PostgreSQL cluster to restart")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: initdb cannot run as the postgres user")
    c = Cluster()
    try:
        c.ctl("start")
        query(c.url.rsplit("/", 1)[0] + "/postgres", "CREATE DATABASE faults")
        dump = c.root / "world.sql"
        subprocess.run(["pg_dump", "--no-owner", "--no-privileges", "-f", dump, world_url[0]], check=True)
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-f", dump, c.url], check=True, capture_output=True
        )
        c.token = uuid.uuid4().hex
        query(
            c.url,
            "INSERT INTO authtoken_token (key, created, user_id)"
            " SELECT %s, now(), id FROM accounts_user WHERE username = 'root'",
            (c.token,),
        )
        yield c
    finally:
        c.close()


class SignOffs:
    """A load job: signs off the accepted test cases one by one through the API (one request per call,
    at most one every PACE seconds, so that some are left for the outages). After a request that failed,
    it reads the case back through the API before trying again, since the sign-off may have committed
    before the answer was lost."""

    PACE = 0.15

    def __init__(self, base: str, token: str, url: str):
        self.base, self.token, self.lock = base, token, threading.Lock()
        self.next_at, self.failed = 0.0, 0
        rows = query(
            url,
            "SELECT id, version FROM cases_case WHERE state = 'accepted' AND title LIKE %s",
            (f"{RESTART_TITLE}%",),
        )
        self.todo: dict[int, int | None] = dict(rows)  # case id: version, None when unknown
        self.signed = 0

    def __call__(self) -> int | None:
        with self.lock:
            wait = not self.todo or time.monotonic() < self.next_at
            if not wait:
                pk, version = self.todo.popitem()
                self.next_at = time.monotonic() + self.PACE
        if wait:
            time.sleep(0.02)
            return None
        if version is None:
            status, case = _call(f"{self.base}/api/v1/cases/{pk}/", token=self.token)
            if status == 200 and case["state"] != "accepted":
                return status
            version = case["version"] if status == 200 else None
        else:
            status, _ = _call(
                f"{self.base}/api/v1/cases/{pk}/transition/",
                {"code": "sign_off", "version": version, "note": "验收合格，予以销号"},
                token=self.token,
            )
            if status == 200:
                self.signed += 1
                return status
            version = None
        with self.lock:
            self.todo[pk] = version
            self.failed += status != 200
        return status


def test_app_recovers_from_a_real_postgresql_restart_under_load(cluster):
    """gunicorn with persistent connections under reads and sign-offs while its PostgreSQL is restarted:
    a fast restart, a stop of 2 s before the start and (full run) an immediate stop, which needs crash
    recovery. During an outage requests fail at once with an error page; afterwards every one succeeds
    with the same gunicorn, and each case is signed off whole or not at all."""
    rounds = ["restart", "stop", "immediate", "restart", "stop"] if FULL else ["stop"]
    windows, outages = [], {}
    with _gunicorn(cluster.url, CONN_MAX_AGE="600", CONN_HEALTH_CHECKS="true") as base:
        signoffs = SignOffs(base, cluster.token, cluster.url)
        with Load(
            [lambda: _get(f"{base}/healthz"), lambda: _get(f"{base}/healthz"), signoffs, signoffs]
        ) as load:
            for kind in rounds:
                time.sleep(1.0)
                started = cluster.started_at()
                began = time.monotonic()
                if kind == "restart":
                    cluster.ctl("restart")
                else:
                    cluster.ctl("stop", "fast" if kind == "stop" else "immediate")
                    time.sleep(2.0)
                    cluster.ctl("start")
                windows.append((began, time.monotonic()))
                assert cluster.started_at() != started, "PostgreSQL was not restarted"
                outages[kind] = outages.get(kind, 0) + 1
            time.sleep(1.5)
        split = load.split(windows)
        # During an outage: an error page at once (500, or 503 from /healthz), never a hang or a reset.
        assert set(split["during"]) <= {200, 500, 503} and 0 not in split["during"], split["during"]
        assert any(s != 200 for s in split["during"]), "no request saw the database down"
        # Outside the outages, before and after each: every request succeeded, gunicorn never restarted.
        assert len(split["clear"]) > 10 and set(split["clear"]) == {200}, split["clear"]
        assert any(b > windows[-1][1] for b, _, _ in load.requests), "no request after the last restart"
        # Each case signed off whole or not at all; the rest go through now, once each.
        check = _cases(cluster.url, RESTART_TITLE)
        assert check["bad"] == [] and check["closed"] >= signoffs.signed > 0
        assert signoffs.failed, "no sign-off was in flight during an outage"
        while signoffs.todo:
            assert signoffs() in (None, 200)
    final = _cases(cluster.url, RESTART_TITLE)
    assert (final["closed"], final["accepted"], final["bad"]) == (RESTART_CASES, 0, [])
    print(
        f"\n[faults] PostgreSQL restarted {len(rounds)}x ({outages}) under load: {len(split['clear'])} "
        f"requests outside the outages all 200; during them {split['during'].count(200)} 200, "
        f"{len(split['during']) - split['during'].count(200)} error pages, none hung; "
        f"{RESTART_CASES} cases signed off once each ({signoffs.failed} sign-off requests failed in outages)"
    )
