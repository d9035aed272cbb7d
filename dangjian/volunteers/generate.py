"""Volunteer teams of the generated province, in bulk.

Every township gets a party-member volunteer service team and a flood-season commando team; each enrols
up to six members of the township's first village branch (one query per county) and one resident, and has
two call-outs (a holiday duty at the local scenic spot, a flood watch) where all but one called turned up.
Rows are buffered in `members.demo.Table`s and written per county with `members.demo.flush`; no audit rows
(the province generator records one event for the whole generation)."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from dangjian.members.demo import Table, draw_name, flush
from dangjian.members.models import Member
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind

from .choices import CallOutKind, TeamKind
from .models import Attendance, CallOut, Team, TeamMember

PROVINCE_LABELS: dict[str, str] = {
    "volunteer_team": "志愿服务队",
    "volunteer_member": "志愿服务队员",
    "volunteer_callout": "志愿服务出动",
}
SHANGHAI = ZoneInfo("Asia/Shanghai")
SOURCE = "生成的演示省"
TEAM_COLUMNS = (
    "id",
    "org_id",
    "name",
    "kind",
    "focus",
    "leader_name",
    "founded_on",
    "demo_source",
    "created_at",
)
MEMBER_COLUMNS = (
    "id",
    "team_id",
    "org_id",
    "member_id",
    "name",
    "phone",
    "joined_on",
    "left_on",
    "created_at",
)
CALLOUT_COLUMNS = (
    "id", "team_id", "org_id", "kind", "starts_at", "ends_at", "place", "task", "practice_station", "note",
    "created_by_id", "demo_source", "created_at",
)  # fmt: skip
ATTENDANCE_COLUMNS = ("id", "callout_id", "team_member_id", "org_id", "called", "present", "hours")
# kind, name suffix, focus, call-out kind, place, task, month, day, hour, hours
PLANS = (
    (
        TeamKind.SERVICE, "党员志愿服务队", "节假日景区疏导、便民服务", CallOutKind.HOLIDAY, "景区入口",
        "国庆假期人车疏导", 10, 2, 8, 8,
    ),
    (
        TeamKind.EMERGENCY, "汛期党员突击队", "汛期巡河查险、转移群众", CallOutKind.FLOOD, "河道沿岸",
        "主汛期巡河查险", 7, 25, 20, 8,
    ),
)  # fmt: skip


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def _last(today: datetime.date, month: int, day: int) -> datetime.date:
    this = datetime.date(today.year, month, day)
    return this if this < today else this.replace(year=today.year - 1)


def _townships(plan, org_ids: list[int]) -> dict[int, list[tuple[int, str, int | None]]]:
    """Per county id: (township id, township name, its first village branch id) in plan order."""
    first_branch: dict[int, int] = {}
    county_of: dict[int, int] = {}
    for i, o in enumerate(plan.orgs):
        if o.kind == OrgKind.COUNTY:
            county_of[i] = i
        elif o.parent is not None and o.parent in county_of:
            county_of[i] = county_of[o.parent]
        if o.kind == OrgKind.BRANCH:
            j = o.parent
            while j is not None and plan.orgs[j].kind != OrgKind.TOWNSHIP:
                j = plan.orgs[j].parent
            if j is not None:
                first_branch.setdefault(j, org_ids[i])
    found: dict[int, list] = defaultdict(list)
    for i, o in enumerate(plan.orgs):
        if o.kind == OrgKind.TOWNSHIP and i in county_of:
            found[org_ids[county_of[i]]].append((org_ids[i], o.name, first_branch.get(i)))
    return found


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """Two teams per township with members and a call-out each, written per county."""
    teams = Table(Team, TEAM_COLUMNS)
    people = Table(TeamMember, MEMBER_COLUMNS)
    callouts = Table(CallOut, CALLOUT_COLUMNS)
    attendance = Table(Attendance, ATTENDANCE_COLUMNS)
    founded = datetime.date(today.year - 1, 3, 1)
    stamp = _at(founded, 9)
    codes = {pk: o.code for pk, o in zip(org_ids, plan.orgs, strict=True)}
    for county_id, townships in _townships(plan, org_ids).items():
        rng = random.Random(f"volunteers-{plan.seed}-{codes[county_id]}")
        branches = [b for _, _, b in townships if b is not None]
        roster: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for pk, org_id, name in (
            Member.objects.filter(org_id__in=branches, standing="normal")
            .order_by("org_id", "pk")
            .values_list("pk", "org_id", "person__name")
        ):
            if len(roster[org_id]) < 6:
                roster[org_id].append((pk, name))
        for township, township_name, branch in townships:
            for kind, suffix, focus, callout_kind, place, task, month, day, hour, hours in PLANS:
                team = teams.take_id()
                teams.add(
                    (team, township, f"{township_name}{suffix}", kind, focus, "", founded, SOURCE, stamp)
                )
                enrolled = [*roster.get(branch, []), (None, draw_name(rng, rng.random() < 0.6))]
                ids = []
                for member_id, name in enrolled:
                    pk = people.take_id()
                    people.add((pk, team, township, member_id, name, "", founded, None, stamp))
                    ids.append(pk)
                on = _last(today, month, day)
                start = _at(on, hour)
                callout = callouts.take_id()
                callouts.add(
                    (callout, team, township, callout_kind, start, start + datetime.timedelta(hours=hours),
                     place, task, "", "", None, SOURCE, start)
                )  # fmt: skip
                absent = rng.randrange(len(ids))
                for n, pk in enumerate(ids):
                    present = n != absent or len(ids) == 1
                    attendance.add(
                        (attendance.take_id(), callout, pk, township, True, present, hours if present else 0)
                    )
        flush([teams, people, callouts, attendance])
    org_demo.reset_sequences(Team, TeamMember, CallOut, Attendance)
    return {
        "volunteer_team": teams.total,
        "volunteer_member": people.total,
        "volunteer_callout": callouts.total,
    }
