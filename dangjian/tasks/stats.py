"""Roll-ups of task progress at any org, set-based and in a constant number of queries.

Only leaf assignments (relayed=False) count, so a station's relayed assignment and its villages' are
never counted twice. A recipient's progress is capped at its target (1050 m of 1000 m counts 100%);
a checklist cannot exceed its length anyway."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum
from django.db.models.functions import Least, Substr
from django.utils import timezone

from dangjian.orgs.models import PATH_SEGMENT, Org

from .choices import AssignmentState
from .models import Assignment, Task

SEGMENT = PATH_SEGMENT + 1  # eight digits and a slash


@dataclass
class RollupRow:
    org_id: int
    org_name: str
    org_path: str
    target: Decimal
    capped: Decimal
    done: Decimal
    percent: int
    assignments: int
    reported: int
    late: int
    own: bool = False  # the row of `under` itself (its own leaf assignments), not of a child

    @property
    def pending(self) -> int:
        return self.assignments - self.reported


@dataclass
class TaskRow:
    task_id: int
    title: str
    unit: str
    target: Decimal
    capped: Decimal
    done: Decimal
    percent: int
    assignments: int
    reported: int
    late: int
    late_orgs: list[str] = field(default_factory=list)
    key: bool = False
    target_kind: str = ""
    due: datetime.date | None = None


def percent_of(capped: Decimal | int, target: Decimal | int) -> int:
    """floor(capped * 100 / target), 0 when there is no target."""
    if not target:
        return 0
    return int(Decimal(capped) * 100 // Decimal(target))


def _figures(today: datetime.date) -> dict[str, Any]:
    money = DecimalField(max_digits=16, decimal_places=2)
    return {
        "target": Sum("target_amount", output_field=money),
        "capped": Sum(Least("done_amount", "target_amount"), output_field=money),
        "done": Sum("done_amount", output_field=money),
        "assignments": Count("pk"),
        "reported": Count("pk", filter=~Q(state=AssignmentState.PENDING)),
        "late": Count("pk", filter=Q(due__lt=today) & ~Q(state=AssignmentState.DONE)),
    }


def leaves(
    user: Any,
    *,
    under: Org,
    period_start: datetime.date | None = None,
    task: Task | int | None = None,
    key_only: bool = False,
    kind: str | None = None,
) -> QuerySet[Assignment]:
    """The leaf assignments in `under`'s subtree the user may see, filtered as the roll-ups are."""
    qs = Assignment.objects.restrict(user, "view").filter(relayed=False, org__path__startswith=under.path)
    if period_start is not None:
        qs = qs.filter(period_start=period_start)
    if task is not None:
        qs = qs.filter(task_id=getattr(task, "pk", task))
    if key_only:
        qs = qs.filter(task__key=True)
    if kind:
        qs = qs.filter(task__task_list__kind=kind)
    return qs


def rollup(
    user: Any,
    *,
    under: Org,
    period_start: datetime.date | None = None,
    task: Task | int | None = None,
    key_only: bool = False,
    today: datetime.date | None = None,
    kind: str | None = None,
) -> list[RollupRow]:
    """One row per child of `under` holding (leaf) assignments below it, plus a row for `under` itself
    when it holds leaf assignments of its own. Two queries (plus the user's roles, once)."""
    today = today or timezone.localdate()
    width = len(under.path) + SEGMENT
    qs = leaves(user, under=under, period_start=period_start, task=task, key_only=key_only, kind=kind)
    groups = list(
        qs.annotate(prefix=Substr("org__path", 1, width))
        .values("prefix")
        .annotate(**_figures(today))
        .order_by("prefix")
    )
    if not groups:
        return []
    found = Org.objects.filter(path__in=[g["prefix"] for g in groups]).only("name", "path")
    orgs = {o.path: o for o in found}
    rows: list[RollupRow] = []
    for g in groups:
        prefix = g["prefix"]
        own = prefix == under.path or len(prefix) < width
        org = under if own else orgs.get(prefix)
        if org is None:
            continue
        rows.append(_row(g, org, own))
    rows.sort(key=lambda r: (not r.own, r.org_path))
    return rows


