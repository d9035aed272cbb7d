"""Where reminders come from: set-based reads over every app's deadlines, for ALL users at once.

Each source is a few queries whatever the number of rows or users, and returns `Item`s: something due,
overdue or waiting for someone, with a stable `key` (re-running never makes a second reminder for the
same thing and deadline), the page where the person acts, and the ids of the users it is for.

The same functions serve two readers:
- `send_reminders` (Context without a user): every user, rows within each county's warning window or
  overdue since `since` (so a first run on old data floods nobody);
- "my week" (Context with a user): that user's rows only, read through `.restrict(user)`, with the
  user's own roles standing in for the directory of role holders, and everything still open ahead.

Who gets what:
- task assignments: the users holding a working role on the assignment's own org (a village's task goes
  to its secretary, a station's to its chief); weekly reports while not reported, monthly tasks until done;
- weekly compilations: the chief of each station that holds the week's list and has not submitted;
- cases: the owner and co-owners (deadline); the named acceptor (acceptance); the station chief, else
  the township office, else the county (sign-off, as dangjian.cases.selectors.waiting_signoff_q);
  the station chief, else the township office (supervision due every county interval, 15 days);
- development: the branch secretary for the branch's steps, the township office (else the county) for
  the steps the higher committee takes (filing, pre-review, talk, approval);
- meetings: the working-role holders of each org owing a meeting this period (a branch's secretary).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dangjian.core.roles import WORKERS, Role
from dangjian.core.rules import REGISTRY
from dangjian.core.scope import role_paths

from .models import Kind

OVERDUE, DUE, WAITING = "overdue", "due", "waiting"
LOOKBACK_DAYS = 30  # reminders are not made for things overdue longer than this


@dataclass
class Item:
    key: str
    kind: str
    section: str  # overdue (red), due (amber: within the warning window / this week), waiting (for me)
    title: str
    body: str
    org_name: str
    due: datetime.date | None
    url: str
    users: set[int] = field(default_factory=set)

    @property
    def state(self) -> str:
        return "overdue" if self.section == OVERDUE else "due_soon" if self.section == DUE else "info"


class Directory:
    """Who holds which working role where: (role, org path) -> user ids, read once per run."""

    def __init__(self, user: Any = None):
        self.by_path: dict[str, list[tuple[str, int]]] = defaultdict(list)
        if user is not None:
            rows: Iterable[tuple[int, str, str]] = [(user.pk, r, p) for r, p in role_paths(user)]
        else:
            from dangjian.accounts.models import RoleAssignment

            rows = RoleAssignment.objects.filter(
                org__archived_at__isnull=True, user__is_active=True, role__in=WORKERS
            ).values_list("user_id", "role", "org__path")
        for user_id, role, path in rows:
            self.by_path[path].append((role, user_id))

    def exact(self, path: str, roles: Iterable[str]) -> set[int]:
        wanted = set(roles)
        return {u for r, u in self.by_path.get(path, ()) if r in wanted}

    def above(self, path: str, roles: Iterable[str]) -> set[int]:
        """Holders of `roles` on the org at `path` or any of its ancestors."""
        parts = [s for s in path.strip("/").split("/") if s]
        found: set[int] = set()
        for i in range(1, len(parts) + 1):
            found |= self.exact("/" + "/".join(parts[:i]) + "/", roles)
        return found


@dataclass
class Context:
    today: datetime.date
    user: Any = None
    since: datetime.date | None = None
    # None: everything still open ahead (my week); else days ahead beyond each county's warning window.
    ahead: int | None = 0
    _directory: Directory | None = None

    @property
    def directory(self) -> Directory:
        if self._directory is None:
            self._directory = Directory(self.user)
        return self._directory

    def restrict(self, qs):
        return qs.restrict(self.user) if self.user is not None else qs

    def wanted(self, due: datetime.date | None, window: int) -> bool:
        """Whether a row due on `due` is within reach: overdue (since `since`), in the warning window,
        or ahead when the reader asked for what is ahead."""
        if due is None:
            return self.ahead is None
        if due < self.today:
            return self.since is None or due >= self.since
        if due <= self.today + datetime.timedelta(days=window):
            return True
        return self.ahead is None or due <= self.today + datetime.timedelta(days=self.ahead)

    def section(self, due: datetime.date | None, window: int) -> str:
        if due is not None and due < self.today:
            return OVERDUE
        if due is not None and due <= self.today + datetime.timedelta(days=max(window, self.week_left)):
            return DUE
        return WAITING

    @property
    def week_left(self) -> int:
        return 6 - self.today.weekday()

    def bounds(self, largest_window: int) -> tuple[datetime.date | None, datetime.date | None]:
        """The due dates a query must cover: (earliest, latest), None for open."""
        latest = None
        if self.ahead is not None:
            latest = self.today + datetime.timedelta(days=max(largest_window, self.ahead, 0))
        return self.since, latest


def url(name: str, *args: Any, query: str = "", fallback: str = "/") -> str:
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return fallback


class Windows:
    """A local rule's value per county (default elsewhere), in one query."""

    def __init__(self, code: str, fallback: int, today: datetime.date):
        from dangjian.core.models import RuleOverride

        rule = REGISTRY.get(code)
        self.default = int(rule.value) if rule is not None else fallback
        self.by_county: dict[int, int] = {}
        if rule is not None and rule.overridable:
            for county_id, value in RuleOverride.objects.filter(
                code=code, effective_from__lte=today
            ).values_list("county_id", "value"):
                self.by_county[county_id] = int(value)

    def __call__(self, county_id: int | None) -> int:
        return self.by_county.get(county_id, self.default)  # type: ignore[arg-type]

    @property
    def largest(self) -> int:
        return max([self.default, *self.by_county.values()])

    @property
    def smallest(self) -> int:
        return min([self.default, *self.by_county.values()])


