"""The only place this app writes: each function is one thing a person does, in one transaction with its
permission check, its validation (DomainError in Chinese, nothing written) and its audit row."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import DomainError
from dangjian.core.rules import rule_value
from dangjian.core.scope import require
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of

from . import rules as R
from .choices import CallOutKind, TeamKind
from .models import Attendance, CallOut, Team, TeamMember

TEAM_ORG_KINDS = frozenset({OrgKind.TOWNSHIP, OrgKind.STATION, OrgKind.BRANCH, OrgKind.COMMUNITY})
TENTH = Decimal("0.1")


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _text(value: Any, label: str, field: str, limit: int, *, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise DomainError(f"请填写{label}。", field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过{limit}个字。", field)
    return text


def _past_date(value: Any, label: str, field: str, today: datetime.date) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise DomainError(f"请填写{label}。", field)
    if value > today:
        raise DomainError(f"{label}不能晚于今天。", field)
    return value


def _moment(value: Any, label: str, field: str) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        raise DomainError(f"请填写{label}。", field)
    return value if timezone.is_aware(value) else timezone.make_aware(value)


# --- teams -----------------------------------------------------------------------------------------


def create_team(
    actor,
    org: Org,
    *,
    name: Any,
    kind: Any,
    founded_on: Any,
    focus: Any = "",
    leader_name: Any = "",
    today: datetime.date | None = None,
) -> Team:
    """Set up a volunteer service team or an emergency team (突击队) of a township or village."""
    if org.kind not in TEAM_ORG_KINDS:
        raise DomainError("志愿服务队按乡镇、党建工作站或村（社区）组建。", "org")
    team = Team(org=org)
    require(actor, "change", team)
    if kind not in TeamKind.values:
        raise DomainError("请选择队伍类型。", "kind")
    team.kind = kind
    team.name = _text(name, "队名", "name", 60)
    team.focus = _text(focus, "服务内容", "focus", 200, required=False)
    team.leader_name = _text(leader_name, "队长", "leader_name", 40, required=False)
    team.founded_on = _past_date(founded_on, "组建日期", "founded_on", _today(today))
    with transaction.atomic():
        if Team.objects.filter(org=org, name=team.name).exists():
            raise DomainError(f"{org.name}已有名为“{team.name}”的队伍。", "name")
        team.save()
        audit.record(actor, "volunteers.team.create", team, org=org, after=snapshot(team))
    return team


def enrol(
    actor,
    team: Team,
    *,
    joined_on: Any,
    member: Member | None = None,
    name: Any = "",
    phone: Any = "",
    today: datetime.date | None = None,
) -> TeamMember:
    """Enrol a party member from the roster, or a resident by name, in a team."""
    require(actor, "change", team)
    joined_on = _past_date(joined_on, "入队日期", "joined_on", _today(today))
    if joined_on < team.founded_on:
        raise DomainError(f"入队日期不能早于组建日期（{team.founded_on:%Y-%m-%d}）。", "joined_on")
    if member is not None:
        if not Member.objects.restrict(actor).filter(pk=member.pk).exists():
            raise DomainError("所选党员不存在或不在您的管辖范围内。", "member")
        if not member.org.path.startswith(team.org.path):
            raise DomainError(f"{member}不是{team.org.name}的党员，不能加入本队。", "member")
        name = member.person.name
    row = TeamMember(
        team=team,
        org=team.org,
        member=member,
        name=_text(name, "姓名", "name", 40),
        phone=_text(phone, "联系电话", "phone", 20, required=False),
        joined_on=joined_on,
    )
    with transaction.atomic():
        active = TeamMember.objects.filter(team=team, left_on__isnull=True)
        same = active.filter(member=member) if member else active.filter(member__isnull=True, name=row.name)
        if same.exists():
            raise DomainError(f"{row.name}已是本队队员。", "member" if member else "name")
        row.save()
        audit.record(actor, "volunteers.member.enrol", row, org=team.org, after=snapshot(row))
    return row


def leave_team(actor, row: TeamMember, *, left_on: Any, today: datetime.date | None = None) -> TeamMember:
    require(actor, "change", row)
    if row.left_on is not None:
        raise DomainError(f"{row.name}已于{row.left_on:%Y-%m-%d}离队。", "left_on")
    left_on = _past_date(left_on, "离队日期", "left_on", _today(today))
    if left_on < row.joined_on:
        raise DomainError(f"离队日期不能早于入队日期（{row.joined_on:%Y-%m-%d}）。", "left_on")
    with transaction.atomic():
        before = snapshot(row)
        row.left_on = left_on
        row.save(update_fields=["left_on"])
        audit.record(actor, "volunteers.member.leave", row, org=row.org, before=before, after=snapshot(row))
    return row


# --- call-outs ---------------------------------------------------------------------------------------


def create_callout(
    actor,
    team: Team,
    *,
    kind: Any,
    starts_at: Any,
    ends_at: Any,
    place: Any,
    task: Any,
    members: Iterable[TeamMember],
    practice_station: Any = "",
    note: Any = "",
) -> CallOut:
    """Call a team out: time, place, task and the members called (at least one, all of this team)."""
    require(actor, "change", team)
    if kind not in CallOutKind.values:
        raise DomainError("请选择出动类别。", "kind")
    called = list({m.pk: m for m in members}.values())
    active = {m.pk: m for m in TeamMember.objects.filter(team=team, left_on__isnull=True)}
    if not active:
        raise DomainError(f"{team.name}尚无在队队员，不能出动：请先登记队员。", "members")
    if not called:
        raise DomainError("出动须至少点名一名队员。", "members")
    outsiders = [m.name for m in called if m.pk not in active]
    if outsiders:
        raise DomainError(f"{'、'.join(outsiders)}不是{team.name}的在队队员，不能点名出动。", "members")
    start = _moment(starts_at, "开始时间", "starts_at")
    end = _moment(ends_at, "结束时间", "ends_at")
    if end <= start:
        raise DomainError("结束时间须晚于开始时间。", "ends_at")
    station = _text(practice_station, "新时代文明实践站", "practice_station", 60, required=False)
    if kind == CallOutKind.PRACTICE and not station:
        raise DomainError("文明实践活动须填写所在的新时代文明实践所（站）。", "practice_station")
    callout = CallOut(
        team=team,
        org=team.org,
        kind=kind,
        starts_at=start,
        ends_at=end,
        place=_text(place, "地点", "place", 120),
        task=_text(task, "任务", "task", 300),
        practice_station=station,
        note=_text(note, "情况说明", "note", 500, required=False),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    with transaction.atomic():
        callout.save()
        Attendance.objects.bulk_create(
            Attendance(callout=callout, team_member=m, org=team.org, called=True) for m in called
        )
        after = snapshot(callout) | {"called": sorted(m.name for m in called)}
        audit.record(actor, "volunteers.callout.create", callout, org=team.org, after=after)
    return callout


def hour_limit(callout: CallOut) -> tuple[Decimal, Decimal]:
    """Most hours one person may be credited for a call-out (its span, and the per-day cap times the days
    it covers), and the per-day cap in force for its county."""
    start, end = timezone.localtime(callout.starts_at), timezone.localtime(callout.ends_at)
    days = (end.date() - start.date()).days + (0 if end.time() == datetime.time(0) else 1)
    per_day = Decimal(str(rule_value(R.MAX_HOURS_PER_DAY.code, county_of(callout.org))))
    span = Decimal(str(round(callout.duration_hours, 1)))
    return min(span, per_day * max(days, 1)), per_day


def _hours(value: Any, name: str) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(TENTH)
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(f"{name}的服务时长须为数字（小时）。", "hours") from exc
    if hours <= 0:
        raise DomainError(f"{name}的服务时长须大于0小时；未到岗的不必登记。", "hours")
    return hours


def record_attendance(
    actor,
    callout: CallOut,
    present: Iterable[tuple[TeamMember, Any]],
    *,
    now: datetime.datetime | None = None,
) -> CallOut:
    """Record who turned up and for how long; members called but not listed are marked absent."""
    require(actor, "change", callout)
    now = now or timezone.now()
    if callout.starts_at > now:
        raise DomainError("出动尚未开始，不能登记到岗。", "hours")
    rows = list(present)
    limit, per_day = hour_limit(callout)
    seen: set[int] = set()
    values: dict[int, tuple[TeamMember, Decimal]] = {}
    for tm, raw in rows:
        if tm.team_id != callout.team_id:
            raise DomainError(f"{tm.name}不是{callout.team.name}的队员，不能登记到岗。", "members")
        if tm.left_on is not None and tm.left_on < timezone.localtime(callout.starts_at).date():
            raise DomainError(f"{tm.name}已于{tm.left_on:%Y-%m-%d}离队，不能登记到岗。", "members")
        if tm.pk in seen:
            raise DomainError(f"{tm.name}重复登记。", "members")
        seen.add(tm.pk)
        hours = _hours(raw, tm.name)
        if hours > limit:
            raise DomainError(
                f"{tm.name}登记{hours}小时，超过本次出动可登记的上限{limit}小时"
                f"（出动起止时长，且每天至多{per_day}小时）。",
                "hours",
            )
        values[tm.pk] = (tm, hours)
    with transaction.atomic():
        existing = {a.team_member_id: a for a in Attendance.objects.filter(callout=callout)}
        before = {str(a.team_member_id): str(a.hours) for a in existing.values() if a.present}
        changed = []
        for pk, a in existing.items():
            tm_hours = values.get(pk)
            a.present, a.hours = (True, tm_hours[1]) if tm_hours else (False, Decimal(0))
            changed.append(a)
        Attendance.objects.bulk_update(changed, ["present", "hours"])
        Attendance.objects.bulk_create(
            Attendance(callout=callout, team_member=tm, org=callout.org, called=False, present=True, hours=h)
            for pk, (tm, h) in values.items()
            if pk not in existing
        )
        after = {str(pk): str(h) for pk, (_, h) in values.items()}
        audit.record(
            actor, "volunteers.attendance.record", callout, org=callout.org, before=before, after=after
        )
    return callout
