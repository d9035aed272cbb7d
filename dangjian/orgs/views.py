"""Pages of the organisation tree. Thin: reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.comments import Comment

from dangjian.accounts.models import RoleAssignment
from dangjian.core.errors import ActionDenied, DomainError, NeedsConfirmation
from dangjian.core.excel import XLSX_TYPE
from dangjian.core.models import AuditEvent
from dangjian.core.routes import scoped
from dangjian.core.scope import can, get_scoped_or_404
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin

from . import selectors, services
from .choices import CLUSTER_KINDS, GRID_PARENT_KINDS, OrgKind
from .filtersets import DepartmentFilter, GridFilter, OrgFilter
from .forms import OrgCreateForm, OrgEditForm, OrgImportForm, OrgMoveForm
from .models import Department, Grid, Org
from .tables import DepartmentTable, GridTable, OrgExportTable, OrgTable


@scoped("user")
@login_required
def tree(request):
    """Start of the tree browser: the top of the user's scope."""
    roots = selectors.scope_roots(request.user)
    if len(roots) == 1:
        return redirect("org-detail", pk=roots[0].pk)
    return render(request, "orgs/tree.html", {"roots": roots})


class OrgDetailView(ScopedObjectMixin, View):
    model = Org

    def get(self, request, pk):
        org, user = self.object, request.user
        ctx = {
            "org": org,
            "ancestors": selectors.visible_ancestors(user, org),
            "children": selectors.children_with_counts(user, org, include_archived=org.is_archived),
            "subtree_counts": selectors.subtree_counts(user, org),
            "people": RoleAssignment.objects.restrict(user)
            .filter(org=org)
            .select_related("user", "department"),
            "grids": Grid.objects.restrict(user).filter(org=org).order_by("name")[:200],
            "grid_total": Grid.objects.restrict(user).filter(org__path__startswith=org.path).count(),
            "departments": Department.objects.restrict(user).filter(county=org)
            if org.kind == OrgKind.COUNTY
            else [],
            "history": AuditEvent.objects.restrict(user).filter(
                object_type="orgs.org", object_id=str(org.pk)
            )[:10],
            "can_add": can(user, "add", org) and not org.is_archived,
            "can_change": can(user, "change", org),
            "can_move": can(user, "move", org) and org.parent_id is not None,
            "can_archive": can(user, "archive", org) and org.parent_id is not None,
            "can_manage_users": can(user, "manage_users", org),
            "can_add_grid": org.kind in GRID_PARENT_KINDS and can(user, "add", org),
            "is_cluster": org.kind in CLUSTER_KINDS,
        }
        return render(request, "orgs/detail.html", ctx)


class OrgChildCreateView(ScopedObjectMixin, View):
    model = Org
    action = "add"

    def get(self, request, pk):
        return self.show(OrgCreateForm(parent=self.object))

    def post(self, request, pk):
        form = OrgCreateForm(request.POST, parent=self.object)
        warning = ""
        if form.is_valid():
            d = form.cleaned_data
            try:
                org = services.create_org(
                    request.user,
                    parent=self.object,
                    name=d["name"],
                    kind=d["kind"],
                    code=d["code"],
                    sort_order=d["sort_order"] or 0,
                    confirm=d["confirm"],
                )
            except NeedsConfirmation as exc:
                warning = exc.message
                form.data = form.data.copy()
                form.data["confirm"] = "on"
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"已新建“{org.name}”。")
                return redirect(org)
        return self.show(form, warning=warning, status=400)

    def show(self, form, warning="", status=200):
        return render(
            self.request,
            "orgs/form.html",
            {
                "form": form,
                "org": self.object,
                "warning": warning,
                "title": f"在“{self.object.name}”下新建组织",
            },
            status=status,
        )


class OrgEditView(ScopedObjectMixin, View):
    model = Org
    action = "change"

    def get(self, request, pk):
        org = self.object
        form = OrgEditForm(initial={"name": org.name, "code": org.code, "sort_order": org.sort_order})
        return self.show(form)

    def post(self, request, pk):
        form = OrgEditForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                org = services.update_org(
                    request.user,
                    self.object,
                    name=d["name"],
                    code=d["code"],
                    sort_order=d["sort_order"] if d["sort_order"] is not None else None,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "已保存。")
                return redirect(org)
        return self.show(form, status=400)

    def show(self, form, status=200):
        return render(
            self.request,
            "orgs/form.html",
            {"form": form, "org": self.object, "title": f"修改“{self.object.name}”"},
            status=status,
        )


class OrgMoveView(ScopedObjectMixin, View):
    model = Org
    action = "move"

    def get(self, request, pk):
        return self.show(OrgMoveForm(), q=request.GET.get("q", ""))

    def post(self, request, pk):
        form = OrgMoveForm(request.POST)
        warning = ""
        if form.is_valid():
            d = form.cleaned_data
            try:
                target = get_scoped_or_404(Org, request.user, "view", pk=d["new_parent"])
                org = services.move_org(request.user, self.object, target, confirm=d["confirm"])
            except NeedsConfirmation as exc:
                warning = exc.message
                form.data = form.data.copy()
                form.data["confirm"] = "on"
            except ActionDenied as exc:
                form.add_error(None, exc.message)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已将“{org.name}”移动到“{target.name}”之下。")
                return redirect(org)
        return self.show(form, warning=warning, status=400, selected=request.POST.get("new_parent"))

    def show(self, form, q="", warning="", status=200, selected=None):
        candidates = selectors.parent_candidates(self.request.user, self.object, q)
        return render(
            self.request,
            "orgs/move.html",
            {
                "form": form,
                "org": self.object,
                "candidates": candidates,
                "q": q,
                "warning": warning,
                "selected": str(selected or ""),
            },
            status=status,
        )


