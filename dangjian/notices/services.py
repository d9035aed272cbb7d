"""What people do with notices, study pushes and trainings. Each function checks the actor's role,
validates (every problem at once, in Chinese, beside its field), writes in one transaction and leaves
an audit row. Recipients are chosen with one query and their receipts written in bulk."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from dangjian.accounts.models import RoleAssignment, User
from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import DomainError
from dangjian.core.scope import can, require
from dangjian.core.uploads import content_matches, extension
from dangjian.members.choices import ON_ROLL, Standing
from dangjian.members.models import Member
from dangjian.members.records.common import Errors
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import rules as R
from .choices import ATTACHMENT_MAX_COUNT, ATTACHMENT_MAX_MB, ATTACHMENT_TYPES, Audience, TrainingKind
from .models import (
    Attachment,
    Notice,
    NoticeReceipt,
    StudyPush,
    StudyReceipt,
    Training,
    TrainingAttendance,
)

TYPES_TEXT = "PDF、Word（docx）、Excel（xlsx）或图片（jpg、png、gif、webp）"


# --- shared checks ---------------------------------------------------------------------------------


def _sender_org(actor: User, org: Org | None, model: type[Model], errors: Errors) -> None:
    """The org a notice, push or training is made in: one where the actor's role may add them."""
    if org is None:
        errors.add("请选择组织。", "org")
    elif org.archived_at is not None:
        errors.add("该组织已归档，不能再以其名义发送或登记。", "org")
    elif not can(actor, "add", model(org=org)):
        errors.add("所选组织不在您的管辖范围内，或您的角色不能以其名义发送或登记。", "org")


def _kinds(kinds: Iterable[str] | None, errors: Errors) -> list[str]:
    chosen = sorted(set(kinds or ()))
    unknown = [k for k in chosen if k not in OrgKind.values]
    if unknown:
        errors.add(f"未知的组织类型：{'、'.join(unknown)}。", "kinds")
    return [k for k in chosen if k in OrgKind.values]


def check_files(files: Sequence[Any], errors: Errors) -> list[Any]:
    """Attachments: at most ten, each a PDF, docx, xlsx or image of at most 10 MB whose content
    matches its extension (a renamed .exe is refused)."""
    files = [f for f in files if f]
    if len(files) > ATTACHMENT_MAX_COUNT:
        errors.add(f"附件最多{ATTACHMENT_MAX_COUNT}个。", "files")
    for f in files:
        name = getattr(f, "name", "") or "附件"
        ext = extension(name)
        if ext not in ATTACHMENT_TYPES:
            errors.add(f"附件“{name}”的类型不受支持，只能上传{TYPES_TEXT}。", "files")
        elif (getattr(f, "size", 0) or 0) > ATTACHMENT_MAX_MB * 1024 * 1024:
            errors.add(f"附件“{name}”超过{ATTACHMENT_MAX_MB}MB。", "files")
        elif not getattr(f, "size", 0):
            errors.add(f"附件“{name}”是空文件。", "files")
        elif not content_matches(f, ext):
            errors.add(f"附件“{name}”的内容与扩展名不符，请上传真实的{ext}文件。", "files")
    return files


def _attach(files: Sequence[Any], actor: User | None, org: Org, **owner: Any) -> None:
    for f in files:
        name = (getattr(f, "name", "") or "附件").rsplit("/", 1)[-1]
        Attachment.objects.create(
            org=org, file=f, name=name[:200], size=f.size, uploaded_by=actor if actor else None, **owner
        )


# --- notices ---------------------------------------------------------------------------------------


def notice_recipients(org: Org, kinds: Sequence[str] = (), exclude: User | None = None) -> list[tuple]:
    """(user id, org id, role) of every active user holding a role on an open org of `org`'s subtree
    (of `kinds` when given), one row per user: the highest of their orgs in the subtree."""
    qs = RoleAssignment.objects.filter(
        org__path__startswith=org.path, org__archived_at__isnull=True, user__is_active=True
    )
    if kinds:
        qs = qs.filter(org__kind__in=list(kinds))
    if exclude is not None:
        qs = qs.exclude(user_id=exclude.pk)
    seen: set[int] = set()
    rows = []
    for user_id, org_id, role in qs.order_by("user_id", "org__path", "pk").values_list(
        "user_id", "org_id", "role"
    ):
        if user_id not in seen:
            seen.add(user_id)
            rows.append((user_id, org_id, role))
    return rows


