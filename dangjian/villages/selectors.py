"""Reads shared by services, checks and pages: the current committees of villages, the seats a village
has and uses, and who holds both top posts (一肩挑)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from .models import Committee, CommitteeKind, Post, PostKind, SeatTable, VillageProfile, current_holder_q


def latest_q():
    """Committees with no later term of the same kind in the same village."""
    later = Committee.objects.filter(
        org_id=OuterRef("org_id"), kind=OuterRef("kind"), term_start__gt=OuterRef("term_start")
    )
    return ~Exists(later)


def current_committees(qs: QuerySet[Committee]) -> QuerySet[Committee]:
    return qs.filter(latest_q())


def holder_key(post: Post) -> str:
    """One person across both committees: by their record where linked, else by name."""
    return f"p{post.person_id}" if post.person_id else f"n{post.name}"


def current_posts(org_ids: Iterable[int]) -> QuerySet[Post]:
    return Post.objects.filter(
        org_id__in=list(org_ids), committee__in=current_committees(Committee.objects.all())
    ).filter(current_holder_q())


@dataclass(frozen=True)
class Seats:
    residents: int | None
    seats: int | None  # None: no profile or no band in the county's table
    used: int
    holders: frozenset[str]

    @property
    def full(self) -> bool:
        return self.seats is not None and self.used >= self.seats

    def basis(self) -> str:
        return f"按本县职数表{self.residents}人→{self.seats}个"


def seats_from_table(county_id: int | None, residents: int | None) -> int | None:
    if county_id is None or residents is None:
        return None
    return (
        SeatTable.objects.filter(county_id=county_id, max_residents__gte=residents)
        .order_by("max_residents")
        .values_list("seats", flat=True)
        .first()
    )


def seats_of(org_id: int, county_id: int | None) -> Seats:
    profile = VillageProfile.objects.filter(org_id=org_id).values_list("residents", flat=True).first()
    holders = frozenset(holder_key(p) for p in current_posts([org_id]).only("person_id", "name"))
    return Seats(profile, seats_from_table(county_id, profile), len(holders), holders)


def cross_holdings(org_ids: Iterable[int]) -> dict[int, str]:
    """Village id → the name of the person who is both branch secretary and villagers' committee
    director there now (一肩挑)."""
    secretaries: dict[int, set[str]] = defaultdict(set)
    directors: dict[int, dict[str, str]] = defaultdict(dict)
    rows = current_posts(org_ids).filter(kind__in=(PostKind.SECRETARY, PostKind.DIRECTOR))
    for post in rows.select_related("committee").only(
        "org_id", "kind", "person_id", "name", "committee__kind"
    ):
        if post.kind == PostKind.SECRETARY and post.committee.kind == CommitteeKind.BRANCH:
            secretaries[post.org_id].add(holder_key(post))
        elif post.kind == PostKind.DIRECTOR and post.committee.kind == CommitteeKind.VILLAGERS:
            directors[post.org_id][holder_key(post)] = post.name
    out: dict[int, str] = {}
    for org_id, keys in secretaries.items():
        for key in keys:
            if key in directors.get(org_id, {}):
                out[org_id] = directors[org_id][key]
    return out
