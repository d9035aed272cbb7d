"""This app's rows of the role x route matrix (core's test_scope_matrix), run on its own routes only, so
the app is checked even while another app's row of the shared matrix fails."""

import re

import pytest

from dangjian.core.roles import Role
from dangjian.core.routes import route_scope_of
from dangjian.core.tests.test_scope_matrix import ROUTES, check_list_route, check_object_route, fill, params

MINE = [(r, cb) for r, cb in ROUTES if r.startswith("projects/") or re.match(r"api/v1/\^?project", r)]


def test_every_route_of_the_app_is_declared():
    assert len(MINE) >= 20
    assert all(route_scope_of(cb) is not None for _, cb in MINE)


@pytest.mark.parametrize("role", list(Role.values))
def test_outside_scope_is_404_on_every_route(world, client_for, role):
    user = world.user(role)
    client = client_for(user)
    failures = []
    for route, cb in MINE:
        scope = route_scope_of(cb)
        names = params(route)
        if scope.kind == "user" and not names:
            assert client.get(fill(route, {})).status_code < 500, route
        elif scope.kwarg in names:
            failures += check_object_route(client, user, world, route, scope)
        else:
            failures += check_list_route(client, user, world, route, scope)
    assert not failures, "\n".join(failures)
