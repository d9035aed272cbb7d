"""Pages of the monthly task lists: lists, tasks, dispatch, assignments, reports, relay, my assignments
and the roll-up at every level. Thin: reads through the scope layer (selectors/stats), writes through
services.py; a refused write shows the service's Chinese message beside its field."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.decorators.http import require_GET

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.excel import xlsx_response
from dangjian.core.routes import RouteScope, scoped
from dangjian.core.scope import can, path_q, role_paths, scope_prefixes
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.members.views import attach_errors
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import selectors, services, stats
from .choices import AssignmentState, ListKind, TargetKind
from .filtersets import AssignmentFilter, TaskListFilter, parse_month
from .forms import MAX_ORG_CHOICES, DispatchForm, RelayForm, ReportForm, TaskForm, TaskListForm
from .models import DISPATCHERS, Assignment, Task, TaskList, TaskReport, TaskReportFile
from .tables import AssignmentTable, MyAssignmentTable, TaskListTable, due_status, num, warn_days_by_county

FORM = "tasks/form.html"
ROLLUP_KINDS = (OrgKind.STATION, OrgKind.JOINT_BRANCH, OrgKind.BRANCH, OrgKind.COMMUNITY, OrgKind.TOWNSHIP)


# --- helpers ---------------------------------------------------------------------------------------------


def issuer_orgs(user):
    """Orgs where the user may issue a list (county, township, station in their dispatch scope)."""
    qs = (
        Org.objects.restrict(user)
        .filter(kind__in=services.ISSUER_KINDS, archived_at__isnull=True)
        .order_by("path")
    )
    if user.is_superuser:
        return qs
    prefixes = scope_prefixes(user, DISPATCHERS)
    if not prefixes:
        return qs.none()
    return qs.filter(path_q("path", prefixes))


def candidates(user, top: Org):
    """Strict descendants of `top` a task can be sent to, in the user's dispatch scope."""
    qs = (
        Org.objects.restrict(user)
        .filter(path__startswith=top.path, archived_at__isnull=True, kind__in=services.DISPATCH_KINDS)
        .exclude(pk=top.pk)
        .order_by("path")
    )
    if not user.is_superuser:
        prefixes = scope_prefixes(user, DISPATCHERS)
        qs = qs.filter(path_q("path", prefixes)) if prefixes else qs.none()
    return qs


def home_org(user) -> Org | None:
    """The highest org where the user holds a role (the default of the roll-up page)."""
    if user.is_superuser:
        return Org.objects.filter(archived_at__isnull=True).order_by("depth", "path").first()
    paths = sorted({p for _, p in role_paths(user)}, key=lambda p: (p.count("/"), p))
    return Org.objects.filter(path=paths[0]).first() if paths else None


def month_label(day: datetime.date) -> str:
    return f"{day:%Y-%m}"


def assignments_url(**params: Any) -> str:
    return (
        reverse("assignment-list") + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})
    )


def _errors(exc: DomainError) -> list[str]:
    return [e.message for e in (getattr(exc, "errors", None) or [exc])]