def _when(due: datetime.date, today: datetime.date) -> str:
    days = (due - today).days
    if days < 0:
        return f"已逾期{-days}天"
    if days == 0:
        return "今天到期"
    return f"还有{days}天到期"


def _range_q(lookup: str, earliest: datetime.date | None, latest: datetime.date | None) -> Q:
    q = Q()
    if earliest is not None:
        q &= Q(**{f"{lookup}__gte": earliest})
    if latest is not None:
        q &= Q(**{f"{lookup}__lte": latest})
    return q


# --- tasks ------------------------------------------------------------------------------------------


def task_items(ctx: Context) -> list[Item]:
    """Leaf assignments not done (weekly ones: not yet reported) for the workers of their own org."""
    from dangjian.tasks.choices import AssignmentState, ListKind
    from dangjian.tasks.models import Assignment

    monthly = Windows("tasks.due_soon_days", 3, ctx.today)
    weekly = Windows("tasks.weekly_due_soon_days", 1, ctx.today)
    earliest, latest = ctx.bounds(max(monthly.largest, weekly.largest))
    qs = ctx.restrict(Assignment.objects).filter(
        _range_q("due", earliest, latest),
        relayed=False,
    )
    qs = qs.filter(
        Q(task__task_list__kind=ListKind.WEEKLY, state=AssignmentState.PENDING)
        | (~Q(task__task_list__kind=ListKind.WEEKLY) & ~Q(state=AssignmentState.DONE))
    )
    if ctx.user is not None:
        qs = qs.filter(org__path__in=[p for r, p in role_paths(ctx.user) if r in WORKERS])
    rows = qs.values(
        "pk", "due", "state", "county_id", "org__name", "org__path", "task__title", "task__task_list__kind"
    ).order_by("due", "pk")
    items = []
    for r in rows:
        is_weekly = r["task__task_list__kind"] == ListKind.WEEKLY
        window = (weekly if is_weekly else monthly)(r["county_id"])
        if not ctx.wanted(r["due"], window):
            continue
        users = ctx.directory.exact(r["org__path"], WORKERS)
        if not users:
            continue
        section = ctx.section(r["due"], window)
        late = r["due"] < ctx.today
        what = "周工作汇报" if is_weekly else "任务"
        title = f"{what}“{r['task__title']}”{_when(r['due'], ctx.today)}"
        if section == WAITING:
            todo = "待报告" if r["state"] == AssignmentState.PENDING else "已报告，尚未完成"
            title = f"{what}“{r['task__title']}”{todo}"
        items.append(
            Item(
                key=f"assignment:{r['pk']}:{'overdue' if late else 'due'}:{r['due']}",
                kind=Kind.WEEKLY if is_weekly else Kind.TASK,
                section=section,
                title=title,
                body=f"{r['org__name']}承办，完成期限{r['due']:%Y-%m-%d}，请按时报告完成情况。",
                org_name=r["org__name"],
                due=r["due"],
                url=url("assignment-detail", r["pk"], fallback="/tasks/"),
                users=users,
            )
        )
    return items


