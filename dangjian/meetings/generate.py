"""A year of meetings for every org of the generated province, in bulk.

What is written, for the twelve months before `today`'s month and this month up to yesterday:
- every village branch: committee and theme day monthly (the theme day on the branch's fixed day),
  member assembly and lecture quarterly, organisational-life meeting, member appraisal and talks
  yearly; each branch has a diligence drawn once (most 92–100 %, a quarter 75–92 %, one in twenty
  40–70 %), and each meeting it owes happens with that probability — so some branches miss a lecture
  and some committees skip a month, as the compliance engine should find;
- every township office: weekly summary, monthly meeting, quarterly review, annual stock-take;
- every station: its month-end half-day summary;
- attendance only in the first county: every member on the roll at each assembly, lecture, theme day
  and organisational-life meeting (about 20 meetings × the branch's members, ≈0.5 million rows with 100
  members per branch), with a few members who are nearly always absent so "absent three times running"
  has something to find. Attendance for all 100 counties would be ≈50 million rows and hours of COPY.

Deterministic from `plan.seed` (one random generator per county, seeded by its code); ids follow the
table's current maximum. Rows go through `dangjian.members.demo.Table`/`flush`: COPY on PostgreSQL.
About 900,000 meetings for the default province (24,000 branches).
"""

from __future__ import annotations

import calendar
import datetime
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from dangjian.core.dates import add_months, month_start
from dangjian.members.choices import Standing
from dangjian.members.demo import Table, flush
from dangjian.members.models import Member
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind

from .choices import Attendance, MeetingKind, MeetingStatus, SignInMethod
from .models import Meeting, MeetingAttendance

PROVINCE_LABELS: dict[str, str] = {"meeting": "会议", "meeting_attendance": "参会记录"}

SHANGHAI = ZoneInfo("Asia/Shanghai")
MEETING_COLUMNS = (
    "id", "org_id", "kind", "topic", "place", "status", "planned_at", "held_at", "held_on", "online",
    "online_link", "host", "recorder", "agenda", "minutes", "guide_note", "signin_code", "cancel_reason",
    "demo_source", "created_at", "updated_at",
)  # fmt: skip
ATTENDANCE_COLUMNS = (
    "id", "meeting_id", "member_id", "name", "status", "reason", "signed_in_at", "signin_method", "grade",
)  # fmt: skip
ROLL_CALL = frozenset(
    {MeetingKind.MEMBER_ASSEMBLY, MeetingKind.LECTURE, MeetingKind.THEME_DAY, MeetingKind.ORG_LIFE}
)
ABSENCE_REASONS = ("外出务工", "身体不适", "家中有事")
PLACES = {
    OrgKind.TOWNSHIP: "党建办会议室",
    OrgKind.STATION: "党建工作站",
    OrgKind.BRANCH: "村党群服务中心",
}


class Writer:
    """Meeting and attendance rows of one county at a time, flushed after each county."""

    def __init__(self, seed: int, now: datetime.datetime) -> None:
        self.source = f"生成（种子{seed}）"
        self.now = now
        self.meeting = Table(Meeting, MEETING_COLUMNS)
        self.attendance = Table(MeetingAttendance, ATTENDANCE_COLUMNS)
        self.tables = [self.meeting, self.attendance]

    def held(self, org_id: int, org_kind: str, kind: str, topic: str, at: datetime.datetime) -> int:
        pk = self.meeting.take_id()
        self.meeting.add(
            (pk, org_id, kind, topic, PLACES.get(org_kind, ""), MeetingStatus.HELD, at, at, at.date(), False,
             "", "", "", "", "", "", "", "", self.source, self.now, self.now)
        )  # fmt: skip
        return pk

    def attend(self, meeting_id: int, member_id: int, name: str, status: str, at: datetime.datetime) -> None:
        present = status == Attendance.PRESENT
        self.attendance.add(
            (self.attendance.take_id(), meeting_id, member_id, name, status,
             "" if present or status == Attendance.ABSENT else ABSENCE_REASONS[member_id % 3],
             at if present else None, SignInMethod.MANUAL if present else "", "")
        )  # fmt: skip


def _at(rng: random.Random, day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(rng.choice((9, 10, 14, 15)), rng.choice((0, 30))), SHANGHAI
    )


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, m = [], month_start(first)
    while m <= last:
        months.append(m)
        m = add_months(m, 1)
    return months


def _day_in(month: datetime.date, low: int, high: int, rng: random.Random) -> datetime.date:
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=min(last, rng.randint(low, high)))


def _diligence(rng: random.Random) -> float:
    draw = rng.random()
    if draw < 0.05:
        return rng.uniform(0.40, 0.70)
    if draw < 0.30:
        return rng.uniform(0.75, 0.92)
    return rng.uniform(0.92, 1.0)