def send_notice(
    actor: User,
    org: Org,
    title: str,
    body: str,
    *,
    kinds: Iterable[str] | None = None,
    sign_by: datetime.date | None = None,
    files: Sequence[Any] = (),
    now: datetime.datetime | None = None,
) -> Notice:
    """Send a notice from `org` to every user holding a role in its subtree (only on orgs of `kinds`
    when given), one receipt each, the sender excluded. Anything published to a subtree with
    read-sign (the monthly 3+X pack, the published scorecard) goes through here too."""
    now = now or timezone.now()
    errors = Errors()
    _sender_org(actor, org, Notice, errors)
    title = errors.text(title, label="标题", field="title", limit=100, required=True)
    body = errors.text(body, label="正文", field="body", limit=20000)
    chosen = _kinds(kinds, errors)
    if sign_by is not None and sign_by < timezone.localdate(now):
        errors.add("签阅期限不能早于今天。", "sign_by")
    files = check_files(files, errors)
    if not body and not files:
        errors.add("请填写正文或上传附件。", "body")
    errors.raise_any()
    recipients = notice_recipients(org, chosen, exclude=actor)
    if not recipients:
        raise DomainError("所选范围内没有可以接收通知的用户（须在该组织或其下级组织任职）。", field="kinds")
    with transaction.atomic():
        notice = Notice.objects.create(
            org=org,
            title=title,
            body=body,
            kinds=chosen,
            sign_by=sign_by,
            sent_at=now,
            sent_by=actor,
            recipient_count=len(recipients),
        )
        NoticeReceipt.objects.bulk_create(
            [NoticeReceipt(notice=notice, user_id=u, org_id=o, role=r) for u, o, r in recipients],
            batch_size=1000,
        )
        _attach(files, actor, org, notice=notice)
        audit.record(
            actor,
            "notices.send",
            notice,
            org=org,
            after=snapshot(notice),
            note=f"发送给{len(recipients)}人" + (f"，附件{len(files)}个" if files else ""),
        )
    return notice