def compile_items(ctx: Context) -> list[Item]:
    """Weeks under way whose compilation a station still owes (the station holds the week's list and
    has not submitted): for the station's chief."""
    from dangjian.orgs.choices import OrgKind
    from dangjian.tasks.choices import CompilationState
    from dangjian.tasks.models import Assignment, Compilation

    window = Windows("tasks.weekly_due_soon_days", 1, ctx.today)
    earliest, latest = ctx.bounds(window.largest)
    submitted = Compilation.objects.filter(
        cycle__task_list_id=OuterRef("task__task_list_id"),
        org_id=OuterRef("org_id"),
        state=CompilationState.SUBMITTED,
    )
    qs = ctx.restrict(Assignment.objects).filter(
        _range_q("task__task_list__cycle__compile_due", earliest, latest),
        task__task_list__cycle__isnull=False,
        task__task_list__cycle__week_start__lte=ctx.today,
        org__kind__in=(OrgKind.STATION, OrgKind.JOINT_BRANCH),
    )
    qs = qs.filter(~Exists(submitted))
    if ctx.user is not None:
        qs = qs.filter(org__path__in=[p for r, p in role_paths(ctx.user) if r == Role.STATION_CHIEF])
    rows = (
        qs.values(
            "org_id",
            "org__name",
            "org__path",
            "county_id",
            "task__task_list__cycle__pk",
            "task__task_list__cycle__week_start",
            "task__task_list__cycle__compile_due",
        )
        .order_by("task__task_list__cycle__compile_due", "org_id", "task__task_list__cycle__pk")
        .distinct()
    )
    items = []
    for r in rows:
        due, cycle = r["task__task_list__cycle__compile_due"], r["task__task_list__cycle__pk"]
        days = window(r["county_id"])
        if not ctx.wanted(due, days):
            continue
        users = ctx.directory.exact(r["org__path"], {Role.STATION_CHIEF})
        if not users:
            continue
        late = due < ctx.today
        week = f"{r['task__task_list__cycle__week_start']:%Y-%m-%d}周"
        items.append(
            Item(
                key=f"compile:{cycle}:{r['org_id']}:{'overdue' if late else 'due'}:{due}",
                kind=Kind.WEEKLY,
                section=OVERDUE if late else WAITING,
                title=f"{week}工作汇总待上报（{_when(due, ctx.today)}）",
                body=f"{r['org__name']}汇总各村本周汇报，于{due:%Y-%m-%d}前报乡镇。",
                org_name=r["org__name"],
                due=due,
                url=url("cycle-detail", cycle, fallback="/tasks/weeks/"),
                users=users,
            )
        )
    return items


# --- cases ------------------------------------------------------------------------------------------

CASE_FIELDS = (
    "pk",
    "kind",
    "title",
    "receipt_no",
    "org__name",
    "org__path",
    "county_id",
    "station_id",
    "township_id",
    "deadline",
    "owner_id",
    "acceptor_id",
    "done_at",
    "accepted_at",
    "opened_on",
    "last_supervised_on",
)


