"""Lost contact and standing (失联党员, 停止党籍, 除名, 恢复党籍), as 《党员教育管理工作条例》(2019) sets out:
lost for six months and still unreachable ⇒ the branch or higher suspends; suspended for two years
and still unreachable ⇒ removed as having left the party of their own accord; within those two years
the county's organisation department may restore. Each decision is a StandingDecision row."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.dates import add_months, add_years
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.scope import can, require

from ..choices import MemberStatus, Standing
from ..models import Member, StandingDecision
from ..records.common import Errors, cite, reached
from ..rules import LOST_CONTACT_SUSPEND_MONTHS, SUSPENSION_REMOVE_YEARS

Kind = StandingDecision.Kind
RESTORE_BY = "县委组织部"


def _lock(member: Member) -> Member:
    return Member.objects.select_for_update().select_related("person", "org").get(pk=member.pk)


def _decide(
    actor: User,
    member: Member,
    kind: str,
    decided_on: datetime.date,
    decided_by: str,
    note: str,
    **changes: Any,
) -> StandingDecision:
    before = audit.snapshot(member)
    for name, value in changes.items():
        setattr(member, name, value)
    member.save(update_fields=[*changes, "updated_at"])
    decision = StandingDecision.objects.create(
        member=member,
        org=member.org,
        kind=kind,
        decided_on=decided_on,
        decided_by=decided_by,
        note=note,
        recorded_by=actor,
    )
    audit.record(
        actor,
        f"standing.{kind}",
        member,
        org=member.org,
        before=before,
        after=audit.snapshot(member),
        note=f"{Kind(kind).label}（{decided_by}，{decided_on:%Y-%m-%d}）{note}"[:300],
    )
    return decision


def _common(
    e: Errors, member: Member, on: datetime.date | None, note: str, today: datetime.date, label: str
) -> str:
    e.date(on, label=label, field="decided_on", today=today, not_before=(member.joined_on, "入党时间"))
    return e.text(note, label="说明", field="note", limit=300)


@transaction.atomic
def mark_lost_contact(
    actor: User,
    member: Member,
    since: datetime.date | None,
    note: str = "",
    *,
    today: datetime.date | None = None,
) -> StandingDecision:
    """Register that the branch has lost contact with the member since `since`."""
    today = today or timezone.localdate()
    member = _lock(member)
    require(actor, "change", member)
    e = Errors()
    if member.standing != Standing.NORMAL:
        e.add(f"该党员党籍状态为“{member.get_standing_display()}”，不能登记失联。")
    elif member.lost_contact_since is not None:
        e.add(f"该党员已登记自{member.lost_contact_since:%Y-%m-%d}起失联。")
    note = _common(e, member, since, note, today, "失联日期")
    e.raise_any()
    return _decide(actor, member, Kind.LOST, since, member.org.name, note, lost_contact_since=since)


@transaction.atomic
def mark_found(
    actor: User,
    member: Member,
    on: datetime.date | None,
    note: str = "",
    *,
    today: datetime.date | None = None,
) -> StandingDecision:
    """Contact is restored before any suspension; a suspended member is restored by the county instead."""
    today = today or timezone.localdate()
    member = _lock(member)
    require(actor, "change", member)
    e = Errors()
    if member.standing == Standing.SUSPENDED:
        e.add("该党员已停止党籍：恢复联系后应申请恢复党籍，由县级组织部门批准。")
    elif member.lost_contact_since is None:
        e.add("该党员未登记失联。")
    else:
        note = _common(e, member, on, note, today, "恢复联系日期")
        if on and on < member.lost_contact_since:
            e.add(f"恢复联系日期不能早于失联日期（{member.lost_contact_since:%Y-%m-%d}）。", "decided_on")
    e.raise_any()
    return _decide(actor, member, Kind.FOUND, on, member.org.name, note, lost_contact_since=None)


@transaction.atomic
def suspend(
    actor: User,
    member: Member,
    decided_on: datetime.date | None,
    decided_by: str,
    note: str = "",
    *,
    today: datetime.date | None = None,
) -> StandingDecision:
    """停止党籍: only once the member has been unreachable for the full six months."""
    today = today or timezone.localdate()
    member = _lock(member)
    require(actor, "decide", member)
    e = Errors()
    months = LOST_CONTACT_SUSPEND_MONTHS.value
    if member.standing != Standing.NORMAL:
        e.add(f"该党员党籍状态为“{member.get_standing_display()}”，不能停止党籍。")
    elif member.lost_contact_since is None:
        e.add(
            f"只有失去联系满{months}个月的党员才能停止党籍，该党员未登记失联{cite(LOST_CONTACT_SUSPEND_MONTHS)}。"
        )
    elif member.status == MemberStatus.PROBATIONARY:
        e.add(f"失联的预备党员应取消预备党员资格，不适用停止党籍{cite(LOST_CONTACT_SUSPEND_MONTHS)}。")
    decided_by = e.text(decided_by, label="作出决定的党组织", field="decided_by", limit=60, required=True)
    note = _common(e, member, decided_on, note, today, "决定日期")
    lost = member.lost_contact_since
    if lost and decided_on and not reached(lost, decided_on, months):
        e.add(
            f"自{lost:%Y-%m-%d}失联至决定日期未满{months}个月（满{months}个月之日为"
            f"{add_months(lost, months):%Y-%m-%d}），不能停止党籍{cite(LOST_CONTACT_SUSPEND_MONTHS)}。",
            "decided_on",
        )
    e.raise_any()
    return _decide(
        actor,
        member,
        Kind.SUSPEND,
        decided_on,
        decided_by,
        note,
        standing=Standing.SUSPENDED,
        standing_since=decided_on,
    )


@transaction.atomic
def remove(
    actor: User,
    member: Member,
    decided_on: datetime.date | None,
    decided_by: str,
    note: str = "",
    *,
    today: datetime.date | None = None,
) -> StandingDecision:
    """按自行脱党除名: only after two full years of suspension."""
    today = today or timezone.localdate()
    member = _lock(member)
    require(actor, "decide", member)
    e = Errors()
    years = SUSPENSION_REMOVE_YEARS.value
    if member.standing != Standing.SUSPENDED or member.standing_since is None:
        e.add(f"只有停止党籍满{years}年的党员才能按自行脱党除名{cite(SUSPENSION_REMOVE_YEARS)}。")
    decided_by = e.text(decided_by, label="作出决定的党组织", field="decided_by", limit=60, required=True)
    note = _common(e, member, decided_on, note, today, "决定日期")
    since = member.standing_since
    if (
        member.standing == Standing.SUSPENDED
        and since
        and decided_on
        and add_years(since, years) > decided_on
    ):
        e.add(
            f"自{since:%Y-%m-%d}停止党籍至决定日期未满{years}年（满{years}年之日为"
            f"{add_years(since, years):%Y-%m-%d}），不能除名{cite(SUSPENSION_REMOVE_YEARS)}。",
            "decided_on",
        )
    e.raise_any()
    return _decide(
        actor,
        member,
        Kind.REMOVE,
        decided_on,
        decided_by,
        note,
        standing=Standing.REMOVED,
        standing_since=decided_on,
    )


@transaction.atomic
def restore(
    actor: User,
    member: Member,
    decided_on: datetime.date | None,
    note: str = "",
    decided_by: str = RESTORE_BY,
    *,
    today: datetime.date | None = None,
) -> StandingDecision:
    """恢复党籍 within the two years of suspension, approved by the county's organisation department."""
    today = today or timezone.localdate()
    member = _lock(member)
    require(actor, "view", member)
    if not can(actor, "restore", member):
        raise ActionDenied(
            f"恢复党籍须经县级组织部门批准，只有县委组织部管理员可以登记{cite(SUSPENSION_REMOVE_YEARS)}。"
        )
    e = Errors()
    years = SUSPENSION_REMOVE_YEARS.value
    since = member.standing_since
    if member.standing != Standing.SUSPENDED or since is None:
        e.add("只有停止党籍的党员才能恢复党籍。")
    decided_by = e.text(decided_by or RESTORE_BY, label="批准的组织部门", field="decided_by", limit=60)
    note = _common(e, member, decided_on, note, today, "批准日期")
    if (
        member.standing == Standing.SUSPENDED
        and since
        and decided_on
        and add_years(since, years) <= decided_on
    ):
        e.add(
            f"停止党籍已满{years}年（{add_years(since, years):%Y-%m-%d}满），不能再恢复党籍，"
            f"应按自行脱党除名{cite(SUSPENSION_REMOVE_YEARS)}。",
            "decided_on",
        )
    e.raise_any()
    return _decide(
        actor,
        member,
        Kind.RESTORE,
        decided_on,
        decided_by,
        note,
        standing=Standing.NORMAL,
        standing_since=decided_on,
        lost_contact_since=None,
    )


def decide(
    actor: User,
    member: Member,
    kind: str,
    decided_on: datetime.date | None,
    decided_by: str = "",
    note: str = "",
    *,
    today: datetime.date | None = None,
) -> StandingDecision:
    """One entry point for the page and the API: `kind` names which of the decisions above to take."""
    if kind == Kind.LOST:
        return mark_lost_contact(actor, member, decided_on, note, today=today)
    if kind == Kind.FOUND:
        return mark_found(actor, member, decided_on, note, today=today)
    if kind == Kind.SUSPEND:
        return suspend(actor, member, decided_on, decided_by, note, today=today)
    if kind == Kind.REMOVE:
        return remove(actor, member, decided_on, decided_by, note, today=today)
    if kind == Kind.RESTORE:
        return restore(actor, member, decided_on, note, decided_by or RESTORE_BY, today=today)
    raise DomainError("未知的党籍处置类型。", field="kind")
