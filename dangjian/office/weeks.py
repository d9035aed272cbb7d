"""Weeks as the field-day rule counts them: ISO weeks, Monday to Sunday, in Asia/Shanghai."""

from __future__ import annotations

import datetime

from django.utils import timezone

ONE_WEEK = datetime.timedelta(days=7)


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The Monday and Sunday of the week holding `day`."""
    start = monday_of(day)
    return start, start + datetime.timedelta(days=6)


def last_complete_week(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The most recent week that has ended by `today` (on a Monday, the week that ended last night)."""
    return week_of(monday_of(today) - ONE_WEEK)


def today_in_shanghai(now: datetime.datetime | None = None) -> datetime.date:
    """The date people in the county are living (a UTC instant late on Sunday is already Monday there)."""
    return timezone.localdate(now or timezone.now())


def recent_weeks(today: datetime.date, count: int) -> list[datetime.date]:
    """The Mondays of the last `count` complete weeks, oldest first."""
    last, _ = last_complete_week(today)
    return [last - ONE_WEEK * i for i in range(count - 1, -1, -1)]


def week_label(monday: datetime.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}年第{week}周"


def week_param(monday: datetime.date) -> str:
    """The value of an HTML week input (2026-W48)."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(value: str) -> datetime.date | None:
    """The Monday of an ISO week written 2026-W48 (or 2026W48); None if it is not one."""
    text = (value or "").strip().upper().replace("W", "-W").replace("--", "-")
    try:
        year, week = text.split("-W")
        return datetime.date.fromisocalendar(int(year), int(week), 1)
    except (ValueError, TypeError):
        return None


def days_text(half_days: int) -> str:
    """Half days as people say days: 3 → 1.5, 4 → 2."""
    return f"{half_days // 2}" if half_days % 2 == 0 else f"{half_days / 2:.1f}"
