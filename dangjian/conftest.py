import copy

import pytest


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """The test world, built once per test module inside a transaction that is rolled back when the
    module ends; each test runs in a savepoint inside it (pytest-django's `db`), so a test's writes
    vanish after it and the next test sees the world as built. Building it per test was most of the
    suite's time."""
    from django.db import transaction
    from django.test import override_settings

    from dangjian.core.testing import build_world

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                built = build_world()
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_module_world, db):
    """A fresh copy of the module's world for each test, so in-memory changes do not leak either."""
    return copy.deepcopy(_module_world)


@pytest.fixture
def client_for(client):
    """Log a test client in as a given user (force_login bypasses the lockout backend)."""

    def login(user):
        client.force_login(user, backend="dangjian.accounts.backends.PlatformBackend")
        return client

    return login


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """build_world() creates nine users; PBKDF2 would make every test take two seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
