"""The office app's part of the two-county test world (in county 甲 and outside it, 外)."""


def populate(world) -> None:
    """Add rows inside and outside county 甲 so the scope matrix has something to hide."""
