"""The case engine's API: cases with their actions (case_api) and the reports (report_api)."""

from . import case_api, report_api


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    case_api.register(router)
    report_api.register(router)
