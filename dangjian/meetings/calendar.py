"""What the calendar shows for an org (with its subtree) and a month: every routine the branches, the
stations and the township office plan, hold or owe, each linked to its record or to the page where it
is done.

Held and planned items are read from each app's table through its own `.restrict(user, "view")`.
Owed items come from the code that owns each rule, never re-derived here: the meetings compliance
engine for meetings, and the office and stations checks (through `dangjian.core.findings`) for field
days, inspections, service half-days and research rounds, each run "as of" the day after every week,
half-month or year that closes in the month. So the page reads a fixed number of queries for a month,
whatever the number of rows."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from dangjian.core.findings import Finding, findings_for
from dangjian.notices.models import Training
from dangjian.office.models import FieldVisit
from dangjian.office.weeks import days_text
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.stations.models import ResearchRound, ServiceHalfDay, StationInspection
from dangjian.stations.selectors import half_month

from . import rules as R
from .choices import MeetingStatus
from .compliance import Compliance, Period, evaluate, local_values, stretch_label
from .models import Meeting

ONE_DAY = datetime.timedelta(days=1)
KINDS: dict[str, str] = {
    "meeting": "会议",
    "visit": "走访",
    "inspection": "督查",
    "service": "便民服务",
    "research": "调研",
    "training": "培训",
}
STATES: dict[str, str] = {
    "planned": "计划",
    "held": "已开展",
    "overdue": "已过期",
    "due_soon": "即将到期",
    "pending": "未到期",
}
FIELD_DAYS = "office.field_days_short"
INSPECTION = "stations.inspection_missed"
HALF_DAY = "stations.service_half_day_missed"
RESEARCH = "stations.research_short"
ORDER = {kind: n for n, kind in enumerate(KINDS)}
CHECK_KIND = {FIELD_DAYS: "visit", INSPECTION: "inspection", HALF_DAY: "service", RESEARCH: "research"}
# The kinds of org whose subtree can hold what each check is about (a township's staff, a station, a
# branch inspected), so a branch's calendar does not run the township's checks for nothing.
ABOVE_STATIONS = {OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY, OrgKind.TOWNSHIP}
CHECK_ORGS = {
    FIELD_DAYS: ABOVE_STATIONS,
    HALF_DAY: ABOVE_STATIONS | {OrgKind.STATION},
    RESEARCH: ABOVE_STATIONS | {OrgKind.STATION},
    INSPECTION: ABOVE_STATIONS | {OrgKind.STATION, OrgKind.BRANCH, OrgKind.COMMUNITY},
}


class Item(TypedDict):
    """One thing on the calendar. `state`: planned or held for a record, else overdue, due_soon or
    pending for something owed (shown on the day its period closes)."""

    kind: str
    kind_label: str
    day: datetime.date
    time: str
    org: str
    title: str
    what: str  # the topic, or the period owed
    note: str
    state: str
    state_label: str
    url: str
    required: int  # meetings owed: at least this many in the period; 0 otherwise


def item(
    kind: str,
    day: datetime.date,
    org: str,
    title: str,
    *,
    state: str,
    what: str = "",
    note: str = "",
    url: str = "",
    time: str = "",
    required: int = 0,
) -> Item:
    label = "已召开" if kind == "meeting" and state == "held" else STATES[state]
    return Item(
        kind=kind,
        kind_label=KINDS[kind],
        day=day,
        time=time,
        org=org,
        title=title,
        what=what,
        note=note,
        state=state,
        state_label=label,
        url=url,
        required=required,
    )


def parse_kinds(values: Sequence[str]) -> list[str]:
    """The kinds ticked (`?show=visit&show=training`); all when none is. ValueError on an unknown one."""
    wanted = {v.strip() for v in values if v.strip()}
    unknown = wanted - KINDS.keys()
    if unknown:
        raise ValueError(sorted(unknown))
    return [k for k in KINDS if k in wanted] or list(KINDS)


def owed_state(due: datetime.date, today: datetime.date, window: int) -> str:
    """The engine's colours: red once the period has closed, amber within the county's warning window."""
    if due < today:
        return "overdue"
    return "due_soon" if (due - today).days <= window else "pending"


# --- planned and held ----------------------------------------------------------------------------------


def _local_time(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%H:%M}" if moment else ""


def _meeting_url(m: Meeting) -> str:
    try:
        return m.get_absolute_url()
    except NoReverseMatch:
        return ""


def meetings(user: Any, org: Org, month: Period, today: datetime.date, limit: int) -> list[Item]:
    """Meetings planned in the month (by planned time) or held in it (by the Asia/Shanghai held date)."""
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(month.start, datetime.time.min, tzinfo=tz)
    finish = datetime.datetime.combine(month.end + ONE_DAY, datetime.time.min, tzinfo=tz)
    rows = (
        Meeting.objects.restrict(user)
        .filter(org__path__startswith=org.path)
        .filter(
            Q(status=MeetingStatus.PLANNED, planned_at__gte=begin, planned_at__lt=finish)
            | Q(status=MeetingStatus.HELD, held_on__gte=month.start, held_on__lte=month.end)
        )
        .select_related("org")
        .order_by("planned_at", "pk")[: limit + 1]
    )
    result = []
    for m in rows:
        held = m.status == MeetingStatus.HELD
        day = m.held_on if held else timezone.localtime(m.planned_at).date()
        result.append(
            item(
                "meeting",
                day,
                m.org.name,
                m.get_kind_display(),
                state="held" if held else "planned",
                what=m.topic,
                url=_meeting_url(m),
                time=_local_time(m.held_at if held and m.held_at else m.planned_at),
            )
        )
    return result


def field_visits(user: Any, org: Org, month: Period, today: datetime.date, limit: int) -> list[Item]:
    rows = (
        FieldVisit.objects.restrict(user, "view")
        .filter(org__path__startswith=org.path, visited_on__gte=month.start, visited_on__lte=month.end)
        .select_related("org", "staff")
        .order_by("visited_on", "pk")[: limit + 1]
    )
    return [
        item(
            "visit",
            v.visited_on,
            v.org.name,
            "到村工作",
            state="held",
            what=v.purpose,
            note=f"{v.staff.display_name}·{v.get_half_days_display()}（{days_text(v.half_days)}天）",
            url=v.get_absolute_url(),
        )
        for v in rows
    ]


def inspections(user: Any, org: Org, month: Period, today: datetime.date, limit: int) -> list[Item]:
    """A station's inspection of a branch, on the branch (it is scoped by the branch inspected); it has
    no page of its own, so it links to the inspection list narrowed to that station, day and branch."""
    rows = (
        StationInspection.objects.restrict(user, "view")
        .filter(branch__path__startswith=org.path, inspected_on__gte=month.start, inspected_on__lte=month.end)
        .select_related("org", "branch")
        .order_by("inspected_at", "pk")[: limit + 1]
    )
    base = reverse("station-inspection-list")
    return [
        item(
            "inspection",
            i.inspected_on,
            i.branch.name,
            "督查讲评",
            state="held",
            what=i.items_checked,
            note=f"{i.org.name}：{i.inspectors}",
            url=_list_url(
                base, station=i.org_id, since=i.inspected_on, until=i.inspected_on, q=i.branch.name
            ),
            time=_local_time(i.inspected_at),
        )
        for i in rows
    ]


def half_days(user: Any, org: Org, month: Period, today: datetime.date, limit: int) -> list[Item]:
    rows = (
        ServiceHalfDay.objects.restrict(user, "view")
        .filter(org__path__startswith=org.path, held_on__gte=month.start, held_on__lte=month.end)
        .select_related("org")
        .order_by("held_on", "session", "pk")[: limit + 1]
    )
    base = reverse("station-half-day-list")
    return [
        item(
            "service",
            h.held_on,
            h.org.name,
            "便民服务半天",
            state="held",
            what=f"{h.get_session_display()} {h.place}",
            note=f"接待群众{h.residents_served}人次",
            url=_list_url(base, station=h.org_id, since=h.held_on, until=h.held_on),
        )
        for h in rows
    ]


def _list_url(base: str, **query: Any) -> str:
    return f"{base}?{urlencode(query)}"


def _span(start: datetime.date, end: datetime.date) -> str:
    return f"{start:%Y-%m-%d}" if start == end else f"{start:%Y-%m-%d}至{end:%Y-%m-%d}"


def research_rounds(user: Any, org: Org, month: Period, today: datetime.date, limit: int) -> list[Item]:
    """Rounds overlapping the month, on their first day in it."""
    rows = (
        ResearchRound.objects.restrict(user, "view")
        .filter(org__path__startswith=org.path, started_on__lte=month.end, ended_on__gte=month.start)
        .select_related("org")
        .order_by("started_on", "pk")[: limit + 1]
    )
    return [
        item(
            "research",
            max(r.started_on, month.start),
            r.org.name,
            "专项调研",
            state="planned" if r.started_on > today else "held",
            what=r.topic,
            note=_span(r.started_on, r.ended_on),
            url=r.get_absolute_url(),
        )
        for r in rows
    ]


def trainings(user: Any, org: Org, month: Period, today: datetime.date, limit: int) -> list[Item]:
    """Trainings overlapping the month, on their first day in it; planned until they begin."""
    rows = (
        Training.objects.restrict(user, "view")
        .filter(org__path__startswith=org.path, start_on__lte=month.end, end_on__gte=month.start)
        .select_related("org")
        .order_by("start_on", "pk")[: limit + 1]
    )
    return [
        item(
            "training",
            max(t.start_on, month.start),
            t.org.name,
            t.get_kind_display(),
            state="planned" if t.start_on > today else "held",
            what=t.title,
            note=f"{_span(t.start_on, t.end_on)} {'线上' if t.online else t.place} {t.hours}学时",
            url=t.get_absolute_url(),
        )
        for t in rows
    ]


READERS: dict[str, Callable[[Any, Org, Period, datetime.date, int], list[Item]]] = {
    "meeting": meetings,
    "visit": field_visits,
    "inspection": inspections,
    "service": half_days,
    "research": research_rounds,
    "training": trainings,
}


# --- owed ----------------------------------------------------------------------------------------------


def ending_periods(month: Period) -> list[Period]:
    """The periods of the meeting rules that close with the month: it, its quarter, its year."""
    ending = [month]
    if month.number % 3 == 0:
        ending.append(Period.containing(month.start, "quarter"))
    if month.number == 12:
        ending.append(Period.containing(month.start, "year"))
    return ending


def _owed_in(result: Compliance) -> list[Item]:
    """Each meeting obligation still open among the stretches of `result`, on the day it closes."""
    new = reverse("meeting-create")
    items = []
    for org, ob, cell in result.own_cells():
        for start, end, state in cell.missing:
            what = (
                result.period.label
                if ob.period == result.period.kind
                else f"{stretch_label(start, end)}这一周"
            )
            items.append(
                item(
                    "meeting",
                    end,
                    org.name,
                    ob.title,
                    state=state,
                    what=what,
                    note=f"应至少召开{cell.required}次",
                    url=f"{new}?{urlencode({'org': org.id, 'kind': ob.kind})}",
                    required=cell.required,
                )
            )
    return items


def owed_meetings(user: Any, org: Org, month: Period, today: datetime.date) -> list[Item]:
    """What the compliance engine says is still owed for the month (and its weeks), the quarter in
    March/June/September/December and the year in December; not yet begun counts as pending."""
    items: list[Item] = []
    for period in ending_periods(month):
        kinds = {period.kind, "week"} if period.kind == "month" else {period.kind}
        items += _owed_in(evaluate([org.path], period, today, user=user, periods=kinds, upcoming=True))
    return items


def _checked_periods(
    org: Org, month: Period, kinds: Iterable[str]
) -> list[tuple[datetime.date, list[str], str]]:
    """(the day to run the checks as of, the checks, what the period is called) for each week (its
    Sunday in the month), half-month and — in December — year that closes in the month."""
    codes = {code for code, kind in CHECK_KIND.items() if kind in kinds and org.kind in CHECK_ORGS[code]}
    runs = []
    weekly = [code for code in (FIELD_DAYS, HALF_DAY) if code in codes]
    if weekly:
        for monday, sunday in month.buckets("week"):
            runs.append((sunday + ONE_DAY, weekly, f"{stretch_label(monday, sunday)}这一周"))
    if INSPECTION in codes:
        for first in (month.start, month.start.replace(day=16)):
            half = half_month(first)
            runs.append((half.end + ONE_DAY, [INSPECTION], half.label))
    if RESEARCH in codes and month.number == 12:
        runs.append((month.end + ONE_DAY, [RESEARCH], f"{month.year}年"))
    return runs


def _owed_item(f: Finding, due: datetime.date, what: str, state: str) -> Item:
    """A finding as the calendar names it: on the township for a staff member's field days, on the
    branch not inspected (the finding itself is the station's), on the station otherwise."""
    org, title = {
        FIELD_DAYS: (f.org_name, f"{f.subject}到村工作"),
        INSPECTION: (f.subject, "督查讲评"),
        HALF_DAY: (f.org_name, "便民服务半天"),
        RESEARCH: (f.org_name, "年度集中调研"),
    }[f.check]
    return item(CHECK_KIND[f.check], due, org, title, state=state, what=what, note=f.message, url=f.url)


def owed_routines(
    user: Any, org: Org, month: Period, today: datetime.date, kinds: Iterable[str]
) -> list[Item]:
    """Field days short per week, branches not inspected per half-month, weeks without a service
    half-day and (in December) stations short of research rounds — the checks' own findings for each
    period closing in the month, kept when they concern `org` or its subtree."""
    found: list[tuple[Finding, datetime.date, str]] = []
    for as_of, codes, what in _checked_periods(org, month, set(kinds)):
        due = as_of - ONE_DAY
        found += [(f, due, what) for f in findings_for(user, as_of, codes) if f.due_on == due]
    if not found:
        return []
    paths = dict(Org.objects.filter(pk__in={f.org_id for f, _, _ in found}).values_list("pk", "path"))
    window = local_values([R.WARNING_DAYS.code], today)[R.WARNING_DAYS.code]
    items = []
    for f, due, what in found:
        path = paths.get(f.org_id, "")
        # A station's finding about the branch being viewed (names are unique under a station in
        # practice; the finding carries the branch only by name).
        about_org = f.check == INSPECTION and f.org_id == org.parent_id and f.subject == org.name
        if about_org or (path and path.startswith(org.path)):
            items.append(_owed_item(f, due, what, owed_state(due, today, window.for_path(path))))
    return items


# --- the month -------------------------------------------------------------------------------------


@dataclass
class MonthItems:
    done: list[Item] = field(default_factory=list)  # planned and held, by day and time
    owed: list[Item] = field(default_factory=list)  # by closing day
    truncated: list[str] = field(default_factory=list)  # labels of the kinds cut at the limit
    ending: list[Period] = field(default_factory=list)


def gather(
    user: Any, org: Org, month: Period, today: datetime.date, kinds: Sequence[str], limit: int
) -> MonthItems:
    """Everything of `kinds` for `org` and its subtree in `month`; each kind's records are cut at `limit`."""
    result = MonthItems(ending=ending_periods(month))
    for kind in kinds:
        rows = READERS[kind](user, org, month, today, limit)
        if len(rows) > limit:
            result.truncated.append(KINDS[kind])
        result.done += rows[:limit]
    if "meeting" in kinds:
        result.owed += owed_meetings(user, org, month, today)
    result.owed += owed_routines(user, org, month, today, kinds)
    result.done.sort(key=lambda i: (i["day"], i["time"], ORDER[i["kind"]], i["org"]))
    result.owed.sort(key=lambda i: (i["day"], i["org"], i["title"]))
    return result


WEEKDAYS = "一二三四五六日"


def month_grid(
    month: Period, today: datetime.date, done: Iterable[Item], owed: Iterable[Item]
) -> list[list[dict[str, Any]]]:
    """Whole weeks (Monday first) covering the month, each day with its items and what closes on it."""
    days: dict[datetime.date, dict[str, Any]] = {}
    day = month.start - datetime.timedelta(days=month.start.weekday())
    last = month.end + datetime.timedelta(days=6 - month.end.weekday())
    while day <= last:
        days[day] = {
            "day": day,
            "weekday": WEEKDAYS[day.weekday()],
            "in_month": day.month == month.number,
            "today": day == today,
            "items": [],
            "owed": [],
        }
        day += ONE_DAY
    for i in done:
        days[i["day"]]["items"].append(i)
    for i in owed:
        days[i["day"]]["owed"].append(i)
    cells = list(days.values())
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


EXPORT_HEADERS = ["日期", "时间", "类别", "状态", "组织", "事项", "内容或期间", "说明", "链接"]


def export_rows(items: Iterable[Item], absolute: Callable[[str], str]) -> Iterable[list[Any]]:
    for i in items:
        yield [
            i["day"],
            i["time"],
            i["kind_label"],
            i["state_label"],
            i["org"],
            i["title"],
            i["what"],
            i["note"],
            absolute(i["url"]) if i["url"] else "",
        ]
