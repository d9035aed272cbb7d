"""Moving a member's organisational relation (组织关系转接). Until the receiving side confirms, the member
stays on the sending roll and the sending branch stays responsible (《党员教育管理工作条例》2019).

Internal transfers name the receiving branch by its exact code, in any county: the sender need not
see it. The receiving side confirms; for a transfer out of the system the sending branch records the
return slip (回执) instead. A member coming from outside is created on arrival."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.scope import can, require
from dangjian.orgs.models import Org

from ..choices import Standing, TransferKind, TransferStatus
from ..models import HouseholdLink, Member, MobileRecord, Transfer
from ..records.common import Errors, member_probe
from .roster import MEMBER_ORG_KINDS, MemberData, create_member, member_snapshot


def may(actor: User, action: str, transfer: Transfer, side: str) -> bool:
    """Whether the actor may `action` members at the transfer's sending ("from") or receiving ("to") end."""
    org = transfer.from_org if side == "from" else transfer.to_org
    return org is not None and can(actor, action, member_probe(org))


def _require_visible(actor: User, transfer: Transfer) -> None:
    if not (may(actor, "view", transfer, "from") or may(actor, "view", transfer, "to")):
        raise NotInScope


def _lock(transfer: Transfer) -> Transfer:
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("member__person", "from_org", "to_org")
        .get(pk=transfer.pk)
    )


def find_branch(code: str) -> Org | None:
    """A branch or community by its exact code, in any county."""
    code = (code or "").strip()
    if not code:
        return None
    return Org.objects.filter(code=code, kind__in=MEMBER_ORG_KINDS, archived_at__isnull=True).first()


@transaction.atomic
def start_transfer(
    actor: User,
    member: Member,
    *,
    kind: str,
    issued_on: datetime.date | None,
    to_org: Org | None = None,
    to_org_code: str | None = None,
    outside_org_name: str = "",
    letter_no: str = "",
    note: str = "",
    today: datetime.date | None = None,
) -> Transfer:
    """Issue the letter (介绍信): within the system to a branch named by code, or out of the system."""
    today = today or timezone.localdate()
    member = Member.objects.select_for_update().select_related("person", "org").get(pk=member.pk)
    require(actor, "change", member)
    e = Errors()
    if member.standing != Standing.NORMAL:
        e.add(f"该党员党籍状态为“{member.get_standing_display()}”，不能转接组织关系。")
    pending = member.transfers.filter(status=TransferStatus.PENDING).first()
    if pending is not None:
        e.add(f"该党员已有一项待接收的组织关系转接（{pending.issued_on:%Y-%m-%d}开具），请先确认或撤回。")
    letter_no = e.text(
        letter_no, label="介绍信编号", field="letter_no", limit=40, required=kind == TransferKind.OUT
    )
    outside_org_name = e.text(
        outside_org_name,
        label="接收的系统外党组织",
        field="outside_org_name",
        limit=120,
        required=kind == TransferKind.OUT,
    )
    note = e.text(note, label="说明", field="note", limit=300)
    e.date(
        issued_on, label="开具日期", field="issued_on", today=today, not_before=(member.joined_on, "入党时间")
    )
    if kind == TransferKind.INTERNAL:
        target = to_org if to_org is not None else find_branch(to_org_code or "")
        if target is None or target.kind not in MEMBER_ORG_KINDS or target.archived_at is not None:
            e.add(
                f"未找到编码为“{(to_org_code or '').strip()}”的村（社区）党支部，请核对接收方提供的组织编码。"
                if to_org is None
                else "接收方应为村（社区）党支部。",
                "to_org_code",
            )
        elif target.pk == member.org_id:
            e.add("接收党支部与该党员现在的党支部相同。", "to_org_code")
        outside_org_name = ""
    elif kind == TransferKind.OUT:
        target = None
    else:
        raise DomainError(
            "转接类型应为系统内转接或转出到系统外；从系统外转入请用“接收转入党员”。", field="kind"
        )
    e.raise_any()
    transfer = Transfer.objects.create(
        member=member,
        kind=kind,
        from_org=member.org,
        to_org=target,
        outside_org_name=outside_org_name,
        letter_no=letter_no,
        issued_on=issued_on,
        note=note,
        created_by=actor,
    )
    audit.record(actor, "transfer.start", transfer, org=member.org, after=audit.snapshot(transfer))
    return transfer


