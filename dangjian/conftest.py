import pytest


@pytest.fixture
def world(db):
    from dangjian.core.testing import build_world

    return build_world()


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
