"""The meetings app's part of the demo counties and of the generated province.

A year of organisational life (December 2025 to today, a few meetings planned ahead), invented at the
frequencies the 支部工作条例 sets, for every village branch of 老牛湾镇 and 安定镇; the routine meetings
of 老牛湾镇's office (周小结、月例会、季总结、年盘点, seed 001); and the monthly half-day summaries of
五里镇's stations in 宜君县 (seed 002: 老牛湾镇 itself has no stations). Attendance comes from the
roster with realistic gaps: some branches miss a lecture in a quarter, some committees skip a month,
one member of 老牛湾村 is absent three meetings running, members who lost contact are absent, and a
couple of meetings still wait for their minutes to be approved.

The rows are written in bulk (some 2,000 meetings and 50,000 attendance rows would take minutes through
the services) with one audit event per township; rows are marked `demo_source` so nobody takes them for
real records. A second run creates nothing: an org that has demo meetings is left alone.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.roles import WORKERS
from dangjian.members.choices import Standing
from dangjian.members.demo import Table, flush
from dangjian.members.models import Member
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import generate
from .choices import AppraisalGrade, Attendance, MeetingKind, MeetingStatus, SignInMethod
from .models import Meeting, MeetingAttendance

DEMO_SOURCE = "虚构（按条例频次生成）"
DEMO_LABELS: tuple[str, ...] = ("会议", "参会记录")
PROVINCE_LABELS: dict[str, str] = generate.PROVINCE_LABELS
START = datetime.date(2025, 12, 1)
BRANCH_TOWNSHIPS = ("老牛湾镇", "安定镇")
OFFICE_TOWNSHIP = "老牛湾镇"
STATION_TOWNSHIP = "五里镇"
SECRETARY_LOGIN, OFFICE_LOGIN = "secretary_laoniuwan", "office_laoniuwan"
COMMITTEE_SIZE = 5  # invented 支委: the first members of each branch's roll

# The gaps the compliance engine should find (the other branches get a few at random).
MISSED_LECTURES = {"麦虎村": (2026, 1), "阳洼子村": (2026, 2)}
SKIPPED_COMMITTEES = {"滑石村": (2026, 2), "柏林峁村": (2026, 7)}
UNAPPROVED = (("老牛湾村", MeetingKind.THEME_DAY), ("乾坤湾村", MeetingKind.COMMITTEE))
ABSENT_RUNNING = ("老牛湾村", 3)

THEMES = {
    1: "学习贯彻党的创新理论",
    2: "新春走访慰问困难党员和老党员",
    3: "学雷锋志愿服务",
    4: "清明缅怀革命先烈",
    5: "劳动志愿服务 助力春耕",
    6: "学习党章党规",
    7: "庆祝中国共产党成立105周年 重温入党誓词",
    8: "发展壮大村集体经济",
    9: "秋收助农 乡村振兴",
    10: "爱国主义教育",
    11: "冬季防火和安全生产宣传",
    12: "年终工作回顾 集中交纳党费",
}
LECTURES = (
    "书记讲党课：学习贯彻党的二十届四中全会精神",
    "书记讲党课：新时代党员如何发挥先锋模范作用",
    "党课：学习《中国共产党农村基层组织工作条例》",
    "党课：从老牛湾的变化看乡村振兴",
    "党课：严守纪律规矩 树立清风正气",
)
ABSENCE = ("外出务工", "生病住院", "家中有事", "年老体弱行动不便", "照顾病人")
OFFICE_LEAVE = ("下村开展工作", "参加县里培训", "外出学习", "病假")


@dataclass
class Roll:
    """A branch's members as the generator needs them (one query for every branch)."""

    members: list[dict[str, Any]] = field(default_factory=list)

    def on(self, day: datetime.date, group: int | None = None) -> list[dict[str, Any]]:
        return [
            m for m in self.members if m["joined_on"] <= day and (group is None or m["group_id"] == group)
        ]


class Person(NamedTuple):
    """One expected attendee of a planned meeting and how they did."""

    member: dict[str, Any] | None
    user: User | None
    name: str
    status: str = Attendance.EXPECTED
    reason: str = ""
    method: str = ""
    grade: str = ""


