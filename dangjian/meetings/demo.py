"""The meetings app's part of the demo counties and of the generated province."""

from __future__ import annotations

import datetime
from collections import Counter

# Labels of the counters load_demo prints, and of the counts generate_province reports.
DEMO_LABELS: tuple[str, ...] = ()
PROVINCE_LABELS: dict[str, str] = {}


def load_demo(admin, created: Counter[str], skipped: Counter[str]) -> None:
    """Add this app's demo rows (idempotent: a second run creates nothing)."""


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """Add this app's rows for every org of the generated province, in bulk; returns counts by key."""
    return {}
