"""Development's part of the two-county test world."""

from __future__ import annotations


def populate(world) -> None:
    """Filled in once the development services exist."""
