import pytest

from .ops import Scratch


@pytest.fixture(scope="module")
def scratch(django_db_setup, django_db_blocker, tmp_path_factory):
    """Scratch databases for tests that run real manage.py processes (see ops.py); dropped at the end."""
    s = Scratch(tmp_path_factory.mktemp("ops"), django_db_blocker)
    yield s
    s.drop_all()
