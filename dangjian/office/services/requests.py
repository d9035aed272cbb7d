"""Office staff managed one level up (人员提级管理, report 000 五寨县): the township submits the
appointment, appraisal or transfer of one of its office staff; the county organisation department
approves it (and the change is made on the posts that day) or returns it; every step is kept.

Whoever submits may not approve: the township's staff hold no approving role, and a county admin may not
approve a request they submitted or that concerns themselves."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.scope import can, require
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from .. import rules as R
from ..choices import AppraisalGrade, RequestAction, RequestKind, RequestStatus
from ..models import Post, PostHolder, StaffRequest, StaffRequestStep
from . import posts
from .common import Errors, cite, ensure_office, holds_role_on, is_staff_of

REASON_LIMIT = 500


def _step(actor: User, req: StaffRequest, action: str, note: str) -> StaffRequestStep:
    return StaffRequestStep.objects.create(request=req, org=req.org, action=action, actor=actor, note=note)


def _current(post: Post | None, person: User | None) -> PostHolder | None:
    if post is None or person is None:
        return None
    return PostHolder.objects.filter(post=post, user=person, until__isnull=True).first()


def _check(
    e: Errors,
    township: Org,
    kind: str,
    person: User | None,
    post: Post | None,
    to_post: Post | None,
    to_unit: str,
    year: Any,
    grade: str,
    today: datetime.date,
) -> None:
    if kind not in RequestKind.values:
        e.add("请选择事项（任用、考核或调整）。", "kind")
        return
    if person is None:
        e.add("请选择人员。", "person")
    if post is None or post.org_id != township.pk or post.archived_at is not None:
        e.add(f"请选择{township.name}党建办的在设岗位。", "post")
        return
    if person is None:
        return
    holding = _current(post, person)
    if kind == RequestKind.APPOINT:
        if not holds_role_on(person, township):
            e.add(f"“{person.display_name}”在{township.name}没有任职角色，不能任用到本党建办岗位。", "person")
        if holding is not None:
            e.add(f"“{person.display_name}”已在该岗位。", "post")
        return
    if holding is None:
        e.add(f"“{person.display_name}”现不在“{post.name}”岗位。", "post")
    if kind == RequestKind.APPRAISE:
        try:
            number = int(year)
        except (TypeError, ValueError):
            number = 0
        if not 2000 <= number <= today.year:
            e.add(f"请填写考核年度（2000至{today.year}年）。", "year")
        if grade not in AppraisalGrade.values:
            e.add("请选择考核等次。", "grade")
        return
    if to_post is None and not to_unit:
        e.add("请选择调整到的岗位，或填写调出到的单位。", "to_post")
    if to_post is not None:
        if to_post.org_id != township.pk or to_post.archived_at is not None or to_post.pk == post.pk:
            e.add(f"调整到的岗位应为{township.name}党建办的另一在设岗位。", "to_post")
        elif to_unit:
            e.add("调整到岗位和调出到单位只能填一项。", "to_unit")


@transaction.atomic
def submit_request(
    actor: User,
    township: Org,
    kind: str,
    *,
    person: User | None,
    post: Post | None,
    reason: str,
    to_post: Post | None = None,
    to_unit: str = "",
    year: Any = None,
    grade: str = "",
    demo_source: str = "",
    today: datetime.date | None = None,
) -> StaffRequest:
    """The township asks the county to approve an appointment, appraisal or transfer of its office staff."""
    today = today or timezone.localdate()
    require(actor, "add", StaffRequest(org=township))
    if township.kind != OrgKind.TOWNSHIP:
        raise DomainError("提级管理申请由乡镇（街道）党建办报送。", "township")
    if not actor.is_superuser and not is_staff_of(actor, township):
        raise ActionDenied(f"提级管理申请由{township.name}党建办报送，县委组织部负责审批{cite(R.ELEVATED)}。")
    e = Errors()
    to_unit = e.text(to_unit, label="调出到单位", field="to_unit", limit=60)
    reason = e.text(reason, label="理由", field="reason", limit=REASON_LIMIT, required=True)
    grade = grade or ""
    _check(e, township, kind, person, post, to_post, to_unit, year, grade, today)
    if (
        person is not None
        and StaffRequest.objects.filter(
            org=township, person=person, kind=kind, status=RequestStatus.PENDING
        ).exists()
    ):
        e.add(f"“{person.display_name}”已有待审批的{RequestKind(kind).label}申请。", "person")
    e.raise_any()
    req = StaffRequest.objects.create(
        office=ensure_office(actor, township),
        org=township,
        kind=kind,
        person=person,
        post=post,
        to_post=to_post if kind == RequestKind.TRANSFER else None,
        to_unit=to_unit if kind == RequestKind.TRANSFER else "",
        year=int(year) if kind == RequestKind.APPRAISE else None,
        grade=grade if kind == RequestKind.APPRAISE else "",
        reason=reason,
        demo_source=demo_source,
        created_by=actor,
    )
    _step(actor, req, RequestAction.SUBMIT, reason)
    audit.record(actor, "office.request_submit", req, org=township, after=audit.snapshot(req))
    return req


def _decidable(actor: User, req: StaffRequest) -> StaffRequest:
    """Lock the request; refuse anyone but a county admin who neither submitted it nor is its subject."""
    require(actor, "view", req)
    if not can(actor, "approve", req):
        raise ActionDenied(
            f"提级管理申请须由县委组织部审批，乡镇党建办不能审批本乡镇报送的申请{cite(R.ELEVATED)}。"
        )
    locked = (
        StaffRequest.objects.select_for_update(of=("self",))
        .select_related("org", "post", "to_post", "person")
        .get(pk=req.pk)
    )
    if locked.created_by_id == actor.pk:
        raise ActionDenied("不能审批本人报送的申请，请由县委组织部其他人员审批。")
    if locked.person_id == actor.pk:
        raise ActionDenied("不能审批涉及本人的申请。")
    if locked.status != RequestStatus.PENDING:
        raise DomainError(f"该申请{locked.get_status_display()}，不能再审批。", "status")
    return locked


@transaction.atomic
def approve_request(
    actor: User, req: StaffRequest, *, note: str = "", today: datetime.date | None = None
) -> StaffRequest:
    """Approve: an appointment or transfer takes effect on the posts today; an appraisal is recorded."""
    today = today or timezone.localdate()
    req = _decidable(actor, req)
    e = Errors()
    note = e.text(note, label="意见", field="note", limit=REASON_LIMIT)
    _check(e, req.org, req.kind, req.person, req.post, req.to_post, req.to_unit, req.year, req.grade, today)
    e.raise_any()
    mark = f"提级管理第{req.pk}号申请批准"
    if req.kind == RequestKind.APPOINT:
        posts.appoint_holder(actor, req.post, req.person, today, note=mark, today=today)
    elif req.kind == RequestKind.TRANSFER:
        holding = _current(req.post, req.person)
        if holding is not None:
            posts.end_holder(actor, holding, max(today, holding.since), today=max(today, holding.since))
        if req.to_post is not None:
            posts.appoint_holder(actor, req.to_post, req.person, today, note=mark, today=today)
    before = audit.snapshot(req)
    req.status, req.decided_on = RequestStatus.APPROVED, today
    req.save(update_fields=["status", "decided_on"])
    _step(actor, req, RequestAction.APPROVE, note)
    audit.record(actor, "office.request_approve", req, org=req.org, before=before, after=audit.snapshot(req))
    return req


@transaction.atomic
def return_request(
    actor: User, req: StaffRequest, *, note: str, today: datetime.date | None = None
) -> StaffRequest:
    """Return the request to the township with the reason (it may correct it and submit again)."""
    today = today or timezone.localdate()
    req = _decidable(actor, req)
    e = Errors()
    note = e.text(note, label="退回理由", field="note", limit=REASON_LIMIT, required=True)
    e.raise_any()
    before = audit.snapshot(req)
    req.status, req.decided_on = RequestStatus.RETURNED, today
    req.save(update_fields=["status", "decided_on"])
    _step(actor, req, RequestAction.RETURN, note)
    audit.record(actor, "office.request_return", req, org=req.org, before=before, after=audit.snapshot(req))
    return req


@transaction.atomic
def resubmit_request(
    actor: User, req: StaffRequest, *, reason: str, today: datetime.date | None = None
) -> StaffRequest:
    """The township answers a returned request and sends it up again."""
    today = today or timezone.localdate()
    require(actor, "change", req)
    req = (
        StaffRequest.objects.select_for_update(of=("self",))
        .select_related("org", "post", "to_post", "person")
        .get(pk=req.pk)
    )
    if not actor.is_superuser and not is_staff_of(actor, req.org):
        raise ActionDenied(f"提级管理申请由{req.org.name}党建办报送{cite(R.ELEVATED)}。")
    if req.status != RequestStatus.RETURNED:
        raise DomainError("只有被退回的申请可以重新报送。", "status")
    e = Errors()
    reason = e.text(reason, label="修改说明", field="reason", limit=REASON_LIMIT, required=True)
    _check(e, req.org, req.kind, req.person, req.post, req.to_post, req.to_unit, req.year, req.grade, today)
    e.raise_any()
    before = audit.snapshot(req)
    req.status, req.decided_on = RequestStatus.PENDING, None
    req.save(update_fields=["status", "decided_on"])
    _step(actor, req, RequestAction.RESUBMIT, reason)
    audit.record(actor, "office.request_resubmit", req, org=req.org, before=before, after=audit.snapshot(req))
    return req
