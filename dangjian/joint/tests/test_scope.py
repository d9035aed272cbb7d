"""The core role x route matrix run over this app's routes only (every role)."""

import pytest

from dangjian.core.roles import Role
from dangjian.core.routes import route_scope_of
from dangjian.core.tests.test_scope_matrix import ROUTES, check_list_route, check_object_route, params

MINE = [(route, cb) for route, cb in ROUTES if "joint" in route]


def test_this_app_has_routes_and_each_declares_its_scope():
    assert len(MINE) >= 6 and all(route_scope_of(cb) is not None for _, cb in MINE)


@pytest.mark.parametrize("role", list(Role.values))
def test_role_cannot_read_or_write_outside_subtree(world, client_for, role):
    user = world.user(role)
    client = client_for(user)
    failures = []
    for route, cb in MINE:
        scope = route_scope_of(cb)
        if scope.kwarg in params(route):
            failures += check_object_route(client, user, world, route, scope)
        else:
            failures += check_list_route(client, user, world, route, scope)
    assert not failures, "\n".join(failures)
