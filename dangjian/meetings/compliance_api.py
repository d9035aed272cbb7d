"""REST endpoints of the compliance engine."""


def register(router) -> None:
    """Add the compliance viewsets to the /api/v1/ router."""
