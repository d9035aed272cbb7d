"""党员包户: the branch's households, the members who look after them, and the visits they make."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.scope import require
from dangjian.orgs.models import Grid, Org

from ..choices import Standing
from ..models import Household, HouseholdLink, HouseholdVisit, Member
from ..records.common import Errors
from .roster import MEMBER_ORG_KINDS, PHONE_RE


@transaction.atomic
def create_household(
    actor: User,
    org: Org,
    head_name: str,
    address: str = "",
    phone: str = "",
    grid: Grid | None = None,
    size: int | None = None,
    note: str = "",
) -> Household:
    """Register a household of the village or community."""
    require(actor, "add", Household(org=org))
    e = Errors()
    if org.kind not in MEMBER_ORG_KINDS or org.archived_at is not None:
        e.add("农户应登记在村（社区）党支部下。", "org")
    head_name = e.text(head_name, label="户主姓名", field="head_name", limit=40, required=True)
    address = e.text(address, label="住址", field="address", limit=120)
    phone = "".join((phone or "").split())
    if phone and not PHONE_RE.match(phone):
        e.add("联系电话格式不正确：手机号为11位数字，座机如0350-1234567。", "phone")
    if grid is not None and not org.path.startswith(grid.org.path):
        e.add("所选网格不属于该党支部所在的乡镇或社区。", "grid")
    if size is not None and size < 1:
        e.add("人口数至少为1。", "size")
    note = e.text(note, label="备注", field="note", limit=200)
    e.raise_any()
    household = Household.objects.create(
        org=org, head_name=head_name, address=address, phone=phone, grid=grid, size=size, note=note
    )
    audit.record(actor, "household.create", household, org=org, after=audit.snapshot(household))
    return household


@transaction.atomic
def link_household(
    actor: User,
    member: Member,
    household: Household,
    since: datetime.date | None,
    *,
    today: datetime.date | None = None,
) -> HouseholdLink:
    """A member of the branch takes on looking after one of its households."""
    today = today or timezone.localdate()
    member = Member.objects.select_for_update().select_related("person", "org").get(pk=member.pk)
    require(actor, "change", member)
    require(actor, "view", household)
    e = Errors()
    if member.standing != Standing.NORMAL:
        e.add(f"该党员党籍状态为“{member.get_standing_display()}”，不能联系农户。", "member")
    if household.org_id != member.org_id:
        e.add("只能联系本党支部的农户。", "member")
    if household.archived_at is not None:
        e.add("该农户已注销。", "household")
    if HouseholdLink.objects.filter(member=member, household=household, ended_on__isnull=True).exists():
        e.add(f"{member.person.name}已在联系{household}。", "member")
    e.date(since, label="联系起始日期", field="since", today=today)
    e.raise_any()
    link = HouseholdLink.objects.create(member=member, household=household, org=member.org, since=since)
    audit.record(actor, "household.link", link, org=member.org, after=audit.snapshot(link))
    return link


@transaction.atomic
def unlink(
    actor: User, link: HouseholdLink, ended_on: datetime.date | None, *, today: datetime.date | None = None
) -> HouseholdLink:
    """End a member's care of a household (the visits stay on record)."""
    today = today or timezone.localdate()
    link = HouseholdLink.objects.select_for_update().select_related("org").get(pk=link.pk)
    require(actor, "change", link)
    e = Errors()
    if link.ended_on is not None:
        e.add(f"该包户关系已于{link.ended_on:%Y-%m-%d}结束。")
    e.date(ended_on, label="结束日期", field="ended_on", today=today, not_before=(link.since, "联系起始日期"))
    e.raise_any()
    before = audit.snapshot(link)
    link.ended_on = ended_on
    link.save(update_fields=["ended_on"])
    audit.record(actor, "household.unlink", link, org=link.org, before=before, after=audit.snapshot(link))
    return link


@transaction.atomic
def record_visit(
    actor: User,
    link: HouseholdLink,
    visited_on: datetime.date | None,
    note: str,
    *,
    today: datetime.date | None = None,
) -> HouseholdVisit:
    """A visit the member made to the household while looking after it."""
    today = today or timezone.localdate()
    link = HouseholdLink.objects.select_related("org").get(pk=link.pk)
    require(actor, "change", link)
    e = Errors()
    e.date(
        visited_on, label="走访日期", field="visited_on", today=today, not_before=(link.since, "联系起始日期")
    )
    if visited_on and link.ended_on and visited_on > link.ended_on:
        e.add(f"走访日期不能晚于包户关系结束日期（{link.ended_on:%Y-%m-%d}）。", "visited_on")
    note = e.text(note, label="走访情况", field="note", limit=500, required=True)
    e.raise_any()
    visit = HouseholdVisit.objects.create(
        link=link, org=link.org, visited_on=visited_on, note=note, recorded_by=actor
    )
    audit.record(
        actor,
        "household.visit",
        visit,
        org=link.org,
        after={"link_id": link.pk, "visited_on": visited_on.isoformat(), "note": note},
    )
    return visit