def total(rows: list[RollupRow] | list[TaskRow]) -> dict[str, Any]:
    """The sum of roll-up rows (a whole org: Σ of its children's rows)."""
    target = sum((r.target for r in rows), Decimal(0))
    capped = sum((r.capped for r in rows), Decimal(0))
    return {
        "target": target,
        "capped": capped,
        "done": sum((r.done for r in rows), Decimal(0)),
        "percent": percent_of(capped, target),
        "assignments": sum(r.assignments for r in rows),
        "reported": sum(r.reported for r in rows),
        "late": sum(r.late for r in rows),
    }


def ancestor_paths(org: Org) -> list[str]:
    """`org`'s path and those of all its ancestors."""
    parts = [s for s in org.path.strip("/").split("/") if s]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def task_rollup(
    user: Any,
    *,
    under: Org,
    period_start: datetime.date | None,
    key_only: bool = False,
    today: datetime.date | None = None,
    kind: str | None = None,
) -> list[TaskRow]:
    """One row per task issued at or above `under` for the period with leaf assignments under `under`,
    with the names of the late recipient orgs. Three queries."""
    today = today or timezone.localdate()
    qs = leaves(user, under=under, period_start=period_start, key_only=key_only, kind=kind).filter(
        task__org__path__in=ancestor_paths(under)
    )
    groups = list(qs.values("task_id").annotate(**_figures(today)).order_by())
    if not groups:
        return []
    ids = [g["task_id"] for g in groups]
    tasks = {t.pk: t for t in Task.objects.filter(pk__in=ids)}
    late: dict[int, list[str]] = {}
    for task_id, name in (
        qs.filter(due__lt=today)
        .exclude(state=AssignmentState.DONE)
        .order_by("org__path")
        .values_list("task_id", "org__name")
    ):
        late.setdefault(task_id, []).append(name)
    rows = []
    for g in groups:
        t = tasks[g["task_id"]]
        rows.append(
            TaskRow(
                task_id=t.pk,
                title=t.title,
                unit=t.unit if t.target_kind == "number" else "项",
                target=g["target"] or Decimal(0),
                capped=g["capped"] or Decimal(0),
                done=g["done"] or Decimal(0),
                percent=percent_of(g["capped"] or 0, g["target"] or 0),
                assignments=g["assignments"],
                reported=g["reported"],
                late=g["late"],
                late_orgs=late.get(t.pk, []),
                key=t.key,
                target_kind=t.target_kind,
                due=t.due,
            )
        )
    order = {t.pk: (t.task_list_id, t.sort_order, t.pk) for t in tasks.values()}
    rows.sort(key=lambda r: order[r.task_id])
    return rows


def _row(g: dict, org: Org, own: bool) -> RollupRow:
    return RollupRow(
        org_id=org.pk,
        org_name=("本级：" if own else "") + org.name,
        org_path=org.path,
        target=g["target"] or Decimal(0),
        capped=g["capped"] or Decimal(0),
        done=g["done"] or Decimal(0),
        percent=percent_of(g["capped"] or 0, g["target"] or 0),
        assignments=g["assignments"],
        reported=g["reported"],
        late=g["late"],
        own=own,
    )


def rollup_by_task(
    user: Any, *, under: Org, task_ids: list[int], today: datetime.date | None = None
) -> dict[int, list[RollupRow]]:
    """rollup() of several tasks at once, {task id: rows by child of `under`}, in two queries (the
    list-detail page's table per task)."""
    today = today or timezone.localdate()
    width = len(under.path) + SEGMENT
    groups = list(
        leaves(user, under=under)
        .filter(task_id__in=task_ids)
        .annotate(prefix=Substr("org__path", 1, width))
        .values("task_id", "prefix")
        .annotate(**_figures(today))
        .order_by("task_id", "prefix")
    )
    out: dict[int, list[RollupRow]] = {pk: [] for pk in task_ids}
    if not groups:
        return out
    orgs = {
        o.path: o for o in Org.objects.filter(path__in={g["prefix"] for g in groups}).only("name", "path")
    }
    for g in groups:
        own = g["prefix"] == under.path or len(g["prefix"]) < width
        org = under if own else orgs.get(g["prefix"])
        if org is not None:
            out[g["task_id"]].append(_row(g, org, own))
    for rows in out.values():
        rows.sort(key=lambda r: (not r.own, r.org_path))
    return out


def late_q(today: datetime.date) -> Q:
    return Q(due__lt=today) & ~Q(state=AssignmentState.DONE)


__all__ = ["RollupRow", "TaskRow", "late_q", "percent_of", "rollup", "task_rollup", "total"]
