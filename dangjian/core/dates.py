"""Date arithmetic as the rules count it: calendar months and years, and working days."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day `months` later; the 31st becomes the month's last day (1月31日 + 1个月 = 2月28/29日)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, 12 * years)


def working_days(
    start: datetime.date, end: datetime.date, adjust: Mapping[datetime.date, bool] | None = None
) -> int:
    """Working days from `start` to `end`, both included: Monday–Friday, then `adjust` (a date → whether
    it is worked) for holidays and the weekend days worked in their place (see core/workdays.py)."""
    if end < start:
        return 0
    if adjust:
        plain = working_days(start, end)
        return plain + sum(
            (1 if worked else -1)
            for day, worked in adjust.items()
            if start <= day <= end and worked != (day.weekday() < 5)
        )
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for i in range(rest):
        if (start.weekday() + i) % 7 < 5:
            count += 1
    return count


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)
