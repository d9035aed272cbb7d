"""The test world's fixtures (dangjian/conftest.py) for the fuzz tests, which live outside the package."""

from dangjian.conftest import (  # noqa: F401
    _fast_password_hasher,
    _module_world,
    _world_closed_for_others,
    _world_session,
    client_for,
    world,
)
