def populate(world) -> None:
    """This app's part of the two-county test world."""
