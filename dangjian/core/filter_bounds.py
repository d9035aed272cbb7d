"""Bounds for every number a list filter accepts (django-filter's NumberFilter), API and pages alike.

A query string like `?county=-3.3e72` or `?year=0` reached the database as an integer no column can
hold (SQLite raises OverflowError, PostgreSQL "out of range") or as a year no date can have, and the
request ended in a 500. django-filter's own hook for this is `NumberFilter.get_max_validator`; core
installs this bound there (CoreConfig.ready), so the 95 NumberFilters of the apps are covered without
each declaring it, and a bad number is a 400 / form error with a Chinese message instead.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError

BIGINT = Decimal(2**63 - 1)  # the widest integer column (BigAutoField ids) on SQLite and PostgreSQL


def number_bounds(field_name: str, lookup_expr: str) -> tuple[Decimal, Decimal]:
    """Years compared on a date lie in 1..9999 (Python's dates); everything else fits a 64-bit integer."""
    if field_name.endswith("__year") or lookup_expr == "year" or lookup_expr.startswith("year__"):
        return Decimal(1), Decimal(9999)
    return -BIGINT, BIGINT


def bounded_validator(number_filter) -> Callable[[Decimal], None]:
    low, high = number_bounds(number_filter.field_name or "", number_filter.lookup_expr or "")

    def check(value: Decimal) -> None:
        if value is not None and not (low <= value <= high):
            raise ValidationError(f"数值超出范围（应在 {low} 到 {high} 之间）。", code="out_of_range")

    return check


def install() -> None:
    import django_filters

    django_filters.NumberFilter.get_max_validator = bounded_validator
