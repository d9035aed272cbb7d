"""Recording meetings: plan one, its expected attendees, sign-in, held or cancelled, attendance,
minutes and their approval, attend-and-guide, photos and files.

Each function is one thing a person does: it checks the actor's permission, validates everything
before writing (so a refusal writes nothing), writes in one transaction and leaves an audit row on
the meeting. `held_on` is the meeting's date in Asia/Shanghai, so the compliance engine's periods
agree with the calendar on the wall (a meeting at 23:59 on 31 March is a March meeting).
"""

from __future__ import annotations

import datetime
import hmac
import secrets
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dangjian.accounts.models import RoleAssignment, User
from dangjian.core import audit
from dangjian.core.errors import DomainError
from dangjian.core.roles import WORKERS, Role
from dangjian.core.rules import rule_value
from dangjian.core.scope import require
from dangjian.core.uploads import content_matches, extension
from dangjian.members.choices import Standing
from dangjian.members.models import Member
from dangjian.members.records.common import Errors
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of

from . import record_rules as RR
from .choices import (
    KINDS_BY_ORG_KIND,
    VILLAGE_KINDS,
    AppraisalGrade,
    Attendance,
    FileKind,
    MeetingKind,
    MeetingStatus,
    SignInMethod,
)
from .models import Meeting, MeetingAttendance, MeetingFile

BRANCH_LEVEL = frozenset({OrgKind.BRANCH, OrgKind.COMMUNITY, OrgKind.GROUP, OrgKind.JOINT_BRANCH})
USER_LEVEL = frozenset({OrgKind.TOWNSHIP, OrgKind.STATION})
# Who may come "from above" to attend and guide (列席指导): the township office and the county.
GUIDE_ROLES = frozenset({Role.TOWNSHIP_STAFF, Role.COUNTY_ADMIN, Role.READONLY_LEADER})
GUIDE_ORG_KINDS = (OrgKind.TOWNSHIP, OrgKind.COUNTY)
UPLOAD_TYPES = frozenset({".jpg", ".jpeg", ".png", ".pdf", ".docx", ".xlsx"})
TEXT_LIMITS = {"topic": 200, "place": 100, "online_link": 200, "host": 30, "recorder": 30}


# --- who belongs at a meeting ---------------------------------------------------------------------


def uses_users(org: Org, kind: str) -> bool:
    """Office and station meetings (and consultations) are attended by the staff holding roles there;
    branch meetings by the members on the roster."""
    return org.kind in USER_LEVEL or kind == MeetingKind.CONSULTATION


def home_branch(org: Org) -> Org:
    """The org whose roster a meeting draws from: a party group's meetings draw from its branch."""
    if org.kind == OrgKind.GROUP and org.parent_id:
        return Org.objects.get(pk=org.parent_id)
    return org


def eligible_members(org: Org) -> QuerySet[Member]:
    """Members in normal standing of the branch (and of everything under it)."""
    home = home_branch(org)
    return Member.objects.filter(org__path__startswith=home.path, standing=Standing.NORMAL)


def default_members(org: Org, kind: str) -> QuerySet[Member]:
    if kind in VILLAGE_KINDS:  # two-committee and villagers' meetings: the recorder names who came
        return Member.objects.none()
    if org.kind == OrgKind.GROUP:
        return eligible_members(org).filter(group=org)
    return eligible_members(org)


def eligible_users(org: Org) -> QuerySet[User]:
    """Users holding a role on the org or anywhere under it."""
    return User.objects.filter(
        is_active=True, roles__org__path__startswith=org.path, roles__org__archived_at__isnull=True
    ).distinct()


def default_users(org: Org) -> QuerySet[User]:
    """The working roles held on the org itself: the office's staff, the station's chief."""
    return User.objects.filter(is_active=True, roles__org=org, roles__role__in=WORKERS).distinct()


def guide_candidates(org: Org) -> QuerySet[User]:
    above = Org.objects.filter(pk__in=org.ancestor_ids(), kind__in=GUIDE_ORG_KINDS)
    return (
        User.objects.filter(is_active=True, roles__org__in=above, roles__role__in=GUIDE_ROLES)
        .distinct()
        .order_by("real_name", "pk")
    )


