"""Pages of the projects app: the ledger (项目台账) with search, filters, sort, paging and export; a project's
page with its sources, milestones, outcomes, files and progress; the forms; the roll-up by level with its
export. Thin: reads through the scope layer, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_GET

from dangjian.core.errors import DomainError
from dangjian.core.excel import xlsx_response
from dangjian.core.routes import scoped
from dangjian.core.scope import can, path_q, scope_prefixes
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.decisions.models import Decision
from dangjian.orgs.models import Org

from . import forms as F
from . import services, stats
from .choices import FileKind, ProgressMode, ProjectKind, ProjectStatus
from .filtersets import ProjectFilter
from .models import PROJECT_POLICY, FundingSource, Milestone, Outcome, Project, ProjectFile
from .selectors import gap, ledger_rows
from .tables import ProjectTable


def _form_error(form, exc: DomainError) -> None:
    for err in getattr(exc, "errors", None) or [exc]:
        form.add_error(err.field if err.field in form.fields else None, err.message)


def add_orgs(user):
    """Orgs where the user may register a project."""
    qs = Org.objects.filter(kind__in=services.PROJECT_ORG_KINDS, archived_at__isnull=True).order_by("path")
    if user.is_superuser:
        return qs
    prefixes = scope_prefixes(user, PROJECT_POLICY["add"])
    return qs.filter(path_q("path", prefixes)) if prefixes else qs.none()


def _villages(user):
    return (
        Org.objects.restrict(user)
        .filter(kind__in=services.VILLAGE_KINDS, archived_at__isnull=True)
        .order_by("path")
    )


def _decisions(user):
    return Decision.objects.restrict(user).select_related("org").order_by("-opened_on", "-pk")


class ProjectListView(ScopedListView):
    model = Project
    table_class = ProjectTable
    filterset_class = ProjectFilter
    template_name = "projects/list.html"
    title = "项目台账"

    def base_queryset(self):
        return ledger_rows()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = self.request.user.is_superuser or bool(
            scope_prefixes(self.request.user, PROJECT_POLICY["add"])
        )
        return ctx


def _project_form(user, data=None, **kwargs):
    return F.ProjectForm(
        data, orgs=add_orgs(user), villages=_villages(user), decisions=_decisions(user), **kwargs
    )


@scoped("list", model=Project)
@login_required
def new_project(request):
    user = request.user
    if not add_orgs(user).exists():
        raise PermissionDenied("您的角色无权登记项目。")
    initial = {"year": timezone.localdate().year, "progress_mode": ProgressMode.MILESTONES}
    form = _project_form(user, request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = dict(form.cleaned_data)
            d["villages"] = list(d["villages"])
            try:
                project = services.create_project(user, **d)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"已登记项目：{project}。")
                return redirect(project)
        status = 400
    return render(request, "projects/form.html", {"title": "登记项目", "form": form}, status=status)


class ProjectDetailView(ScopedObjectMixin, View):
    model = Project

    def get(self, request, pk):
        project = ledger_rows().get(pk=self.object.pk)
        milestones = list(Milestone.objects.filter(project=project).order_by("sort_order", "pk"))
        sources = list(FundingSource.objects.filter(project=project))
        can_change = can(request.user, "change", project)
        return render(
            request,
            "projects/detail.html",
            {
                "title": project.title,
                "project": project,
                "progress": project.progress_from(project.ms_done, project.ms_total),
                "gap": gap(project.budget, project.funded),
                "sources": sources,
                "milestones": milestones,
                "next_milestone": next((m for m in milestones if m.done_on is None), None),
                "outcomes": Outcome.objects.filter(project=project).select_related("unit"),
                "files": ProjectFile.objects.filter(project=project).select_related("uploaded_by"),
                "villages": project.villages.order_by("path"),
                "decision": Decision.objects.restrict(request.user).filter(pk=project.decision_id).first()
                if project.decision_id
                else None,
                "can_change": can_change,
                "Status": ProjectStatus,
                "reported": project.progress_mode == ProgressMode.REPORTED,
            },
        )


class ProjectEditView(ScopedObjectMixin, View):
    model = Project
    action = "change"

    def get(self, request, pk):
        p = self.object
        initial = {f: getattr(p, f) for f in services.EDITABLE_FIELDS if f != "villages"}
        initial["villages"] = list(p.villages.values_list("pk", flat=True))
        form = _project_form(request.user, initial=initial, editing=True)
        return self.page(request, form)

    def post(self, request, pk):
        form = _project_form(request.user, request.POST, editing=True)
        if form.is_valid():
            d = dict(form.cleaned_data)
            d["villages"] = list(d["villages"])
            try:
                services.update_project(request.user, self.object, **d)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect(self.object)
        return self.page(request, form, status=400)

    def page(self, request, form, status=200):
        return render(
            request,
            "projects/form.html",
            {"title": f"{self.object} · 修改", "form": form, "project": self.object},
            status=status,
        )


def _source(user, p, d):
    s = services.add_source(user, p, **d)
    return f"已登记资金来源：{s}。"


def _milestone(user, p, d):
    m = services.add_milestone(user, p, **d)
    return f"已增加节点：{m.title}。"


def _outcome(user, p, d):
    o = services.record_outcome(user, p, **d)
    return f"已登记成效：{o}。"


def _status(user, p, d):
    services.set_status(user, p, **d)
    return f"项目状态已改为“{p.get_status_display()}”。"


def _progress(user, p, d):
    services.report_progress(user, p, **d)
    return f"进度已更新为{p.reported_progress}%。"


def _file(user, p, d):
    item = services.upload_file(user, p, d["file"], d["kind"])
    return f"已上传：{item.name}。"


def _today(field: str):
    return lambda p: {field: timezone.localdate()}


ACTIONS = {
    "source": {"title": "登记资金来源", "form": F.SourceForm, "save": _source},
    "milestone": {"title": "增加节点", "form": F.MilestoneForm, "save": _milestone},
    "outcome": {
        "title": "登记成效",
        "form": F.OutcomeForm,
        "save": _outcome,
        "initial": _today("recorded_on"),
    },
    "status": {"title": "变更状态", "form": F.StatusForm, "save": _status, "initial": _today("on")},
    "progress": {
        "title": "填报进度",
        "form": F.ProgressForm,
        "save": _progress,
        "initial": lambda p: {"percent": p.reported_progress},
    },
    "file": {
        "title": "上传照片或资料",
        "form": F.FileForm,
        "save": _file,
        "initial": lambda p: {"kind": FileKind.PHOTO},
    },
}


class ActionView(ScopedObjectMixin, View):
    """One form on a project; `step` picks the form and the service (see ACTIONS)."""

    model = Project
    action = "change"
    step = ""

    def get(self, request, pk):
        spec = ACTIONS[self.step]
        return self.page(request, spec["form"](initial=spec.get("initial", lambda p: {})(self.object)))

    def post(self, request, pk):
        spec = ACTIONS[self.step]
        form = spec["form"](request.POST, request.FILES)
        if form.is_valid():
            try:
                done = spec["save"](request.user, self.object, dict(form.cleaned_data))
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, done)
                return redirect(self.object)
        return self.page(request, form, status=400)

    def page(self, request, form, status=200):
        title = f"{self.object} · {ACTIONS[self.step]['title']}"
        return render(
            request,
            "projects/form.html",
            {"title": title, "form": form, "project": self.object},
            status=status,
        )


class MilestoneDoneView(ScopedObjectMixin, View):
    model = Milestone

    def check(self, request):
        if not can(request.user, "change", self.object.project):
            raise PermissionDenied("您的角色无权执行此操作。")

    def get(self, request, pk):
        self.check(request)
        return self.page(request, F.MilestoneDoneForm(initial={"done_on": timezone.localdate()}))

    def post(self, request, pk):
        self.check(request)
        form = F.MilestoneDoneForm(request.POST)
        if form.is_valid():
            try:
                services.complete_milestone(request.user, self.object, **form.cleaned_data)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"节点“{self.object.title}”已完成。")
                return redirect(self.object.project)
        return self.page(request, form, status=400)

    def page(self, request, form, status=200):
        project = self.object.project
        return render(
            request,
            "projects/form.html",
            {"title": f"{project} · 节点完成：{self.object.title}", "form": form, "project": project},
            status=status,
        )


class _DeleteView(ScopedObjectMixin, View):
    """POST only: remove a row of a project through its service."""

    http_method_names = ["post"]
    done = ""

    def post(self, request, pk):
        project = self.object.project
        if not can(request.user, "change", project):
            raise PermissionDenied("您的角色无权执行此操作。")
        try:
            type(self).remove(request.user, self.object)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, self.done)
        return redirect(project)


class SourceDeleteView(_DeleteView):
    model = FundingSource
    remove = staticmethod(services.remove_source)
    done = "已删除资金来源。"


class OutcomeDeleteView(_DeleteView):
    model = Outcome
    remove = staticmethod(services.remove_outcome)
    done = "已删除成效。"


class FileDeleteView(_DeleteView):
    model = ProjectFile
    remove = staticmethod(services.delete_file)
    done = "已删除文件。"


class FileDownloadView(ScopedObjectMixin, View):
    """Photos and files are private: streamed only to users who may see the project."""

    model = ProjectFile

    def get(self, request, pk):
        item = self.object
        try:
            handle = item.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404("文件不存在") from exc
        return FileResponse(handle, as_attachment=item.kind != FileKind.PHOTO, filename=item.name)


def _rollup_filters(request) -> dict:
    year = request.GET.get("year", "")
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    return {
        "year": int(year) if year.isdigit() else None,
        "kind": kind if kind in ProjectKind.values else None,
        "status": status if status in ProjectStatus.values else None,
    }


@scoped("list", model=Project, exports=True)
@login_required
@require_GET
def rollup(request):
    """项目汇总: per township or county, counts and budgets by status and kind, funds, outcomes."""
    level = request.GET.get("level") if request.GET.get("level") in stats.LEVELS else "township"
    filters = _rollup_filters(request)
    rows = stats.rollup(request.user, level, **filters)
    units = stats.unit_names()
    used = [u for u in units if any(u in r.outcomes for r in rows)]
    cols = stats.columns(used)
    grand = stats.total(rows)
    title = f"项目汇总（按{stats.LEVELS[level]}）"
    if request.GET.get("export") == "xlsx":
        stamp = timezone.localtime()
        body = [stats.as_cells(r, used) for r in [*rows, grand]]
        return xlsx_response(
            f"{title}-{stamp:%Y%m%d-%H%M}.xlsx",
            "项目汇总",
            [h for _, h in cols],
            body,
            title=f"{title}（导出时间 {stamp:%Y-%m-%d %H:%M}）",
        )
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "projects/rollup.html",
        {
            "title": title,
            "level": level,
            "levels": stats.LEVELS,
            "filters": filters,
            "kinds": ProjectKind.choices,
            "statuses": ProjectStatus.choices,
            "headers": [h for _, h in cols],
            "rows": [(r, stats.as_cells(r, used)) for r in rows],
            "grand": stats.as_cells(grand, used),
            "export_query": query.urlencode(),
        },
    )
