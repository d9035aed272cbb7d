def register(router) -> None:
    """This app's API endpoints on the /api/v1/ router."""