def _count(qs, field: str):
    return Coalesce(
        Subquery(qs.values(field).annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0
    )


def decorate(rows: list[stats.RollupRow], link: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for the templates, each number with the link to the assignments behind it."""
    out = []
    for r in rows:
        base = link | {"org": r.org_id, "leaf": "true"}
        out.append(
            {
                "row": r,
                "target": num(r.target),
                "capped": num(r.capped),
                "done": num(r.done),
                "all_url": assignments_url(**base),
                "reported_url": assignments_url(**base, status="reported"),
                "pending_url": assignments_url(**base, status="pending"),
                "late_url": assignments_url(**base, status="late"),
            }
        )
    return out


# --- task lists ------------------------------------------------------------------------------------------


class TaskListListView(ScopedListView):
    model = TaskList
    table_class = TaskListTable
    filterset_class = TaskListFilter
    template_name = "tasks/tasklist_list.html"
    title = "任务清单"
    export_name = "任务清单"

    def get_queryset(self):
        tasks = Task.objects.filter(task_list_id=OuterRef("pk"))
        assigned = Assignment.objects.filter(task__task_list_id=OuterRef("pk"), parent__isnull=True)
        return (
            super()
            .get_queryset()
            .select_related("org")
            .annotate(
                n_tasks=_count(tasks, "task_list_id"), n_assignments=_count(assigned, "task__task_list_id")
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = issuer_orgs(self.request.user).exists()
        return ctx


class NewTaskListView(View):
    route_scope = RouteScope("list", model=TaskList)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.orgs = issuer_orgs(request.user)
        if not self.orgs.exists():
            raise PermissionDenied("您的角色不能下达任务清单。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {"period_start": timezone.localdate(), "org": self.orgs.first()}
        return self.show(TaskListForm(orgs=self.orgs, initial=initial))

    def post(self, request):
        form = TaskListForm(request.POST, orgs=self.orgs)
        if form.is_valid():
            d = form.cleaned_data
            try:
                tl = services.create_task_list(
                    request.user,
                    org=d["org"],
                    kind=d["kind"],
                    period_start=d["period_start"],
                    title=d["title"],
                    note=d["note"],
                )
            except DomainError as exc:
                attach_errors(form, exc)
            except (ActionDenied, NotInScope):
                form.add_error("org", "所选组织不在您的管辖范围内。")
            else:
                messages.success(request, f"已新建“{tl.title}”，请添加任务。")
                return redirect("task-new", pk=tl.pk)
        return self.show(form, status=400)

    def show(self, form, status=200):
        ctx = {"title": "新建月度任务清单", "form": form, "back": reverse("tasklist-list")}
        return render(self.request, FORM, ctx, status=status)


class TaskListDetailView(ScopedObjectMixin, View):
    model = TaskList

    def get(self, request, pk):
        tl, user = self.object, request.user
        tasks = list(Task.objects.filter(task_list=tl))
        by_task = stats.rollup_by_task(user, under=tl.org, task_ids=[t.pk for t in tasks])
        can_change = can(user, "change", tl)
        month = month_label(tl.period_start) if tl.kind == ListKind.MONTHLY else ""
        rows = []
        for t in tasks:
            r = by_task.get(t.pk, [])
            rows.append(
                {
                    "task": t,
                    "rows": decorate(r, {"task": t.pk}),
                    "total": stats.total(r),
                    "total_url": assignments_url(task=t.pk, leaf="true"),
                    "late_url": assignments_url(task=t.pk, leaf="true", status="late"),
                }
            )
        ctx = {
            "title": tl.title,
            "tl": tl,
            "tasks": rows,
            "can_change": can_change,
            "can_dispatch": can(user, "dispatch", tl),
            "month": month,
            "rollup_url": reverse("task-rollup") + "?" + urlencode({"org": tl.org_id, "month": month})
            if month
            else "",
        }
        return render(request, "tasks/tasklist_detail.html", ctx)


# --- tasks -----------------------------------------------------------------------------------------------


def _save_task(request, form, save) -> Any:
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_for_service())
    except DomainError as exc:
        attach_errors(form, exc)
    return None


class AddTaskView(ScopedObjectMixin, View):
    model = TaskList
    action = "add"

    def get(self, request, pk):
        initial = {"due": services.month_end(self.object.period_start), "target_kind": TargetKind.NUMBER}
        return self.show(TaskForm(initial=initial))

    def post(self, request, pk):
        form = TaskForm(request.POST)
        tl = self.object

        def save(d):
            return services.add_task(
                request.user,
                tl,
                title=d["title"],
                due=d["due"],
                description=d["description"],
                key=d["key"],
                target_kind=d["target_kind"],
                target_value=d["target_value"],
                unit=d["unit"],
                checklist=d["checklist"],
                sort_order=d["sort_order"],
            )

        task = _save_task(request, form, save)
        if task is not None:
            messages.success(request, f"已添加任务“{task.title}”，请下达。")
            return redirect(task)
        return self.show(form, status=400)

    def show(self, form, status=200):
        ctx = {
            "title": f"添加任务：{self.object.title}",
            "form": form,
            "back": self.object.get_absolute_url(),
        }
        return render(self.request, FORM, ctx, status=status)


class EditTaskView(ScopedObjectMixin, View):
    model = Task
    action = "change"

    def get(self, request, pk):
        t = self.object
        initial = {
            "title": t.title,
            "description": t.description,
            "key": t.key,
            "target_kind": t.target_kind,
            "target_value": t.target_value,
            "unit": t.unit,
            "checklist": "\n".join(t.checklist),
            "due": t.due,
            "sort_order": t.sort_order,
        }
        return self.show(TaskForm(initial=initial))

    def post(self, request, pk):
        form = TaskForm(request.POST)
        task = _save_task(request, form, lambda d: services.update_task(request.user, self.object, **d))
        if task is not None:
            messages.success(request, "已保存。")
            return redirect(task)
        return self.show(form, status=400)

    def show(self, form, status=200):
        ctx = {
            "title": f"修改任务：{self.object.title}",
            "form": form,
            "back": self.object.get_absolute_url(),
        }
        return render(self.request, FORM, ctx, status=status)


class TaskPage:
    """The task: its roll-up by the issuing org's children, its recipients, and the dispatch form."""

    ASSIGNMENTS_SHOWN = 300

    def __init__(self, request, task: Task):
        self.request, self.task = request, task

    def render(self, form=None, status=200):
        user, task, today = self.request.user, self.task, timezone.localdate()
        can_dispatch = can(user, "dispatch", task)
        rows = stats.rollup(user, under=task.org, task=task, today=today)
        warn = warn_days_by_county(today)
        assigned = list(
            Assignment.objects.restrict(user)
            .filter(task=task)
            .select_related("org")
            .order_by("org__path")[: self.ASSIGNMENTS_SHOWN]
        )
        for a in assigned:
            a.status_label, a.status_css = due_status(a, today, warn)
        if can_dispatch and form is None:
            form = DispatchForm(
                candidates=candidates(user, task.org)[:MAX_ORG_CHOICES],
                number=task.target_kind == TargetKind.NUMBER,
                initial={"due": task.due},
            )
        ctx = {
            "title": task.title,
            "task": task,
            "tl": task.task_list,
            "rows": decorate(rows, {"task": task.pk}),
            "total": stats.total(rows),
            "total_url": assignments_url(task=task.pk, leaf="true"),
            "assigned": assigned,
            "assigned_more": len(assigned) == self.ASSIGNMENTS_SHOWN,
            "form": form if can_dispatch else None,
            "can_change": can(user, "change", task),
            "target_text": services_target_text(task),
        }
        return render(self.request, "tasks/task_detail.html", ctx, status=status)


def services_target_text(task: Task) -> str:
    if task.target_kind == TargetKind.CHECKLIST:
        return f"清单{len(task.checklist)}项"
    return f"{num(task.target_value)}{task.unit}"


class TaskDetailView(ScopedObjectMixin, View):
    model = Task

    def get(self, request, pk):
        return TaskPage(request, self.object).render()


def _orgs_and_kind(form) -> dict:
    d = form.cleaned_data
    return {"orgs": list(d.get("orgs") or ()), "kind": d.get("kind") or None, "due": d.get("due")}


class DispatchView(ScopedObjectMixin, View):
    """POST: 下达 the task to the chosen children or to all of a kind below."""

    model = Task
    action = "dispatch"

    def get(self, request, pk):
        return redirect(self.object)

    def post(self, request, pk):
        task, user = self.object, request.user
        form = DispatchForm(
            request.POST,
            candidates=candidates(user, task.org),
            number=task.target_kind == TargetKind.NUMBER,
        )
        if form.is_valid():
            try:
                made = services.dispatch(
                    user, task, target_amount=form.cleaned_data.get("target_amount"), **_orgs_and_kind(form)
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                if made:
                    messages.success(
                        request, f"已下达到{len(made)}个单位：" + "、".join(a.org.name for a in made[:20])
                    )
                else:
                    messages.info(request, "所选单位都已承办此任务，未重复下达。")
                return redirect(task)
        return TaskPage(request, task).render(form=form, status=400)


# --- assignments -----------------------------------------------------------------------------------------


class AssignmentListView(ScopedListView):
    model = Assignment
    table_class = AssignmentTable
    filterset_class = AssignmentFilter
    title = "任务承办情况"
    export_name = "任务承办情况"

    def get_queryset(self):
        return (
            super().get_queryset().select_related("task__task_list", "org").order_by("due", "org__path", "pk")
        )


class MyAssignmentsView(ScopedListView):
    model = Assignment
    table_class = MyAssignmentTable
    filterset_class = AssignmentFilter
    template_name = "tasks/mine.html"
    title = "本单位承办任务"
    export_name = "本单位承办任务"

    def get_queryset(self):
        return (
            selectors.mine(self.request.user)
            .select_related("task__task_list", "org")
            .order_by("state", "due", "org__path", "pk")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today, user = timezone.localdate(), self.request.user
        ctx["due"] = selectors.due_for(user, today).count()
        ctx["overdue"] = selectors.overdue_for(user, today).count()
        return ctx


class AssignmentPage:
    REPORTS_SHOWN = 50

    def __init__(self, request, assignment: Assignment):
        self.request, self.a = request, assignment

    def render(self, report_form=None, relay_form=None, status=200):
        user, a, today = self.request.user, self.a, timezone.localdate()
        task = a.task
        reports = list(
            TaskReport.objects.restrict(user)
            .filter(assignment=a)
            .select_related("submitted_by")
            .prefetch_related("files")[: self.REPORTS_SHOWN]
        )
        for r in reports:
            r.items = [task.checklist[i] for i in r.checklist_done if 0 <= i < len(task.checklist)]
        can_report = not a.relayed and can(user, "report", a)
        can_relay = can(user, "dispatch", a) and a.org.kind not in (OrgKind.BRANCH, OrgKind.GROUP)
        can_relay = can_relay and (a.relayed or a.state == AssignmentState.PENDING)
        if can_report and report_form is None:
            report_form = ReportForm(
                task=task,
                initial={"amount": a.done_amount, "checklist_done": [str(i) for i in a.checklist_done]},
            )
        if can_relay and relay_form is None:
            relay_form = RelayForm(
                candidates=candidates(user, a.org)[:MAX_ORG_CHOICES], initial={"due": a.due}
            )
        children = []
        if a.relayed:
            rows = stats.rollup(user, under=a.org, task=task, today=today)
            children = decorate(rows, {"task": task.pk})
        label, css = due_status(a, today, warn_days_by_county(today))
        ctx = {
            "title": str(a),
            "a": a,
            "task": task,
            "unit": "项" if task.target_kind == TargetKind.CHECKLIST else task.unit,
            "target": num(a.target_amount),
            "done": num(a.done_amount),
            "status_label": label,
            "status_css": css,
            "items": [(i, item, i in a.checklist_done) for i, item in enumerate(task.checklist)],
            "reports": reports,
            "report_form": report_form if can_report else None,
            "relay_form": relay_form if can_relay else None,
            "children": children,
            "can_see_task": can(user, "view", task),
            "parent_visible": a.parent_id and can(user, "view", a.parent),
        }
        return render(self.request, "tasks/assignment_detail.html", ctx, status=status)


class AssignmentDetailView(ScopedObjectMixin, View):
    model = Assignment

    def get(self, request, pk):
        return AssignmentPage(request, self.object).render()


def report_kwargs(form, task: Task, files) -> dict:
    d = form.cleaned_data
    out = {"text": d.get("text", ""), "files": files}
    if task.target_kind == TargetKind.CHECKLIST:
        out["checklist_done"] = [int(i) for i in d.get("checklist_done") or ()]
    else:
        out["amount"] = d.get("amount")
    return out


class ReportView(ScopedObjectMixin, View):
    """GET: the report form alone (one click from "my assignments"); POST: submit the report."""

    model = Assignment
    action = "report"

    def get(self, request, pk):
        return AssignmentPage(request, self.object).render()

    def post(self, request, pk):
        a = self.object
        form = ReportForm(request.POST, request.FILES, task=a.task)
        if form.is_valid():
            try:
                rep = services.report(
                    request.user, a, **report_kwargs(form, a.task, form.cleaned_data["files"])
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已报告。" + ("（逾期报告）" if rep.late else ""))
                return redirect(a)
        return AssignmentPage(request, a).render(report_form=form, status=400)


class RelayView(ScopedObjectMixin, View):
    """POST: a station (or township) passes its assignment on to its villages."""

    model = Assignment
    action = "dispatch"

    def get(self, request, pk):
        return redirect(self.object)

    def post(self, request, pk):
        a, user = self.object, request.user
        form = RelayForm(request.POST, candidates=candidates(user, a.org))
        if form.is_valid():
            try:
                made = services.relay(user, a, **_orgs_and_kind(form))
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已分解下达到{len(made)}个单位。")
                return redirect(a)
        return AssignmentPage(request, a).render(relay_form=form, status=400)


class ReportFileView(ScopedObjectMixin, View):
    """Report files are private: streamed only to users who may see the report's org."""

    model = TaskReportFile

    def get(self, request, pk):
        try:
            handle = self.object.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404("文件不存在") from exc
        return FileResponse(handle, as_attachment=True, filename=self.object.name)


# --- the roll-up -----------------------------------------------------------------------------------------


def _crumbs(user, org: Org) -> list[Org]:
    visible = Org.objects.restrict(user).filter(pk__in=[*org.ancestor_ids(), org.pk]).order_by("depth")
    return list(visible)


@scoped("list", Assignment, exports=True)
@login_required
@require_GET
def rollup_page(request):
    """The monthly roll-up at any org: its children (each drilling down to its own children) and its
    tasks, every figure linking to the assignments behind it; `?export=xlsx` for Excel."""
    user, today = request.user, timezone.localdate()
    org_id = request.GET.get("org", "")
    if org_id:
        org = Org.objects.restrict(user).filter(pk=org_id).first() if org_id.isdigit() else None
        if org is None:
            raise Http404("未找到")
    else:
        org = home_org(user)
    month = parse_month(request.GET.get("month")) or today.replace(day=1)
    key_only = request.GET.get("key") in ("1", "true", "on")
    if org is None:
        rows, tasks = [], []
    else:
        rows = stats.rollup(
            user, under=org, period_start=month, key_only=key_only, today=today, kind=ListKind.MONTHLY
        )
        tasks = stats.task_rollup(
            user, under=org, period_start=month, key_only=key_only, today=today, kind=ListKind.MONTHLY
        )
    total = stats.total(rows)
    if request.GET.get("export") == "xlsx":
        return _rollup_xlsx(org, month, rows, tasks, total)
    link = {"month": month_label(month), **({"key": "true"} if key_only else {})}
    prev_month = (month - datetime.timedelta(days=1)).replace(day=1)
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    query = {"org": org.pk if org else "", "key": "1" if key_only else ""}
    ctx = {
        "title": "任务完成情况汇总",
        "org": org,
        "month": month_label(month),
        "key_only": key_only,
        "crumbs": _crumbs(user, org) if org else [],
        "rows": decorate(rows, link),
        "total": total,
        "total_links": {
            "all": assignments_url(org=org.pk if org else "", leaf="true", **link),
            "late": assignments_url(org=org.pk if org else "", leaf="true", status="late", **link),
            "reported": assignments_url(org=org.pk if org else "", leaf="true", status="reported", **link),
        },
        "tasks": [
            {
                "t": t,
                "target": num(t.target),
                "capped": num(t.capped),
                "url": assignments_url(task=t.task_id, org=org.pk, leaf="true"),
                "late_url": assignments_url(task=t.task_id, org=org.pk, leaf="true", status="late"),
            }
            for t in tasks
        ],
        "prev_url": "?" + urlencode(query | {"month": month_label(prev_month)}),
        "next_url": "?" + urlencode(query | {"month": month_label(next_month)}),
        "export_url": "?" + urlencode(query | {"month": month_label(month), "export": "xlsx"}),
        "drill_query": urlencode({"month": month_label(month), **({"key": "1"} if key_only else {})}),
    }
    return render(request, "tasks/rollup.html", ctx)


def _rollup_xlsx(org, month, rows, tasks, total):
    headers = [
        "类别",
        "单位/任务",
        "目标",
        "完成（封顶计）",
        "完成（实际）",
        "完成率%",
        "承办数",
        "已报告",
        "逾期",
        "逾期单位",
    ]
    values: list[list[Any]] = [
        [
            "下级单位",
            r.org_name,
            float(r.target),
            float(r.capped),
            float(r.done),
            r.percent,
            r.assignments,
            r.reported,
            r.late,
            "",
        ]
        for r in rows
    ]
    if rows:
        values.append(
            [
                "合计",
                org.name,
                float(total["target"]),
                float(total["capped"]),
                float(total["done"]),
                total["percent"],
                total["assignments"],
                total["reported"],
                total["late"],
                "",
            ]
        )
    values += [
        [
            "任务",
            f"{t.title}（{t.unit}）" if t.unit else t.title,
            float(t.target),
            float(t.capped),
            float(t.done),
            t.percent,
            t.assignments,
            t.reported,
            t.late,
            "、".join(t.late_orgs),
        ]
        for t in tasks
    ]
    name = f"任务完成情况汇总-{org.name if org else ''}-{month:%Y-%m}"
    return xlsx_response(f"{name}.xlsx", "任务完成情况", headers, values, title=name)
