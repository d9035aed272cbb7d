"""Scratch databases for tests that run real `manage.py` processes (backup/restore, kill -9 faults).

Each scratch database is a copy of this worker's migrated, empty test database, so no test pays for
migrations again: on SQLite the in-memory test database is copied to a file with the online backup API,
on PostgreSQL a new database is created with the test database as its template. Subprocesses reach it
through DATABASE_URL; the scratch database is dropped (or its file deleted) afterwards."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FULL = os.environ.get("FAULTS_FULL") == "1"


def _pg_admin(sql: str, settings_dict: dict) -> None:
    import psycopg

    kw = {
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in kw.items() if v is not None}) as conn:
        conn.execute(sql)


def _pg_url(s: dict, name: str) -> str:
    auth = s.get("USER") or ""
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{s.get('HOST') or 'localhost'}:{s.get('PORT') or 5432}/{name}"


class Scratch:
    """Makes scratch databases: `new()` returns the DATABASE_URL of a fresh copy."""

    def __init__(self, tmp: Path, blocker):
        from django.db import connection

        self.tmp, self.blocker = tmp, blocker
        self.engine = "postgresql" if connection.vendor == "postgresql" else "sqlite"
        self.settings = dict(connection.settings_dict)
        self.made: list[str] = []

    def _name(self) -> str:
        return f"ops_{os.getpid()}_{uuid.uuid4().hex[:8]}"

    def new(self) -> str:
        """Call from a module-scoped fixture: on PostgreSQL this closes the test connection, which must not
        happen inside a test's transaction."""
        from django.db import connection, connections

        name = self._name()
        with self.blocker.unblock():
            if self.engine == "sqlite":
                path = self.tmp / f"{name}.sqlite3"
                connection.ensure_connection()
                target = sqlite3.connect(path)
                connection.connection.backup(target)
                target.close()
                self.made.append(str(path))
                return f"sqlite:///{path}"
            connections.close_all()  # a template may have no other sessions
            _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.settings["NAME"]}"', self.settings)
        self.made.append(name)
        return _pg_url(self.settings, name)

    def drop_all(self) -> None:
        for made in self.made:
            if self.engine == "postgresql":
                _pg_admin(f'DROP DATABASE IF EXISTS "{made}" WITH (FORCE)', self.settings)
            else:
                for suffix in ("", "-wal", "-shm"):
                    Path(made + suffix).unlink(missing_ok=True)


def env_for(url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(
        DATABASE_URL=url,
        PYTHONUNBUFFERED="1",
        DEBUG="true",
        AXES_ENABLED="false",
        DJANGO_SETTINGS_MODULE="dangjian.settings",
        PROGRESS_CACHE_URL="locmemcache://",
    )
    env.update(extra)
    return env


def manage(url: str, *args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "manage.py", *args]
    done = subprocess.run(cmd, cwd=ROOT, env=env_for(url, **extra), capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def agent(url: str, *args: str, **extra: str) -> str:
    """Run ops_agent.py (seeding and checking helpers) against `url`; returns its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "dangjian.core.tests.ops_agent", *args],
        cwd=ROOT,
        env=env_for(url, **extra),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise AssertionError(f"agent {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Read (or, for UPDATE, write) a scratch database directly: a subprocess would cost Django's start-up
    every time. `sql` uses %s placeholders on both engines."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=20) as conn:
            rows = conn.execute(sql.replace("%s", "?"), params).fetchall()
        conn.close()
        return rows
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else []
