"""县级包联: a county leader paired with villages for a year, and the visits to those villages."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.errors import DomainError
from dangjian.core.scope import require
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from ..models import ContactLeader, ContactLeaderVillage, ContactLeaderVisit
from .common import BRANCH_KINDS, Errors


def _check_villages(e: Errors, county: Org, villages: list[Org]) -> None:
    if not villages:
        e.add("请至少选择一个包联村。", "villages")
    for v in villages:
        if v.kind not in BRANCH_KINDS or v.archived_at is not None:
            e.add(f"“{v.name}”不是村（社区）党支部。", "villages")
        elif not v.path.startswith(county.path):
            e.add(f"“{v.name}”不在{county.name}。", "villages")


def _check_year(e: Errors, year: int | None, today: datetime.date) -> None:
    if year is None or not (2000 <= year <= today.year + 1):
        e.add(f"年度应在2000年至{today.year + 1}年之间。", "year")


@transaction.atomic
def create_leader(
    actor: User,
    county: Org,
    name: str,
    title: str,
    year: int | None,
    villages: Iterable[Org],
    *,
    user: User | None = None,
    note: str = "",
    demo_source: str = "",
    today: datetime.date | None = None,
) -> ContactLeader:
    """Pair a county leader with villages for a year."""
    today = today or timezone.localdate()
    require(actor, "add", ContactLeader(org=county))
    if county.kind != OrgKind.COUNTY:
        raise DomainError("包联领导登记在县（区）。", field="county")
    villages = list(dict.fromkeys(villages))
    e = Errors()
    name = e.text(name, label="姓名", field="name", limit=30, required=True)
    title = e.text(title, label="职务", field="title", limit=60, required=True)
    note = e.text(note, label="说明", field="note", limit=200)
    _check_year(e, year, today)
    _check_villages(e, county, villages)
    if name and year and ContactLeader.objects.filter(org=county, name=name, year=year).exists():
        e.add(f"{year}年已登记包联领导“{name}”。", "name")
    e.raise_any()
    leader = ContactLeader.objects.create(
        org=county, name=name, title=title, user=user, year=year, note=note, demo_source=demo_source
    )
    ContactLeaderVillage.objects.bulk_create(ContactLeaderVillage(leader=leader, org=v) for v in villages)
    after = audit.snapshot(leader) | {"villages": sorted(v.pk for v in villages)}
    audit.record(actor, "office.leader_create", leader, org=county, after=after)
    return leader


@transaction.atomic
def set_leader_villages(
    actor: User, leader: ContactLeader, villages: Iterable[Org], *, today: datetime.date | None = None
) -> ContactLeader:
    """Change which villages the leader is paired with; visits already made stay on record."""
    leader = ContactLeader.objects.select_for_update().select_related("org").get(pk=leader.pk)
    require(actor, "change", leader)
    villages = list(dict.fromkeys(villages))
    e = Errors()
    _check_villages(e, leader.org, villages)
    e.raise_any()
    before = sorted(leader.pairings.values_list("org_id", flat=True))
    wanted = {v.pk for v in villages}
    leader.pairings.exclude(org_id__in=wanted).delete()
    ContactLeaderVillage.objects.bulk_create(
        ContactLeaderVillage(leader=leader, org=v) for v in villages if v.pk not in before
    )
    if sorted(wanted) != before:
        audit.record(
            actor,
            "office.leader_villages",
            leader,
            org=leader.org,
            before={"villages": before},
            after={"villages": sorted(wanted)},
        )
    return leader


@transaction.atomic
def record_leader_visit(
    actor: User,
    leader: ContactLeader,
    village: Org,
    visited_on: datetime.date | None,
    activity: str,
    *,
    demo_source: str = "",
    today: datetime.date | None = None,
) -> ContactLeaderVisit:
    """A contact leader's visit to one of the villages paired with them, in the pairing's year."""
    today = today or timezone.localdate()
    require(actor, "add", ContactLeaderVisit(org=village))
    e = Errors()
    if not leader.pairings.filter(org=village).exists():
        e.add(f"“{village.name}”不是{leader.name}{leader.year}年的包联村。", "village")
    e.date(visited_on, label="到村日期", field="visited_on", today=today)
    if visited_on is not None and visited_on.year != leader.year:
        e.add(f"到村日期应在包联年度（{leader.year}年）内。", "visited_on")
    activity = e.text(activity, label="开展工作", field="activity", limit=500, required=True)
    e.raise_any()
    visit = ContactLeaderVisit.objects.create(
        leader=leader,
        org=village,
        visited_on=visited_on,
        activity=activity,
        demo_source=demo_source,
        recorded_by=actor,
    )
    audit.record(actor, "office.leader_visit", visit, org=village, after=audit.snapshot(visit))
    return visit