@dataclass
class Planned:
    """A meeting to write, with its attendees and who came to guide."""

    meeting: Meeting
    people: list[Person] = field(default_factory=list)
    guides: list[int] = field(default_factory=list)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _months(today: datetime.date) -> Iterator[datetime.date]:
    first = START
    while first <= today.replace(day=1):
        yield first
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    yield first  # next month: a few meetings planned ahead


def _quarter(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _last_weekday(first: datetime.date) -> datetime.date:
    day = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


class Builder:
    """Collects the meetings of one run; `status` follows the day (past: held, future: planned)."""

    def __init__(self, today: datetime.date, now: datetime.datetime, creator: User) -> None:
        self.today, self.now, self.creator = today, now, creator
        self.items: list[Planned] = []

    def add(self, org: Org, kind: str, when: datetime.datetime, topic: str, **extra: Any) -> Planned | None:
        day = timezone.localdate(when)
        if day > self.today + datetime.timedelta(days=45):
            return None
        held = when < self.now and day < self.today
        meeting = Meeting(
            org=org,
            kind=kind,
            topic=topic,
            planned_at=when,
            status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
            held_at=when + datetime.timedelta(minutes=extra.pop("late", 0)) if held else None,
            held_on=day if held else None,
            created_by=self.creator,
            demo_source=DEMO_SOURCE,
            **extra,
        )
        item = Planned(meeting)
        self.items.append(item)
        return item


def _attend(rng: random.Random, item: Planned, people: list[dict[str, Any]], appraisal: bool = False) -> None:
    held = item.meeting.status == MeetingStatus.HELD
    for m in people:
        status, reason, method, grade = Attendance.EXPECTED, "", "", ""
        if held:
            roll = rng.random()
            if m["lost_contact_since"] and m["lost_contact_since"] <= item.meeting.held_on:
                status, reason = Attendance.ABSENT, "失去联系"
            elif m["is_mobile"]:
                if roll < 0.6:
                    status, method = Attendance.PRESENT, SignInMethod.ONLINE
                else:
                    status, reason = Attendance.EXCUSED, "流动在外，已请假"
            elif roll < 0.84:
                status = Attendance.PRESENT
                method = SignInMethod.CODE if rng.random() < 0.5 else SignInMethod.MANUAL
            elif roll < 0.95:
                status, reason = Attendance.EXCUSED, rng.choice(ABSENCE)
            else:
                status, reason = Attendance.ABSENT, rng.choice(ABSENCE)
            if appraisal:
                grade = AppraisalGrade.EXCELLENT if rng.random() < 0.15 else AppraisalGrade.QUALIFIED
        item.people.append(Person(m, None, m["name"], status, reason, method, grade))


def _branch_year(
    b: Builder, org: Org, roll: Roll, groups: list[Org], host: str, guides: list[int], today: datetime.date
) -> None:
    rng = random.Random(f"meetings-{org.code}")
    theme_day = rng.choice((5, 8, 10, 12, 15))
    missed_lecture = MISSED_LECTURES.get(org.name)
    skipped = SKIPPED_COMMITTEES.get(org.name)
    if org.name not in MISSED_LECTURES and rng.random() < 0.2:
        missed_lecture = (2026, rng.randint(1, 3))
    if org.name not in SKIPPED_COMMITTEES and rng.random() < 0.2:
        skipped = (2026, rng.randint(1, 10))
    common = {"place": f"{org.name}党员活动室", "host": host, "recorder": "支部组织委员"}
    guide_quarters = {q: guides[(q + org.pk) % len(guides)] for q in range(1, 5)} if guides else {}
    for first in _months(today):
        day = first.replace(day=theme_day)
        item = b.add(
            org,
            MeetingKind.THEME_DAY,
            _at(day, 9),
            f"{first.month}月主题党日：{THEMES[first.month]}",
            **common,
        )
        if item:
            _attend(rng, item, roll.on(day))
            q = _quarter(day)
            if q[0] == 2026 and q[1] in guide_quarters and first.month % 3 == 2:
                item.guides.append(guide_quarters[q[1]])
                item.meeting.guide_note = (
                    "主题党日程序规范；建议会前将学习材料发到党员微信群，方便流动党员线上参加。"
                )
        if skipped != (first.year, first.month):
            cday = first.replace(day=theme_day - 2)
            item = b.add(
                org,
                MeetingKind.COMMITTEE,
                _at(cday, 19, 30),
                f"{first.month}月支委会：研究本月党建和村务工作",
                **common,
            )
            if item:
                _attend(rng, item, roll.on(cday)[:COMMITTEE_SIZE])
        for i, group in enumerate(groups):
            gday = first.replace(day=theme_day + 1 + i)
            item = b.add(
                group,
                MeetingKind.GROUP,
                _at(gday, 14),
                f"{first.month}月党小组学习会",
                place=f"{group.name}组长家",
                host="党小组组长",
            )
            if item:
                _attend(rng, item, roll.on(gday, group.pk))
        if first.month % 3 == 2 and _quarter(first) != missed_lecture:
            lday = first.replace(day=18)
            item = b.add(org, MeetingKind.LECTURE, _at(lday, 9, 30), rng.choice(LECTURES), **common)
            if item:
                _attend(rng, item, roll.on(lday))
        if first.month % 3 == 0:
            aday = first.replace(day=25)
            y, q = _quarter(first)
            topic = f"{y}年第{q}季度党员大会：通报支部工作，讨论村级重要事项"
            item = b.add(org, MeetingKind.MEMBER_ASSEMBLY, _at(aday, 9), topic, **common)
            if item:
                _attend(rng, item, roll.on(aday))
        if first.month == 11 or first == START:  # talks ahead of the year's organisational-life meeting
            tday = first.replace(day=20)
            item = b.add(
                org, MeetingKind.TALK, _at(tday, 15), f"{first.year}年度支委与党员谈心谈话", **common
            )
            if item:
                _attend(rng, item, roll.on(tday))
        if first.month == 12:
            oday = first.replace(day=27)
            for kind, day, topic, hour in (
                (MeetingKind.ORG_LIFE, oday, f"{first.year}年度组织生活会：对照检查 相互批评", 9),
                (MeetingKind.APPRAISAL, oday, f"{first.year}年度民主评议党员", 14),
            ):
                item = b.add(org, kind, _at(day, hour), topic, **common)
                if item:
                    _attend(rng, item, roll.on(day), appraisal=kind == MeetingKind.APPRAISAL)


def _office_year(b: Builder, org: Org, staff: list[User], today: datetime.date) -> None:
    rng = random.Random(f"meetings-office-{org.code}")
    common = {"place": "镇党建办会议室", "host": "党建办主任", "recorder": "综合岗"}

    def attend(item: Planned | None) -> None:
        if item is None:
            return
        for u in staff:
            status, reason, method = Attendance.EXPECTED, "", ""
            if item.meeting.status == MeetingStatus.HELD:
                if rng.random() < 0.9:
                    status, method = Attendance.PRESENT, SignInMethod.CODE
                else:
                    status, reason = Attendance.EXCUSED, rng.choice(OFFICE_LEAVE)
            item.people.append(Person(None, u, u.display_name, status, reason, method))

    day, week = START, 0
    while day.weekday() != 4:
        day += datetime.timedelta(days=1)
    while day <= today + datetime.timedelta(days=7):
        week += 1
        if not datetime.date(2026, 2, 13) <= day <= datetime.date(2026, 2, 20):  # 春节
            attend(b.add(org, MeetingKind.OFFICE_WEEKLY, _at(day, 16, 30), f"第{week}周工作小结", **common))
        day += datetime.timedelta(days=7)
    for first in _months(today):
        monday = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
        attend(
            b.add(org, MeetingKind.OFFICE_MONTHLY, _at(monday, 9), f"{first.month}月党建工作例会", **common)
        )
        if first.month % 3 == 0:
            y, q = _quarter(first)
            attend(
                b.add(
                    org,
                    MeetingKind.OFFICE_QUARTERLY,
                    _at(first.replace(day=26), 15),
                    f"{y}年第{q}季度党建工作总结会",
                    **common,
                )
            )
        if first.month == 12:
            attend(
                b.add(
                    org,
                    MeetingKind.OFFICE_ANNUAL,
                    _at(first.replace(day=29), 9),
                    f"{first.year}年度党建工作盘点会",
                    **common,
                )
            )


def _station_year(b: Builder, org: Org, staff: list[User], today: datetime.date) -> None:
    for first in _months(today):
        item = b.add(
            org,
            MeetingKind.STATION_MONTHLY,
            _at(_last_weekday(first), 14, 30),
            f"{first.month}月工作小结（月底半日）",
            place=f"{org.name}",
            host="站长",
        )
        if item:
            for u in staff:
                status = (
                    Attendance.PRESENT if item.meeting.status == MeetingStatus.HELD else Attendance.EXPECTED
                )
                method = SignInMethod.CODE if status == Attendance.PRESENT else ""
                item.people.append(Person(None, u, u.display_name, status, "", method))


def _absent_running(items: list[Planned], org: Org, count: int) -> None:
    """One member who missed the last `count` held meetings they were expected at."""
    mine = sorted(
        (
            i
            for i in items
            if org.pk in (i.meeting.org_id, i.meeting.org.parent_id)
            and i.meeting.status == MeetingStatus.HELD
            and i.people
        ),
        key=lambda i: i.meeting.held_at,
    )
    last = [p.member for p in (mine[-1].people if mine else []) if p.member]
    candidates = [m for m in last if not m["is_mobile"] and not m["lost_contact_since"]]
    if not candidates:
        return
    target, found = candidates[len(candidates) // 2], 0
    for item in reversed(mine):
        for i, p in enumerate(item.people):
            if p.member is target:
                item.people[i] = p._replace(status=Attendance.ABSENT, reason="未请假，未说明原因", method="")
                found += 1
        if found >= count:
            break


def _minutes(items: list[Planned], approvers: dict[int, User | None]) -> None:
    latest: dict[tuple[int, str], Planned] = {}
    for item in items:
        m = item.meeting
        if m.status != MeetingStatus.HELD:
            continue
        present = sum(1 for p in item.people if p.status == Attendance.PRESENT)
        m.minutes = (
            f"会议由{m.host or '负责人'}主持，应到{len(item.people)}人，实到{present}人。\n"
            f"议题：{m.topic}。\n与会人员进行了学习讨论，明确了下一步工作安排。"
        )
        m.minutes_approved_by = approvers.get(m.org_id)
        m.minutes_approved_at = m.held_at + datetime.timedelta(days=1)
        key = (m.org_id, m.kind)
        if key not in latest or latest[key].meeting.held_at < m.held_at:
            latest[key] = item
    names = {item.meeting.org_id: item.meeting.org.name for item in items}
    for (org_id, kind), item in latest.items():
        if (names[org_id], kind) in UNAPPROVED:
            item.meeting.minutes_approved_by = item.meeting.minutes_approved_at = None


ATTENDANCE_COLUMNS = (
    "id", "meeting_id", "member_id", "user_id", "name", "status", "reason", "signed_in_at", "signin_method",
    "grade",
)  # fmt: skip


def _write(items: list[Planned]) -> tuple[int, int]:
    """Meetings through bulk_create (they need their ids back); their 50,000-odd attendance rows
    through the members demo's bulk writer (COPY on PostgreSQL), several times faster."""
    Meeting.objects.bulk_create([i.meeting for i in items], batch_size=500)
    table = Table(MeetingAttendance, ATTENDANCE_COLUMNS)
    guides = []
    for item in items:
        m = item.meeting
        for p in item.people:
            signed = p.status == Attendance.PRESENT and p.method != SignInMethod.MANUAL
            table.add(
                (
                    table.take_id(),
                    m.pk,
                    p.member["pk"] if p.member else None,
                    p.user.pk if p.user else None,
                    p.name[:30],
                    p.status,
                    p.reason,
                    m.held_at if signed else None,
                    p.method,
                    p.grade,
                )
            )
        guides += [Meeting.guided_by.through(meeting_id=m.pk, user_id=u) for u in item.guides]
    flush([table])
    org_demo.reset_sequences(MeetingAttendance)
    Meeting.guided_by.through.objects.bulk_create(guides, batch_size=500)
    return len(items), table.total


def _rolls(branches: list[Org]) -> dict[int, Roll]:
    rolls: dict[int, Roll] = defaultdict(Roll)
    for m in (
        Member.objects.filter(org__in=branches, standing=Standing.NORMAL)
        .order_by("org_id", "pk")
        .values("pk", "org_id", "group_id", "joined_on", "is_mobile", "lost_contact_since", "person__name")
    ):
        m["name"] = m.pop("person__name")
        rolls[m["org_id"]].members.append(m)
    return rolls


def _staff(org: Org) -> list[User]:
    return list(
        User.objects.filter(is_active=True, roles__org=org, roles__role__in=WORKERS).distinct().order_by("pk")
    )


@transaction.atomic
def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Add this app's demo rows (idempotent: an org that already has demo meetings is left alone)."""
    today = today or timezone.localdate()
    codes = [org_demo.code_of(n) for n in (*BRANCH_TOWNSHIPS, STATION_TOWNSHIP)]
    townships = {o.name: o for o in Org.objects.filter(code__in=codes)}
    if not townships:
        return
    done = set(Meeting.objects.filter(demo_source=DEMO_SOURCE).values_list("org_id", flat=True).distinct())
    if done:
        skipped["会议"] += Meeting.objects.filter(demo_source=DEMO_SOURCE).count()
        skipped["参会记录"] += MeetingAttendance.objects.filter(meeting__demo_source=DEMO_SOURCE).count()
    users = {u.username: u for u in User.objects.filter(username__in=(SECRETARY_LOGIN, OFFICE_LOGIN))}
    office_user = users.get(OFFICE_LOGIN) or admin
    for name, township in townships.items():
        b = Builder(today, timezone.now(), office_user if name == OFFICE_TOWNSHIP else admin)
        approvers: dict[int, User | None] = {}
        under = Org.objects.filter(path__startswith=township.path, archived_at__isnull=True).order_by("path")
        if name in BRANCH_TOWNSHIPS:
            branches = [o for o in under if o.kind == OrgKind.BRANCH and o.pk not in done]
            groups = defaultdict(list)
            for g in under:
                if g.kind == OrgKind.GROUP:
                    groups[g.parent_id].append(g)
            rolls = _rolls(branches)
            staff = _staff(township) if name == OFFICE_TOWNSHIP else []
            guides = [u.pk for u in staff]
            for org in branches:
                host = (
                    users[SECRETARY_LOGIN].display_name
                    if org.name == "老牛湾村" and SECRETARY_LOGIN in users
                    else "村党支部书记"
                )
                _branch_year(b, org, rolls[org.pk], groups[org.pk], host, guides, today)
                if org.name == "老牛湾村":
                    approvers[org.pk] = users.get(SECRETARY_LOGIN)
                if org.name == ABSENT_RUNNING[0]:
                    _absent_running(b.items, org, ABSENT_RUNNING[1])
            if name == OFFICE_TOWNSHIP and township.pk not in done:
                _office_year(b, township, staff, today)
                approvers[township.pk] = office_user if office_user is not admin else None
        if name == STATION_TOWNSHIP:
            for station in (o for o in under if o.kind == OrgKind.STATION and o.pk not in done):
                _station_year(b, station, _staff(station), today)
        if not b.items:
            continue
        _minutes(b.items, approvers)
        meetings, rows = _write(b.items)
        created["会议"] += meetings
        created["参会记录"] += rows
        audit.record(
            admin,
            "meetings.demo",
            township,
            org=township,
            after={"meetings": meetings, "attendances": rows},
            note=f"载入演示会议{meetings}次、参会记录{rows}条（{DEMO_SOURCE}，批量写入）",
        )


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """A year of meetings for every branch and office of the generated province (see generate.py)."""
    return generate.insert_province_meetings(plan, org_ids, today)
