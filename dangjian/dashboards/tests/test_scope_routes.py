"""The core role × route matrix, run on the dashboards' own routes for every role: outside scope is 404,
in scope never 404 or 500, no write, and the user route answers."""

import pytest

from dangjian.core.roles import Role
from dangjian.core.routes import route_scope_of
from dangjian.core.tests.test_scope_matrix import ROUTES, check_object_route, fill

pytestmark = pytest.mark.django_db
MINE = [(r, cb) for r, cb in ROUTES if "dashboards/" in r]


def test_every_dashboards_route_declares_its_scope():
    assert len(MINE) >= 6
    assert all(route_scope_of(cb) is not None for _, cb in MINE)


@pytest.mark.parametrize("role", list(Role.values))
def test_role_matrix_on_the_dashboards_routes(world, client_for, role):
    user = world.user(role)
    client = client_for(user)
    failures = []
    for route, cb in MINE:
        scope = route_scope_of(cb)
        if scope.kind == "user":
            r = client.get(fill(route, {}))
            assert r.status_code in (200, 302), route
            continue
        failures += check_object_route(client, user, world, route, scope)
    assert not failures, "\n".join(failures)
