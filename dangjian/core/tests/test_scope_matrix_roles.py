"""The first roles of the role x route matrix (see test_scope_matrix.py); test_scope_matrix_more.py runs
the others, so two workers share it."""

import pytest

from .test_scope_matrix import FIRST_ROLES, check_role


@pytest.mark.django_db
@pytest.mark.parametrize("role", FIRST_ROLES)
def test_role_cannot_read_or_write_outside_subtree(world, client_for, role):
    check_role(world, client_for, role)