@transaction.atomic
def receive_from_outside(
    actor: User,
    org: Org,
    data: MemberData,
    *,
    letter_no: str,
    outside_org_name: str,
    received_on: datetime.date | None,
    issued_on: datetime.date | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> Transfer:
    """A member arrives with a letter from outside the system: put them on the roll and file the letter."""
    today = today or timezone.localdate()
    require(actor, "add", member_probe(org))
    e = Errors()
    letter_no = e.text(letter_no, label="介绍信编号", field="letter_no", limit=40, required=True)
    outside_org_name = e.text(
        outside_org_name, label="转出的系统外党组织", field="outside_org_name", limit=120, required=True
    )
    note = e.text(note, label="说明", field="note", limit=300)
    e.date(received_on, label="接收日期", field="received_on", today=today)
    if issued_on and received_on and issued_on > received_on:
        e.add("介绍信开具日期不能晚于接收日期。", "issued_on")
    e.raise_any()
    member = create_member(actor, org, data)
    transfer = Transfer.objects.create(
        member=member,
        kind=TransferKind.IN,
        to_org=org,
        outside_org_name=outside_org_name,
        letter_no=letter_no,
        issued_on=issued_on or received_on,
        received_on=received_on,
        status=TransferStatus.RECEIVED,
        note=note,
        created_by=actor,
        confirmed_by=actor,
    )
    audit.record(actor, "transfer.receive", transfer, org=org, after=audit.snapshot(transfer))
    return transfer


def _close_local_records(member: Member, on: datetime.date, where: str) -> None:
    """The member no longer lives by the old branch: open household links and spells away end."""
    HouseholdLink.objects.filter(member=member, ended_on__isnull=True).update(ended_on=on)
    MobileRecord.objects.filter(member=member, ended_on__isnull=True).update(
        ended_on=on, end_note=f"组织关系已转至{where}"[:200]
    )
    member.is_mobile = False


@transaction.atomic
def confirm_receipt(
    actor: User, transfer: Transfer, received_on: datetime.date | None, *, today: datetime.date | None = None
) -> Transfer:
    """Internal: the receiving branch confirms and the member moves to its roll. Out of the system: the
    sending branch records the return slip and the member leaves the roll as transferred."""
    today = today or timezone.localdate()
    transfer = _lock(transfer)
    _require_visible(actor, transfer)
    side = "to" if transfer.kind == TransferKind.INTERNAL else "from"
    if not may(actor, "change", transfer, side):
        raise ActionDenied(
            "只有接收方党组织可以确认接收。" if side == "to" else "只有转出党组织可以登记回执。"
        )
    e = Errors()
    if transfer.status != TransferStatus.PENDING:
        e.add(f"该转接的状态为“{transfer.get_status_display()}”，不能再确认。")
    e.date(
        received_on,
        label="接收日期",
        field="received_on",
        today=today,
        not_before=(transfer.issued_on, "开具日期"),
    )
    e.raise_any()
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("person__grid__org", "person__household")
        .get(pk=transfer.member_id)
    )
    before_transfer, before_member = audit.snapshot(transfer), member_snapshot(member)
    if transfer.kind == TransferKind.INTERNAL:
        target = transfer.to_org
        person = member.person
        person.org = target
        if person.grid is not None and not target.path.startswith(person.grid.org.path):
            person.grid = None
        if person.household is not None and person.household.org_id != target.pk:
            person.household = None
        person.save(update_fields=["org", "grid", "household", "updated_at"])
        member.org, member.group = target, None
        _close_local_records(member, received_on, target.name)
    else:
        member.standing, member.standing_since = Standing.TRANSFERRED, received_on
        _close_local_records(member, received_on, transfer.outside_org_name)
    member.save()
    transfer.status, transfer.received_on, transfer.confirmed_by = TransferStatus.RECEIVED, received_on, actor
    transfer.save(update_fields=["status", "received_on", "confirmed_by"])
    org = transfer.to_org if side == "to" else transfer.from_org
    audit.record(
        actor, "transfer.confirm", transfer, org=org, before=before_transfer, after=audit.snapshot(transfer)
    )
    audit.record(
        actor,
        "member.transfer",
        member,
        org=org,
        before=before_member,
        after=member_snapshot(member),
        note=f"组织关系转接：{transfer.get_kind_display()}，{received_on:%Y-%m-%d}接收",
    )
    return transfer


@transaction.atomic
def cancel_transfer(actor: User, transfer: Transfer, note: str = "") -> Transfer:
    """The sending branch withdraws a letter that has not been received."""
    transfer = _lock(transfer)
    _require_visible(actor, transfer)
    if not may(actor, "change", transfer, "from"):
        raise ActionDenied("只有转出党组织可以撤回转接。")
    e = Errors()
    if transfer.status != TransferStatus.PENDING:
        e.add(f"该转接的状态为“{transfer.get_status_display()}”，不能撤回。")
    note = e.text(note, label="撤回原因", field="note", limit=300)
    e.raise_any()
    before = audit.snapshot(transfer)
    transfer.status = TransferStatus.CANCELLED
    transfer.note = "；".join(p for p in (transfer.note, f"撤回：{note}" if note else "撤回") if p)[:300]
    transfer.save(update_fields=["status", "note"])
    audit.record(
        actor,
        "transfer.cancel",
        transfer,
        org=transfer.from_org,
        before=before,
        after=audit.snapshot(transfer),
    )
    return transfer