def case_items(ctx: Context) -> list[Item]:
    from dangjian.cases import rules as CR
    from dangjian.cases.choices import CaseKind
    from dangjian.cases.kinds import KINDS
    from dangjian.cases.models import Case
    from dangjian.cases.selectors import running_q, waiting_acceptance_q, waiting_signoff_q

    warn = Windows(CR.WARN_DAYS.code, 2, ctx.today)
    interval = Windows(CR.SUPERVISION_DAYS.code, 15, ctx.today)
    earliest, latest = ctx.bounds(warn.largest)
    base = ctx.restrict(Case.objects)
    co_owned = Case.co_owners.through.objects

    # 1. Deadlines, for the owner and co-owners.
    running = base.filter(running_q(), _range_q("deadline", earliest, latest), deadline__isnull=False)
    if ctx.user is not None:
        mine = co_owned.filter(user_id=ctx.user.pk).values("case_id")
        running = running.filter(Q(owner_id=ctx.user.pk) | Q(pk__in=mine))
    rows = list(running.values(*CASE_FIELDS).order_by("deadline", "pk"))
    co: dict[int, set[int]] = defaultdict(set)
    if rows:
        for case_id, user_id in co_owned.filter(case_id__in=[r["pk"] for r in rows]).values_list(
            "case_id", "user_id"
        ):
            co[case_id].add(user_id)
    items = []
    for r in rows:
        days = warn(r["county_id"])
        if not ctx.wanted(r["deadline"], days):
            continue
        users = ({r["owner_id"]} if r["owner_id"] else set()) | co[r["pk"]]
        if ctx.user is not None:
            users &= {ctx.user.pk}
        if not users:
            continue
        late = r["deadline"] < ctx.today
        label = KINDS[r["kind"]].label
        section = ctx.section(r["deadline"], days)
        if section == WAITING:
            continue  # not due this week: on the case list, not in the week
        items.append(
            Item(
                key=f"case:{r['pk']}:{'overdue' if late else 'due'}:{r['deadline']}",
                kind=Kind.CASE,
                section=section,
                title=f"{label} {r['receipt_no']} {r['title']}（{_when(r['deadline'], ctx.today)}）",
                body=f"{r['org__name']}，办结时限{r['deadline']:%Y-%m-%d}。",
                org_name=r["org__name"],
                due=r["deadline"],
                url=url("case-detail", r["pk"]),
                users=users,
            )
        )

    # 2. Acceptance and sign-off: waiting for one person or office.
    if ctx.user is not None:
        waiting = base.filter(waiting_acceptance_q(ctx.user) | waiting_signoff_q(ctx.user))
    else:
        waiting = base.filter(Q(state="done", acceptor__isnull=False) | Q(state="accepted"))
    for r in waiting.values("state", *CASE_FIELDS).order_by("pk"):
        label = KINDS[r["kind"]].label
        if r["state"] == "done":
            users = {ctx.user.pk} if ctx.user is not None else {r["acceptor_id"]}
            at, what = r["done_at"], "待验收"
        else:
            if ctx.user is not None:
                users = {ctx.user.pk}
            elif r["station_id"] and r["kind"] != CaseKind.WHISTLE:
                users = ctx.directory.above(r["org__path"], {Role.STATION_CHIEF})
            elif r["township_id"]:
                users = ctx.directory.above(r["org__path"], {Role.TOWNSHIP_STAFF})
            else:
                users = ctx.directory.above(r["org__path"], {Role.COUNTY_ADMIN})
            at, what = r["accepted_at"], "待销号"
        if not users:
            continue
        stamp = timezone.localtime(at).strftime("%Y%m%d%H%M%S") if at else "0"
        items.append(
            Item(
                key=f"case:{r['pk']}:{'accept' if r['state'] == 'done' else 'signoff'}:{stamp}",
                kind=Kind.ACCEPTANCE,
                section=WAITING,
                title=f"{label} {r['receipt_no']} {r['title']}{what}",
                body=f"{r['org__name']}已报告办结，请{what.removeprefix('待')}。",
                org_name=r["org__name"],
                due=r["deadline"],
                url=url("case-detail", r["pk"]),
                users=users,
            )
        )

    # 3. Supervision of problems: every county interval since opening or the last supervision.
    problems = base.filter(running_q(), kind=CaseKind.PROBLEM)
    if earliest is not None:
        since = earliest - datetime.timedelta(days=interval.largest)
        problems = problems.filter(
            Q(last_supervised_on__gte=since) | Q(last_supervised_on__isnull=True, opened_on__gte=since)
        )
    if latest is not None:
        until = latest - datetime.timedelta(days=interval.smallest)
        problems = problems.filter(
            Q(last_supervised_on__lte=until) | Q(last_supervised_on__isnull=True, opened_on__lte=until)
        )
    if ctx.user is not None and not ctx.user.is_superuser:
        held = {r for r, _ in role_paths(ctx.user)}
        if not held & {Role.STATION_CHIEF, Role.TOWNSHIP_STAFF}:
            problems = problems.none()
    for r in problems.values(*CASE_FIELDS).order_by("pk"):
        last = r["last_supervised_on"] or r["opened_on"]
        due = last + datetime.timedelta(days=interval(r["county_id"]))
        days = warn(r["county_id"])
        if not ctx.wanted(due, days):
            continue
        users = ctx.directory.above(r["org__path"], {Role.STATION_CHIEF}) if r["station_id"] else set()
        if not users:
            users = ctx.directory.above(r["org__path"], {Role.TOWNSHIP_STAFF})
        if not users:
            continue
        section = ctx.section(due, days)
        if section == WAITING:
            continue
        items.append(
            Item(
                key=f"case:{r['pk']}:supervise:{due}",
                kind=Kind.SUPERVISION,
                section=section,
                title=f"问题 {r['receipt_no']} {r['title']}应督办（{_when(due, ctx.today)}）",
                body=f"{r['org__name']}，上次督办或立项：{last:%Y-%m-%d}，每{interval(r['county_id'])}天督办一次。",
                org_name=r["org__name"],
                due=due,
                url=url("case-detail", r["pk"]),
                users=users,
            )
        )
    return items


