"""REST endpoints of the meetings app."""

from . import compliance_api


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    compliance_api.register(router)
