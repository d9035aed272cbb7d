"""Working days as a county counts them: the national holiday calendar plus the county's own changes.
The county admin keeps the county's days; every deadline in working days reads through here."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction

from . import audit
from .dates import working_days
from .errors import DomainError
from .holidays import DayAdjustment, national_adjustments
from .models import WorkdayOverride
from .scope import require


def adjustments(
    start: datetime.date, end: datetime.date, county: Any = None
) -> dict[datetime.date, DayAdjustment]:
    """Every day in the range that is not a plain Monday–Friday day, the county's rows winning."""
    found = national_adjustments(start, end)
    if county is not None:
        for row in WorkdayOverride.objects.filter(county=county, date__range=(start, end)):
            found[row.date] = DayAdjustment(row.date, row.is_workday, row.name, row.source)
    return found


def working_days_in(start: datetime.date, end: datetime.date, county: Any = None) -> int:
    """Working days from `start` to `end` (both included) in `county`."""
    if end < start:
        return 0
    return working_days(start, end, {d: a.is_workday for d, a in adjustments(start, end, county).items()})


def add_working_days(start: datetime.date, days: int, county: Any = None) -> datetime.date:
    """The date on which `days` working days have passed, counting `start` itself if it is worked."""
    if days <= 0:
        return start
    horizon = start + datetime.timedelta(days=days * 3 + 30)
    adjust = {d: a.is_workday for d, a in adjustments(start, horizon, county).items()}
    day, left = start, days
    while True:
        if adjust.get(day, day.weekday() < 5):
            left -= 1
            if left == 0:
                return day
        day += datetime.timedelta(days=1)


def set_workday(
    actor: Any, county: Any, date: datetime.date, *, is_workday: bool, name: str, source: str
) -> WorkdayOverride:
    """Record the county's own status for one day (a second call for the same day is refused)."""
    if county is None or county.kind != "county":
        raise DomainError("请选择一个县（区）。", field="county")
    probe = WorkdayOverride(county=county)
    require(actor, "add", probe)
    name, source = (name or "").strip(), (source or "").strip()
    if not name:
        raise DomainError("请填写说明（如：县庆放假、防汛值班周六上班）。", field="name")
    if not source:
        raise DomainError("请填写依据（如：县政府办通知文号）。", field="source")
    if len(name) > 60 or len(source) > 200:
        raise DomainError("说明不能超过60个字，依据不能超过200个字。", field="name")
    national = national_adjustments(date, date).get(date)
    if is_workday == (national.is_workday if national else date.weekday() < 5):
        state = "工作日" if is_workday else "休息日"
        raise DomainError(f"{date:%Y-%m-%d}本来就是{state}，无需调整。", field="date")
    try:
        with transaction.atomic():
            row = WorkdayOverride.objects.create(
                county=county, date=date, is_workday=is_workday, name=name, source=source, created_by=actor
            )
            audit.record(actor, "workday.set", row, org=county, after=audit.snapshot(row))
    except IntegrityError as exc:
        raise DomainError(f"{county.name}{date:%Y-%m-%d}已有调整，请先删除原记录。", field="date") from exc
    return row


def remove_workday(actor: Any, row: WorkdayOverride) -> None:
    require(actor, "change", row)
    with transaction.atomic():
        before = audit.snapshot(row)
        audit.record(actor, "workday.remove", row, org=row.county, before=before, after={})
        row.delete()
