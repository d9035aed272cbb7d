"""What the records services share: citing a rule, counting calendar months as the rules do, the
county each org lies in (for per-county rule values), and the checks every form field gets."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from dangjian.core.dates import add_months
from dangjian.core.errors import DomainError, DomainErrors
from dangjian.core.rules import Rule
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from ..models import Member


def cite(rule: Rule) -> str:
    article = f" {rule.article}" if rule.article else ""
    return f"（依据：{rule.source}{article}）"


def reached(start: datetime.date, day: datetime.date, months: int) -> bool:
    """Whether `months` calendar months have passed from `start` by `day` (8月31日 + 6个月 = 2月28日)."""
    return add_months(start, months) <= day


def cutoff(today: datetime.date, months: int) -> datetime.date:
    """The latest start for which `reached(start, today, months)` holds, so a check can be one
    `start <= cutoff` query and agree with the services at month ends."""
    back = add_months(today, -months)
    if today.day == calendar.monthrange(today.year, today.month)[1]:
        back = back.replace(day=calendar.monthrange(back.year, back.month)[1])
    return back


def member_probe(org: Org) -> Member:
    """An unsaved member at `org`, to ask the scope layer what the actor may do with members there."""
    return Member(org=org)


class Counties:
    """Which county each org lies in, from one query over the counties' paths. Paths have fixed-width
    segments, so a lookup tries one prefix per depth at which counties sit."""

    def __init__(self) -> None:
        self.by_path = dict(Org.objects.filter(kind=OrgKind.COUNTY).values_list("path", "pk"))
        self.lengths = sorted({len(p) for p in self.by_path})

    @property
    def ids(self) -> list[int]:
        return list(self.by_path.values())

    def of(self, path: str) -> int | None:
        return next((self.by_path[path[:n]] for n in self.lengths if path[:n] in self.by_path), None)


class Errors:
    """Collects every problem with a request so a form can show them all beside their fields."""

    def __init__(self) -> None:
        self.items: list[DomainError] = []

    def add(self, message: str, field: str | None = None) -> None:
        self.items.append(DomainError(message, field=field))

    def text(self, value: Any, *, label: str, field: str, limit: int, required: bool = False) -> str:
        value = (str(value) if value is not None else "").strip()
        if required and not value:
            self.add(f"请填写{label}。", field)
        elif len(value) > limit:
            self.add(f"{label}不能超过{limit}个字。", field)
        return value

    def date(
        self,
        value: datetime.date | None,
        *,
        label: str,
        field: str,
        today: datetime.date,
        not_before: tuple[datetime.date, str] | None = None,
    ) -> None:
        """Required, not after today, and not before `not_before` (a date and how people call it)."""
        if value is None:
            self.add(f"请填写{label}。", field)
            return
        if value > today:
            self.add(f"{label}不能晚于今天。", field)
        if not_before is not None and value < not_before[0]:
            self.add(f"{label}不能早于{not_before[1]}（{not_before[0]:%Y-%m-%d}）。", field)

    def raise_any(self) -> None:
        if len(self.items) == 1:
            raise self.items[0]
        if self.items:
            raise DomainErrors(self.items)
