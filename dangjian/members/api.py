def register(router) -> None:
    """Register the roster endpoints on the /api/v1/ router."""
