"""The rest of the role x route matrix (see test_scope_matrix.py), in its own module so that another
worker runs it."""

import pytest

from .test_scope_matrix import FIRST_ROLES, ROLES, check_role


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r not in FIRST_ROLES])
def test_role_cannot_read_or_write_outside_subtree(world, client_for, role):
    check_role(world, client_for, role)


def test_every_role_is_checked_once():
    assert sorted(FIRST_ROLES + [r for r in ROLES if r not in FIRST_ROLES]) == sorted(ROLES)
