"""PostgreSQL as Django ships it, but a kept connection is checked without a round trip.

With CONN_HEALTH_CHECKS Django sends `SELECT 1` before the first query of every request that reuses a
connection: on a list API that is one round trip in five and cost 15% of its throughput. A connection
PostgreSQL has dropped (restart, pg_terminate_backend, a killed backend) is one whose socket has something to
read while the client is idle: the server's farewell or the end of the stream. So the socket is polled first;
only when something is waiting does the real `SELECT 1` decide, so a stray notice cannot close a good
connection (dangjian/core/tests/test_faults.py drops and restarts PostgreSQL under load)."""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        try:
            waiting, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not waiting or super().is_usable()
