"""Schemathesis over the whole OpenAPI (/api/schema/): no request the schema allows, and no malformed
variant of one, may make the server answer 5xx. Bad input must come back as a 4xx with a Chinese message.

Runs in-process against the WSGI app, logged in by token as the test world's county admin, so the
scoped endpoints see real rows. `make test` runs a short, derandomised pass (FUZZ_EXAMPLES per
operation, default 1, no coverage phase); `make fuzz` (FUZZ_FULL=1) adds schemathesis' coverage phase
and many more examples with fresh randomness.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

FULL = os.environ.get("FUZZ_FULL", "") not in ("", "0", "false")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60" if FULL else "1"))


def _wsgi_app():
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


# Loaded at collection, so each operation is its own test item; building the schema reads no rows.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", _wsgi_app())
# The coverage phase (boundary values and malformed query strings for every parameter) is what found
# most of the 500s; it multiplies the cases per operation, so the short run leaves it to `make fuzz`.
schema.config.phases.coverage.enabled = FULL


@pytest.fixture
def token_headers(world):
    from rest_framework.authtoken.models import Token

    from dangjian.core.roles import Role

    token, _ = Token.objects.get_or_create(user=world.user(Role.COUNTY_ADMIN))
    return {"Authorization": f"Token {token.key}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=not FULL,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error(case, token_headers):
    case.call_and_validate(headers=token_headers, checks=[not_a_server_error])
