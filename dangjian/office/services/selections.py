"""Choosing the office's staff: 干部个人自荐 + 分管领导推荐 + 乡镇审核把关 (001), then appointment to a post.

Steps come in that order and each is a row with who did it and when: the review only after a
nomination or recommendation, appointment only after an approving review, nothing after a refusal."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.errors import DomainError
from dangjian.core.scope import require
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from ..choices import ROUTE_STEP, CandidateSource, ReviewDecision, SelectionRoute, SelectionStatus, StepKind
from ..models import Post, SelectionStep, StaffSelection
from .common import Errors, ensure_office
from .posts import appoint_holder

PROPOSALS = frozenset({StepKind.NOMINATION, StepKind.RECOMMENDATION})


@transaction.atomic
def open_selection(
    actor: User,
    township: Org,
    candidate_name: str,
    route: str,
    *,
    done_on: datetime.date | None,
    by_name: str = "",
    opinion: str = "",
    candidate_user: User | None = None,
    source: str = CandidateSource.OTHER,
    intended_post: Post | None = None,
    demo_source: str = "",
    today: datetime.date | None = None,
) -> StaffSelection:
    """Register a candidate by the route they came (self-nomination or a leader's recommendation);
    that first step is recorded with the selection."""
    today = today or timezone.localdate()
    require(actor, "add", StaffSelection(org=township))
    if township.kind != OrgKind.TOWNSHIP or township.archived_at is not None:
        raise DomainError("人员选拔只能在乡镇（街道）党建办进行。", field="township")
    e = Errors()
    candidate_name = e.text(
        candidate_name, label="候选人姓名", field="candidate_name", limit=30, required=True
    )
    if route not in SelectionRoute.values:
        e.add("请选择产生方式（个人自荐或分管领导推荐）。", "route")
    if source not in CandidateSource.values:
        e.add("请选择人员来源。", "source")
    if intended_post is not None and (intended_post.org_id != township.pk or intended_post.archived_at):
        e.add("拟任岗位不是本党建办的现设岗位。", "intended_post")
    if route == SelectionRoute.RECOMMENDED:
        by_name = e.text(by_name, label="推荐领导", field="by_name", limit=60, required=True)
    else:
        by_name = e.text(by_name or candidate_name, label="自荐人", field="by_name", limit=60)
    opinion = e.text(opinion, label="自荐（推荐）理由", field="opinion", limit=500)
    e.date(done_on, label="自荐（推荐）日期", field="done_on", today=today)
    e.raise_any()
    office = ensure_office(actor, township)
    selection = StaffSelection.objects.create(
        office=office,
        org=township,
        candidate_name=candidate_name,
        candidate_user=candidate_user,
        source=source,
        route=route,
        intended_post=intended_post,
        demo_source=demo_source,
        created_by=actor,
    )
    audit.record(actor, "office.selection_open", selection, org=township, after=audit.snapshot(selection))
    _add(actor, selection, ROUTE_STEP[SelectionRoute(route)], done_on, by_name, opinion=opinion)
    return selection


def _add(actor: User, selection: StaffSelection, kind: str, done_on, by_name: str, **fields) -> SelectionStep:
    step = SelectionStep.objects.create(
        selection=selection,
        org=selection.org,
        kind=kind,
        done_on=done_on,
        by_name=by_name,
        recorded_by=actor,
        **fields,
    )
    audit.record(actor, "office.selection_step", step, org=selection.org, after=audit.snapshot(step))
    return step


def _set_status(actor: User, selection: StaffSelection, status: str, **fields) -> None:
    before = audit.snapshot(selection)
    selection.status = status
    for name, value in fields.items():
        setattr(selection, name, value)
    selection.save(update_fields=["status", *fields])
    audit.record(
        actor,
        "office.selection_status",
        selection,
        org=selection.org,
        before=before,
        after=audit.snapshot(selection),
    )


@transaction.atomic
def record_step(
    actor: User,
    selection: StaffSelection,
    kind: str,
    *,
    done_on: datetime.date | None,
    by_name: str = "",
    opinion: str = "",
    decision: str = "",
    post: Post | None = None,
    today: datetime.date | None = None,
) -> SelectionStep:
    """Record the next step of a selection, refusing any step out of its order."""
    today = today or timezone.localdate()
    selection = (
        StaffSelection.objects.select_for_update(of=("self",))
        .select_related("org", "office", "candidate_user")
        .get(pk=selection.pk)
    )
    require(actor, "change", selection)
    steps = list(selection.steps.order_by("done_on", "pk"))
    done = {s.kind for s in steps}
    last = steps[-1] if steps else None
    e = Errors()
    if kind not in StepKind.values:
        raise DomainError("请选择环节。", field="kind")
    if selection.status == SelectionStatus.REFUSED:
        raise DomainError("乡镇审核未通过，该人选的选拔已结束，不能再办理后续环节。", field="kind")
    if selection.status == SelectionStatus.APPOINTED:
        raise DomainError(f"该人选已任用到“{selection.appointed_post.name}”岗位。", field="kind")
    if kind in PROPOSALS:
        if selection.status != SelectionStatus.PENDING:
            e.add("乡镇审核之后不能再登记自荐或推荐。", "kind")
        elif kind in done:
            e.add(f"已登记过“{StepKind(kind).label}”。", "kind")
        label = "推荐领导" if kind == StepKind.RECOMMENDATION else "自荐人"
        by_name = e.text(
            by_name or ("" if kind == StepKind.RECOMMENDATION else selection.candidate_name),
            label=label,
            field="by_name",
            limit=60,
            required=True,
        )
    elif kind == StepKind.REVIEW:
        if not done & PROPOSALS:
            e.add("乡镇审核须在个人自荐或分管领导推荐之后。", "kind")
        elif selection.status != SelectionStatus.PENDING:
            e.add("该人选已经过乡镇审核。", "kind")
        if decision not in ReviewDecision.values:
            e.add("请选择审核结果（同意或不同意）。", "decision")
        by_name = e.text(by_name or f"{selection.org.name}党委", label="审核单位", field="by_name", limit=60)
        opinion = e.text(opinion, label="审核意见", field="opinion", limit=500, required=True)
    else:
        if selection.status != SelectionStatus.APPROVED:
            e.add("只有乡镇审核同意的人选才能任用到岗。", "kind")
        if post is None:
            e.add("请选择任用岗位。", "post")
        elif post.org_id != selection.org_id or post.archived_at is not None:
            e.add("任用岗位不是本党建办的现设岗位。", "post")
        if selection.candidate_user is None:
            e.add("候选人还没有系统账号：请先为其开通账号并授予乡镇党建办工作人员角色，再任用到岗。", "post")
        by_name = e.text(by_name or f"{selection.org.name}党委", label="任用单位", field="by_name", limit=60)
        opinion = e.text(opinion, label="说明", field="opinion", limit=500)
    if last is not None:
        e.date(
            done_on,
            label="日期",
            field="done_on",
            today=today,
            not_before=(last.done_on, f"上一环节“{last.get_kind_display()}”的日期"),
        )
    else:
        e.date(done_on, label="日期", field="done_on", today=today)
    e.raise_any()
    if kind == StepKind.APPOINTMENT:
        appoint_holder(
            actor,
            post,
            selection.candidate_user,
            done_on,
            note=f"经人员选拔任用（{selection.candidate_name}）",
            today=today,
        )
        step = _add(actor, selection, kind, done_on, by_name, opinion=opinion, post=post)
        _set_status(actor, selection, SelectionStatus.APPOINTED, appointed_post=post)
        return step
    step = _add(actor, selection, kind, done_on, by_name, opinion=opinion, decision=decision)
    if kind == StepKind.REVIEW:
        status = SelectionStatus.APPROVED if decision == ReviewDecision.APPROVED else SelectionStatus.REFUSED
        _set_status(actor, selection, status)
    return step