# --- development ------------------------------------------------------------------------------------


def development_items(ctx: Context) -> list[Item]:
    from dangjian.development import rules as DR
    from dangjian.development.models import DevelopmentCase
    from dangjian.development.selectors import ACTIVE, county_rules

    by_higher = {s.code for v in DR.VERSIONS.values() for s in v.steps if s.by_higher}
    window = county_rules([DR.DUE_SOON_DAYS.code], ctx.today)[DR.DUE_SOON_DAYS.code]
    largest = max([window.default, *(v for _, v in window.overrides)])
    earliest, latest = ctx.bounds(largest)
    qs = ctx.restrict(DevelopmentCase.objects).filter(status__in=ACTIVE).exclude(next_step="")
    if ctx.user is not None:
        # The branch's own steps within reach, and every approval waiting above.
        qs = qs.filter(Q(next_step__in=by_higher) | _range_q("next_due", earliest, latest))
    else:
        qs = qs.filter(_range_q("next_due", earliest, latest), next_due__isnull=False)
    rows = qs.values(
        "pk", "next_step", "next_due", "rule_version", "org__name", "org__path", "person__name"
    ).order_by("next_due", "pk")
    items = []
    for r in rows:
        higher = r["next_step"] in by_higher
        days = window.for_path(r["org__path"])
        due = r["next_due"]
        if not (ctx.wanted(due, days) or (higher and ctx.user is not None)):
            continue
        if higher:
            users = ctx.directory.above(r["org__path"], {Role.TOWNSHIP_STAFF}) or ctx.directory.above(
                r["org__path"], {Role.COUNTY_ADMIN}
            )
        else:
            users = ctx.directory.exact(r["org__path"], {Role.VILLAGE_SECRETARY})
        if not users:
            continue
        step = DR.step_title(r["rule_version"], r["next_step"])
        late = due is not None and due < ctx.today
        section = ctx.section(due, days)
        if higher and section != OVERDUE:
            section = WAITING
        elif section == WAITING:
            continue  # the branch's own step, not due this week
        items.append(
            Item(
                key=f"development:{r['pk']}:{r['next_step']}:{'overdue' if late else 'due'}:{due}",
                kind=Kind.DEVELOPMENT,
                section=section,
                title=f"发展党员 {r['person__name']}：“{step}”"
                + (f"（{_when(due, ctx.today)}）" if due else ""),
                body=f"{r['org__name']}" + (f"，应于{due:%Y-%m-%d}前办理。" if due else "。"),
                org_name=r["org__name"],
                due=due,
                url=url("development-case", r["pk"]),
                users=users,
            )
        )
    return items


