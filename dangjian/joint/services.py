"""The only place this app writes: appointing to and ending a post in a joint branch's team, each in one
transaction with its permission check, its validation (DomainError in Chinese, nothing written) and its
audit row."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import DomainError
from dangjian.core.scope import require
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from .choices import PostKind
from .models import JointPost

VILLAGE_KINDS = (OrgKind.BRANCH, OrgKind.COMMUNITY)
PHONE = re.compile(r"^[0-9+\- ]{7,20}$")


def _text(value: Any, label: str, field: str, limit: int, *, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise DomainError(f"请填写{label}。", field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过{limit}个字。", field)
    return text


def _day(value: Any, label: str, field: str, today: datetime.date) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise DomainError(f"请填写{label}。", field)
    if value > today:
        raise DomainError(f"{label}不能晚于今天。", field)
    return value


def current_secretary(joint: Org) -> JointPost | None:
    return JointPost.objects.filter(org=joint, kind=PostKind.SECRETARY, until__isnull=True).first()


def _villages(joint: Org, villages: Iterable[Org]) -> list[Org]:
    chosen = list(dict.fromkeys(villages))
    for v in chosen:
        if v.kind not in VILLAGE_KINDS or not v.path.startswith(joint.path) or v.archived_at is not None:
            raise DomainError(f"{v.name}不属于{joint.name}，不能由其班子成员包联。", "villages")
    return chosen


def appoint(
    actor: Any,
    joint: Org,
    *,
    kind: str,
    name: Any,
    since: Any,
    title: Any = "",
    phone: Any = "",
    villages: Iterable[Org] = (),
    user: Any = None,
    demo_source: str = "",
    today: datetime.date | None = None,
) -> JointPost:
    """The township party committee puts someone on a joint branch's team: one secretary at a time (a
    member of the township's leadership), deputies each looking after villages of that branch only."""
    today = today or timezone.localdate()
    if joint.kind != OrgKind.JOINT_BRANCH:
        raise DomainError(f"{joint.name}是{joint.get_kind_display()}，只能在联村党总支下任职。", "org")
    post = JointPost(org=joint, kind=kind)
    require(actor, "add", post)
    if kind not in PostKind.values:
        raise DomainError(
            "职务只能是书记或副书记；委员由各村党支部书记担任，随村“两委”班子自动列入。", "kind"
        )
    post.name = _text(name, "姓名", "name", 30)
    post.title = _text(title, "本职", "title", 60, required=False)
    post.phone = _text(phone, "联系电话", "phone", 20, required=False)
    if post.phone and not PHONE.match(post.phone):
        raise DomainError("联系电话只能包含数字、空格、加号和短横线（7至20位）。", "phone")
    post.since = _day(since, "任职日期", "since", today)
    post.user, post.demo_source = user, demo_source
    chosen = _villages(joint, villages)
    if kind == PostKind.SECRETARY:
        if chosen:
            raise DomainError("总支书记统领全总支各村，不单独填写包联村。", "villages")
        held = current_secretary(joint)
        if held is not None:
            raise DomainError(f"{joint.name}现任书记是{held.name}，请先办理其离任再任命新书记。", "kind")
    with transaction.atomic():
        post.save()
        post.villages.set(chosen)
        after = snapshot(post) | {"villages": [v.name for v in chosen]}
        audit.record(actor, "joint.post.appoint", post, org=joint, after=after)
    return post


def end_post(
    actor: Any, post: JointPost, *, until: Any, reason: Any, today: datetime.date | None = None
) -> JointPost:
    """Someone leaves the team; the row stays, so the roster keeps who served when."""
    today = today or timezone.localdate()
    require(actor, "change", post)
    if post.until is not None:
        raise DomainError(f"{post.name}已于{post.until:%Y-%m-%d}离任。", "until")
    day = _day(until, "离任日期", "until", today)
    if day < post.since:
        raise DomainError(f"离任日期不能早于任职日期（{post.since:%Y-%m-%d}）。", "until")
    text = _text(reason, "离任原因", "reason", 100)
    with transaction.atomic():
        locked = JointPost.objects.select_for_update().get(pk=post.pk)
        if locked.until is not None:
            raise DomainError(f"{post.name}已于{locked.until:%Y-%m-%d}离任。", "until")
        before = snapshot(locked)
        locked.until, locked.end_reason = day, text
        locked.save(update_fields=["until", "end_reason"])
        audit.record(actor, "joint.post.end", locked, org=locked.org, before=before, after=snapshot(locked))
    return locked