class OrgArchiveView(ScopedObjectMixin, View):
    model = Org
    action = "archive"

    def post(self, request, pk):
        try:
            if request.POST.get("restore"):
                services.restore_org(request.user, self.object)
                messages.success(request, f"已恢复“{self.object.name}”。")
            else:
                n = services.archive_org(request.user, self.object)
                messages.success(request, f"已归档“{self.object.name}”（连同下级共{n}个组织）。")
        except (DomainError, ActionDenied) as exc:
            messages.error(request, exc.message)
        return redirect("org-detail", pk=self.object.pk)


class OrgHistoryView(ScopedListView):
    """The history tab: every audit event on this org, before → after, with the actor."""

    model = AuditEvent
    title = "操作记录"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.org = get_scoped_or_404(Org, request.user, "view", pk=kwargs["pk"])
        self.title = f"“{self.org.name}”的操作记录"
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return AuditEvent.objects.filter(object_type="orgs.org", object_id=str(self.org.pk)).select_related(
            "org"
        )

    def get_table_class(self):
        from dangjian.core.tables import AuditEventTable

        return AuditEventTable

    def get_filterset_class(self):
        from dangjian.core.filtersets import AuditEventFilter

        return AuditEventFilter


OrgHistoryView.route_scope = OrgDetailView.route_scope


class OrgListView(ScopedListView):
    model = Org
    table_class = OrgTable
    filterset_class = OrgFilter
    title = "组织列表"
    export_name = "组织"

    def base_queryset(self):
        return Org.objects.select_related("parent")

    def get_queryset(self):
        qs = super().get_queryset()
        if "archived" not in self.request.GET:
            qs = qs.filter(archived_at__isnull=True)
        return qs

    def get_table_class(self):
        return OrgExportTable if self.request.GET.get("export") == "xlsx" else OrgTable


class LayoutView(ScopedListView):
    """Stations outside the county's size bounds and branches in no station, in the user's scope."""

    model = Org
    template_name = "orgs/layout.html"
    table_class = OrgTable
    filterset_class = OrgFilter
    title = "片区布局检查"

    def get(self, request, *args, **kwargs):
        findings = services.layout_findings(Org.objects.restrict(request.user))
        if request.GET.get("export") == "xlsx":
            from dangjian.core.excel import xlsx_response

            rows = [
                (
                    "站点超出范围",
                    f["station"].name,
                    f["station"].parent.name,
                    f["count"],
                    f"{f['min']}–{f['max']}",
                )
                for f in findings["out_of_bounds"]
            ]
            rows += [("未归入工作站", b.name, b.parent.name, "", "") for b in findings["loose_branches"]]
            return xlsx_response(
                "片区布局检查.xlsx", "布局检查", ["问题", "组织", "所属乡镇", "管辖村数", "规定范围"], rows
            )
        return render(request, self.template_name, {"title": self.title, **findings})


class ImportView(View):
    route_scope = OrgListView.route_scope

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, "orgs/import.html", {"form": OrgImportForm()})

    def post(self, request):
        form = OrgImportForm(request.POST, request.FILES)
        report = None
        if form.is_valid():
            commit = request.POST.get("commit") == "1"
            try:
                report = services.import_orgs(
                    request.user,
                    form.cleaned_data["file"],
                    dry_run=not commit,
                    confirm=form.cleaned_data["confirm"],
                )
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                if commit and report.ok:
                    messages.success(request, f"已导入{len(report.created)}个组织。")
                    return redirect("org-list")
        status = 200 if report is not None and report.ok else 400
        return render(request, "orgs/import.html", {"form": form, "report": report}, status=status)


@scoped("user")
@login_required
def import_template(request):
    wb = Workbook()
    ws = wb.active
    ws.title = services.IMPORT_SHEET
    ws.append(["组织导入模板（第一行可写标题，第二行起为表头；类型可填中文名称）"])
    headers = list(services.IMPORT_COLUMNS)
    ws.append(headers)
    ws["D2"].comment = Comment("上级的编码：系统中已有的组织编码，或本表上方某行的编码", "平台")
    ws.append(["EXAMPLE-T1", "示例镇", "乡镇（街道）", "（您管辖的县的编码）", 1])
    ws.append(["EXAMPLE-B1", "示例村党支部", "村党支部", "EXAMPLE-T1", 1])
    kinds = wb.create_sheet("类型说明")
    kinds.append(["类型", "代码"])
    for value, label in OrgKind.choices:
        kinds.append([label, value])
    response = HttpResponse(content_type=XLSX_TYPE)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''org-import-template.xlsx"
    wb.save(response)
    return response


class DepartmentListView(ScopedListView):
    model = Department
    table_class = DepartmentTable
    filterset_class = DepartmentFilter
    title = "县直部门"

    def base_queryset(self):
        return Department.objects.select_related("county").filter(archived_at__isnull=True)


class GridListView(ScopedListView):
    model = Grid
    table_class = GridTable
    filterset_class = GridFilter
    title = "网格"

    def base_queryset(self):
        return Grid.objects.select_related("org").filter(archived_at__isnull=True)


@scoped("object", model=Org)
@login_required
@require_POST
def grid_create(request, pk):
    org = get_scoped_or_404(Org, request.user, "view", pk=pk)
    try:
        grid = services.create_grid(
            request.user,
            org=org,
            name=request.POST.get("name", ""),
            leader_name=request.POST.get("leader_name", ""),
            leader_phone=request.POST.get("leader_phone", ""),
        )
    except (DomainError, ActionDenied) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已新建网格“{grid.name}”。")
    return redirect("org-detail", pk=org.pk)
