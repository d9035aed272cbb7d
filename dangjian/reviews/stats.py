"""The live figures of a 3+X monthly analysis, read set-based (a fixed number of queries whatever the
number of tasks, children or findings) and shared by the page, the Word file, the workbook and the PDF.

(1) completion of the month's key tasks (all the month's tasks when none is marked key);
(2) the scorecard of the org's children, ranked by
        score = task completion percent of the month (all tasks; 100 when a child had none)
                − deduction × open red findings (逾期) in the child's subtree, never below 0;
    the best are praised and the weakest given rectification demands, each with its reasons;
(3) next month's main tasks: the tasks of next month's monthly lists issued at or above the org;
(X) the special topics.
Every figure carries the URL of the records behind it (relative; the files make them absolute)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dangjian.core.dates import add_months
from dangjian.core.findings import Finding, findings_for, red_checks
from dangjian.core.rules import rule_value
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import PATH_SEGMENT, Org
from dangjian.tasks import stats as task_stats
from dangjian.tasks.choices import AssignmentState, ListKind
from dangjian.tasks.models import Assignment, Task

from . import rules as R
from .models import MonthlyReview, ReviewTopic

# The pack reports the month's task lists; weekly cycles have their own pages.
MONTHLY = ListKind.MONTHLY.value

REASONS_SHOWN = 5  # findings quoted per child; the rest are counted and linked
NEXT_SHOWN = 200


# --- links to the records behind each figure -------------------------------------------------------

FALLBACK_PATHS = {
    "task-detail": "/tasks/items/{}/",
    "tasklist-detail": "/tasks/lists/{}/",
    "assignment-detail": "/tasks/assignments/{}/",
    "task-rollup": "/tasks/rollup/",
    "findings": "/findings/",
}


def url_for(name: str, *args: Any, **query: Any) -> str:
    """The page `name` (reversed when the route exists, else the agreed path), with `query`."""
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        path = FALLBACK_PATHS[name].format(*args)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{path}?{urlencode(query)}" if query else path


def task_url(task_id: int, list_id: int | None) -> str:
    try:
        return reverse("task-detail", args=[task_id])
    except NoReverseMatch:
        return url_for("tasklist-detail", list_id) + f"#task-{task_id}" if list_id else ""


def rollup_url(org_id: int, month: datetime.date, key_only: bool = False) -> str:
    return url_for("task-rollup", org=org_id, month=f"{month:%Y-%m}", key="1" if key_only else None)


def findings_url(org_id: int) -> str:
    return url_for("findings", org=org_id, severity="overdue")


# --- the figures -------------------------------------------------------------------------------------


@dataclass
class LateOrg:
    name: str
    url: str


@dataclass
class CompletionRow:
    task_id: int
    title: str
    unit: str
    target: Decimal
    done: Decimal
    capped: Decimal
    percent: int
    assignments: int
    reported: int
    late: int
    late_orgs: list[LateOrg]
    url: str
    rollup_url: str

    @property
    def target_n(self) -> int | float:
        return number(self.target)

    @property
    def done_n(self) -> int | float:
        return number(self.done)


@dataclass
class ScoreRow:
    org_id: int
    org_name: str
    org_path: str
    assignments: int
    target: Decimal
    capped: Decimal
    percent: int | None  # None: no task this month
    late: int
    red: int
    score: int
    rank: int = 0
    verdict: str = ""  # "praise" | "rectify" | ""
    reasons: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rollup_url: str = ""
    findings_url: str = ""

    @property
    def base(self) -> int:
        return 100 if self.percent is None else self.percent


@dataclass
class NextTask:
    task_id: int
    title: str
    issuer: str
    due: datetime.date
    target: str
    key: bool
    url: str


@dataclass
class Pack:
    review: MonthlyReview
    org: Org
    month: datetime.date
    next_month: datetime.date
    today: datetime.date
    key_only: bool
    completion: list[CompletionRow]
    scorecard: list[ScoreRow]
    deduction: int
    top_n: int
    next_tasks: list[NextTask]
    next_more: bool
    topics: list[ReviewTopic]
    child_label: str

    @property
    def praised(self) -> list[ScoreRow]:
        return [r for r in self.scorecard if r.verdict == "praise"]

    @property
    def rectified(self) -> list[ScoreRow]:
        return [r for r in self.scorecard if r.verdict == "rectify"]

    @property
    def formula(self) -> str:
        return (
            "得分 = 本月任务完成率（%，本月无承办任务的按100计）"
            f"− {self.deduction} × 未解决的红色问题（逾期）条数，"
            f"最低0分；得分相同按完成率、红色问题少者在前。表扬前{self.top_n}名，"
            f"对后{self.top_n}名中得分低于100的提出整改要求（单位不足{2 * self.top_n}个时各取一半）。"
        )


def number(value: Any) -> int | float:
    """A Decimal as people read it: 1000 not 1000.00, 0.5 stays 0.5."""
    value = Decimal(value or 0)
    return int(value) if value == value.to_integral_value() else float(value)


# --- the pack ----------------------------------------------------------------------------------------


def children_of(user: Any, org: Org) -> list[Org]:
    """The units ranked: a county's townships; a township's stations (or villages, communities)."""
    qs = Org.objects.restrict(user).filter(parent=org, archived_at__isnull=True).exclude(kind=OrgKind.GROUP)
    return list(qs.order_by("sort_order", "path"))


def completion(user: Any, review: MonthlyReview, today: datetime.date) -> tuple[bool, list[CompletionRow]]:
    org, month = review.org, review.month
    key_only = True
    rows = task_stats.task_rollup(
        user, under=org, period_start=month, key_only=True, today=today, kind=MONTHLY
    )
    if not rows:
        key_only = False
        rows = task_stats.task_rollup(user, under=org, period_start=month, today=today, kind=MONTHLY)
    ids = [r.task_id for r in rows]
    lists = dict(Task.objects.filter(pk__in=ids).values_list("pk", "task_list_id")) if ids else {}
    late: dict[int, list[LateOrg]] = {}
    if ids:
        for task_id, pk, name in (
            task_stats.leaves(user, under=org, period_start=month, kind=MONTHLY)
            .filter(task_id__in=ids, due__lt=today)
            .exclude(state=AssignmentState.DONE)
            .order_by("task_id", "org__path")
            .values_list("task_id", "pk", "org__name")
        ):
            late.setdefault(task_id, []).append(LateOrg(name, url_for("assignment-detail", pk)))
    out = [
        CompletionRow(
            task_id=r.task_id,
            title=r.title,
            unit=r.unit or "",  # "项" for a checklist
            target=Decimal(r.target or 0),
            done=Decimal(r.done or 0),
            capped=Decimal(r.capped or 0),
            percent=int(r.percent),
            assignments=r.assignments,
            reported=r.reported,
            late=r.late,
            late_orgs=late.get(r.task_id, []),
            url=task_url(r.task_id, lists.get(r.task_id)),
            rollup_url=rollup_url(org.pk, month, key_only),
        )
        for r in rows
    ]
    return key_only, out


def scorecard(
    user: Any, review: MonthlyReview, today: datetime.date, deduction: int, top_n: int
) -> list[ScoreRow]:
    org, month = review.org, review.month
    children = children_of(user, org)
    by_path = {c.path: c for c in children}
    width = len(org.path) + PATH_SEGMENT + 1
    figures = {
        r.org_path: r
        for r in task_stats.rollup(user, under=org, period_start=month, today=today, kind=MONTHLY)
        if not r.own
    }
    red: dict[str, list[Finding]] = {}
    found = [f for f in findings_for(user, today, red_checks()) if f.severity == "overdue"]
    if found:
        paths = dict(
            Org.objects.filter(pk__in={f.org_id for f in found}, path__startswith=org.path).values_list(
                "pk", "path"
            )
        )
        for f in found:
            path = paths.get(f.org_id)
            if path and path[:width] in by_path:
                red.setdefault(path[:width], []).append(f)
    rows = []
    for child in children:
        fig = figures.get(child.path)
        items = sorted(red.get(child.path, []), key=lambda f: (f.due_on or today, f.subject))
        assignments = fig.assignments if fig else 0
        percent = int(fig.percent) if fig and assignments else None
        base = 100 if percent is None else percent
        rows.append(
            ScoreRow(
                org_id=child.pk,
                org_name=child.name,
                org_path=child.path,
                assignments=assignments,
                target=Decimal(fig.target) if fig else Decimal(0),
                capped=Decimal(fig.capped) if fig else Decimal(0),
                percent=percent,
                late=fig.late if fig else 0,
                red=len(items),
                score=max(0, base - deduction * len(items)),
                findings=items,
                rollup_url=rollup_url(child.pk, month),
                findings_url=findings_url(child.pk),
            )
        )
    rows.sort(key=lambda r: (-r.score, -r.base, r.red, r.org_path))
    for i, r in enumerate(rows, start=1):
        r.rank = i
    k = min(top_n, len(rows) // 2)
    for r in rows[:k]:
        if r.assignments:
            r.verdict = "praise"
    for r in rows[len(rows) - k :]:
        if r.score < 100 and not r.verdict:
            r.verdict = "rectify"
    for r in rows:
        r.reasons = reasons(r)
    return rows


def reasons(r: ScoreRow) -> list[str]:
    out = []
    if r.percent is None:
        out.append("本月无承办任务")
    else:
        out.append(f"本月任务完成率{r.percent}%（完成{number(r.capped)}/目标{number(r.target)}）")
        out.append(f"逾期未完成{r.late}项" if r.late else "承办任务无逾期")
    if not r.red:
        out.append("无未解决的红色问题")
    else:
        out.append(f"未解决的红色问题{r.red}条")
        out += [f"{f.subject}：{f.message}" if f.subject else f.message for f in r.findings[:REASONS_SHOWN]]
        if r.red > REASONS_SHOWN:
            out.append(f"另有{r.red - REASONS_SHOWN}条，见问题清单")
    return out


def next_month_tasks(user: Any, review: MonthlyReview) -> tuple[list[NextTask], bool]:
    org, nxt = review.org, add_months(review.month, 1)
    own = Task.objects.restrict(user).filter(org=org).values("pk")
    above = (
        Assignment.objects.restrict(user)
        .filter(org__path__startswith=org.path, period_start=nxt, task__org_id__in=org.ancestor_ids())
        .values("task_id")
    )
    qs = (
        Task.objects.filter(Q(pk__in=own) | Q(pk__in=above))
        .filter(task_list__kind=ListKind.MONTHLY, task_list__period_start=nxt)
        .select_related("org")
        .order_by("-key", "due", "task_list__org__path", "sort_order", "pk")
    )
    tasks = list(qs[: NEXT_SHOWN + 1])
    out = []
    for t in tasks[:NEXT_SHOWN]:
        if t.target_kind == "checklist":
            target = "、".join(str(x) for x in t.checklist) or "—"
        else:
            target = f"{number(t.target_value)}{t.unit}" if t.target_value is not None else "—"
        out.append(NextTask(t.pk, t.title, t.org.name, t.due, target, t.key, task_url(t.pk, t.task_list_id)))
    return out, len(tasks) > NEXT_SHOWN


def child_label(org: Org) -> str:
    return "乡镇" if org.kind in (OrgKind.COUNTY, OrgKind.CITY, OrgKind.PROVINCE) else "工作站（村）"


def build_pack(user: Any, review: MonthlyReview, today: datetime.date | None = None) -> Pack:
    """Everything the page and the three files show, read live as `user` sees it."""
    today = today or timezone.localdate()
    org = review.org
    deduction = int(rule_value(R.RED_DEDUCTION.code, review.county))
    top_n = int(rule_value(R.SCORECARD_TOP_N.code, review.county))
    key_only, done = completion(user, review, today)
    nxt, more = next_month_tasks(user, review)
    return Pack(
        review=review,
        org=org,
        month=review.month,
        next_month=add_months(review.month, 1),
        today=today,
        key_only=key_only,
        completion=done,
        scorecard=scorecard(user, review, today, deduction, top_n),
        deduction=deduction,
        top_n=top_n,
        next_tasks=nxt,
        next_more=more,
        topics=list(review.topics.select_related("department").order_by("sort_order", "pk")),
        child_label=child_label(org),
    )
