import copy

import pytest

_WORLD: dict = {}  # the worker's open test world: {"world": World, "atomic": its outer transaction}


def pytest_collection_modifyitems(config, items):
    """Remember which modules use the test world, so the others can have it closed before they run."""
    config.world_modules = {
        item.nodeid.split("::")[0] for item in items if "_module_world" in item.fixturenames
    }


def _close_world() -> None:
    from django.db import transaction

    if "atomic" in _WORLD:
        transaction.set_rollback(True)
        _WORLD.pop("atomic").__exit__(None, None, None)
        _WORLD.pop("world")


@pytest.fixture(scope="session")
def _world_session(django_db_setup, django_db_blocker):
    yield _WORLD
    with django_db_blocker.unblock():
        _close_world()


@pytest.fixture(scope="module")
def _module_world(_world_session, django_db_blocker):
    """The test world, built once per worker inside a transaction that stays open while modules that use
    it run; each module runs in a savepoint rolled back at its end, and each test in a savepoint inside
    that (pytest-django's `db`), so no test or module sees another's writes. Building it per module was
    most of the suite's time. A module that does not use the world has it rolled back first
    (`_world_closed_for_others`), so it sees an empty database as before."""
    from django.db import transaction
    from django.test import override_settings

    from dangjian.core.testing import build_world

    with django_db_blocker.unblock():
        if "world" not in _WORLD:
            outer = transaction.atomic()
            outer.__enter__()
            try:
                with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                    _WORLD["world"] = build_world()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
            _WORLD["atomic"] = outer
        module = transaction.atomic()
        module.__enter__()
        try:
            yield _WORLD["world"]
        finally:
            transaction.set_rollback(True)
            module.__exit__(None, None, None)


@pytest.fixture(scope="module", autouse=True)
def _world_closed_for_others(request):
    if "atomic" in _WORLD and request.node.nodeid not in getattr(request.config, "world_modules", ()):
        with request.getfixturevalue("django_db_blocker").unblock():
            _close_world()
    yield


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
