"""Backups that prove themselves: `manage.py backup` writes the database to var/backups/ together with a
manifest of every table's row count and checksum; `manage.py restore` puts it back and fails unless the
restored tables match that manifest exactly.

PostgreSQL is dumped with `pg_dump -Fc` inside the snapshot the manifest is computed in (so a busy
server cannot make them disagree) and restored with `pg_restore`; SQLite uses its online backup API from
the same read transaction as the manifest. The checksum is computed through the ORM with values
normalised (datetimes in UTC ISO form, decimals as text, JSON with sorted keys), so it means the same on
both engines.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import os
import sqlite3
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

from dangjian.core.errors import DomainError

DEFAULT_DIR = Path(settings.BASE_DIR) / "var" / "backups"
CHUNK = 2000


def engine_of(alias: str = "default") -> str:
    engine = connections[alias].settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise DomainError(f"不支持备份该数据库引擎：{engine}")


def _models() -> list[type[Model]]:
    """Every table Django owns (auto-created many-to-many tables and the migration log included),
    each once: multi-table children are checked on their own columns only."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]
    found.append(MigrationRecorder.Migration)
    by_table: dict[str, type[Model]] = {}
    for m in found:
        by_table.setdefault(m._meta.db_table, m)
    return [by_table[t] for t in sorted(by_table)]


def _norm(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value else "NaN"
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, float):
        return repr(value)
    return value


def table_manifest(alias: str = "default") -> dict[str, dict[str, Any]]:
    """{table: {"rows": n, "sha256": hex}} over rows ordered by primary key."""
    out: dict[str, dict[str, Any]] = {}
    tables = set(connections[alias].introspection.table_names())
    for model in _models():
        table = model._meta.db_table
        if table not in tables:
            continue
        columns = [f.attname for f in model._meta.local_concrete_fields]
        pk = model._meta.pk.attname
        if pk not in columns:
            columns.insert(0, pk)
        digest, rows = hashlib.sha256(), 0
        qs = model._base_manager.using(alias).order_by(pk).values_list(*columns)
        for row in qs.iterator(chunk_size=CHUNK):
            digest.update(json.dumps([_norm(v) for v in row], ensure_ascii=False, default=str).encode())
            digest.update(b"\n")
            rows += 1
        out[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return out


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(alias: str) -> tuple[list[str], dict[str, str]]:
    s = connections[alias].settings_dict
    args = []
    if s.get("HOST"):
        args += ["-h", str(s["HOST"])]
    if s.get("PORT"):
        args += ["-p", str(s["PORT"])]
    if s.get("USER"):
        args += ["-U", str(s["USER"])]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise DomainError(f"{cmd[0]} 失败：{done.stderr.strip()[:500]}")


@dataclass
class BackupResult:
    path: Path
    manifest_path: Path
    manifest: dict[str, Any]
    seconds: float


def backup(directory: Path | None = None, alias: str = "default") -> BackupResult:
    """Write the database and its manifest to `directory` (var/backups/ by default)."""
    started = time.monotonic()
    directory = Path(directory or DEFAULT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    engine = engine_of(alias)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = directory / f"{stamp}.{'dump' if engine == 'postgresql' else 'sqlite3'}"
    conn = connections[alias]
    partial = path.with_name(path.name + ".partial")
    with transaction.atomic(using=alias):
        with conn.cursor() as cur:
            if engine == "postgresql":
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cur.execute("SELECT pg_export_snapshot()")
                snapshot = cur.fetchone()[0]
            else:
                cur.execute("SELECT count(*) FROM sqlite_master")  # opens the read snapshot
        tables = table_manifest(alias)
        if engine == "postgresql":
            args, env = _pg_env(alias)
            _run(
                [
                    "pg_dump",
                    "-Fc",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    *args,
                    "-f",
                    str(partial),
                    conn.settings_dict["NAME"],
                ],
                env,
            )
        else:
            target = sqlite3.connect(partial)
            try:
                conn.connection.backup(target)
            finally:
                target.close()
    os.replace(partial, path)
    manifest = {
        "format": 1,
        "engine": engine,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "file": path.name,
        "size": path.stat().st_size,
        "sha256": file_sha256(path),
        "tables": tables,
    }
    manifest_path = path.with_suffix(".json")
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    return BackupResult(path, manifest_path, manifest, time.monotonic() - started)


def _has_rows(alias: str) -> bool:
    """Whether anyone has used this database: an account or an audit event exists. A freshly migrated
    database has neither (its migrations add reference rows only), so it may be restored into."""
    from dangjian.accounts.models import User
    from dangjian.core.models import AuditEvent

    tables = set(connections[alias].introspection.table_names())
    return any(
        m._meta.db_table in tables and m._base_manager.using(alias).exists() for m in (User, AuditEvent)
    )


def diff(expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]]) -> list[str]:
    """The tables whose rows or checksum differ, as lines a person can read."""
    lines = []
    for table in sorted(set(expected) | set(actual)):
        e, a = expected.get(table), actual.get(table)
        if e != a:
            lines.append(
                f"{table}: 备份 {e['rows'] if e else '无此表'} 行，恢复后 {a['rows'] if a else '无此表'} 行"
                + ("（行数相同但内容校验不一致）" if e and a and e["rows"] == a["rows"] else "")
            )
    return lines


@dataclass
class RestoreResult:
    tables: int
    rows: int
    seconds: float


def restore(path: Path, *, force: bool = False, alias: str = "default") -> RestoreResult:
    """Restore `path` (with its manifest beside it) into the configured database, then verify."""
    started = time.monotonic()
    path = Path(path)
    manifest_path = path.with_suffix(".json")
    if not path.exists() or not manifest_path.exists():
        raise DomainError(f"找不到备份文件或其清单：{path}（需要同名 .json 清单）")
    manifest = json.loads(manifest_path.read_text())
    if file_sha256(path) != manifest["sha256"]:
        raise DomainError("备份文件的校验值与清单不符，文件可能已损坏，未恢复。")
    engine = engine_of(alias)
    if manifest["engine"] != engine:
        raise DomainError(f"该备份来自 {manifest['engine']}，当前数据库是 {engine}，不能直接恢复。")
    if not force and _has_rows(alias):
        raise DomainError("目标数据库中已有数据，未恢复。确认要覆盖请加 FORCE=1（--force）。")
    conn = connections[alias]
    if engine == "postgresql":
        conn.close()
        args, env = _pg_env(alias)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                "-d",
                conn.settings_dict["NAME"],
                str(path),
            ],
            env,
        )
    else:
        conn.close()
        name = conn.settings_dict["NAME"]
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(name)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    actual = table_manifest(alias)
    problems = diff(manifest["tables"], actual)
    if problems:
        raise DomainError("恢复后的数据与备份清单不一致：\n" + "\n".join(problems))
    return RestoreResult(
        tables=len(actual), rows=sum(t["rows"] for t in actual.values()), seconds=time.monotonic() - started
    )


def latest(directory: Path | None = None) -> Path | None:
    """The newest backup in `directory`, for `make restore` without BACKUP=."""
    found = sorted(p for p in Path(directory or DEFAULT_DIR).glob("*") if p.suffix in (".dump", ".sqlite3"))
    return found[-1] if found else None
