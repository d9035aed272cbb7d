"""Python's cyclic garbage collector against bulk work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Bulk work (a province-wide evaluation, a 100,000-row import) allocates a few hundred thousand small
    objects and no reference cycles; left running, the cyclic collector makes repeated full passes over
    them and takes as long as the work itself (measured: compliance 3.0 s → 1.6 s for 24,000 branches, an
    import a third faster). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
