"""Scoped reads of the errands app, and the month its schedule rule counts in.

Pages, the API, the contact cards and the check share these, so "this month's half-days" means the
same everywhere. Each function reads a fixed number of queries, however many rows."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from dangjian.core.scope import path_q, scope_prefixes
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from .models import Diary, ErrandService, ServiceCentre, ServiceSession

VILLAGE_KINDS = (OrgKind.BRANCH, OrgKind.COMMUNITY)


# --- months -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def q(self, lookup: str = "date") -> Q:
        return Q(**{f"{lookup}__gte": self.start, f"{lookup}__lte": self.end})

    def previous(self) -> Month:
        return Month.of(self.start - datetime.timedelta(days=1))

    def next(self) -> Month:
        return Month.of(self.end + datetime.timedelta(days=1))

    @classmethod
    def of(cls, day: datetime.date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str | None, default: datetime.date) -> Month:
        """`2026-11` (or `2026-11-05`), else the month of `default`."""
        try:
            year, month = (int(part) for part in (text or "").split("-")[:2])
            return cls.of(datetime.date(year, month, 1))
        except (TypeError, ValueError):
            return cls.of(default)


# --- what the user may see and act on ---------------------------------------------------------------


def orgs_where(user: Any, roles: Iterable[str], kinds: Iterable[str]) -> QuerySet[Org]:
    """Open orgs of `kinds` inside the subtrees where the user holds one of `roles`."""
    qs = Org.objects.filter(kind__in=list(kinds), archived_at__isnull=True).order_by("path")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    prefixes = scope_prefixes(user, roles)
    return qs.filter(path_q("path", prefixes)) if prefixes else qs.none()


def townships(user: Any, action: str = "view", model: Any = ErrandService) -> QuerySet[Org]:
    """Townships where `model`'s policy lets the user `action` (catalogue, centres and sessions share one)."""
    return orgs_where(user, model.scope.roles_for(action), (OrgKind.TOWNSHIP,))


def diary_villages(user: Any, action: str = "add") -> QuerySet[Org]:
    """Villages and communities a diary of the user's may be about."""
    return orgs_where(user, Diary.scope.roles_for(action), VILLAGE_KINDS)


def township_of(org: Org) -> Org | None:
    """The township an org lies in (itself for a township), from its path in one query."""
    if org.kind == OrgKind.TOWNSHIP:
        return org
    ids = org.ancestor_ids()
    return Org.objects.filter(pk__in=ids, kind=OrgKind.TOWNSHIP).first() if ids else None


# --- the catalogue and the schedule -----------------------------------------------------------------


def published_services(township: Org) -> QuerySet[ErrandService]:
    """What the public sees: published services still in use, in the township's order."""
    return ErrandService.objects.filter(org=township, published=True, archived_at__isnull=True).order_by(
        "sort_order", "category", "name"
    )


def by_category(services: Iterable[ErrandService]) -> list[tuple[str, list[ErrandService]]]:
    """Services grouped by category, categories in the order they first appear."""
    groups: dict[str, list[ErrandService]] = {}
    for s in services:
        groups.setdefault(s.category, []).append(s)
    return list(groups.items())


def active_centres(township: Org) -> QuerySet[ServiceCentre]:
    """Open centres in the order they were set up (第一, 第二 … sort badly by name)."""
    return ServiceCentre.objects.filter(org=township, archived_at__isnull=True).order_by("pk")


def sessions_in(township_ids: Iterable[int], month: Month) -> QuerySet[ServiceSession]:
    return (
        ServiceSession.objects.filter(month.q(), org_id__in=list(township_ids))
        .select_related("centre")
        .order_by("date", "half", "centre__name")
    )


def half_day_slots(sessions: Iterable[ServiceSession]) -> int:
    """Half-days used: a morning or afternoon counts once however many centres open in it."""
    return len({(s.date, s.half) for s in sessions})


def slot_count(qs: QuerySet[ServiceSession], outer: str = "pk") -> Coalesce:
    """A correlated count of distinct half-days (date, morning/afternoon) among `qs` for
    `org=OuterRef(outer)`: distinct mornings plus distinct afternoons."""

    def distinct_days(half: str) -> Coalesce:
        sub = (
            qs.filter(org=OuterRef(outer), half=half)
            .order_by()
            .values("org")
            .annotate(n=Count("date", distinct=True))
            .values("n")
        )
        return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))

    return distinct_days(ServiceSession.Half.AM) + distinct_days(ServiceSession.Half.PM)


def month_grid(month: Month) -> list[list[datetime.date | None]]:
    """The month's weeks, Monday first, with None outside the month."""
    return [
        [day if day.month == month.month else None for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]
