"""The only place the tasks app writes monthly lists, tasks, assignments and reports (the weekly cycle's
own rows are written by weekly.py, which calls these for its lists, tasks and assignments).

Every function takes the actor first, checks permission through the scope layer, validates everything
(Chinese messages tied to their fields), writes in one transaction and records an audit row.

Roll-ups count only leaf assignments (relayed=False); a relayed assignment's target/done/state are the
sums of its children's, recomputed up the chain whenever a child reports or is added."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import ActionDenied, DomainError, DomainErrors, NotInScope
from dangjian.core.rules import rule_value
from dangjian.core.scope import can, require, scope_prefixes
from dangjian.core.uploads import content_matches, extension
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import rules as R
from .choices import AssignmentState, ListKind, TargetKind
from .models import DISPATCHERS, Assignment, Task, TaskList, TaskReport, TaskReportFile

FILE_TYPES = ("jpg", "jpeg", "png", "pdf", "docx", "xlsx")
ISSUER_KINDS = frozenset(
    {OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY, OrgKind.TOWNSHIP, OrgKind.STATION, OrgKind.JOINT_BRANCH}
)
# The kinds a task can be sent to "all of a kind below".
DISPATCH_KINDS = (
    OrgKind.TOWNSHIP,
    OrgKind.STATION,
    OrgKind.JOINT_BRANCH,
    OrgKind.BRANCH,
    OrgKind.COMMUNITY,
)
MAX_CHECKLIST = 50
MAX_AMOUNT = Decimal("999999999999.99")


class _Errors:
    def __init__(self) -> None:
        self.items: list[DomainError] = []

    def add(self, message: str, field: str | None = None) -> None:
        self.items.append(DomainError(message, field))

    def text(self, value: Any, *, label: str, field: str, limit: int, required: bool = False) -> str:
        value = (str(value) if value is not None else "").strip()
        if required and not value:
            self.add(f"请填写{label}。", field)
        elif len(value) > limit:
            self.add(f"{label}不能超过{limit}个字。", field)
        return value

    def raise_any(self) -> None:
        if len(self.items) == 1:
            raise self.items[0]
        if self.items:
            raise DomainErrors(self.items)


# --- helpers ---------------------------------------------------------------------------------------------


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_of(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period a list of `kind` covers around `day`: its month, or its week (Monday..Sunday)."""
    if kind == ListKind.WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    start = day.replace(day=1)
    return start, month_end(start)


def places_of(orgs: Iterable[Org]) -> dict[int, dict[str, int | None]]:
    """{org id: {"township": id, "county": id}} for many orgs from one query (each org itself counts
    when it is a township or a county), as cases/services.py fills Case.township/county."""
    orgs = list(orgs)
    ids = {i for o in orgs for i in [*o.ancestor_ids(), o.pk]}
    kinds = dict(
        Org.objects.filter(pk__in=ids, kind__in=(OrgKind.TOWNSHIP, OrgKind.COUNTY)).values_list("pk", "kind")
    )
    out: dict[int, dict[str, int | None]] = {}
    for o in orgs:
        chain = [*o.ancestor_ids(), o.pk]
        out[o.pk] = {
            "township": next((i for i in chain if kinds.get(i) == OrgKind.TOWNSHIP), None),
            "county": next((i for i in chain if kinds.get(i) == OrgKind.COUNTY), None),
        }
    return out


def _county_id(org: Org) -> int:
    county = places_of([org])[org.pk]["county"]
    return county or org.pk


def _in_actor_scope(actor: Any, org: Org, roles: Iterable[str] = DISPATCHERS) -> bool:
    if actor.is_superuser:
        return True
    return any(org.path.startswith(p) for p in scope_prefixes(actor, roles))


def _decimal(value: Any, *, label: str, field: str, e: _Errors) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        e.add(f"{label}须为数字。", field)
        return None
    if not d.is_finite():
        e.add(f"{label}须为数字。", field)
        return None
    if d < 0:
        e.add(f"{label}不能为负数。", field)
        return None
    if d > MAX_AMOUNT:
        e.add(f"{label}过大。", field)
        return None
    return d.quantize(Decimal("0.01"))