def insert_province_meetings(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """A year of held meetings for every branch, station and township office of `plan` (see above)."""
    first, last = add_months(month_start(today), -12), today - datetime.timedelta(days=1)
    months = _months(first, last)
    writer = Writer(plan.seed, timezone.now())
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")
    children: dict[int, list[int]] = defaultdict(list)
    for i, o in enumerate(plan.orgs):
        if o.parent is not None:
            children[o.parent].append(i)
    counties = [i for i, o in enumerate(plan.orgs) if o.kind == OrgKind.COUNTY]
    for n, county in enumerate(counties):
        rng = random.Random(f"meetings-{plan.seed}-{plan.orgs[county].code}")
        roll = _roll(plan, org_ids, county, children) if n == 0 else {}
        stack = [county]
        while stack:
            i = stack.pop()
            org, org_id = plan.orgs[i], org_ids[i]
            if org.kind == OrgKind.TOWNSHIP:
                _office(writer, rng, org_id, months, first, last)
            elif org.kind == OrgKind.STATION:
                _station(writer, rng, org_id, months, first, last)
            elif org.kind == OrgKind.BRANCH:
                _branch(writer, rng, org_id, months, first, last, roll.get(org_id, []))
            stack.extend(reversed(children[i]))
        flush(writer.tables)
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SET CONSTRAINTS ALL DEFERRED")
    org_demo.reset_sequences(Meeting, MeetingAttendance)
    return {"meeting": writer.meeting.total, "meeting_attendance": writer.attendance.total}


def _roll(
    plan, org_ids: list[int], county: int, children: dict[int, list[int]]
) -> dict[int, list[tuple[int, str]]]:
    """Members on the roll of the county's branches, by branch id (one query)."""
    branches, stack = [], [county]
    while stack:
        i = stack.pop()
        if plan.orgs[i].kind == OrgKind.BRANCH:
            branches.append(org_ids[i])
        stack.extend(children[i])
    roll: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = (
        Member.objects.filter(org_id__in=branches, standing=Standing.NORMAL)
        .order_by("org_id", "pk")
        .values_list("org_id", "pk", "person__name")
    )
    for org_id, pk, name in rows:
        roll[org_id].append((pk, name))
    return roll


def _office(writer: Writer, rng: random.Random, org_id: int, months, first, last) -> None:
    rate = _diligence(rng)
    kind = OrgKind.TOWNSHIP
    monday = first - datetime.timedelta(days=first.weekday())
    while monday <= last:
        day = monday + datetime.timedelta(days=rng.choice((3, 4)))  # Thursday or Friday
        if first <= day <= last and rng.random() < rate:
            writer.held(
                org_id, kind, MeetingKind.OFFICE_WEEKLY, f"{day.month}月{day.day}日周小结", _at(rng, day)
            )
        monday += datetime.timedelta(days=7)
    for month in months:
        day = _day_in(month, 25, 28, rng)
        if day <= last and rng.random() < rate:
            writer.held(
                org_id, kind, MeetingKind.OFFICE_MONTHLY, f"{month.month}月党建工作例会", _at(rng, day)
            )
        if month.month % 3 == 0:
            day = _day_in(month, 20, 27, rng)
            if day <= last and rng.random() < rate:
                topic = f"第{(month.month - 1) // 3 + 1}季度党建工作总结"
                writer.held(org_id, kind, MeetingKind.OFFICE_QUARTERLY, topic, _at(rng, day))
        if month.month == 12:
            day = _day_in(month, 22, 29, rng)
            if day <= last and rng.random() < rate:
                writer.held(
                    org_id, kind, MeetingKind.OFFICE_ANNUAL, f"{month.year}年党建工作年终盘点", _at(rng, day)
                )


def _station(writer: Writer, rng: random.Random, org_id: int, months, first, last) -> None:
    rate = _diligence(rng)
    for month in months:
        day = _day_in(month, 26, 31, rng)
        if day <= last and rng.random() < rate:
            topic = f"{month.month}月半日工作小结"
            writer.held(org_id, OrgKind.STATION, MeetingKind.STATION_MONTHLY, topic, _at(rng, day))


def _branch(writer: Writer, rng: random.Random, org_id: int, months, first, last, roll) -> None:
    rate = _diligence(rng)
    theme_day = rng.randint(1, 28)  # 主题党日：每月相对固定1天
    absentees = {pk for pk, _ in roll if rng.random() < 0.03}
    kind = OrgKind.BRANCH

    def hold(meeting_kind: str, topic: str, day: datetime.date) -> None:
        if not first <= day <= last or rng.random() >= rate:
            return
        at = _at(rng, day)
        pk = writer.held(org_id, kind, meeting_kind, topic, at)
        if roll and meeting_kind in ROLL_CALL:
            for member_id, name in roll:
                draw = rng.random()
                if member_id in absentees:
                    status = Attendance.ABSENT if draw < 0.85 else Attendance.PRESENT
                elif draw < 0.05:
                    status = Attendance.ABSENT
                elif draw < 0.12:
                    status = Attendance.EXCUSED
                else:
                    status = Attendance.PRESENT
                writer.attend(pk, member_id, name, status, at)

    for month in months:
        hold(MeetingKind.COMMITTEE, f"{month.month}月支委会", _day_in(month, 3, 10, rng))
        hold(MeetingKind.THEME_DAY, f"{month.month}月主题党日", _day_in(month, theme_day, theme_day, rng))
        if month.month % 3 == 0:
            quarter = (month.month - 1) // 3 + 1
            hold(MeetingKind.MEMBER_ASSEMBLY, f"第{quarter}季度党员大会", _day_in(month, 10, 25, rng))
            hold(MeetingKind.LECTURE, f"第{quarter}季度党课", _day_in(month, 5, 28, rng))
        if month.month == 12:
            hold(MeetingKind.ORG_LIFE, f"{month.year}年度组织生活会", _day_in(month, 15, 28, rng))
            hold(MeetingKind.APPRAISAL, f"{month.year}年度民主评议党员", _day_in(month, 15, 28, rng))
        if month.month == 7:
            hold(MeetingKind.TALK, f"{month.year}年谈心谈话", _day_in(month, 1, 28, rng))
