"""The read-replica router (DATABASE_REPLICA_URL, off by default): only GET/HEAD requests under
REPLICA_PATHS read from the replica, never sessions, users or roles; every write goes to the primary."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.contrib.sessions.models import Session
from django.test import RequestFactory

from dangjian.accounts.models import RoleAssignment, User
from dangjian.core import replica
from dangjian.orgs.models import Org

from .ops import ROOT, env_for


def _route_inside(method: str, path: str, monkeypatch) -> dict:
    monkeypatch.setattr(replica, "replica_enabled", lambda: True)
    router, seen = replica.ReplicaRouter(), {}

    def view(request):
        seen.update(
            org=router.db_for_read(Org),
            user=router.db_for_read(User),
            role=router.db_for_read(RoleAssignment),
            session=router.db_for_read(Session),
            write=router.db_for_write(Org),
        )
        return None

    replica.ReplicaReadsMiddleware(view)(getattr(RequestFactory(), method)(path))
    return seen


def test_dashboard_reads_go_to_the_replica_but_not_who_the_user_is(monkeypatch, settings):
    settings.REPLICA_PATHS = ["/dashboards/", "/cases/report/"]
    seen = _route_inside("get", "/dashboards/county/", monkeypatch)
    assert seen == {
        "org": "replica",
        "user": "default",
        "role": "default",
        "session": "default",
        "write": "default",
    }
    assert _route_inside("get", "/cases/report/", monkeypatch)["org"] == "replica"


def test_other_pages_writes_and_unconfigured_replicas_use_the_primary(monkeypatch, settings):
    settings.REPLICA_PATHS = ["/dashboards/"]
    assert _route_inside("post", "/dashboards/county/", monkeypatch)["org"] == "default"
    assert _route_inside("get", "/members/", monkeypatch)["org"] == "default"
    router = replica.ReplicaRouter()
    assert router.db_for_read(Org) == "default"  # outside any request
    assert router.allow_migrate("replica", "orgs") is False and router.allow_migrate("default", "orgs")
    monkeypatch.setattr(replica, "replica_enabled", lambda: False)
    token = replica._reading.set(True)
    try:
        assert router.db_for_read(Org) == "default"
    finally:
        replica._reading.reset(token)


def test_settings_turn_the_replica_on_only_when_its_url_is_set():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps("
        "[sorted(s.DATABASES), getattr(s, 'DATABASE_ROUTERS', []), s.MIDDLEWARE[-1], s.SESSION_ENGINE,"
        " s.DATABASES['default']['CONN_HEALTH_CHECKS']]))"
    )

    def read(**extra: str) -> list:
        env = env_for("sqlite:////tmp/unused.sqlite3", **extra)
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    off = read()
    assert off[0] == ["default"] and off[1] == [] and "replica" not in off[2] and off[4] is True
    on = read(
        DATABASE_REPLICA_URL="postgres://reader@10.0.0.2:5432/dangjian",
        SESSION_ENGINE="django.contrib.sessions.backends.cache",
    )
    assert on[:3] == [
        ["default", "replica"],
        ["dangjian.core.replica.ReplicaRouter"],
        "dangjian.core.replica.ReplicaReadsMiddleware",
    ]
    assert on[3] == "django.contrib.sessions.backends.cache"


def test_sessions_in_redis_are_shared_by_separate_app_processes():
    """SESSION_ENGINE=cache with a Redis CACHE_URL: a session saved by one process is read by another,
    which is what lets any app server answer any request."""
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    env = env_for(
        "sqlite:////tmp/unused.sqlite3",
        SESSION_ENGINE="django.contrib.sessions.backends.cache",
        CACHE_URL="rediscache://127.0.0.1:6379/9",
    )
    save = (
        "import django; django.setup(); from django.contrib.sessions.backends.cache import SessionStore as S;"
        " s = S(); s['who'] = '甲村书记'; s.set_expiry(60); s.save(); print(s.session_key)"
    )
    out = subprocess.run([sys.executable, "-c", save], cwd=ROOT, env=env, capture_output=True, text=True)
    key = out.stdout.strip().splitlines()[-1]
    # This process, with the same cache settings, reads the session the other one saved.
    from django.contrib.sessions.backends.cache import SessionStore
    from django.core.cache.backends.redis import RedisCache

    store = SessionStore(session_key=key)
    store._cache = RedisCache("redis://127.0.0.1:6379/9", {})
    assert store.get("who") == "甲村书记"
