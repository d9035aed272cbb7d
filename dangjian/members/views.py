"""Pages of the roster (花名册): the list and its Excel export, a member's page, the forms and the import.
Thin: reads through selectors, writes through services."""

from __future__ import annotations

import re
import time
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.views import View
from openpyxl import Workbook
from openpyxl.styles import Font

from dangjian.core import audit
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.excel import XLSX_TYPE
from dangjian.core.routes import RouteScope, scoped
from dangjian.core.scope import can
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.orgs.models import Org

from . import selectors
from .choices import DuesCategory, Education, Gender, MemberStatus
from .filtersets import ON_ROLL_VALUE, MemberFilter
from .forms import MemberForm, MemberImportForm
from .models import Member, Person
from .services import importing, privacy, roster
from .services.identity import check_char
from .tables import MemberPiiExportTable, MemberTable


def attach_errors(form, exc: DomainError) -> None:
    """Each service message beside its field; those about no field of the form above it."""
    for err in getattr(exc, "errors", None) or [exc]:
        form.add_error(err.field if err.field in form.fields else None, err.message)


class MemberListView(ScopedListView):
    model = Member
    table_class = MemberTable
    filterset_class = MemberFilter
    template_name = "members/member_list.html"
    title = "党员花名册"
    export_name = "党员花名册"
    read_action = "view"

    def base_queryset(self):
        return Member.objects.select_related("person", "org", "group")

    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, self.read_action)

    def get_table_class(self):
        return MemberPiiExportTable if self.read_action == "view_pii" else MemberTable

    def export(self):
        if self.request.GET.get("pii") == "1":
            self.start_pii_export()
        return super().export()

    def start_pii_export(self) -> None:
        """Full values only from rows the user may see in full, and the export itself is audited."""
        user = self.request.user
        if not selectors.may_see_pii(user):
            raise PermissionDenied("您的角色无权导出完整的身份证号和电话。")
        self.read_action = "view_pii"
        self.export_name = "党员花名册（含完整身份证号和电话，注意保密）"
        filterset = self.get_filterset(self.get_filterset_class())
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_queryset()
        count = qs.count()
        audit.record(
            user,
            "member.export_pii",
            None,
            org=selectors.pii_root(user),
            after={"rows": count},
            note=f"导出{count}名党员的完整身份证号和电话",
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_add"] = selectors.member_orgs(user, "add").exists()
        ctx["can_import"] = selectors.member_orgs(user, "import").exists()
        ctx["can_pii"] = selectors.may_see_pii(user)
        org_id = self.request.GET.get("org", "")
        ctx["filter_org"] = (
            Org.objects.restrict(user, "view").filter(pk=org_id).first() if org_id.isdigit() else None
        )
        chosen = {k: v for k, v in self.request.GET.items() if v and k not in ("q", "org", "page", "sort")}
        if chosen.get("standing") == ON_ROLL_VALUE:
            del chosen["standing"]
        ctx["filters_open"] = bool(chosen)
        return ctx


def render_member(request, member: Member, revealed: dict[str, str] | None = None) -> HttpResponse:
    user = request.user
    ctx = {
        "member": member,
        "person": member.person,
        "revealed": revealed,
        "history": selectors.member_history(user, member),
        "can_change": can(user, "change", member),
        "can_reveal": can(user, "view_pii", member),
        "can_privacy": can(user, "privacy", member.person),
        "anonymise_refusal": privacy.anonymise_refusal(member.person)
        if can(user, "privacy", member.person)
        else "",
    }
    response = render(request, "members/member_detail.html", ctx)
    if revealed:
        add_never_cache_headers(response)
    return response


class MemberDetailView(ScopedObjectMixin, View):
    model = Member

    def get(self, request, pk):
        return render_member(request, self.object)


class MemberRevealView(ScopedObjectMixin, View):
    """POST only: full ID number and phone, for roles allowed to see them; every look is audited."""

    model = Member

    def post(self, request, pk):
        try:
            revealed = roster.reveal_pii(request.user, self.object, request.POST.get("reason", ""))
        except ActionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        return render_member(request, self.object, revealed=revealed)


class PersonExportView(ScopedObjectMixin, View):
    """Everything held about one person, as a workbook (county admins; the export is audited)."""

    model = Person

    def get(self, request, pk):
        try:
            data = privacy.export_person(request.user, self.object)
        except ActionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        response = HttpResponse(privacy.export_workbook(data), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''person-{self.object.pk}.xlsx"
        add_never_cache_headers(response)
        return response


class PersonAnonymiseView(ScopedObjectMixin, View):
    """POST only: anonymise a former member or non-member (county admins, with the legal ground)."""

    model = Person

    def post(self, request, pk):
        try:
            privacy.anonymise_person(request.user, self.object, request.POST.get("reason", ""))
        except ActionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已匿名化：姓名、身份证号、电话等已清除，相关记录保留。")
        member = Member.objects.filter(person=self.object).first()
        return redirect(member.get_absolute_url() if member else "member-list")


class MemberCreateView(View):
    """A list-kind route: the branch comes with the request and is looked up among those where the
    user may add members, so an out-of-scope branch is refused like an unknown one."""

    route_scope = RouteScope("list", model=Member)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.branches = selectors.member_orgs(request.user, "add")
        if not self.branches.exists():
            raise PermissionDenied("您的角色无权新建党员。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        org_id = request.GET.get("org", "")
        org = self.branches.filter(pk=org_id).first() if org_id.isdigit() else None
        if org_id and org is None:
            raise Http404("未找到")
        groups = selectors.groups_of([org] if org else self.branches)
        form = MemberForm(initial={"org": org}, branches=self.branches, groups=groups)
        return self.show(form)

    def post(self, request):
        form = MemberForm(request.POST, branches=self.branches, groups=selectors.groups_of(self.branches))
        if form.is_valid():
            try:
                member = roster.create_member(request.user, form.cleaned_data["org"], form.member_data())
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记党员“{member.person.name}”。")
                return redirect(member)
        return self.show(form, status=400)

    def show(self, form, status=200):
        return render(
            self.request, "members/member_form.html", {"form": form, "title": "新建党员"}, status=status
        )


class MemberEditView(ScopedObjectMixin, View):
    model = Member
    action = "change"

    def make_form(self, data=None) -> MemberForm:
        m = self.object
        current = roster.member_data(m)
        initial = {name: getattr(current, name) for name in MemberForm.base_fields if name != "org"}
        # The full number and phone are not put in the page: that would bypass the audited reveal.
        initial |= {"id_number": "", "phone": ""}
        return MemberForm(
            data,
            initial=initial,
            branches=None,
            groups=selectors.groups_of([m.org]),
            fixed_org=m.org,
            current_masked={"id_number": m.person.id_masked, "phone": m.person.phone_masked},
        )

    def get(self, request, pk):
        return self.show(self.make_form())

    def post(self, request, pk):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                member = roster.update_member(
                    request.user, self.object, form.member_data(roster.member_data(self.object))
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect(member)
        return self.show(form, status=400)

    def show(self, form, status=200):
        ctx = {"form": form, "member": self.object, "title": f"修改“{self.object.person.name}”的信息"}
        return render(self.request, "members/member_form.html", ctx, status=status)


class MemberImportView(View):
    """Upload → a dry-run report (行号/列/问题) → the same file posted again with commit=1."""

    route_scope = RouteScope("list", model=Member)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if not selectors.member_orgs(request.user, "import").exists():
            raise PermissionDenied("您的角色无权导入党员花名册。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(
            request, "members/import.html", {"form": MemberImportForm(), "upload_id": uuid.uuid4().hex}
        )

    def post(self, request):
        form = MemberImportForm(request.POST, request.FILES)
        report, elapsed = None, 0.0
        commit = request.POST.get("commit") == "1"
        key = progress_key(request.user, request.POST.get("upload_id", ""))
        if form.is_valid():
            started = time.monotonic()

            def progress(done: int, total: int) -> None:
                if key:
                    caches["progress"].set(key, {"done": done, "total": total}, 3600)

            try:
                report = importing.import_members(
                    request.user, form.cleaned_data["file"], dry_run=not commit, progress=progress
                )
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                progress(report.rows, report.rows)
                if commit and report.ok:
                    messages.success(request, f"已导入{report.created}名党员。")
                    return redirect("member-list")
            elapsed = time.monotonic() - started
        status = 200 if report is not None and report.ok else 400
        ctx = {"form": form, "report": report, "elapsed": elapsed, "upload_id": uuid.uuid4().hex}
        return render(request, "members/import.html", ctx, status=status)


def progress_key(user, upload_id: str) -> str:
    """Keyed by the user as well, so one clerk can never read another's progress."""
    return f"member-import:{user.pk}:{upload_id}" if UPLOAD_ID.fullmatch(upload_id or "") else ""


@scoped("user")
@login_required
def import_progress(request):
    """Rows checked so far of the import this user is running (polled by the import page)."""
    key = progress_key(request.user, request.GET.get("id", ""))
    state = (caches["progress"].get(key) if key else None) or {"done": 0, "total": 0}
    response = JsonResponse(state)
    add_never_cache_headers(response)
    return response


@scoped("user")
@login_required
def import_template(request):
    """A title row, the header, two example rows, and a sheet of the values each column accepts."""
    wb = Workbook()
    ws = wb.active
    ws.title = importing.IMPORT_SHEET
    ws.append(["党员花名册导入模板（第一行为标题，第二行为表头；示例行导入前请删除）"])
    ws.append(list(importing.IMPORT_COLUMNS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for name, seq, male, birth, row in (
        ("张三", 11, True, "19800315", ["正式党员", "2005-07-01", "2006-07-01", "", "农民", ""]),
        ("李四", 12, False, "19950520", ["预备党员", "2025年12月1日", "", "", "", ""]),
    ):
        first17 = f"140932{birth}{seq * 2 + (1 if male else 0):03d}"
        ws.append(
            ["EXAMPLE-B1", name, "男" if male else "女", "汉族", f"{birth[:4]}-{birth[4:6]}-{birth[6:]}"]
            + [first17 + check_char(first17), "13800000000", "初中", "务农"]
            + row
        )
    for col in ("F", "G"):  # ID numbers and phones as text, or Excel drops digits
        ws.column_dimensions[col].number_format = "@"
        for cell in ws[col]:
            cell.number_format = "@"
    notes = wb.create_sheet("填写说明")
    for line in (
        ["列", "必填", "说明 / 可填写的值"],
        ["所在党支部编码", "是", "党支部（社区党组织）的编码，见下方“您可导入的党支部”"],
        ["公民身份号码", "是", "18位，末位可为X；请把该列设为“文本”格式"],
        ["性别", "否", "、".join(Gender.labels) + "；不填则按身份证号识别"],
        ["出生日期", "否", "不填则按身份证号识别"],
        ["党员类别", "是", "、".join(MemberStatus.labels)],
        [
            "入党时间 / 转正时间",
            "",
            "如 2019-07-01、2019/7/1、2019.07.01、2019年7月1日，或 Excel 日期；预备党员不填转正时间",
        ],
        ["学历", "否", "、".join(Education.labels)],
        ["党费类别", "否", "、".join(DuesCategory.labels) + "；不填为农民"],
        ["党费计算基数", "否", "在职、离退休党员必填：月收入（元）"],
        ["党小组", "否", "该党支部下已有党小组的名称"],
    ):
        notes.append(line)
    notes.append([])
    notes.append(["您可导入的党支部", "编码"])
    for org in selectors.member_orgs(request.user, "import").exclude(code=None)[:5000]:
        notes.append([org.name, org.code])
    response = HttpResponse(content_type=XLSX_TYPE)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''member-import-template.xlsx"
    wb.save(response)
    return response


UPLOAD_ID = re.compile(r"[0-9a-f]{32}")

urlpatterns = [
    path("", MemberListView.as_view(), name="member-list"),
    path("new/", MemberCreateView.as_view(), name="member-create"),
    path("import/", MemberImportView.as_view(), name="member-import"),
    path("import/template/", import_template, name="member-import-template"),
    path("import/progress/", import_progress, name="member-import-progress"),
    path("<int:pk>/", MemberDetailView.as_view(), name="member-detail"),
    path("<int:pk>/edit/", MemberEditView.as_view(), name="member-edit"),
    path("<int:pk>/reveal/", MemberRevealView.as_view(), name="member-reveal"),
    path("people/<int:pk>/export/", PersonExportView.as_view(), name="person-export"),
    path("people/<int:pk>/anonymise/", PersonAnonymiseView.as_view(), name="person-anonymise"),
]
