"""Mobile members (流动党员): a spell away from the branch, what the member does while away, and the
return. A spell of six months or more at a fixed place means the relation should move instead
(《党员教育管理工作条例》2019), so no 活动证 is issued for one that is planned that long."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.scope import require

from ..choices import MobileActivityKind, Standing
from ..models import Member, MobileActivity, MobileRecord
from ..records.common import Errors, cite, reached
from ..rules import MOBILE_TRANSFER_MONTHS


def _record_snapshot(record: MobileRecord, member: Member) -> dict:
    return audit.snapshot(record) | {"is_mobile": member.is_mobile}


@transaction.atomic
def start_mobility(
    actor: User,
    member: Member,
    destination: str,
    since: datetime.date | None,
    expected_until: datetime.date | None = None,
    fixed_place: bool = False,
    contact: str = "",
    host_org_name: str = "",
    certificate_no: str = "",
    certificate_issued_on: datetime.date | None = None,
    *,
    today: datetime.date | None = None,
) -> MobileRecord:
    """Register a spell away (外出登记) and mark the member as mobile."""
    today = today or timezone.localdate()
    member = Member.objects.select_for_update().select_related("person", "org").get(pk=member.pk)
    require(actor, "change", member)
    e = Errors()
    if member.standing != Standing.NORMAL:
        e.add(f"该党员党籍状态为“{member.get_standing_display()}”，不能登记外出。")
    open_record = member.mobile_records.filter(ended_on__isnull=True).first()
    if open_record is not None:
        e.add(
            f"该党员已有未结束的外出登记（{open_record.destination}，{open_record.since:%Y-%m-%d}起），"
            "请先登记返回。"
        )
    destination = e.text(destination, label="外出地点", field="destination", limit=120, required=True)
    contact = e.text(contact, label="在外联系方式", field="contact", limit=40)
    host_org_name = e.text(host_org_name, label="流入地联系党组织", field="host_org_name", limit=80)
    certificate_no = e.text(certificate_no, label="活动证编号", field="certificate_no", limit=40)
    e.date(since, label="外出日期", field="since", today=today)
    if since and expected_until and expected_until < since:
        e.add("预计返回日期不能早于外出日期。", "expected_until")
    months = MOBILE_TRANSFER_MONTHS.value
    if certificate_no:
        e.date(
            certificate_issued_on,
            label="活动证发放日期",
            field="certificate_issued_on",
            today=today,
        )
        if fixed_place and since and expected_until and reached(since, expected_until, months):
            e.add(
                f"预计外出满{months}个月且在外有相对固定处所的，应转移组织关系，"
                f"不发放《流动党员活动证》{cite(MOBILE_TRANSFER_MONTHS)}。",
                "certificate_no",
            )
    elif certificate_issued_on:
        e.add("填写了活动证发放日期，请同时填写活动证编号。", "certificate_no")
    e.raise_any()
    record = MobileRecord.objects.create(
        member=member,
        org=member.org,
        destination=destination,
        since=since,
        expected_until=expected_until,
        fixed_place=fixed_place,
        contact=contact,
        host_org_name=host_org_name,
        certificate_no=certificate_no,
        certificate_issued_on=certificate_issued_on if certificate_no else None,
    )
    before = {"is_mobile": member.is_mobile}
    member.is_mobile = True
    member.save(update_fields=["is_mobile", "updated_at"])
    audit.record(
        actor, "mobile.start", record, org=member.org, before=before, after=_record_snapshot(record, member)
    )
    return record


@transaction.atomic
def end_mobility(
    actor: User,
    record: MobileRecord,
    ended_on: datetime.date | None,
    note: str = "",
    *,
    today: datetime.date | None = None,
) -> MobileRecord:
    """Close a spell (返回); the member stops being mobile unless another spell is still open."""
    today = today or timezone.localdate()
    record = MobileRecord.objects.select_for_update().select_related("org").get(pk=record.pk)
    require(actor, "change", record)
    member = Member.objects.select_for_update().get(pk=record.member_id)
    e = Errors()
    if record.ended_on is not None:
        e.add(f"该外出登记已于{record.ended_on:%Y-%m-%d}结束。")
    e.date(ended_on, label="返回日期", field="ended_on", today=today, not_before=(record.since, "外出日期"))
    note = e.text(note, label="结束说明", field="note", limit=200)
    e.raise_any()
    before = _record_snapshot(record, member)
    record.ended_on, record.end_note = ended_on, note
    record.save(update_fields=["ended_on", "end_note"])
    if not member.mobile_records.filter(ended_on__isnull=True).exists():
        member.is_mobile = False
        member.save(update_fields=["is_mobile", "updated_at"])
    audit.record(
        actor, "mobile.end", record, org=record.org, before=before, after=_record_snapshot(record, member)
    )
    return record


@transaction.atomic
def record_mobile_activity(
    actor: User,
    record: MobileRecord,
    kind: str,
    on: datetime.date | None,
    content: str,
    *,
    today: datetime.date | None = None,
) -> MobileActivity:
    """Online study, an online meeting, dues paid where the member is, or a report home."""
    today = today or timezone.localdate()
    record = MobileRecord.objects.select_related("org").get(pk=record.pk)
    require(actor, "change", record)
    e = Errors()
    if kind not in MobileActivityKind.values:
        e.add("请选择活动类型（线上学习、线上会议、流入地交纳党费、思想汇报）。", "kind")
    e.date(on, label="活动日期", field="on", today=today, not_before=(record.since, "外出日期"))
    if on and record.ended_on and on > record.ended_on:
        e.add(f"活动日期不能晚于返回日期（{record.ended_on:%Y-%m-%d}）。", "on")
    content = e.text(content, label="活动内容", field="content", limit=300, required=True)
    e.raise_any()
    activity = MobileActivity.objects.create(
        record=record, org=record.org, kind=kind, on=on, content=content, recorded_by=actor
    )
    audit.record(
        actor,
        "mobile.activity",
        activity,
        org=record.org,
        after={"record_id": record.pk, "kind": kind, "on": on.isoformat(), "content": content},
    )
    return activity
