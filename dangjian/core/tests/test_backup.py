"""`manage.py backup` / `restore` (make backup / make restore) on the engine the suite runs on (CI runs it
on SQLite and on PostgreSQL): a round trip gives identical row counts and checksums; a database with data
is not overwritten unless forced; a damaged file or a restore that does not match its manifest fails."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from dangjian.core import backup

from .ops import agent, manage, query

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def dbs(scratch):
    """A seeded database and a freshly migrated one (what a new server has)."""
    seeded = scratch.new()
    agent(seeded, "seed", "cases", "3", "reminders", "2")
    return {"seeded": seeded, "migrated": scratch.new()}


def _backup(url: str, directory: Path) -> tuple[Path, dict]:
    out = manage(url, "backup", "--dir", str(directory)).stdout
    path = Path(next(line for line in out.splitlines() if line.startswith(str(directory))))
    return path, json.loads(path.with_suffix(".json").read_text())


@pytest.fixture(scope="module")
def made(dbs, tmp_path_factory):
    """One backup of the seeded database, shared by the tests (each copies it before changing it)."""
    return _backup(dbs["seeded"], tmp_path_factory.mktemp("backup"))


def _copy(made, directory: Path) -> tuple[Path, dict]:
    path, manifest = made
    for p in (path, path.with_suffix(".json")):
        shutil.copy(p, directory / p.name)
    return directory / path.name, json.loads(json.dumps(manifest))


def test_round_trip_gives_identical_counts_and_checksums(dbs, made, tmp_path):
    path, manifest = made
    users = query(dbs["seeded"], "SELECT count(*) FROM accounts_user")[0][0]
    assert manifest["tables"]["accounts_user"]["rows"] == users > 5
    assert manifest["size"] == path.stat().st_size
    # Into a freshly migrated database: the restore checks every table against the manifest itself, and
    # a backup of the result gives the same manifest again.
    assert "与清单一致" in manage(dbs["migrated"], "restore", str(path)).stdout
    _, again = _backup(dbs["migrated"], tmp_path)
    assert again["tables"] == manifest["tables"]
    assert query(dbs["migrated"], "SELECT count(*) FROM accounts_user")[0][0] == users


def test_a_database_with_data_is_overwritten_only_when_forced(dbs, made):
    path, _ = made
    query(dbs["seeded"], "UPDATE orgs_org SET name = 'changed' WHERE code = 'B1'")
    refused = manage(dbs["seeded"], "restore", str(path), check=False)
    assert refused.returncode != 0 and "已有数据" in refused.stderr
    assert query(dbs["seeded"], "SELECT name FROM orgs_org WHERE code = 'B1'") == [("changed",)]
    assert "与清单一致" in manage(dbs["seeded"], "restore", str(path), "--force").stdout
    assert query(dbs["seeded"], "SELECT name FROM orgs_org WHERE code = 'B1'") == [("村甲一",)]


def test_damaged_file_or_mismatching_restore_fails(dbs, made, tmp_path):
    path, manifest = _copy(made, tmp_path)
    # A manifest that disagrees with the data: the restore runs, the check afterwards names the table.
    manifest["tables"]["orgs_org"]["rows"] += 1
    path.with_suffix(".json").write_text(json.dumps(manifest))
    wrong = manage(dbs["seeded"], "restore", str(path), "--force", check=False)
    assert wrong.returncode != 0 and "orgs_org" in wrong.stderr and "不一致" in wrong.stderr
    # A damaged file is refused before anything is touched.
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    broken = manage(dbs["seeded"], "restore", str(path), "--force", check=False)
    assert broken.returncode != 0 and "校验值与清单不符" in broken.stderr


def test_checksums_follow_the_data(db):
    """In-process: the same rows give the same checksum; one changed value changes only its table's."""
    first = backup.table_manifest()
    assert first == backup.table_manifest()
    group = Group.objects.create(name="校验测试")
    second = backup.table_manifest()
    assert second["auth_group"]["rows"] == first["auth_group"]["rows"] + 1
    Group.objects.filter(pk=group.pk).update(name="校验测试二")
    third = backup.table_manifest()
    n = third["auth_group"]["rows"]
    assert n == second["auth_group"]["rows"] and third["auth_group"] != second["auth_group"]
    assert backup.diff(second, third) == [
        f"auth_group: 备份 {n} 行，恢复后 {n} 行（行数相同但内容校验不一致）"
    ]
