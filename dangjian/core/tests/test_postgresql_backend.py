"""The kept connection's health check: a poll of the socket, a ping only when the server has spoken."""

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections

from dangjian.core.postgresql.base import DatabaseWrapper

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
    pytest.mark.django_db,
]


@pytest.fixture
def wrapper():
    """A connection of its own (the test's is inside a transaction), closed afterwards."""
    w = DatabaseWrapper(dict(connection.settings_dict), alias="probe")
    w.ensure_connection()
    yield w
    w.close()


def test_settings_use_it():
    assert connection.settings_dict["ENGINE"] == settings.PG_ENGINE == "dangjian.core.postgresql"
    assert isinstance(connections["default"], DatabaseWrapper)


def test_idle_connection_is_usable_without_a_round_trip(wrapper, monkeypatch):
    pings = []
    monkeypatch.setattr(wrapper.connection, "execute", lambda *a, **k: pings.append(a))
    assert wrapper.is_usable()
    assert pings == []


def test_dropped_connection_is_not_usable(wrapper):
    pid = wrapper.connection.info.backend_pid
    dsn = wrapper.connection.info.dsn
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):  # the backend is gone once it no longer shows
            if not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                break
    assert not wrapper.is_usable()
    wrapper.health_check_done = False  # as at the start of the next request
    wrapper.close_if_health_check_failed()
    assert wrapper.connection is None


def test_a_notice_alone_does_not_close_a_good_connection(wrapper, monkeypatch):
    """Something waiting on the socket sends the real ping, which a live server answers."""
    monkeypatch.setattr("dangjian.core.postgresql.base.select.select", lambda r, w, x, t: (r, [], []))
    assert wrapper.is_usable()


def test_closed_connection_is_not_usable(wrapper):
    wrapper.connection.close()
    assert not wrapper.is_usable()