def check_files(files: Sequence[Any], county: Any, field: str = "files") -> None:
    """Photos and documents only, each within the county's size limit, content matching the name."""
    limit = int(rule_value(R.REPORT_FILE_MAX_MB.code, county))
    if len(files) > 10:
        raise DomainError("一次最多上传10个文件。", field)
    for f in files:
        name = getattr(f, "name", "") or ""
        ext = extension(name)
        if ext not in FILE_TYPES:
            raise DomainError(
                f"“{name}”不是图片或文档：只能上传 JPG、PNG、PDF、Word（docx）、Excel（xlsx）文件。", field
            )
        if (getattr(f, "size", 0) or 0) > limit * 1024 * 1024:
            raise DomainError(f"“{name}”超过{limit}MB，请压缩后再上传。", field)
        if not content_matches(f, ext):
            raise DomainError(f"“{name}”的内容不是有效的{ext.upper()}文件。", field)


def _checklist_items(value: Any, e: _Errors) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    items = [str(x).strip() for x in (value or ()) if str(x).strip()]
    if not items:
        e.add("清单事项至少填写一项。", "checklist")
    elif len(items) > MAX_CHECKLIST:
        e.add(f"清单事项不能超过{MAX_CHECKLIST}项。", "checklist")
    elif any(len(x) > 200 for x in items):
        e.add("每项清单事项不能超过200个字。", "checklist")
    return items


# --- lists and tasks -------------------------------------------------------------------------------------


