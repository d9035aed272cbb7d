"""A year of task lists and two-down two-up weeks for every township of the generated province, in bulk.

What is written, for the twelve months and 52 weeks up to `today`:
- each county issues a monthly list of two key tasks to all its townships (what its 3+X pack reports on);
  townships report as villages do;
- each township issues a monthly task list with three tasks (two of them key tasks for the 3+X pack: a
  number and a checklist, and a number) dispatched to all its village branches; every village reports
  back: 85 % done on time, 10 % done late, the rest part-way (and in the current month, part-way or not
  yet reported);
- each township runs the weekly cycle (两下两上): a weekly list with one task goes to its stations, each
  station relays it to its villages; villages report by the cycle's report day (one in ten late, one in
  twenty never), and each station compiles and reports the week by its compile day (one in ten late, one
  in forty never); the current week is issued and relayed with its reports still coming in.

Deadlines follow the rules' default weekdays (tasks.weekly_rules). Rows are buffered per county and
written by COPY on PostgreSQL (without plain indexes and keys for a large load), batched INSERT elsewhere.
Deterministic from `plan.seed` and `today`."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo

from dangjian.cases.generate import copy_rows, county_admins, loading_without_indexes
from dangjian.core.dates import add_months, month_start
from dangjian.members.demo import Table
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind

from .choices import AssignmentState, CompilationState, ListKind, TargetKind
from .models import Assignment, Compilation, Task, TaskList, TaskReport, WeeklyCycle

PROVINCE_LABELS: dict[str, str] = {
    "task_list": "任务清单",
    "task": "任务",
    "task_assignment": "任务承办",
    "task_report": "任务报告",
    "weekly_cycle": "两下两上周工作",
    "compilation": "工作站周汇总",
}
SHANGHAI = ZoneInfo("Asia/Shanghai")
BULK_ROWS = 200_000
MONTHS, WEEKS = 12, 52
REPORT_WEEKDAY, COMPILE_WEEKDAY = 3, 4  # the rules' defaults: villages on Thursday, stations on Friday
CHECKLIST = ["制定方案", "开展活动", "上传记录"]
# (title, key, target kind, target per village, unit)
MONTHLY = (
    ("组织流动党员线上学习", True, TargetKind.NUMBER, Decimal(2), "次"),
    ("主题党日活动", True, TargetKind.CHECKLIST, Decimal(len(CHECKLIST)), ""),
    ("入户走访收集民情", False, TargetKind.NUMBER, Decimal(20), "户"),
)
WEEKLY = ("本周入户走访", Decimal(5), "户")
COUNTY_MONTHLY = (
    ("党建办工作台账按月更新", True, TargetKind.CHECKLIST, Decimal(len(CHECKLIST)), ""),
    ("到村工作天数达标", True, TargetKind.NUMBER, Decimal(8), "天"),
)
DONE, REPORTED, PENDING = (
    AssignmentState.DONE.value,
    AssignmentState.REPORTED.value,
    AssignmentState.PENDING.value,
)
NUMBER, LIST = TargetKind.NUMBER.value, TargetKind.CHECKLIST.value

LIST_COLUMNS = (
    "id", "org_id", "county_id", "kind", "period_start", "period_end", "title", "note", "issued_at",
    "issued_by_id", "created_by_id", "created_at",
)  # fmt: skip
TASK_COLUMNS = (
    "id", "task_list_id", "org_id", "title", "description", "key", "target_kind", "target_value", "unit",
    "checklist", "due", "sort_order", "created_at",
)  # fmt: skip
ASSIGNMENT_COLUMNS = (
    "id", "task_id", "org_id", "township_id", "county_id", "parent_id", "due", "target_amount", "done_amount",
    "checklist_done", "state", "relayed", "period_start", "dispatched_at", "dispatched_by_id",
    "last_report_at", "first_report_at", "completed_on",
)  # fmt: skip
REPORT_COLUMNS = (
    "id", "assignment_id", "org_id", "text", "amount", "checklist_done", "late", "submitted_at",
    "submitted_by_id",
)  # fmt: skip
CYCLE_COLUMNS = ("id", "task_list_id", "org_id", "county_id", "week_start", "report_due", "compile_due")
COMPILATION_COLUMNS = (
    "id", "cycle_id", "org_id", "county_id", "body", "figures", "state", "late", "drafted_at", "submitted_at",
    "submitted_by_id",
)  # fmt: skip


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), SHANGHAI)


class Writer:
    def __init__(self) -> None:
        self.lists = Table(TaskList, LIST_COLUMNS)
        self.tasks = Table(Task, TASK_COLUMNS, json_columns=("checklist",))
        self.assignments = Table(Assignment, ASSIGNMENT_COLUMNS, json_columns=("checklist_done",))
        self.reports = Table(TaskReport, REPORT_COLUMNS, json_columns=("checklist_done",))
        self.cycles = Table(WeeklyCycle, CYCLE_COLUMNS)
        self.compilations = Table(Compilation, COMPILATION_COLUMNS, json_columns=("figures",))
        self.tables = [self.lists, self.tasks, self.cycles, self.assignments, self.reports, self.compilations]


class Township:
    """One township of the plan: its county, stations with their villages, and the county admin who acts."""

    def __init__(self, org_id: int, county_id: int, stations: dict[int, list[int]], user: int) -> None:
        self.org_id, self.county_id, self.stations, self.user = org_id, county_id, stations, user
        self.villages = [v for vs in stations.values() for v in vs]


def insert_province_tasks(
    plan, org_ids: list[int], today: datetime.date, *, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """A year of task lists and weekly cycles for every township of `plan` (see the module's docstring)."""
    children: dict[int, list[int]] = defaultdict(list)
    for i, o in enumerate(plan.orgs):
        if o.parent is not None:
            children[o.parent].append(i)
    counties = [i for i, o in enumerate(plan.orgs) if o.kind == OrgKind.COUNTY]
    admins = county_admins([org_ids[i] for i in counties])
    villages = sum(1 for o in plan.orgs if o.kind == OrgKind.BRANCH)
    writer = Writer()
    with loading_without_indexes(
        [Assignment, TaskReport] if villages * (MONTHS * 3 + WEEKS) * 2 >= BULK_ROWS else []
    ):
        for n, county in enumerate(counties):
            county_id = org_ids[county]
            user = (admins.get(county_id) or admins[None])[0]
            rng = random.Random(f"tasks-{plan.seed}-{plan.orgs[county].code}")
            townships = list(_townships(plan, org_ids, county, children, user))
            _county_monthly(writer, rng, county_id, townships, user, today)
            for township in townships:
                _monthly(writer, rng, township, today)
                _weekly(writer, rng, township, today)
            copy_rows(writer.tables)
            if progress:
                progress(f"{n + 1}/{len(counties)} 县：任务承办 {writer.assignments.total:,}")
    org_demo.reset_sequences(TaskList, Task, Assignment, TaskReport, WeeklyCycle, Compilation)
    return {
        "task_list": writer.lists.total,
        "task": writer.tasks.total,
        "task_assignment": writer.assignments.total,
        "task_report": writer.reports.total,
        "weekly_cycle": writer.cycles.total,
        "compilation": writer.compilations.total,
    }


def _townships(plan, org_ids, county, children, user):
    for t in children[county]:
        if plan.orgs[t].kind != OrgKind.TOWNSHIP:
            continue
        stations = {
            org_ids[s]: [org_ids[b] for b in children[s] if plan.orgs[b].kind == OrgKind.BRANCH]
            for s in children[t]
            if plan.orgs[s].kind == OrgKind.STATION
        }
        yield Township(org_ids[t], org_ids[county], stations, user)


def _county_monthly(
    w: Writer, rng: random.Random, county_id: int, townships: list[Township], user: int, today: datetime.date
) -> None:
    this_month = month_start(today)
    for back in range(MONTHS - 1, -1, -1):
        start = add_months(this_month, -back)
        end = add_months(start, 1) - datetime.timedelta(days=1)
        issued = _at(start)
        list_id = w.lists.take_id()
        title = f"{start.year}年{start.month}月县级重点任务"
        w.lists.add((list_id, county_id, county_id, ListKind.MONTHLY.value, start, end, title, "", issued,
                     user, user, issued))  # fmt: skip
        for order, (task_title, key, kind, target, unit) in enumerate(COUNTY_MONTHLY):
            task_id = w.tasks.take_id()
            checklist = CHECKLIST if kind == TargetKind.CHECKLIST else []
            w.tasks.add((task_id, list_id, county_id, task_title, "", key, kind.value,
                         None if checklist else target, unit, checklist, end, order, issued))  # fmt: skip
            for t in townships:
                a = (w.assignments.take_id(), task_id, t.org_id, t.org_id, county_id, None, end, target)
                _report_into(w, rng, a + (start, issued, user), kind.value, target, end, today, back == 0,
                             t.org_id, user)  # fmt: skip


def _monthly(w: Writer, rng: random.Random, t: Township, today: datetime.date) -> None:
    this_month = month_start(today)
    for back in range(MONTHS - 1, -1, -1):
        start = add_months(this_month, -back)
        end = add_months(start, 1) - datetime.timedelta(days=1)
        issued = _at(start)
        list_id = w.lists.take_id()
        w.lists.add(
            (
                list_id,
                t.org_id,
                t.county_id,
                ListKind.MONTHLY.value,
                start,
                end,
                f"{start.year}年{start.month}月任务清单",
                "",
                issued,
                t.user,
                t.user,
                issued,
            )
        )
        for order, (title, key, kind, target, unit) in enumerate(MONTHLY):
            task_id = w.tasks.take_id()
            w.tasks.add(
                (
                    task_id,
                    list_id,
                    t.org_id,
                    title,
                    "",
                    key,
                    kind.value,
                    None if kind == TargetKind.CHECKLIST else target,
                    unit,
                    CHECKLIST if kind == TargetKind.CHECKLIST else [],
                    end,
                    order,
                    issued,
                )
            )
            for village in t.villages:
                a = (w.assignments.take_id(), task_id, village, t.org_id, t.county_id, None, end, target)
                _report_into(
                    w,
                    rng,
                    a + (start, issued, t.user),
                    kind.value,
                    target,
                    end,
                    today,
                    back == 0,
                    village,
                    t.user,
                )


def _report_into(w, rng, row, kind, target, due, today, current, org_id, user, never: float = 0.0) -> None:
    """Buffer a village's assignment `row` — (id, task, org, township, county, parent, due, target,
    period_start, dispatched_at, dispatched_by) — with the progress it reported, drawn."""
    head, (start, issued, by) = row[:8], row[8:]
    roll = rng.random()
    if (current and due >= today and roll < 0.4) or (not current and roll < never):
        w.assignments.add(head + (Decimal(0), [], PENDING, False, start, issued, by, None, None, None))
        return
    late = roll > 0.95 if current else 0.85 <= roll < 0.95
    partial = (not current and roll >= 0.95) or (current and roll < 0.7)
    if late:
        day = due + datetime.timedelta(days=rng.randint(1, 4))
    else:
        day = due - datetime.timedelta(days=rng.randint(0, 5))
    day = max(min(day, today - datetime.timedelta(days=1)), start)
    at = _at(day, 8 + rng.randrange(10))
    if kind == LIST:
        items = list(range(len(CHECKLIST) - 1 if partial else len(CHECKLIST)))
        amount, reported = Decimal(len(items)), None
    else:
        items = []
        amount = (target * rng.randint(3, 8) / 10).quantize(Decimal(1)) if partial else target
        reported = amount
    state = DONE if amount >= target else REPORTED
    w.reports.add(
        (
            w.reports.take_id(),
            head[0],
            org_id,
            "已按要求完成" if state == DONE else "正在推进",
            reported,
            items,
            day > due,
            at,
            user,
        )
    )
    w.assignments.add(
        head + (amount, items, state, False, start, issued, by, at, at, day if state == DONE else None)
    )


def _weekly(w: Writer, rng: random.Random, t: Township, today: datetime.date) -> None:
    if not t.stations:
        return
    this_week = today - datetime.timedelta(days=today.weekday())
    title, target, unit = WEEKLY
    for back in range(WEEKS - 1, -1, -1):
        monday = this_week - datetime.timedelta(weeks=back)
        report_due = monday + datetime.timedelta(days=REPORT_WEEKDAY)
        compile_due = monday + datetime.timedelta(days=COMPILE_WEEKDAY)
        issued = _at(monday, 8)
        current = back == 0
        list_id, task_id, cycle_id = w.lists.take_id(), w.tasks.take_id(), w.cycles.take_id()
        w.lists.add(
            (
                list_id,
                t.org_id,
                t.county_id,
                ListKind.WEEKLY.value,
                monday,
                monday + datetime.timedelta(days=6),
                f"{monday:%Y-%m-%d}周任务清单",
                "",
                issued,
                t.user,
                t.user,
                issued,
            )
        )
        w.tasks.add(
            (task_id, list_id, t.org_id, title, "", False, NUMBER, target, unit, [], compile_due, 0, issued)
        )
        w.cycles.add((cycle_id, list_id, t.org_id, t.county_id, monday, report_due, compile_due))
        for station, villages in t.stations.items():
            parent = w.assignments.take_id()
            done_sum = Decimal(0)
            slot = len(w.assignments.rows)
            w.assignments.add(())  # the station's row, filled in once its villages' sums are known
            first = slot + 1
            for village in villages:
                a = (
                    w.assignments.take_id(),
                    task_id,
                    village,
                    t.org_id,
                    t.county_id,
                    parent,
                    report_due,
                    target,
                )
                _report_into(
                    w,
                    rng,
                    a + (monday, issued, t.user),
                    NUMBER,
                    target,
                    report_due,
                    today,
                    current,
                    village,
                    t.user,
                    never=0.05,
                )
            for row in w.assignments.rows[first:]:
                done_sum += row[8]
            total = target * len(villages)
            submitted = not current and rng.random() > 0.025
            late = submitted and rng.random() < 0.1
            at = _at(compile_due + datetime.timedelta(days=1 if late else 0), 16) if submitted else None
            if at is not None and at.date() >= today:
                at, submitted, late = None, False, False
            w.assignments.rows[slot] = (
                parent,
                task_id,
                station,
                t.org_id,
                t.county_id,
                None,
                compile_due,
                total,
                done_sum,
                [],
                DONE if done_sum >= total else (REPORTED if submitted else PENDING),
                True,
                monday,
                issued,
                t.user,
                at,
                at,
                at.date() if at and done_sum >= total else None,
            )
            if submitted or (not current and villages):
                state = CompilationState.SUBMITTED.value if submitted else CompilationState.DRAFT.value
                figures = {str(task_id): {"target": float(total), "done": float(done_sum)}}
                w.compilations.add(
                    (
                        w.compilations.take_id(),
                        cycle_id,
                        station,
                        t.county_id,
                        f"本周各村完成{title}{done_sum}{unit}（目标{total}{unit}）。",
                        figures,
                        state,
                        late,
                        _at(compile_due, 10),
                        at,
                        t.user if submitted else None,
                    )
                )
