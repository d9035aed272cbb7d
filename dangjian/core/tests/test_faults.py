"""kill -9 in the middle of real `manage.py` processes, then restart: no partial writes, no reminder lost or
sent twice; and PostgreSQL dropping every connection under load does not need an app restart.

The short version runs in `make test` (one or two kills per scenario, small data). FAULTS_FULL=1 (`make
faults`) runs the long one: bigger files, kills spread over the whole run, several in a row. Each scenario
prints one summary line (`pytest -s` shows them); docs/reliability.md lists a full run's figures.
"""

from __future__ import annotations

import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from .ops import FULL, ROOT, agent, env_for, manage, query

# The scenarios run in subprocesses; the mark only makes pytest-django create the test database that
# the scratch databases are copied from.
pytestmark = pytest.mark.django_db

TAG = "故障测试提醒#"


ROWS = 10000 if FULL else 2000
CASES = 300 if FULL else 30
SMS = 40 if FULL else 5


@pytest.fixture(scope="module")
def world_url(scratch, tmp_path_factory):
    """One scratch database for the module, seeded in one process: the test world, a roster file, cases
    ready to sign off and pending SMS reminders. The scenarios touch disjoint rows."""
    url = scratch.new()
    roster = tmp_path_factory.mktemp("roster") / "roster.xlsx"
    agent(url, "seed", "roster", str(ROWS), str(roster), "cases", str(CASES), "reminders", str(SMS))
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
    the write lock cannot be taken, on PostgreSQL a backend is inside a transaction that inserts members."""
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
            " AND state IN ('active', 'idle in transaction') AND query LIKE 'INSERT INTO \"members_%%'",
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


def _cases(url: str) -> dict:
    """Each case either closed with all four traces of its sign-off, or accepted with none of them."""
    out: dict = {"closed": 0, "accepted": 0, "bad": []}
    for pk, state, closed_at, closed_by, events, audits in query(url, CASES_SQL, ("故障测试问题%",)):
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
SELECT n.title, d.state FROM notifications_delivery d
JOIN notifications_notification n ON n.id = d.notification_id
WHERE d.channel = 'sms' AND n.title LIKE %s
"""


def _deliveries(url: str) -> dict[str, str]:
    return dict(query(url, DELIVERIES_SQL, (f"{TAG}%",)))


def _log(path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_send_reminders_killed_mid_send_loses_none_and_sends_none_twice(world_url, tmp_path):
    url, _ = world_url
    log = tmp_path / "sms.log"
    slow = {
        "NOTIFY_SMS_BACKEND": "dangjian.core.tests.ops_agent.SlowSms",
        "FAULTS_SMS_LOG": str(log),
        "FAULTS_SMS_DELAY": "0.1" if FULL else "0.2",
    }
    cmd = ["send_reminders", "--no-escalate"]
    kills = 0
    rng = random.Random(3)
    for _ in range(6 if FULL else 1):
        # Kill while a message is in the gateway: the run's n-th message hangs there until the kill.
        sent_before = sum(line.startswith(f"sent {TAG}") for line in _log(log))
        if sent_before >= SMS - 3:
            break
        hang_at = rng.randint(1, 3)
        starts_before = sum(line.startswith(f"start {TAG}") for line in _log(log))
        proc = _start(url, ["manage.py", *cmd], **slow, FAULTS_SMS_HANG_AT=str(hang_at))
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            lines = _log(log)
            if sum(line.startswith(f"start {TAG}") for line in lines) - starts_before == hang_at:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.01)
        proc.wait()
        proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL, "send_reminders ended before the kill"
        kills += 1
        in_flight = _log(log)[-1].removeprefix("start ")
        states = _deliveries(url)
        # The delivery in the gateway at the kill is still pending (claimed), none is half-marked.
        assert states[in_flight] == "pending"
        sent = {line[5:] for line in _log(log) if line.startswith(f"sent {TAG}")}
        assert {t for t, s in states.items() if s == "sent"} == sent
        if not FULL:
            # Restarted at once: everything else goes; the claimed one waits for its claim to expire.
            manage(url, *cmd, **slow)
            assert _deliveries(url)[in_flight] == "pending"
        # What five minutes (services.LOCK) of waiting does to the killed run's claim.
        query(url, "UPDATE notifications_delivery SET locked_until = NULL WHERE state = 'pending'")
    manage(url, *cmd, **slow)
    states = _deliveries(url)
    assert len(states) == SMS and set(states.values()) == {"sent"}
    sends = [line[5:] for line in _log(log) if line.startswith(f"sent {TAG}")]
    assert sorted(sends) == sorted(states), "a reminder was lost or sent twice"
    print(f"\n[faults] send_reminders: {SMS} SMS, {kills} kills mid-send, each sent exactly once")


# --- (d) PostgreSQL drops every connection under load ----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def _serve_through_terminations(url: str, health_checks: bool, rounds: list[str]) -> dict:
    """gunicorn (2 workers, persistent connections) under a request loop while every backend of its
    database is terminated once per round: "busy" rounds while requests are in flight (those die with
    their connection, whatever the settings), "quiet" rounds between requests (the load pauses), where
    only the app's handling of a dropped idle connection decides the next request. Returns the statuses
    of requests that overlapped a termination ("during") and of all the others ("clear")."""
    import psycopg

    port = _free_port()
    gunicorn = ["-m", "gunicorn", "dangjian.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"]
    proc = subprocess.Popen(
        [sys.executable, *gunicorn, "--log-level", "warning"],
        cwd=ROOT,
        env=env_for(url, CONN_MAX_AGE="600", CONN_HEALTH_CHECKS=str(health_checks).lower()),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/healthz"
    try:
        deadline = time.monotonic() + 60
        while _get(base) != 200:
            assert time.monotonic() < deadline and proc.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
        requests: list[tuple[float, float, int]] = []
        stop, paused, lock, active = threading.Event(), threading.Event(), threading.Lock(), [0]

        def load() -> None:
            while not stop.is_set():
                with lock:
                    if paused.is_set():
                        go = False
                    else:
                        go, active[0] = True, active[0] + 1
                if not go:
                    time.sleep(0.01)
                    continue
                began = time.monotonic()
                status = _get(base)
                requests.append((began, time.monotonic(), status))
                with lock:
                    active[0] -= 1

        threads = [threading.Thread(target=load) for _ in range(4)]
        for t in threads:
            t.start()
        name = url.rsplit("/", 1)[1]
        terminated, windows = 0, []
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            for kind in rounds:
                time.sleep(1.0)
                if kind == "quiet":
                    paused.set()
                    while active[0]:
                        time.sleep(0.005)
                began = time.monotonic()
                terminated += admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [name],
                ).fetchone()[0]
                windows.append((began, time.monotonic()))
                paused.clear()
        time.sleep(1.0)
        stop.set()
        for t in threads:
            t.join()

        def overlaps(b: float, e: float) -> bool:
            return any(b <= w_end and e >= w_begin for w_begin, w_end in windows)

        return {
            "terminated": terminated,
            "during": [s for b, e, s in requests if overlaps(b, e)],
            "clear": [s for b, e, s in requests if not overlaps(b, e)],
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


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