def roster_size(meeting: Meeting) -> int:
    if uses_users(meeting.org, meeting.kind):
        return eligible_users(meeting.org).count()
    return eligible_members(meeting.org).count()


def roster_label(org: Org) -> str:
    if org.kind in USER_LEVEL:
        return f"{org.name}工作人员"
    return f"{home_branch(org).name}党员"


# --- who approves the minutes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Approver:
    role: str
    refusal: str


def approver_for(org: Org) -> Approver:
    if org.kind == OrgKind.TOWNSHIP:
        return Approver(Role.TOWNSHIP_STAFF, "只有本镇党建办工作人员可以审定会议记录。")
    if org.kind == OrgKind.STATION:
        return Approver(Role.STATION_CHIEF, "只有本站站长可以审定会议记录。")
    if org.kind == OrgKind.JOINT_BRANCH:
        return Approver(Role.STATION_CHIEF, "只有本联村党总支书记可以审定会议记录。")
    return Approver(Role.VILLAGE_SECRETARY, "只有本支部书记可以审定会议记录。")


def approver_paths(org: Org) -> set[str]:
    """Org paths where holding the approver's role counts: a secretary approves the meetings of her
    branch, of its party groups and of a community's branches; office and station roles only there."""
    if org.kind in (OrgKind.TOWNSHIP, OrgKind.STATION, OrgKind.JOINT_BRANCH):
        return {org.path}
    above = Org.objects.filter(
        pk__in=org.ancestor_ids(), kind__in=(OrgKind.BRANCH, OrgKind.COMMUNITY)
    ).values_list("path", flat=True)
    return {org.path, *above}


def may_approve(user: Any, meeting: Meeting) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    role, paths = approver_for(meeting.org).role, approver_paths(meeting.org)
    return RoleAssignment.objects.filter(
        user=user, role=role, org__path__in=paths, org__archived_at__isnull=True
    ).exists()


# --- planning --------------------------------------------------------------------------------------


@dataclass
class MeetingData:
    kind: str
    topic: str
    planned_at: datetime.datetime | None
    place: str = ""
    online: bool = False
    online_link: str = ""
    host: str = ""
    recorder: str = ""
    agenda: str = ""
    guided_by: list[Any] = field(default_factory=list)


def _kind_allowed(org: Org, kind: str, errors: Errors) -> None:
    if kind not in MeetingKind.values:
        errors.add("请选择会议类型。", "kind")
    elif kind not in KINDS_BY_ORG_KIND.get(org.kind, frozenset()):
        errors.add(f"{org.get_kind_display()}不能召开“{MeetingKind(kind).label}”。", "kind")


def _guides(org: Org, people: list[Any], errors: Errors) -> list[User]:
    ids = {getattr(p, "pk", p) for p in people or []}
    if not ids:
        return []
    found = list(guide_candidates(org).filter(pk__in=ids))
    if len(found) != len(ids):
        errors.add("列席指导人员须为上级乡镇党建办或县级的工作人员。", "guided_by")
    return found


def _check_data(org: Org, data: MeetingData, errors: Errors) -> list[User]:
    _kind_allowed(org, data.kind, errors)
    data.topic = errors.text(data.topic, label="会议主题", field="topic", limit=200, required=True)
    for name, limit in TEXT_LIMITS.items():
        if name != "topic":
            label = Meeting._meta.get_field(name).verbose_name
            setattr(data, name, errors.text(getattr(data, name), label=label, field=name, limit=limit))
    data.agenda = (data.agenda or "").strip()
    if data.planned_at is None:
        errors.add("请填写计划召开时间。", "planned_at")
    if data.online and not data.online_link:
        errors.add("线上会议请填写会议号或链接。", "online_link")
    if org.archived_at is not None:
        errors.add("该组织已撤销，不能安排会议。", "org")
    return _guides(org, data.guided_by, errors)


def _name_of(member: Member | None = None, user: User | None = None) -> str:
    return (member.person.name if member else user.display_name)[:30]


