import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """build_world() creates nine users; PBKDF2 would make every test take two seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
