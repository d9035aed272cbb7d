"""The national holiday calendar: which weekdays are days off and which weekend days are worked (调休),
year by year, each year with the State Council notice it comes from. A county may add its own days
(a local holiday, a flood-season duty Saturday) as WorkdayOverride rows; those win over these."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class HolidayYear:
    year: int
    source: str
    days_off: tuple[tuple[str, str, str], ...]  # (first, last, holiday name), both ends included
    workdays: tuple[tuple[str, str], ...]  # (date, holiday it makes up for)


YEARS: dict[int, HolidayYear] = {
    y.year: y
    for y in (
        HolidayYear(
            2025,
            "国务院办公厅关于2025年部分节假日安排的通知（2024年11月12日）",
            (
                ("2025-01-01", "2025-01-01", "元旦"),
                ("2025-01-28", "2025-02-04", "春节"),
                ("2025-04-04", "2025-04-06", "清明节"),
                ("2025-05-01", "2025-05-05", "劳动节"),
                ("2025-05-31", "2025-06-02", "端午节"),
                ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
            ),
            (
                ("2025-01-26", "春节"),
                ("2025-02-08", "春节"),
                ("2025-04-27", "劳动节"),
                ("2025-09-28", "国庆节"),
                ("2025-10-11", "国庆节"),
            ),
        ),
        HolidayYear(
            2026,
            "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
            (
                ("2026-01-01", "2026-01-03", "元旦"),
                ("2026-02-15", "2026-02-23", "春节"),
                ("2026-04-04", "2026-04-06", "清明节"),
                ("2026-05-01", "2026-05-05", "劳动节"),
                ("2026-06-19", "2026-06-21", "端午节"),
                ("2026-09-25", "2026-09-27", "中秋节"),
                ("2026-10-01", "2026-10-07", "国庆节"),
            ),
            (
                ("2026-01-04", "元旦"),
                ("2026-02-14", "春节"),
                ("2026-02-28", "春节"),
                ("2026-05-09", "劳动节"),
                ("2026-09-20", "国庆节"),
                ("2026-10-10", "国庆节"),
            ),
        ),
    )
}


@dataclass(frozen=True)
class DayAdjustment:
    date: datetime.date
    is_workday: bool
    name: str
    source: str


def national_adjustments(start: datetime.date, end: datetime.date) -> dict[datetime.date, DayAdjustment]:
    """Days between `start` and `end` whose status differs from the plain Monday–Friday week."""
    found: dict[datetime.date, DayAdjustment] = {}
    for year in range(start.year, end.year + 1):
        spec = YEARS.get(year)
        if spec is None:
            continue
        for first, last, name in spec.days_off:
            day, stop = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
            while day <= stop:
                if start <= day <= end and day.weekday() < 5:
                    found[day] = DayAdjustment(day, False, name, spec.source)
                day += datetime.timedelta(days=1)
        for text, name in spec.workdays:
            day = datetime.date.fromisoformat(text)
            if start <= day <= end:
                found[day] = DayAdjustment(day, True, f"{name}调休上班", spec.source)
    return found


def known_years() -> list[int]:
    return sorted(YEARS)
