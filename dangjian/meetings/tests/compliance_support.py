"""Helpers of the compliance tests: meetings written straight to the table (held_on set as the
services set it: the Asia/Shanghai date of held_at), full members, a township office."""

from __future__ import annotations

import datetime
import itertools
from zoneinfo import ZoneInfo

from django.utils import timezone

from dangjian.meetings.choices import Attendance, MeetingStatus
from dangjian.meetings.compliance import Compliance, Period, evaluate
from dangjian.meetings.models import Meeting, MeetingAttendance
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member
from dangjian.members.testing import add_member
from dangjian.orgs.models import Office, Org

SHANGHAI = ZoneInfo("Asia/Shanghai")
_seq = itertools.count(200)


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def meeting(
    org: Org,
    kind: str,
    day: datetime.date,
    *,
    hour: int = 9,
    minute: int = 0,
    status: str = MeetingStatus.HELD,
    topic: str = "",
) -> Meeting:
    when = at(day, hour, minute)
    held = status == MeetingStatus.HELD
    return Meeting.objects.create(
        org=org,
        kind=kind,
        topic=topic or f"{org.name}{kind}",
        status=status,
        planned_at=when,
        held_at=when if held else None,
        held_on=timezone.localdate(when) if held else None,
    )


def full_members(org: Org, n: int, status: str = MemberStatus.FULL, **extra) -> list[Member]:
    return [add_member(org, f"{org.name}党员{i}", next(_seq), status=status, **extra) for i in range(n)]


def attend(m: Meeting, member: Member, status: str = Attendance.PRESENT) -> MeetingAttendance:
    return MeetingAttendance.objects.create(meeting=m, member=member, name=member.person.name, status=status)


def office(township: Org) -> Office:
    return Office.objects.get_or_create(township=township, defaults={"name": f"{township.name}党建办"})[0]


def pin_today(monkeypatch, day: datetime.date) -> None:
    """The pages' today is `day`; localdate(value) of a given moment still converts it."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def run(org: Org, period: str, today: datetime.date, **kw) -> Compliance:
    return evaluate([org.path], Period.parse(period), today, **kw)


def cell(org: Org, code: str, period: str, today: datetime.date):
    """The org's own cell of rule `code` (None when it does not owe it)."""
    result = run(org, period, today)
    return result.orgs[org.pk].own.get(code)
