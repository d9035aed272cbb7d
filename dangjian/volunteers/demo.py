"""This app's part of the demo counties (seed 001, 偏关县老牛湾镇), written through the services so it has
its audit trail; idempotent by (org, team name).

From the report (source 001): 老牛湾镇 "组织成立党员志愿服务队在节假日期间下沉景区路口、售票处、停车场等
人员密集处开展人车疏导、秩序维持和应急便民服务", "组建汛期党员突击队1个", and "依托新时代文明实践所（站），
开展政策宣传、志愿服务等活动……推动移风易俗，积极倡导孝老敬老". The teams' names and tasks follow that text
(`demo_source` = 001). Invented (`demo_source` says so): the leaders, the two residents, every call-out's day
and hours (the May Day and National Day holidays, the 七下八上 flood peak), and who turned up. The members
are the demo's own 老牛湾镇 members (themselves invented)."""

from __future__ import annotations

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

from django.utils import timezone

from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import services
from .choices import CallOutKind, TeamKind
from .generate import PROVINCE_LABELS, insert_province  # noqa: F401  (the generator's entry point)
from .models import CallOut, Team

DEMO_LABELS: tuple[str, ...] = ("志愿服务队", "队员", "出动记录")
S001 = "001 老牛湾镇"
INVENTED = "（演示虚构）"
SHANGHAI = ZoneInfo("Asia/Shanghai")
SCENIC = "老牛湾景区"
STATION = "老牛湾村新时代文明实践站"
# name, kind, where (None: the township), focus, leader (invented)
TEAMS = (
    (
        "老牛湾镇党员志愿服务队",
        TeamKind.SERVICE,
        None,
        "节假日下沉景区路口、售票处、停车场等人员密集处，开展人车疏导、秩序维持和应急便民服务",
        "杜建军",
    ),
    ("老牛湾镇汛期党员突击队", TeamKind.EMERGENCY, None, "汛期巡河查险、转移群众、抢险救援", "乔志强"),
    (
        "老牛湾村新时代文明实践志愿服务队",
        TeamKind.SERVICE,
        "老牛湾村",
        "依托新时代文明实践站开展政策宣传、移风易俗、孝老敬老",
        "杜建军",
    ),
)
RESIDENTS = ("王二虎", "李秀兰")  # invented residents who volunteer at the scenic area
# team index, kind, (month, day), start hour, hours, place, task, practice station
CALLOUTS = (
    (0, CallOutKind.HOLIDAY, (5, 1), 8, 10, f"{SCENIC}入口路口", "劳动节假期人车疏导、秩序维持", ""),
    (0, CallOutKind.HOLIDAY, (5, 2), 8, 10, f"{SCENIC}售票处", "劳动节假期排队引导、应急便民服务", ""),
    (0, CallOutKind.HOLIDAY, (5, 3), 8, 10, f"{SCENIC}停车场", "劳动节假期车辆停放引导", ""),
    (0, CallOutKind.HOLIDAY, (10, 1), 8, 10, f"{SCENIC}入口路口", "国庆假期人车疏导、秩序维持", ""),
    (0, CallOutKind.HOLIDAY, (10, 2), 8, 10, f"{SCENIC}售票处", "国庆假期排队引导、应急便民服务", ""),
    (0, CallOutKind.HOLIDAY, (10, 4), 8, 10, f"{SCENIC}停车场", "国庆假期车辆停放引导", ""),
    (1, CallOutKind.FLOOD, (7, 22), 20, 10, "黄河老牛湾段沿岸", "主汛期夜间巡河查险", ""),
    (1, CallOutKind.FLOOD, (8, 3), 8, 12, "老牛湾村沿河低洼户", "强降雨预警：排查险户、劝导转移", ""),
    (2, CallOutKind.PRACTICE, (3, 5), 9, 3, "老牛湾村党群服务中心", "学雷锋日政策宣传", STATION),
    (2, CallOutKind.PRACTICE, (6, 12), 9, 3, "老牛湾村文化广场", "移风易俗宣讲：婚事新办、丧事简办", STATION),
    (2, CallOutKind.PRACTICE, (10, 11), 9, 4, "老牛湾村", "重阳节孝老敬老走访慰问", STATION),
)


def _last(today: datetime.date, month: int, day: int) -> datetime.date:
    """The latest such day strictly before today (this year's, or last year's)."""
    this = datetime.date(today.year, month, day)
    return this if this < today else this.replace(year=today.year - 1)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """老牛湾镇's teams, their members and this year's call-outs with attendance (idempotent)."""
    today = today or timezone.localdate()
    township = Org.objects.filter(name="老牛湾镇", kind=OrgKind.TOWNSHIP).order_by("pk").first()
    if township is None:
        return
    members = list(
        Member.objects.filter(org__path__startswith=township.path, standing="normal")
        .select_related("person", "org")
        .order_by("org__path", "pk")[:40]
    )
    founded = datetime.date(today.year - 2, 3, 1)
    teams, rosters = [], []
    for name, kind, where, focus, leader in TEAMS:
        org = township if where is None else Org.objects.filter(parent=township, name=where).first()
        if org is None:
            return
        if Team.objects.filter(org=org, name=name).exists():
            skipped["志愿服务队"] += 1
            teams.append(None)
            continue
        team = services.create_team(
            admin, org, name=name, kind=kind, focus=focus, leader_name=leader, founded_on=founded, today=today
        )
        Team.objects.filter(pk=team.pk).update(demo_source=f"{S001}；队长{INVENTED}")
        created["志愿服务队"] += 1
        pool = [m for m in members if m.org.path.startswith(org.path)]
        picked = (
            pool[:8]
            if where is None and kind == TeamKind.SERVICE
            else pool[8:14]
            if where is None
            else pool[:6]
        )
        roster = [services.enrol(admin, team, member=m, joined_on=founded, today=today) for m in picked]
        if kind == TeamKind.SERVICE and where is None:
            roster += [services.enrol(admin, team, name=n, joined_on=founded, today=today) for n in RESIDENTS]
        created["队员"] += len(roster)
        teams.append(team)
        rosters.append(roster)
    by_team = dict(zip([t for t in teams if t is not None], rosters, strict=True))
    for n, (index, kind, (month, day), hour, hours, place, task, station) in enumerate(CALLOUTS):
        team = teams[index]
        if team is None or not by_team.get(team):
            continue
        roster = by_team[team]
        on = _last(today, month, day)
        called = roster[n % 2 :: 1][:5] if len(roster) > 5 else roster
        callout = services.create_callout(
            admin,
            team,
            kind=kind,
            starts_at=_at(on, hour),
            ends_at=_at(on, hour) + datetime.timedelta(hours=hours),
            place=place,
            task=task,
            members=called,
            practice_station=station,
        )
        CallOut.objects.filter(pk=callout.pk).update(demo_source=f"{S001}（做法）；时间与到岗{INVENTED}")
        credited = hours - 2 if hours >= 10 else hours
        present = [(tm, credited - (i % 2)) for i, tm in enumerate(called) if i != len(called) - 1 or n % 3]
        services.record_attendance(admin, callout, present, now=_at(today, 0))
        created["出动记录"] += 1