@transaction.atomic
def plan_meeting(
    actor: User,
    org: Org,
    data: MeetingData,
    *,
    members: list[Member] | None = None,
    users: list[User] | None = None,
) -> Meeting:
    """Plan a meeting; its expected attendees default to the roster (see `default_members`)."""
    require(actor, "add", Meeting(org=org))
    errors = Errors()
    guides = _check_data(org, data, errors)
    errors.raise_any()
    if uses_users(org, data.kind):
        chosen_users = list(default_users(org)) if users is None else list(users)
        chosen: list[Member] = []
    else:
        chosen_users = []
        chosen = list(
            default_members(org, data.kind).select_related("person").order_by("pk")
            if members is None
            else members
        )
    _check_people(Meeting(org=org, kind=data.kind), chosen, chosen_users)
    meeting = Meeting.objects.create(
        org=org,
        kind=data.kind,
        topic=data.topic,
        planned_at=data.planned_at,
        place=data.place,
        online=data.online,
        online_link=data.online_link if data.online else "",
        host=data.host,
        recorder=data.recorder,
        agenda=data.agenda,
        created_by=actor,
    )
    meeting.guided_by.set(guides)
    rows = [MeetingAttendance(meeting=meeting, user=u, name=_name_of(user=u)) for u in chosen_users]
    rows += [MeetingAttendance(meeting=meeting, member=m, name=_name_of(member=m)) for m in chosen]
    MeetingAttendance.objects.bulk_create(rows)
    audit.record(
        actor,
        "meetings.plan",
        meeting,
        org=org,
        after=audit.snapshot(meeting),
        note=f"应到{len(rows)}人"
        + (f"；列席指导：{'、'.join(u.display_name for u in guides)}" if guides else ""),
    )
    return meeting