# --- meetings ---------------------------------------------------------------------------------------


def meeting_items(ctx: Context) -> list[Item]:
    """Obligations not met in the periods the meetings checks look at: the last closed month, quarter
    and year, this month's past weeks (overdue), and the periods closing within the warning window."""
    from dangjian.meetings import rules as MR
    from dangjian.meetings.checks import _message
    from dangjian.meetings.compliance import Period, evaluate, local_values
    from dangjian.orgs.models import Org

    if ctx.user is not None:
        prefixes = sorted({p for r, p in role_paths(ctx.user) if r in WORKERS}, key=lambda p: (len(p), p))
        minimal: list[str] = []
        for p in prefixes:
            if not any(p.startswith(m) for m in minimal):
                minimal.append(p)
        prefixes = minimal
    else:
        prefixes = list(
            Org.objects.filter(parent__isnull=True, archived_at__isnull=True).values_list("path", flat=True)
        )
    if not prefixes:
        return []
    today = ctx.today
    runs: list[tuple[Any, set[str], str]] = []
    for kind in ("month", "quarter", "year"):
        last = Period.containing(today, kind).previous()
        if ctx.since is None or last.end >= ctx.since:
            runs.append((last, {"month", "week"} if kind == "month" else {kind}, "overdue"))
    runs.append((Period.containing(today, "month"), {"week"}, "overdue"))
    window = local_values([MR.WARNING_DAYS.code], today)[MR.WARNING_DAYS.code]
    for kind in ("month", "quarter", "year"):
        current = Period.containing(today, kind)
        if (current.end - today).days <= window.largest:
            runs.append((current, {kind}, "due_soon"))
    items: list[Item] = []
    for period, periods, state in runs:
        result = evaluate(prefixes, period, today, user=ctx.user, periods=periods)
        for org, ob, cell in result.own_cells():
            if not (cell.overdue if state == "overdue" else cell.due_soon):
                continue
            users = ctx.directory.exact(org.path, WORKERS)
            if not users:
                continue
            ends = [e for _, e, st in cell.missing if st == state]
            due = max(ends) if ob.period == "week" and ends else period.end
            if state == "overdue" and ctx.since is not None and due < ctx.since:
                continue
            items.append(
                Item(
                    key=f"meeting:{org.id}:{ob.code}:{period.key}:{state}:{due}",
                    kind=Kind.MEETING,
                    section=OVERDUE if state == "overdue" else DUE,
                    title=f"{org.name}：{period.label}{ob.title}"
                    + ("未按规定召开" if state == "overdue" else "尚未完成"),
                    body=_message(period, ob, cell, state, today) + "。",
                    org_name=org.name,
                    due=due,
                    url=url("meeting-create", query=f"?org={org.id}"),
                    users=users,
                )
            )
    return items


SOURCES: dict[str, Callable[[Context], list[Item]]] = {
    "tasks": task_items,
    "weekly": compile_items,
    "cases": case_items,
    "development": development_items,
    "meetings": meeting_items,
}


def collect(ctx: Context, only: Iterable[str] | None = None) -> list[Item]:
    wanted = set(only) if only else None
    items: list[Item] = []
    for name, source in SOURCES.items():
        if wanted is None or name in wanted:
            items.extend(source(ctx))
    if ctx.user is not None:
        items = [i for i in items if ctx.user.pk in i.users]
    return items
