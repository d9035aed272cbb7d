"""The meetings app's part of the demo counties and of the generated province."""

from __future__ import annotations

import datetime
from collections import Counter

from . import generate

# Labels of the counters load_demo prints, and of the counts generate_province reports.
DEMO_LABELS: tuple[str, ...] = ()
PROVINCE_LABELS: dict[str, str] = generate.PROVINCE_LABELS


def load_demo(admin, created: Counter[str], skipped: Counter[str]) -> None:
    """Add this app's demo rows (idempotent: a second run creates nothing)."""


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """A year of meetings for every branch and office of the generated province (see generate.py)."""
    return generate.insert_province_meetings(plan, org_ids, today)
