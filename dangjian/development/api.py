def register(router) -> None:
    """Register the development endpoints on the /api/v1/ router."""