def _editable(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError("会议已取消，不能再修改。")


@transaction.atomic
def update_meeting(actor: User, meeting: Meeting, data: MeetingData) -> Meeting:
    """Change what was planned. The kind is fixed once the meeting has been held: the compliance
    engine has counted it."""
    require(actor, "change", meeting)
    _editable(meeting)
    errors = Errors()
    guides = _check_data(meeting.org, data, errors)
    if meeting.status == MeetingStatus.HELD and data.kind != meeting.kind:
        errors.add("会议已召开，不能更改会议类型。", "kind")
    errors.raise_any()
    before = audit.snapshot(meeting)
    old_guides = sorted(meeting.guided_by.values_list("pk", flat=True))
    for name in ("kind", "topic", "planned_at", "place", "online", "host", "recorder", "agenda"):
        setattr(meeting, name, getattr(data, name))
    meeting.online_link = data.online_link if data.online else ""
    meeting.save()
    meeting.guided_by.set(guides)
    note = ""
    if sorted(u.pk for u in guides) != old_guides:
        note = "列席指导：" + ("、".join(u.display_name for u in guides) or "无")
    audit.record(
        actor,
        "meetings.update",
        meeting,
        org=meeting.org,
        before=before,
        after=audit.snapshot(meeting),
        note=note,
    )
    return meeting


@transaction.atomic
def record_guidance(actor: User, meeting: Meeting, guided_by: list[Any], note: str) -> Meeting:
    """Who came from the township or county to attend and guide, and what they advised."""
    require(actor, "change", meeting)
    _editable(meeting)
    errors = Errors()
    guides = _guides(meeting.org, guided_by, errors)
    text = (note or "").strip()
    if text and not guides:
        errors.add("填写列席指导意见时请选择列席指导人员。", "guided_by")
    errors.raise_any()
    before = audit.snapshot(meeting)
    meeting.guide_note = text
    meeting.save(update_fields=["guide_note", "updated_at"])
    meeting.guided_by.set(guides)
    audit.record(
        actor,
        "meetings.guide",
        meeting,
        org=meeting.org,
        before=before,
        after=audit.snapshot(meeting),
        note="列席指导：" + ("、".join(u.display_name for u in guides) or "无"),
    )
    return meeting


@transaction.atomic
def cancel_meeting(actor: User, meeting: Meeting, reason: str) -> Meeting:
    require(actor, "change", meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise DomainError("只有计划中的会议可以取消。")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写取消原因。", field="reason")
    if len(reason) > 200:
        raise DomainError("取消原因不能超过200个字。", field="reason")
    before = audit.snapshot(meeting)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason
    meeting.signin_code, meeting.signin_opens_at, meeting.signin_expires_at = "", None, None
    meeting.save()
    audit.record(
        actor, "meetings.cancel", meeting, org=meeting.org, before=before, after=audit.snapshot(meeting)
    )
    return meeting


# --- expected attendees ----------------------------------------------------------------------------


def _check_people(meeting: Meeting, members: list[Member], users: list[User]) -> None:
    """Everyone named must be on the meeting's roster: a member of the branch in normal standing, or a
    user holding a role on the office or station."""
    if members:
        ok = set(
            eligible_members(meeting.org).filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True)
        )
        for m in members:
            if m.pk not in ok:
                raise DomainError(
                    f"{m.person.name}不是{roster_label(meeting.org)}，不能登记参会。", field="attendance"
                )
    if users:
        ok = set(
            eligible_users(meeting.org).filter(pk__in=[u.pk for u in users]).values_list("pk", flat=True)
        )
        for u in users:
            if u.pk not in ok:
                raise DomainError(
                    f"{u.display_name}不是{roster_label(meeting.org)}，不能登记参会。", field="attendance"
                )


@transaction.atomic
def add_attendee(
    actor: User, meeting: Meeting, *, member: Member | None = None, user: User | None = None
) -> MeetingAttendance:
    require(actor, "change", meeting)
    _editable(meeting)
    if (member is None) == (user is None):
        raise DomainError("请选择要加入应到名单的人员。", field="person")
    _check_people(meeting, [member] if member else [], [user] if user else [])
    taken = meeting.attendances.filter(member=member) if member else meeting.attendances.filter(user=user)
    name = _name_of(member, user)
    if taken.exists():
        raise DomainError(f"{name}已在应到名单中。", field="person")
    row = MeetingAttendance.objects.create(meeting=meeting, member=member, user=user, name=name)
    audit.record(
        actor,
        "meetings.attendee_add",
        meeting,
        org=meeting.org,
        after={name: "应到"},
        note=f"加入应到名单：{name}",
    )
    return row


@transaction.atomic
def remove_attendee(actor: User, row: MeetingAttendance) -> None:
    meeting = row.meeting
    require(actor, "change", meeting)
    _editable(meeting)
    if row.status == Attendance.PRESENT:
        raise DomainError(f"{row.name}已登记出席，不能移出名单；如有误请改为缺席或请假。")
    name = row.name
    row.delete()
    audit.record(
        actor,
        "meetings.attendee_remove",
        meeting,
        org=meeting.org,
        before={name: "应到"},
        note=f"移出应到名单：{name}",
    )


# --- attendance ------------------------------------------------------------------------------------


@dataclass
class AttendanceEntry:
    """One person's attendance: by attendance row, or (API) by member or user to add them."""

    status: str
    reason: str = ""
    method: str = ""
    grade: str = ""
    attendance: int | None = None
    member: int | None = None
    user: int | None = None


def _label(row: MeetingAttendance) -> str:
    text = row.get_status_display()
    if row.reason:
        text += f"（{row.reason}）"
    if row.grade:
        text += f"，评议{row.get_grade_display()}"
    return text


def _prepare(
    meeting: Meeting, entries: list[AttendanceEntry]
) -> list[tuple[MeetingAttendance, AttendanceEntry]]:
    """Match each entry to a row (new rows for people not expected yet) and check it, before anything
    is written; every problem is reported at once."""
    size = roster_size(meeting)
    present = sum(1 for e in entries if e.status == Attendance.PRESENT)
    if present > size:
        raise DomainError(
            f"出席人数（{present}人）超过{roster_label(meeting.org)}人数（{size}人），请核对。",
            field="attendance",
        )
    rows = {r.pk: r for r in meeting.attendances.select_related("member__person", "user")}
    by_member = {r.member_id: r for r in rows.values() if r.member_id}
    by_user = {r.user_id: r for r in rows.values() if r.user_id}
    new_members = {
        m.pk: m
        for m in Member.objects.select_related("person").filter(
            pk__in=[e.member for e in entries if e.member and e.member not in by_member]
        )
    }
    new_users = {
        u.pk: u
        for u in User.objects.filter(pk__in=[e.user for e in entries if e.user and e.user not in by_user])
    }
    errors, pairs, seen = Errors(), [], set()
    unknown: list[MeetingAttendance] = []
    for e in entries:
        row = None
        if e.attendance is not None:
            row = rows.get(e.attendance)
            if row is None:
                errors.add("参会记录不属于本次会议。", "attendance")
                continue
        elif e.member is not None:
            row = by_member.get(e.member)
            if row is None and e.member in new_members:
                m = new_members[e.member]
                row = MeetingAttendance(meeting=meeting, member=m, name=_name_of(member=m))
                unknown.append(row)
        elif e.user is not None:
            row = by_user.get(e.user)
            if row is None and e.user in new_users:
                u = new_users[e.user]
                row = MeetingAttendance(meeting=meeting, user=u, name=_name_of(user=u))
                unknown.append(row)
        if row is None:
            errors.add("所选人员不存在或不是本次会议的应到人员。", "attendance")
            continue
        key = (row.member_id, row.user_id)
        if key in seen:
            errors.add(f"{row.name}在名单中重复出现。", "attendance")
            continue
        seen.add(key)
        _check_entry(meeting, row, e, errors)
        pairs.append((row, e))
    errors.raise_any()
    _check_people(meeting, [r.member for r in unknown if r.member], [r.user for r in unknown if r.user])
    return pairs


def _check_entry(meeting: Meeting, row: MeetingAttendance, e: AttendanceEntry, errors: Errors) -> None:
    e.reason = (e.reason or "").strip()
    if e.status not in Attendance.values:
        errors.add(f"{row.name}的出席情况无效。", "attendance")
        return
    if e.status == Attendance.ABSENT and not e.reason:
        errors.add(f"请填写{row.name}的缺席原因。", "attendance")
    if e.status == Attendance.EXCUSED and not e.reason:
        errors.add(f"请填写{row.name}的请假原因。", "attendance")
    if len(e.reason) > 200:
        errors.add(f"{row.name}的缺席或请假原因不能超过200个字。", "attendance")
    if e.grade and e.grade not in AppraisalGrade.values:
        errors.add(f"{row.name}的评议等次无效。", "attendance")
    elif e.grade and meeting.kind != MeetingKind.APPRAISAL:
        errors.add("只有民主评议党员会议可以登记评议等次。", "attendance")
    if e.method and e.method not in SignInMethod.values:
        errors.add(f"{row.name}的签到方式无效。", "attendance")
    elif (
        e.method == SignInMethod.ONLINE
        and e.status == Attendance.PRESENT
        and not meeting.online
        and not (row.member and row.member.is_mobile)
    ):
        errors.add(f"{row.name}不是流动党员，本次会议也不是线上会议，不能登记为线上参会。", "attendance")


def _apply(pairs: list[tuple[MeetingAttendance, AttendanceEntry]]) -> tuple[dict[str, str], dict[str, str]]:
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for row, e in pairs:
        old = _label(row) if row.pk else "（新增）"
        row.status, row.grade = e.status, e.grade
        row.reason = e.reason if e.status in (Attendance.ABSENT, Attendance.EXCUSED) else ""
        if e.status == Attendance.PRESENT:
            row.signin_method = e.method or row.signin_method or SignInMethod.MANUAL
        else:
            row.signin_method, row.signed_in_at = "", None
        new = _label(row)
        if old != new:
            before[row.name], after[row.name] = old, new
            row.save()
    return before, after


@transaction.atomic
def set_attendance(actor: User, meeting: Meeting, entries: list[AttendanceEntry]) -> Meeting:
    """Record who came, who was absent (with the reason) and who asked for leave."""
    require(actor, "change", meeting)
    _editable(meeting)
    pairs = _prepare(meeting, entries)
    before, after = _apply(pairs)
    if after:
        audit.record(actor, "meetings.attendance", meeting, org=meeting.org, before=before, after=after)
    return meeting


@transaction.atomic
def record_held(
    actor: User,
    meeting: Meeting,
    held_at: datetime.datetime | None,
    *,
    place: str | None = None,
    host: str | None = None,
    recorder: str | None = None,
    entries: list[AttendanceEntry] | None = None,
    now: datetime.datetime | None = None,
) -> Meeting:
    """Record that the meeting took place, when, and (optionally) the attendance in the same step."""
    require(actor, "change", meeting)
    now = now or timezone.now()
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError("已取消的会议不能登记为已召开。")
    errors = Errors()
    if held_at is None:
        errors.add("请填写实际召开时间。", "held_at")
    elif held_at > now:
        errors.add("会议召开时间不能晚于当前时间。", "held_at")
    values = {"place": place, "host": host, "recorder": recorder}
    for name, value in values.items():
        if value is not None:
            label = Meeting._meta.get_field(name).verbose_name
            values[name] = errors.text(value, label=label, field=name, limit=TEXT_LIMITS[name])
    errors.raise_any()
    pairs = _prepare(meeting, entries) if entries else []
    before = audit.snapshot(meeting)
    meeting.status = MeetingStatus.HELD
    meeting.held_at = held_at
    meeting.held_on = timezone.localdate(held_at)
    for name, value in values.items():
        if value is not None:
            setattr(meeting, name, value)
    meeting.save()
    changed_before, changed_after = _apply(pairs)
    audit.record(
        actor,
        "meetings.held",
        meeting,
        org=meeting.org,
        before={**before, **changed_before},
        after={**audit.snapshot(meeting), **changed_after},
    )
    return meeting


# --- sign-in ---------------------------------------------------------------------------------------


def _rule(code: str, meeting: Meeting) -> int:
    return int(rule_value(code, county_of(meeting.org)))


def signin_window(meeting: Meeting) -> tuple[datetime.datetime, datetime.datetime]:
    """From `SIGNIN_LEAD` minutes before the planned start to `SIGNIN_VALID` minutes after it."""
    lead = datetime.timedelta(minutes=_rule(RR.SIGNIN_LEAD.code, meeting))
    valid = datetime.timedelta(minutes=_rule(RR.SIGNIN_VALID.code, meeting))
    return meeting.planned_at - lead, meeting.planned_at + valid


def _hm(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


@transaction.atomic
def open_signin(actor: User, meeting: Meeting, now: datetime.datetime | None = None) -> Meeting:
    """A fresh random 6-digit code, valid through the sign-in window; opening again replaces it."""
    require(actor, "change", meeting)
    _editable(meeting)
    now = now or timezone.now()
    opens, closes = signin_window(meeting)
    if now < opens:
        raise DomainError(
            f"签到在会议开始前{_rule(RR.SIGNIN_LEAD.code, meeting)}分钟开放（{_hm(opens)}起）。"
        )
    if now > closes:
        raise DomainError(f"会议开始已超过{_rule(RR.SIGNIN_VALID.code, meeting)}分钟，不能再开启签到。")
    meeting.signin_code = f"{secrets.randbelow(1_000_000):06d}"
    meeting.signin_opens_at, meeting.signin_expires_at = opens, closes
    meeting.save(update_fields=["signin_code", "signin_opens_at", "signin_expires_at", "updated_at"])
    audit.record(
        actor,
        "meetings.signin_open",
        meeting,
        org=meeting.org,
        note=f"签到码有效期：{_hm(opens)} 至 {_hm(closes)}",
    )
    return meeting


def signin_is_open(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(
        meeting.signin_code
        and meeting.status != MeetingStatus.CANCELLED
        and meeting.signin_opens_at
        and meeting.signin_expires_at
        and meeting.signin_opens_at <= now <= meeting.signin_expires_at
    )


def _failures_key(meeting: Meeting, actor: User) -> str:
    return f"meetings:signin-failures:{meeting.pk}:{actor.pk}"


def own_attendance(meeting: Meeting, user: User) -> MeetingAttendance | None:
    """The user's own row: as staff, or as the member whose name and phone are the user's."""
    row = meeting.attendances.filter(user=user).first()
    if row is None and user.phone:
        row = meeting.attendances.filter(
            member__person__phone=user.phone, member__person__name=user.real_name
        ).first()
    return row


def sign_in(
    actor: User,
    meeting: Meeting,
    code: str,
    *,
    attendance: MeetingAttendance | None = None,
    by_qr: bool = False,
    now: datetime.datetime | None = None,
) -> MeetingAttendance:
    """Sign in with the code on the screen: an attendee signs themselves in, or the recorder signs an
    attendee in (`attendance`) with the code the attendee reads out. Both need the current code."""
    now = now or timezone.now()
    if attendance is None:
        require(actor, "view", meeting)
    else:
        require(actor, "change", meeting)
    limit = _rule(RR.SIGNIN_MAX_FAILURES.code, meeting)
    key = _failures_key(meeting, actor)
    if cache.get(key, 0) >= limit:
        raise DomainError(f"签到码已连续输错{limit}次，请稍后再试或请记录人登记。", field="code")
    row = attendance if attendance is not None else own_attendance(meeting, actor)
    if row is None or row.meeting_id != meeting.pk:
        name = row.name if row is not None else actor.display_name
        raise DomainError(f"{name}不是本次会议的应到人员。", field="code")
    _check_code(meeting, code, key, now)
    with transaction.atomic():
        row = MeetingAttendance.objects.select_for_update().get(pk=row.pk)
        if row.member_id and not eligible_members(meeting.org).filter(pk=row.member_id).exists():
            raise DomainError(
                f"{row.name}不是本次会议的应到人员（已不在{roster_label(meeting.org)}名单中）。"
            )
        if row.status == Attendance.PRESENT:
            raise DomainError(f"{row.name}已签到（{_hm(row.signed_in_at or now)}）。", field="code")
        present = meeting.attendances.filter(status=Attendance.PRESENT).count()
        size = roster_size(meeting)
        if present + 1 > size:
            raise DomainError(f"出席人数将超过{roster_label(meeting.org)}人数（{size}人），请核对。")
        before = _label(row)
        if attendance is not None:
            method = SignInMethod.MANUAL
        elif meeting.online:
            method = SignInMethod.ONLINE
        else:
            method = SignInMethod.QR if by_qr else SignInMethod.CODE
        row.status, row.reason, row.signed_in_at, row.signin_method = Attendance.PRESENT, "", now, method
        row.save()
        audit.record(
            actor,
            "meetings.sign_in",
            meeting,
            org=meeting.org,
            before={row.name: before},
            after={row.name: f"签到（{row.get_signin_method_display()}）"},
            note=f"{row.name}于{_hm(now)}签到",
        )
    cache.delete(key)
    return row


def _check_code(meeting: Meeting, code: str, key: str, now: datetime.datetime) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError("会议已取消，不能签到。", field="code")
    if not meeting.signin_code or meeting.signin_expires_at is None:
        raise DomainError("本次会议尚未开启签到。", field="code")
    given = unicodedata.normalize("NFKC", str(code or "")).strip()
    if not hmac.compare_digest(given.encode(), meeting.signin_code.encode()):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=_rule(RR.SIGNIN_VALID.code, meeting) * 60)
        raise DomainError("签到码不正确。", field="code")
    if meeting.signin_opens_at and now < meeting.signin_opens_at:
        raise DomainError(f"签到尚未开始（{_hm(meeting.signin_opens_at)}起）。", field="code")
    if now > meeting.signin_expires_at:
        raise DomainError("签到码已过期。", field="code")


# --- minutes ---------------------------------------------------------------------------------------


@transaction.atomic
def save_minutes(actor: User, meeting: Meeting, text: str) -> Meeting:
    require(actor, "change", meeting)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError("会议登记为已召开后才能填写会议记录。", field="minutes")
    if meeting.minutes_approved_at:
        raise DomainError("会议记录已审定并锁定；如需修改，请先由书记撤销审定。", field="minutes")
    text = (text or "").strip()
    if not text:
        raise DomainError("请填写会议记录。", field="minutes")
    before = audit.snapshot(meeting)
    meeting.minutes = text
    meeting.save(update_fields=["minutes", "updated_at"])
    audit.record(
        actor, "meetings.minutes", meeting, org=meeting.org, before=before, after=audit.snapshot(meeting)
    )
    return meeting


def _require_approver(actor: User, meeting: Meeting) -> None:
    require(actor, "view", meeting)
    if not may_approve(actor, meeting):
        raise DomainError(approver_for(meeting.org).refusal)


@transaction.atomic
def approve_minutes(actor: User, meeting: Meeting, now: datetime.datetime | None = None) -> Meeting:
    """The secretary (office: its staff; station: its chief) approves; the minutes are then locked."""
    _require_approver(actor, meeting)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError("会议尚未召开，不能审定会议记录。")
    if not meeting.minutes.strip():
        raise DomainError("请先填写会议记录再审定。", field="minutes")
    if meeting.minutes_approved_at:
        raise DomainError("会议记录已审定。")
    before = audit.snapshot(meeting)
    meeting.minutes_approved_by, meeting.minutes_approved_at = actor, now or timezone.now()
    meeting.save(update_fields=["minutes_approved_by", "minutes_approved_at", "updated_at"])
    audit.record(
        actor, "meetings.approve", meeting, org=meeting.org, before=before, after=audit.snapshot(meeting)
    )
    return meeting


@transaction.atomic
def reopen_minutes(actor: User, meeting: Meeting, reason: str) -> Meeting:
    """Unlock approved minutes for a correction; they need approving again afterwards."""
    _require_approver(actor, meeting)
    if not meeting.minutes_approved_at:
        raise DomainError("会议记录尚未审定。")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写撤销审定的原因。", field="reason")
    before = audit.snapshot(meeting)
    meeting.minutes_approved_by, meeting.minutes_approved_at = None, None
    meeting.save(update_fields=["minutes_approved_by", "minutes_approved_at", "updated_at"])
    audit.record(
        actor,
        "meetings.reopen",
        meeting,
        org=meeting.org,
        before=before,
        after=audit.snapshot(meeting),
        note=f"撤销审定：{reason[:200]}",
    )
    return meeting


# --- photos and files ------------------------------------------------------------------------------


@transaction.atomic
def upload_file(actor: User, meeting: Meeting, upload: Any, kind: str = FileKind.PHOTO) -> MeetingFile:
    require(actor, "change", meeting)
    _editable(meeting)
    if upload is None:
        raise DomainError("请选择要上传的文件。", field="file")
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    ext = f".{extension(name)}" if extension(name) else ""
    if ext not in UPLOAD_TYPES:
        raise DomainError("只能上传 jpg、png 图片或 pdf、docx、xlsx 文件。", field="file")
    limit = _rule(RR.FILE_MAX_MB.code, meeting)
    if getattr(upload, "size", 0) > limit * 1024 * 1024:
        raise DomainError(f"单个文件不能超过{limit}MB。", field="file")
    if not content_matches(upload, ext):
        raise DomainError(f"文件内容与扩展名{ext}不符，请上传真实的图片或文档。", field="file")
    if kind not in FileKind.values:
        raise DomainError("请选择材料类别。", field="kind")
    item = MeetingFile.objects.create(
        meeting=meeting, org=meeting.org, kind=kind, file=upload, name=name[:200], uploaded_by=actor
    )
    audit.record(
        actor,
        "meetings.file",
        meeting,
        org=meeting.org,
        after={"file": item.name, "kind": item.get_kind_display()},
        note=f"上传：{item.name}",
    )
    return item


@transaction.atomic
def delete_file(actor: User, item: MeetingFile) -> None:
    meeting = item.meeting
    require(actor, "change", meeting)
    _editable(meeting)
    name, stored = item.name, item.file.name
    storage = item.file.storage
    item.delete()
    audit.record(
        actor, "meetings.file_delete", meeting, org=meeting.org, before={"file": name}, note=f"删除：{name}"
    )
    transaction.on_commit(lambda: storage.delete(stored) if stored and storage.exists(stored) else None)