def create_task_list(
    actor: Any, *, org: Org, kind: str, period_start: datetime.date, title: str = "", note: str = ""
) -> TaskList:
    """A month's (or week's) list issued by `org` (a county, township or station)."""
    probe = TaskList(org=org)
    require(actor, "add", probe)
    e = _Errors()
    if kind not in ListKind.values:
        raise DomainError("清单类型无效。", "kind")
    if org.archived_at is not None:
        e.add(f"“{org.name}”已撤销，不能下达任务清单。", "org")
    if org.kind not in ISSUER_KINDS:
        e.add("只有县、乡镇和党建工作站可以下达任务清单。", "org")
    if period_start is None:
        raise DomainError("请填写期间。", "period_start")
    start, end = period_of(kind, period_start)
    label = f"{start:%Y年%m月}" if kind == ListKind.MONTHLY else f"{start:%Y-%m-%d}周"
    title = e.text(title, label="标题", field="title", limit=100) or f"{org.name}{label}任务清单"[:100]
    note = e.text(note, label="说明", field="note", limit=2000)
    if TaskList.objects.filter(org=org, kind=kind, period_start=start).exists():
        e.add(f"{org.name}{label}的{ListKind(kind).label}已存在。", "period_start")
    e.raise_any()
    with transaction.atomic():
        tl = TaskList.objects.create(
            org=org,
            county_id=_county_id(org),
            kind=kind,
            period_start=start,
            period_end=end,
            title=title,
            note=note,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(actor, "tasks.create_list", tl, org=org, after=snapshot(tl))
    return tl


def _task_fields(
    e: _Errors,
    *,
    title: Any,
    description: Any,
    due: Any,
    target_kind: Any,
    target_value: Any,
    unit: Any,
    checklist: Any,
    task_list: TaskList,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "title": e.text(title, label="任务名称", field="title", limit=200, required=True),
        "description": e.text(description, label="要求", field="description", limit=3000),
        "unit": e.text(unit, label="单位", field="unit", limit=20),
    }
    if due is None:
        e.add("请填写完成期限。", "due")
    elif due < task_list.period_start:
        e.add(f"完成期限不能早于清单期间开始（{task_list.period_start:%Y-%m-%d}）。", "due")
    out["due"] = due
    if target_kind not in TargetKind.values:
        e.add("指标类型无效。", "target_kind")
        return out
    out["target_kind"] = target_kind
    if target_kind == TargetKind.CHECKLIST:
        out["checklist"] = _checklist_items(checklist, e)
        out["target_value"] = None
    else:
        value = _decimal(target_value, label="目标值", field="target_value", e=e)
        if value is None and not any(i.field == "target_value" for i in e.items):
            e.add("数量指标须填写目标值。", "target_value")
        elif value is not None and value <= 0:
            e.add("目标值须大于0。", "target_value")
        out["target_value"] = value
        out["checklist"] = []
    return out


def add_task(
    actor: Any,
    task_list: TaskList,
    *,
    title: str,
    due: datetime.date,
    description: str = "",
    key: bool = False,
    target_kind: str = TargetKind.NUMBER,
    target_value: Any = None,
    unit: str = "",
    checklist: Iterable[str] = (),
    sort_order: int = 0,
) -> Task:
    require(actor, "add", task_list)
    e = _Errors()
    fields = _task_fields(
        e,
        title=title,
        description=description,
        due=due,
        target_kind=target_kind,
        target_value=target_value,
        unit=unit,
        checklist=checklist,
        task_list=task_list,
    )
    e.raise_any()
    with transaction.atomic():
        task = Task.objects.create(
            task_list=task_list, org=task_list.org, key=bool(key), sort_order=int(sort_order or 0), **fields
        )
        audit.record(actor, "tasks.add_task", task, org=task_list.org, after=snapshot(task))
    return task


UPDATABLE = (
    "title",
    "description",
    "key",
    "due",
    "target_kind",
    "target_value",
    "unit",
    "checklist",
    "sort_order",
)


def update_task(actor: Any, task: Task, **changes: Any) -> Task:
    """Change a task. Once dispatched its target (kind, value, checklist) is fixed; a new due date moves
    the assignments that still carry the old one."""
    require(actor, "change", task)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise DomainError(f"不能修改：{'、'.join(sorted(unknown))}。")
    task = Task.objects.select_related("task_list").get(pk=task.pk)
    merged = {name: changes.get(name, getattr(task, name)) for name in UPDATABLE}
    e = _Errors()
    fields = _task_fields(
        e,
        title=merged["title"],
        description=merged["description"],
        due=merged["due"],
        target_kind=merged["target_kind"],
        target_value=merged["target_value"],
        unit=merged["unit"],
        checklist=merged["checklist"],
        task_list=task.task_list,
    )
    dispatched = task.assignments.exists()
    if dispatched and not e.items:
        for name in ("target_kind", "target_value", "checklist"):
            if fields.get(name) != getattr(task, name) and not (
                name == "target_value" and fields.get(name) == task.target_value
            ):
                e.add("任务已下达，不能修改指标；如需调整请新增任务。", name)
                break
    e.raise_any()
    before = snapshot(task)
    old_due = task.due
    with transaction.atomic():
        for name, value in fields.items():
            setattr(task, name, value)
        task.key = bool(merged["key"])
        task.sort_order = int(merged["sort_order"] or 0)
        task.save()
        if task.due != old_due:
            task.assignments.filter(due=old_due).exclude(state=AssignmentState.DONE).update(due=task.due)
        audit.record(actor, "tasks.update_task", task, org=task.org, before=before, after=snapshot(task))
    return task


# --- dispatch and relay ----------------------------------------------------------------------------------


def _recipients(actor: Any, top: Org, *, orgs: Iterable[Org], kind: str | None, e: _Errors) -> list[Org]:
    """The orgs chosen (strict descendants of `top` in the actor's scope), or all non-archived orgs of
    `kind` below `top`."""
    chosen: dict[int, Org] = {}
    for org in orgs or ():
        if not isinstance(org, Org):
            org = Org.objects.filter(pk=org).first()
            if org is None:
                e.add("下达对象不存在。", "orgs")
                continue
        if org.pk == top.pk or not org.path.startswith(top.path) or not _in_actor_scope(actor, org):
            e.add(f"“{org.name}”不在您的管辖范围内，不能下达。", "orgs")
        elif org.archived_at is not None:
            e.add(f"“{org.name}”已撤销，不能下达。", "orgs")
        else:
            chosen[org.pk] = org
    if kind:
        if kind not in DISPATCH_KINDS:
            e.add("下达对象类型无效。", "kind")
        else:
            below = [
                o
                for o in Org.objects.filter(path__startswith=top.path, kind=kind, archived_at__isnull=True)
                .exclude(pk=top.pk)
                .order_by("path")
                if _in_actor_scope(actor, o)
            ]
            if not below:
                e.add(f"{top.name}下没有{OrgKind(kind).label}。", "kind")
            chosen.update((o.pk, o) for o in below)
    if not chosen and not e.items:
        e.add("请选择下达对象：勾选下级组织，或选择“下达到某类全部组织”。", "orgs")
    result = sorted(chosen.values(), key=lambda o: o.path)
    paths = [o.path for o in result]
    for o in result:
        above = next((p for p in paths if p != o.path and o.path.startswith(p)), None)
        if above:
            e.add(f"“{o.name}”的上级也在下达对象中，请只下达到其中一级（由上级分解下达）。", "orgs")
            break
    return result


def _check_due(due: datetime.date | None, today: datetime.date, e: _Errors) -> None:
    if due is None:
        e.add("请填写完成期限。", "due")
    elif due < today:
        e.add(f"完成期限不能早于下达日期（{today:%Y-%m-%d}）。", "due")


def _create_assignments(
    actor: Any,
    task: Task,
    recipients: list[Org],
    *,
    due: datetime.date,
    target: Decimal,
    parent: Assignment | None,
    now: datetime.datetime,
) -> list[Assignment]:
    held = set(
        Assignment.objects.filter(task=task, org__in=[o.pk for o in recipients]).values_list(
            "org_id", flat=True
        )
    )
    fresh = [o for o in recipients if o.pk not in held]
    places = places_of(fresh)
    rows = [
        Assignment(
            task=task,
            org=o,
            township_id=places[o.pk]["township"],
            county_id=places[o.pk]["county"] or task.task_list.county_id,
            parent=parent,
            due=due,
            target_amount=target,
            period_start=task.task_list.period_start,
            dispatched_at=now,
            dispatched_by=actor if getattr(actor, "pk", None) else None,
        )
        for o in fresh
    ]
    created = Assignment.objects.bulk_create(rows)
    if created and created[0].pk is None:  # a backend without RETURNING: read them back
        created = list(Assignment.objects.filter(task=task, org__in=[o.pk for o in fresh]))
    return created


def dispatch(
    actor: Any,
    task: Task,
    *,
    orgs: Iterable[Org] = (),
    kind: str | None = None,
    due: datetime.date | None = None,
    target_amount: Any = None,
    today: datetime.date | None = None,
) -> list[Assignment]:
    """Send `task` to chosen strict descendants of its org, or to all of a kind below. Orgs that already
    hold it are skipped; returns the new assignments."""
    require(actor, "dispatch", task)
    today = today or timezone.localdate()
    task = Task.objects.select_related("task_list", "org").get(pk=task.pk)
    due = due or task.due
    e = _Errors()
    _check_due(due, today, e)
    if task.target_kind == TargetKind.CHECKLIST:
        target = task.target_amount
    else:
        target = _decimal(target_amount, label="目标值", field="target_amount", e=e)
        if target is None:
            target = task.target_amount
        if target is not None and target <= 0 and not e.items:
            e.add("目标值须大于0。", "target_amount")
    recipients = _recipients(actor, task.org, orgs=orgs, kind=kind, e=e)
    if not e.items:
        existing = list(
            Assignment.objects.filter(task=task)
            .exclude(org__in=[o.pk for o in recipients])
            .values_list("org__path", "org__name")
        )
        for o in recipients:
            clash = next((n for p, n in existing if o.path.startswith(p) or p.startswith(o.path)), None)
            if clash:
                e.add(f"“{clash}”已承办此任务，“{o.name}”与其上下级重复；请由承办单位分解下达。", "orgs")
                break
    e.raise_any()
    now = timezone.now()
    with transaction.atomic():
        created = _create_assignments(actor, task, recipients, due=due, target=target, parent=None, now=now)
        tl = task.task_list
        if created and tl.issued_at is None:
            tl.issued_at, tl.issued_by = now, actor if getattr(actor, "pk", None) else None
            tl.save(update_fields=["issued_at", "issued_by"])
        audit.record(
            actor,
            "tasks.dispatch",
            task,
            org=task.org,
            after={
                "orgs": [a.org_id for a in created],
                "due": due.isoformat(),
                "target_amount": str(target),
            },
            note="下达至：" + "、".join(a.org.name for a in created)[:1500],
        )
    return created


def relay(
    actor: Any,
    assignment: Assignment,
    *,
    orgs: Iterable[Org] = (),
    kind: str | None = None,
    due: datetime.date | None = None,
    today: datetime.date | None = None,
) -> list[Assignment]:
    """Pass an assignment on to strict descendants of its org; it becomes `relayed` and its target and
    progress become the sums of its children's."""
    require(actor, "dispatch", assignment)
    today = today or timezone.localdate()
    assignment = Assignment.objects.select_related("task__task_list", "org").get(pk=assignment.pk)
    task = assignment.task
    due = due or assignment.due
    e = _Errors()
    _check_due(due, today, e)
    if due is not None and due > assignment.due:
        e.add(f"下级完成期限不能晚于本级期限（{assignment.due:%Y-%m-%d}）。", "due")
    if not assignment.relayed and assignment.reports.exists():
        e.add("本单位已报告此任务，不能再分解下达。", "orgs")
    recipients = _recipients(actor, assignment.org, orgs=orgs, kind=kind, e=e)
    e.raise_any()
    now = timezone.now()
    before = snapshot(assignment)
    with transaction.atomic():
        created = _create_assignments(
            actor, task, recipients, due=due, target=task.target_amount, parent=assignment, now=now
        )
        if created or not assignment.relayed:
            sync_parents(assignment)
        assignment.refresh_from_db()
        _record_assignment(
            actor,
            "tasks.relay",
            assignment,
            org=assignment.org,
            before=before,
            after=snapshot(assignment) | {"orgs": [a.org_id for a in created]},
            note="分解下达至：" + "、".join(a.org.name for a in created)[:1500],
        )
    return created


def _record_assignment(actor: Any, action: str, assignment: Assignment, **kw: Any) -> None:
    """Audit a write on an assignment. Its trail names the org and the task's number, not the task's
    title: the event lies at the recipient's org, and the title is the issuer's record (visible in the
    issuer's own trail), so a village's trail never repeats what lies above it."""
    audit.record(
        actor, action, _Named(assignment, f"{assignment.org.name}承办（任务#{assignment.task_id}）"), **kw
    )


class _Named:
    """An object as the audit trail names it: its type and id, and the given text for its name."""

    def __init__(self, obj: Any, text: str) -> None:
        self._meta, self.pk, self.text = obj._meta, obj.pk, text

    def __str__(self) -> str:
        return self.text


def sync_parents(assignment: Assignment | None) -> None:
    """Recompute `assignment` (a relayed parent) from its children, and so on up the chain."""
    while assignment is not None:
        agg = Assignment.objects.filter(parent_id=assignment.pk).aggregate(
            n=Count("pk"),
            target=Sum("target_amount"),
            done=Sum("done_amount"),
            reported=Count("pk", filter=~Q(state=AssignmentState.PENDING)),
            finished=Count("pk", filter=Q(state=AssignmentState.DONE)),
            first=Min("first_report_at"),
            last=Max("last_report_at"),
            completed=Max("completed_on"),
        )
        if not agg["n"]:
            return
        if agg["finished"] == agg["n"]:
            state = AssignmentState.DONE
        elif agg["reported"]:
            state = AssignmentState.REPORTED
        else:
            state = AssignmentState.PENDING
        Assignment.objects.filter(pk=assignment.pk).update(
            relayed=True,
            target_amount=agg["target"] or 0,
            done_amount=agg["done"] or 0,
            checklist_done=[],
            state=state,
            first_report_at=agg["first"],
            last_report_at=agg["last"],
            completed_on=agg["completed"] if state == AssignmentState.DONE else None,
        )
        parent_id = assignment.parent_id
        assignment = Assignment.objects.filter(pk=parent_id).first() if parent_id else None


# --- reports ---------------------------------------------------------------------------------------------


def report(
    actor: Any,
    assignment: Assignment,
    *,
    text: str,
    amount: Any = None,
    checklist_done: Iterable[Any] | None = None,
    files: Sequence[Any] = (),
    now: datetime.datetime | None = None,
) -> TaskReport:
    """The recipient reports where its assignment stands now: the number reached so far (a number
    task) or the checklist items done, with text and files."""
    require(actor, "report", assignment)
    assignment = Assignment.objects.select_related("task", "org", "county").get(pk=assignment.pk)
    task = assignment.task
    if assignment.relayed:
        raise DomainError("该任务已分解到下级，由下级报告。", "text")
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    e = _Errors()
    text = e.text(text, label="完成情况", field="text", limit=3000, required=True)
    done_items: list[int] = []
    value: Decimal | None = None
    if task.target_kind == TargetKind.CHECKLIST:
        n = len(task.checklist)
        raw = list(checklist_done or ())
        try:
            indices = [int(i) for i in raw]
        except (TypeError, ValueError):
            indices = None
            e.add("完成事项须为清单中的序号。", "checklist_done")
        if indices is not None:
            done_items = sorted(set(indices))
            bad = [i for i in done_items if i < 0 or i >= n]
            if len(indices) > n:
                e.add(f"完成事项超过清单总数（共{n}项）。", "checklist_done")
            elif bad:
                e.add(f"完成事项超过清单总数：清单共{n}项，没有第{bad[0] + 1}项。", "checklist_done")
        value = Decimal(len(done_items))
    else:
        value = _decimal(amount, label="完成值", field="amount", e=e)
        if value is None and not any(i.field == "amount" for i in e.items):
            e.add(f"请填写当前完成值（{task.unit or '数量'}）。", "amount")
    files = list(files or ())
    if not e.items:
        check_files(files, assignment.county)
    e.raise_any()
    before = snapshot(assignment)
    with transaction.atomic():
        rep = TaskReport.objects.create(
            assignment=assignment,
            org=assignment.org,
            text=text,
            amount=value if task.target_kind == TargetKind.NUMBER else None,
            checklist_done=done_items,
            late=today > assignment.due,
            submitted_at=now,
            submitted_by=actor if getattr(actor, "pk", None) else None,
        )
        for f in files:
            TaskReportFile.objects.create(
                report=rep,
                org=assignment.org,
                file=f,
                name=(getattr(f, "name", "") or "")[-200:],
                size=getattr(f, "size", 0) or 0,
            )
        assignment.done_amount = value or Decimal(0)
        assignment.checklist_done = done_items
        reached = assignment.target_amount > 0 and assignment.done_amount >= assignment.target_amount
        assignment.state = AssignmentState.DONE if reached else AssignmentState.REPORTED
        assignment.completed_on = (assignment.completed_on or today) if reached else None
        assignment.first_report_at = assignment.first_report_at or now
        assignment.last_report_at = now
        assignment.save(
            update_fields=[
                "done_amount",
                "checklist_done",
                "state",
                "completed_on",
                "first_report_at",
                "last_report_at",
            ]
        )
        if assignment.parent_id:
            sync_parents(Assignment.objects.get(pk=assignment.parent_id))
        _record_assignment(
            actor,
            "tasks.report",
            assignment,
            org=assignment.org,
            before=before,
            after=snapshot(assignment),
            note=text[:500] + ("（逾期报告）" if rep.late else ""),
        )
    return rep


def report_for(actor: Any, task: Task, org: Org, **kwargs: Any) -> TaskReport:
    """Report on `task` as `org`: refused when `org` was not assigned it."""
    assignment = Assignment.objects.filter(task=task, org=org).first() if task and org else None
    if assignment is None:
        if task is not None and not (can(actor, "view", task) or _in_actor_scope(actor, org, _WORKER_ROLES)):
            raise NotInScope
        raise DomainError("该组织未承办此任务，不能报告。", "org")
    return report(actor, assignment, **kwargs)


_WORKER_ROLES = ("county_admin", "township_staff", "station_chief", "village_secretary")

__all__ = [
    "ActionDenied",
    "add_task",
    "check_files",
    "create_task_list",
    "dispatch",
    "period_of",
    "places_of",
    "relay",
    "report",
    "report_for",
    "sync_parents",
    "update_task",
]
