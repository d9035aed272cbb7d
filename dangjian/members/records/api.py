def register(router) -> None:
    """Register the records endpoints on the /api/v1/ router."""
