from __future__ import annotations

import datetime
from collections import Counter

DEMO_LABELS: tuple[str, ...] = ()
PROVINCE_LABELS: dict[str, str] = {}


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Add this app's demo rows (idempotent)."""


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """This app's rows for the generated province."""
    return {}
