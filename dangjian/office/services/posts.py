"""The office's structure: its posts, each post's ordered duties, and who holds each post.

A post is never deleted (it is withdrawn, 撤销), and a holder is never overwritten: a new holder ends
the current one, so the post keeps its history."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.errors import DomainError
from dangjian.core.scope import require
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from ..choices import SINGLE_KINDS, PostKind
from ..models import Duty, Post, PostHolder
from .common import Errors, ensure_office, holds_role_on

DUTY_LIMIT = 200
NUMBERING = re.compile(r"^(?:[（(]\s*[0-9０-９]+\s*[)）]|[0-9０-９]+\s*[.、．)）])\s*")
MAX_DUTIES = 60


def _check_post(
    e: Errors, township: Org, name: str, kind: str, sort_order: int | None, exclude: int | None
) -> str:
    name = e.text(name, label="岗位名称", field="name", limit=40, required=True)
    if kind not in PostKind.values:
        e.add("请选择岗位类别。", "kind")
    active = Post.objects.filter(org=township, archived_at__isnull=True).exclude(pk=exclude)
    if name and active.filter(name=name).exists():
        e.add(f"本党建办已有名为“{name}”的岗位。", "name")
    if kind in SINGLE_KINDS and active.filter(kind=kind).exists():
        e.add(f"本党建办已设{PostKind(kind).label}岗位，只能设一个。", "kind")
    if sort_order is not None and sort_order < 0:
        e.add("排序不能为负数。", "sort_order")
    return name


@transaction.atomic
def create_post(
    actor: User,
    township: Org,
    name: str,
    kind: str = PostKind.STAFF,
    *,
    full_time: bool = True,
    sort_order: int | None = None,
    demo_source: str = "",
) -> Post:
    """Add a post to the township office (the office itself is set up on first use)."""
    require(actor, "add", Post(org=township))
    if township.kind != OrgKind.TOWNSHIP or township.archived_at is not None:
        raise DomainError("岗位只能设在乡镇（街道）党建办。", field="township")
    e = Errors()
    name = _check_post(e, township, name, kind, sort_order, None)
    e.raise_any()
    office = ensure_office(actor, township)
    if sort_order is None:
        sort_order = Post.objects.filter(org=township).count() + 1
    post = Post.objects.create(
        office=office,
        org=township,
        name=name,
        kind=kind,
        full_time=full_time,
        sort_order=sort_order,
        demo_source=demo_source,
    )
    audit.record(actor, "office.post_create", post, org=township, after=audit.snapshot(post))
    return post


@transaction.atomic
def update_post(
    actor: User, post: Post, *, name: str, kind: str, full_time: bool, sort_order: int | None
) -> Post:
    post = Post.objects.select_for_update().select_related("office", "org").get(pk=post.pk)
    require(actor, "change", post)
    if post.archived_at is not None:
        raise DomainError("该岗位已撤销，不能修改。")
    e = Errors()
    name = _check_post(e, post.org, name, kind, sort_order, post.pk)
    e.raise_any()
    before = audit.snapshot(post)
    post.name, post.kind, post.full_time = name, kind, full_time
    post.sort_order = post.sort_order if sort_order is None else sort_order
    post.save(update_fields=["name", "kind", "full_time", "sort_order"])
    audit.record(actor, "office.post_update", post, org=post.org, before=before, after=audit.snapshot(post))
    return post


@transaction.atomic
def archive_post(actor: User, post: Post, *, today: datetime.date | None = None) -> Post:
    """Withdraw a post: its current holder leaves it today; duties and history stay on record."""
    today = today or timezone.localdate()
    post = Post.objects.select_for_update().select_related("office", "org").get(pk=post.pk)
    require(actor, "change", post)
    if post.archived_at is not None:
        raise DomainError("该岗位已撤销。")
    current = post.holders.filter(until__isnull=True).first()
    if current is not None:
        _end(actor, current, max(today, current.since))
    before = audit.snapshot(post)
    post.archived_at = timezone.now()
    post.save(update_fields=["archived_at"])
    audit.record(actor, "office.post_archive", post, org=post.org, before=before, after=audit.snapshot(post))
    return post


def clean_duties(lines: Iterable[str]) -> list[str]:
    """One duty per line; blank lines and list numbering (“1.”, “（2）”) dropped."""
    result = []
    for raw in lines:
        text = NUMBERING.sub("", str(raw or "").strip()).strip()
        if text:
            result.append(text)
    return result


@transaction.atomic
def set_duties(actor: User, post: Post, duties: Iterable[str], *, demo_source: str = "") -> list[Duty]:
    """Replace the post's duty list with `duties`, in that order. Unchanged duties keep their rows (and
    ids); the audit row keeps the whole list before and after."""
    post = Post.objects.select_for_update().select_related("office", "org").get(pk=post.pk)
    require(actor, "change", post)
    if post.archived_at is not None:
        raise DomainError("该岗位已撤销，不能修改职责。")
    texts = clean_duties(duties)
    e = Errors()
    for i, text in enumerate(texts, 1):
        if len(text) > DUTY_LIMIT:
            e.add(f"第{i}项职责超过{DUTY_LIMIT}个字。", "duties")
    if len(texts) > MAX_DUTIES:
        e.add(f"一个岗位最多{MAX_DUTIES}项职责。", "duties")
    if len(set(texts)) != len(texts):
        e.add("职责有重复，请合并。", "duties")
    e.raise_any()
    old = list(post.duties.order_by("position"))
    before = [d.text for d in old]
    by_text = {d.text: d for d in old}
    keep = {by_text[t].pk for t in texts if t in by_text}
    Duty.objects.filter(post=post).exclude(pk__in=keep).delete()
    # Move kept rows out of the way first, so a reorder never collides with itself.
    Duty.objects.filter(pk__in=keep).update(position=0)
    result = []
    for position, text in enumerate(texts, 1):
        duty = by_text.get(text)
        if duty is None:
            duty = Duty.objects.create(
                post=post, org=post.org, position=position, text=text, demo_source=demo_source
            )
        else:
            Duty.objects.filter(pk=duty.pk).update(position=position)
            duty.position = position
        result.append(duty)
    if before != texts:
        audit.record(
            actor, "office.duties_set", post, org=post.org, before={"duties": before}, after={"duties": texts}
        )
    return result


def _end(actor: User, holder: PostHolder, until: datetime.date) -> None:
    before = audit.snapshot(holder)
    holder.until = until
    holder.save(update_fields=["until"])
    audit.record(
        actor, "office.holder_end", holder, org=holder.org, before=before, after=audit.snapshot(holder)
    )


@transaction.atomic
def appoint_holder(
    actor: User,
    post: Post,
    user: User | None,
    since: datetime.date | None,
    *,
    note: str = "",
    today: datetime.date | None = None,
) -> PostHolder:
    """Put `user` on the post from `since`; whoever held it leaves it that day."""
    today = today or timezone.localdate()
    post = Post.objects.select_for_update().select_related("office", "org").get(pk=post.pk)
    require(actor, "change", post)
    e = Errors()
    if post.archived_at is not None:
        e.add("该岗位已撤销，不能安排人员。")
    if user is None:
        e.add("请选择在岗人员。", "user")
    elif not holds_role_on(user, post.org):
        e.add(f"“{user.display_name}”在{post.org.name}没有任职角色，不能安排到本党建办岗位。", "user")
    current = post.holders.select_related("user").filter(until__isnull=True).first()
    if current is not None:
        e.date(
            since,
            label="到岗日期",
            field="since",
            today=today,
            not_before=(current.since, "现任人员到岗日期"),
        )
        if user is not None and current.user_id == user.pk:
            e.add(f"“{user.display_name}”已在该岗位。", "user")
    else:
        e.date(since, label="到岗日期", field="since", today=today)
    note = e.text(note, label="说明", field="note", limit=200)
    e.raise_any()
    if current is not None:
        _end(actor, current, since)
    holder = PostHolder.objects.create(
        post=post, org=post.org, user=user, since=since, note=note, created_by=actor
    )
    audit.record(actor, "office.holder_appoint", holder, org=post.org, after=audit.snapshot(holder))
    return holder


@transaction.atomic
def end_holder(
    actor: User, holder: PostHolder, until: datetime.date | None, *, today: datetime.date | None = None
) -> PostHolder:
    """The holder leaves the post (it stands vacant until someone is appointed)."""
    today = today or timezone.localdate()
    holder = PostHolder.objects.select_for_update().select_related("org", "post__office").get(pk=holder.pk)
    require(actor, "change", holder)
    e = Errors()
    if holder.until is not None:
        e.add(f"该任职已于{holder.until:%Y-%m-%d}结束。")
    e.date(until, label="离岗日期", field="until", today=today, not_before=(holder.since, "到岗日期"))
    e.raise_any()
    _end(actor, holder, until)
    return holder