def mark_notice_read(user: User, notice: Notice, now: datetime.datetime | None = None) -> None:
    """Opening a notice marks the user's receipt read, once (no audit row: reading is not an act)."""
    NoticeReceipt.objects.filter(notice=notice, user_id=user.pk, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def sign_notice(
    actor: User, notice: Notice, reply: str = "", *, now: datetime.datetime | None = None
) -> NoticeReceipt:
    """签收: the recipient confirms the notice, with an optional reply; once only."""
    now = now or timezone.now()
    receipt = NoticeReceipt.objects.filter(notice=notice, user_id=actor.pk).select_related("org").first()
    if receipt is None:
        raise DomainError("您不是这份通知的接收人，无需签收。")
    if receipt.signed_at is not None:
        raise DomainError(f"您已于{timezone.localtime(receipt.signed_at):%Y-%m-%d %H:%M}签收，无需重复签收。")
    errors = Errors()
    reply = errors.text(reply, label="签收意见", field="reply", limit=500)
    errors.raise_any()
    before = snapshot(receipt)
    receipt.read_at = receipt.read_at or now
    receipt.signed_at = now
    receipt.reply = reply
    with transaction.atomic():
        receipt.save(update_fields=["read_at", "signed_at", "reply"])
        audit.record(actor, "notices.sign", receipt, org=receipt.org, before=before, after=snapshot(receipt))
    return receipt


# --- study pushes ----------------------------------------------------------------------------------


def push_recipients(org: Org, audience: str) -> list[tuple[int, int]]:
    """(member id, branch id) of every member in normal standing on an open org of the subtree; only
    the mobile ones for a push to mobile members."""
    qs = Member.objects.filter(
        org__path__startswith=org.path, org__archived_at__isnull=True, standing=Standing.NORMAL
    )
    if audience == Audience.MOBILE:
        qs = qs.filter(is_mobile=True)
    return list(qs.order_by("org__path", "pk").values_list("pk", "org_id"))


def new_token() -> str:
    return secrets.token_urlsafe(16)


def send_study_push(
    actor: User,
    org: Org,
    title: str,
    *,
    body: str = "",
    link: str = "",
    audience: str = Audience.ALL,
    files: Sequence[Any] = (),
    now: datetime.datetime | None = None,
) -> StudyPush:
    """Push study content to the members of `org`'s subtree (or its mobile members): one receipt per
    member with an unguessable token for the public read link, since members have no logins."""
    now = now or timezone.now()
    errors = Errors()
    _sender_org(actor, org, StudyPush, errors)
    title = errors.text(title, label="标题", field="title", limit=100, required=True)
    body = errors.text(body, label="学习内容", field="body", limit=20000)
    link = errors.text(link, label="学习链接", field="link", limit=500)
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors.add("学习链接须为以 http:// 或 https:// 开头的网址。", "link")
    if audience not in Audience.values:
        errors.add("请选择推送对象。", "audience")
    files = check_files(files, errors)
    if not body and not link and not files:
        errors.add("请填写学习内容、学习链接或上传附件。", "body")
    errors.raise_any()
    members = push_recipients(org, audience)
    if not members:
        who = "流动党员" if audience == Audience.MOBILE else "正常党籍的党员"
        raise DomainError(f"所选组织及下级没有{who}，无法推送。", field="audience")
    with transaction.atomic():
        push = StudyPush.objects.create(
            org=org,
            title=title,
            body=body,
            link=link,
            audience=audience,
            sent_at=now,
            sent_by=actor,
            recipient_count=len(members),
        )
        StudyReceipt.objects.bulk_create(
            [StudyReceipt(push=push, member_id=m, org_id=o, token=new_token()) for m, o in members],
            batch_size=1000,
        )
        _attach(files, actor, org, push=push)
        audit.record(
            actor, "notices.push", push, org=org, after=snapshot(push), note=f"推送给{len(members)}名党员"
        )
    return push


def open_study_link(token: str, now: datetime.datetime | None = None) -> StudyReceipt | None:
    """The receipt behind a read link, marked read the first time it is opened; None if unknown."""
    if not token or len(token) > 40:
        return None
    receipt = StudyReceipt.objects.select_related("push", "member__person").filter(token=token).first()
    if receipt is not None and receipt.read_at is None:
        stamp = now or timezone.now()
        StudyReceipt.objects.filter(pk=receipt.pk, read_at__isnull=True).update(read_at=stamp)
        receipt.read_at = stamp
    return receipt


# --- trainings -------------------------------------------------------------------------------------


def create_training(
    actor: User,
    org: Org,
    *,
    title: str,
    kind: str,
    start_on: datetime.date | None,
    hours: Decimal | None,
    end_on: datetime.date | None = None,
    online: bool = False,
    place: str = "",
    organiser: str = "",
    note: str = "",
) -> Training:
    """Record a training, lecture or online seminar (线上研讨 is always online)."""
    errors = Errors()
    _sender_org(actor, org, Training, errors)
    title = errors.text(title, label="主题", field="title", limit=100, required=True)
    place = errors.text(place, label="地点", field="place", limit=100)
    organiser = errors.text(organiser, label="组织者", field="organiser", limit=60)
    note = errors.text(note, label="说明", field="note", limit=500)
    if kind not in TrainingKind.values:
        errors.add("请选择培训类型。", "kind")
    online = online or kind == TrainingKind.ONLINE
    if not online and not place:
        errors.add("请填写培训地点（线上培训请勾选“线上”）。", "place")
    if start_on is None:
        errors.add("请填写开始日期。", "start_on")
    end_on = end_on or start_on
    if start_on and end_on and end_on < start_on:
        errors.add("结束日期不能早于开始日期。", "end_on")
    if hours is None:
        errors.add("请填写学时。", "hours")
    elif hours <= 0:
        errors.add("学时应大于0。", "hours")
    elif start_on and end_on and end_on >= start_on:
        days = (end_on - start_on).days + 1
        cap = Decimal(R.MAX_HOURS_PER_DAY.value) * days
        if hours > cap:
            errors.add(
                f"{days}天的培训最多计{cap}学时（每天不超过{R.MAX_HOURS_PER_DAY.value}学时）。", "hours"
            )
    errors.raise_any()
    with transaction.atomic():
        training = Training.objects.create(
            org=org,
            title=title,
            kind=kind,
            start_on=start_on,
            end_on=end_on,
            hours=hours,
            online=online,
            place=place,
            organiser=organiser or org.name,
            note=note,
            created_by=actor,
        )
        audit.record(actor, "notices.training", training, org=org, after=snapshot(training))
    return training


@dataclass(frozen=True)
class AttendanceEntry:
    """One attendee: a member of the roll or a user; `hours` None credits the training's hours when
    present and none when absent."""

    member_id: int | None = None
    user_id: int | None = None
    present: bool = True
    hours: Decimal | None = None
    note: str = ""


def record_attendance(
    actor: User, training: Training, entries: Sequence[AttendanceEntry], *, today: datetime.date | None = None
) -> int:
    """Record who attended (or not) and the hours credited; a second entry for someone replaces the
    first. Attendees are members on the roll or users with a role in the training org's subtree."""
    require(actor, "change", training)
    today = today or timezone.localdate()
    errors = Errors()
    if training.start_on > today:
        errors.add(f"培训尚未开始（{training.start_on:%Y-%m-%d}），不能登记出勤。", "entries")
    if not entries:
        errors.add("请至少选择一名参训人员。", "entries")
    keys = [("m", e.member_id) if e.member_id else ("u", e.user_id) for e in entries]
    if any(bool(e.member_id) == bool(e.user_id) for e in entries):
        errors.add("每条出勤记录须对应一名党员或一名用户。", "entries")
    if len(set(keys)) != len(keys):
        errors.add("同一人不能在一次登记中出现两次。", "entries")
    path = training.org.path
    member_ids = {e.member_id for e in entries if e.member_id}
    members = {
        m.pk: m
        for m in Member.objects.filter(
            pk__in=member_ids, org__path__startswith=path, standing__in=ON_ROLL
        ).select_related("person")
    }
    if member_ids - set(members):
        bad = "、".join(str(i) for i in sorted(member_ids - set(members)))
        errors.add(f"编号为{bad}的党员不在“{training.org.name}”及下级组织的党员名册上。", "entries")
    user_ids = {e.user_id for e in entries if e.user_id}
    users = {}
    for user_id, org_id, _ in notice_recipients(training.org):
        if user_id in user_ids:
            users[user_id] = org_id
    if user_ids - set(users):
        bad = "、".join(str(i) for i in sorted(user_ids - set(users)))
        errors.add(f"编号为{bad}的用户未在“{training.org.name}”及下级组织任职。", "entries")
    for e in entries:
        if e.hours is not None and not e.present and e.hours > 0:
            errors.add("缺席人员不计学时。", "entries")
        elif e.hours is not None and not (0 <= e.hours <= training.hours):
            errors.add(f"计入学时应在0到{training.hours}之间。", "entries")
        if len(e.note or "") > 200:
            errors.add("说明不能超过200个字。", "entries")
    errors.raise_any()
    names = {
        u.pk: u.display_name for u in User.objects.filter(pk__in=list(users)).only("real_name", "username")
    }
    now = timezone.now()
    existing = {("m", a.member_id) if a.member_id else ("u", a.user_id): a for a in training.attendance.all()}
    new, changed = [], []
    for key, e in zip(keys, entries, strict=True):
        hours = e.hours if e.hours is not None else (training.hours if e.present else Decimal(0))
        if e.member_id:
            m = members[e.member_id]
            values = {"name": m.person.name, "attendee_org_id": m.org_id}
        else:
            values = {"name": names.get(e.user_id) or str(e.user_id), "attendee_org_id": users[e.user_id]}
        values |= {
            "present": e.present,
            "hours": hours,
            "note": e.note or "",
            "recorded_by": actor,
            "recorded_at": now,
        }
        row = existing.get(key)
        if row is None:
            new.append(
                TrainingAttendance(
                    training=training, org=training.org, member_id=e.member_id, user_id=e.user_id, **values
                )
            )
        else:
            for field, value in values.items():
                setattr(row, field, value)
            changed.append(row)
    present = sum(e.present for e in entries)
    with transaction.atomic():
        TrainingAttendance.objects.bulk_create(new)
        if changed:
            TrainingAttendance.objects.bulk_update(
                changed, ["name", "attendee_org_id", "present", "hours", "note", "recorded_by", "recorded_at"]
            )
        audit.record(
            actor,
            "notices.attendance",
            training,
            org=training.org,
            after={"present": present, "absent": len(entries) - present},
            note=f"登记出勤{len(entries)}人（出席{present}人，缺席{len(entries) - present}人）",
        )
    return len(entries)
