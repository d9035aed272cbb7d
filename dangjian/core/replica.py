"""Reads for dashboards and reports from a PostgreSQL read replica, when one is configured
(DATABASE_REPLICA_URL; see docs/deploy.md). Only GET/HEAD requests under settings.REPLICA_PATHS read from
it, and even there sessions, users, roles and login throttling stay on the primary: a replica a second
behind must never log someone out or hide a role they were just given. Writes always go to the primary."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections

REPLICA = "replica"
# Apps whose rows decide who the user is and what they may do: always read from the primary.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "axes", "authtoken", "contenttypes"})

_reading = contextvars.ContextVar("dangjian_replica_reads", default=False)


def replica_enabled() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    """Route reads to the replica only inside a request that `ReplicaReadsMiddleware` marked."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading.get() and replica_enabled() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return REPLICA
        return "default"

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"


def wants_replica(method: str, path: str) -> bool:
    return method in ("GET", "HEAD") and any(
        path.startswith(p) for p in getattr(settings, "REPLICA_PATHS", ())
    )


class ReplicaReadsMiddleware:
    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = _reading.set(wants_replica(request.method, request.path_info))
        try:
            return self.get_response(request)
        finally:
            _reading.reset(token)
