"""The role × route matrix on this app's routes only (pages and API): for every role, rows outside the
subtree answer 404 and nothing is written; lists and exports show no out-of-scope name."""

import pytest

from dangjian.core.roles import Role
from dangjian.core.routes import route_scope_of
from dangjian.core.tests.test_scope_matrix import ROUTES, check_list_route, check_object_route, params

OURS = [(r, cb) for r, cb in ROUTES if "scoring" in r]


def test_every_route_of_the_app_declares_its_scope():
    assert len(OURS) > 20 and all(route_scope_of(cb) is not None for _, cb in OURS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*Role.values, "out_admin"])
def test_role_cannot_reach_outside_its_subtree(world, client_for, role):
    user = world.user(role) if role != "out_admin" else world.users["out_admin"]
    client = client_for(user)
    failures = []
    for route, cb in OURS:
        scope = route_scope_of(cb)
        if scope.kwarg in params(route):
            failures += check_object_route(client, user, world, route, scope)
        else:
            failures += check_list_route(client, user, world, route, scope)
    assert not failures, "\n".join(failures)
