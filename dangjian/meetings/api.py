"""REST endpoints of the meetings app."""


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
