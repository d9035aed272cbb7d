"""Pages of the township office: its structure (posts, duties, holders), staff selection, contact
coverage, county contact leaders, and field days. Thin: reads through the scope layer and selectors,
writes through the services; a refused write shows the service's Chinese message beside its field."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_GET

from dangjian.accounts.models import RoleAssignment, User
from dangjian.cases.choices import CaseKind
from dangjian.cases.models import Case
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.excel import xlsx_response
from dangjian.core.routes import RouteScope, scoped
from dangjian.core.scope import can, path_q
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import forms as F
from . import rules as R
from . import selectors
from .choices import PostKind, SelectionStatus, StepKind
from .filtersets import ContactPointFilter, FieldVisitFilter, SelectionFilter
from .models import (
    ContactLeader,
    ContactLeaderVisit,
    ContactPoint,
    FieldVisit,
    Post,
    PostHolder,
    StaffSelection,
)
from .services import contacts, field, leaders, posts, selections
from .tables import ContactPointTable, FieldVisitTable, SelectionTable
from .weeks import days_text, week_label, week_param

FORM_TEMPLATE = "office/form.html"


def attach_errors(form, exc: DomainError) -> None:
    """Each service message beside its field; those about no field of the form above it."""
    for err in getattr(exc, "errors", None) or [exc]:
        form.add_error(err.field if err.field in form.fields else None, err.message)


def form_page(request, title: str, form, *, back: str = "", status: int = 200, **extra):
    return render(
        request, FORM_TEMPLATE, {"title": title, "form": form, "back": back, **extra}, status=status
    )


def stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def export(name: str, headers: list[str], rows: list[list[Any]]):
    return xlsx_response(
        f"{name}-{stamp()}.xlsx",
        name,
        headers,
        rows,
        title=f"{name}（导出时间 {timezone.localtime():%Y-%m-%d %H:%M}）",
    )


def people_on(township_ids: list[int]) -> list[tuple[int, str]]:
    """Users holding a role on the townships themselves (who may hold an office post)."""
    seen: dict[int, str] = {}
    for ra in (
        RoleAssignment.objects.filter(org_id__in=township_ids, user__is_active=True)
        .select_related("user", "org")
        .order_by("user__name_pinyin", "user_id")
    ):
        seen.setdefault(ra.user_id, f"{ra.user.display_name}（{ra.org.name}·{ra.get_role_display()}）")
    return list(seen.items())


class PostOnly:
    http_method_names = ["post"]


# --- structure: posts, duties, holders ------------------------------------------------------------


@scoped("list", model=Post, exports=True)
@login_required
@require_GET
def structure(request):
    """The township office's posts with their duties and holders (print-friendly, exportable)."""
    options, township = selectors.pick_township(request.user, request.GET.get("township"), "view", Post)
    post_rows = selectors.structure(request.user, township) if township else []
    if request.GET.get("export") == "xlsx":
        rows = []
        for i, p in enumerate(post_rows, 1):
            holder = "、".join(h.user.display_name for h in p.current_holders) or "空缺"
            base = [i, p.name, p.get_kind_display(), "专职" if p.full_time else "兼职", holder]
            duties = list(p.duties.all()) or [None]
            for d in duties:
                rows.append(base + ([d.position, d.text] if d else ["", ""]))
        name = f"{township.name}党建办岗位职责" if township else "党建办岗位职责"
        return export(name, ["序号", "岗位", "类别", "专兼职", "在岗人员", "职责序号", "职责"], rows)
    office = post_rows[0].office if post_rows else (getattr(township, "office", None) if township else None)
    ctx = {
        "title": f"{township.name}党建办岗位与职责" if township else "党建办岗位与职责",
        "townships": options,
        "township": township,
        "office": office,
        "posts": post_rows,
        "duty_count": sum(len(p.duties.all()) for p in post_rows),
        "staff_count": len({h.user_id for p in post_rows for h in p.current_holders}),
        "directors": [p for p in post_rows if p.kind != PostKind.STAFF],
        "working": [p for p in post_rows if p.kind == PostKind.STAFF],
        "can_change": township is not None and can(request.user, "change", Post(org=township)),
    }
    return render(request, "office/structure.html", ctx)


class PostCreateView(View):
    route_scope = RouteScope("list", model=Post)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.townships = list(selectors.townships(request.user, "add", Post))
        if not self.townships:
            raise PermissionDenied("您的角色无权设置党建办岗位。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {"township": request.GET.get("township")}
        return self.show(F.PostCreateForm(initial=initial, townships=self.townships))

    def post(self, request):
        form = F.PostCreateForm(request.POST, townships=self.townships)
        if form.is_valid():
            d = form.cleaned_data
            township = next(t for t in self.townships if t.pk == d["township"])
            try:
                post = posts.create_post(
                    request.user,
                    township,
                    d["name"],
                    d["kind"],
                    full_time=d["full_time"],
                    sort_order=d["sort_order"],
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已新设岗位“{post.name}”，请填写岗位职责。")
                return redirect("office-post-duties", pk=post.pk)
        return self.show(form, status=400)

    def show(self, form, status=200):
        return form_page(
            self.request, "新设党建办岗位", form, back=reverse("office-structure"), status=status
        )


class PostDetailView(ScopedObjectMixin, View):
    model = Post

    def get(self, request, pk):
        return self.show()

    def show(self, appoint_form=None, status=200):
        post = self.object
        can_change = can(self.request.user, "change", post) and post.archived_at is None
        ctx = {
            "title": str(post),
            "post": post,
            "duties": list(post.duties.order_by("position")),
            "holders": list(post.holders.select_related("user").order_by("-since", "-pk")),
            "can_change": can_change,
            "appoint_form": appoint_form
            or (F.AppointForm(people=people_on([post.org_id])) if can_change else None),
        }
        return render(self.request, "office/post_detail.html", ctx, status=status)


class PostEditView(ScopedObjectMixin, View):
    model = Post
    action = "change"

    def get(self, request, pk):
        p = self.object
        initial = {"name": p.name, "kind": p.kind, "full_time": p.full_time, "sort_order": p.sort_order}
        return self.show(F.PostForm(initial=initial))

    def post(self, request, pk):
        form = F.PostForm(request.POST)
        if form.is_valid():
            try:
                posts.update_post(request.user, self.object, **form.cleaned_data)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已保存岗位。")
                return redirect("office-post-detail", pk=self.object.pk)
        return self.show(form, status=400)

    def show(self, form, status=200):
        return form_page(
            self.request,
            f"修改岗位：{self.object.name}",
            form,
            back=self.object.get_absolute_url(),
            status=status,
        )


class PostDutiesView(ScopedObjectMixin, View):
    model = Post
    action = "change"

    def get(self, request, pk):
        text = "\n".join(self.object.duties.order_by("position").values_list("text", flat=True))
        return self.show(F.DutiesForm(initial={"duties": text}))

    def post(self, request, pk):
        form = F.DutiesForm(request.POST)
        if form.is_valid():
            try:
                result = posts.set_duties(request.user, self.object, form.cleaned_data["duties"].splitlines())
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已保存“{self.object.name}”的{len(result)}项职责。")
                return redirect("office-post-detail", pk=self.object.pk)
        return self.show(form, status=400)

    def show(self, form, status=200):
        return form_page(
            self.request,
            f"岗位职责：{self.object.name}",
            form,
            back=self.object.get_absolute_url(),
            status=status,
            wide=True,
        )


class PostAppointView(PostOnly, PostDetailView):
    action = "change"

    def post(self, request, pk):
        form = F.AppointForm(request.POST, people=people_on([self.object.org_id]))
        if form.is_valid():
            d = form.cleaned_data
            try:
                user = User.objects.get(pk=d["user"])
                holder = posts.appoint_holder(request.user, self.object, user, d["since"], note=d["note"])
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已安排“{holder.user.display_name}”到岗。")
                return redirect("office-post-detail", pk=self.object.pk)
        return self.show(appoint_form=form, status=400)


class PostArchiveView(PostOnly, ScopedObjectMixin, View):
    model = Post
    action = "change"

    def post(self, request, pk):
        try:
            posts.archive_post(request.user, self.object)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("office-post-detail", pk=self.object.pk)
        messages.success(request, f"已撤销岗位“{self.object.name}”。")
        return redirect(f"{reverse('office-structure')}?township={self.object.org_id}")


class HolderEndView(PostOnly, ScopedObjectMixin, View):
    model = PostHolder
    action = "change"

    def post(self, request, pk):
        form = F.EndContactForm({"until": request.POST.get("until") or timezone.localdate()})
        try:
            until = form.cleaned_data["until"] if form.is_valid() else None
            posts.end_holder(request.user, self.object, until)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已登记“{self.object.user.display_name}”离岗，岗位暂时空缺。")
        return redirect("office-post-detail", pk=self.object.post_id)


# --- staff selection ------------------------------------------------------------------------------


class SelectionListView(ScopedListView):
    model = StaffSelection
    table_class = SelectionTable
    filterset_class = SelectionFilter
    template_name = "office/selection_list.html"
    title = "党建办人员选拔"
    export_name = "党建办人员选拔"

    def base_queryset(self):
        return StaffSelection.objects.select_related("org", "office", "appointed_post")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = selectors.townships(self.request.user, "add", StaffSelection).exists()
        return ctx


class SelectionCreateView(View):
    route_scope = RouteScope("list", model=StaffSelection)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.townships = list(selectors.townships(request.user, "add", StaffSelection))
        if not self.townships:
            raise PermissionDenied("您的角色无权登记人员选拔。")
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data=None, **kw):
        return F.SelectionForm(
            data, townships=self.townships, people=people_on([t.pk for t in self.townships]), **kw
        )

    def get(self, request):
        return self.show(self.make_form(initial={"township": request.GET.get("township")}))

    def post(self, request):
        form = self.make_form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            township = next(t for t in self.townships if t.pk == d["township"])
            user = User.objects.filter(pk=d["candidate_user"]).first() if d["candidate_user"] else None
            try:
                selection = selections.open_selection(
                    request.user,
                    township,
                    d["candidate_name"],
                    d["route"],
                    done_on=d["done_on"],
                    by_name=d["by_name"],
                    opinion=d["opinion"],
                    candidate_user=user,
                    source=d["source"],
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记“{selection.candidate_name}”，待乡镇审核。")
                return redirect(selection)
        return self.show(form, status=400)

    def show(self, form, status=200):
        return form_page(
            self.request, "登记党建办人员选拔", form, back=reverse("office-selections"), status=status
        )


def next_kinds(selection: StaffSelection, done: set[str]) -> list[str]:
    """The steps the selection may take next, in the order people take them."""
    if selection.status == SelectionStatus.PENDING:
        extra = [k for k in (StepKind.NOMINATION, StepKind.RECOMMENDATION) if k not in done]
        return [StepKind.REVIEW, *extra]
    if selection.status == SelectionStatus.APPROVED:
        return [StepKind.APPOINTMENT]
    return []


class SelectionDetailView(ScopedObjectMixin, View):
    model = StaffSelection

    def get(self, request, pk):
        return self.show()

    def step_form(self, data=None):
        s = self.object
        steps = list(s.steps.all())
        kinds = next_kinds(s, {x.kind for x in steps})
        open_posts = list(Post.objects.filter(org=s.org, archived_at__isnull=True).order_by("sort_order"))
        return F.StepForm(data, kinds=kinds, posts=open_posts)

    def show(self, step_form=None, status=200):
        s = self.object
        steps = list(s.steps.select_related("recorded_by", "post").order_by("done_on", "pk"))
        can_change = can(self.request.user, "change", s)
        form = step_form or self.step_form()
        ctx = {
            "title": str(s),
            "selection": s,
            "steps": steps,
            "can_change": can_change and bool(form.fields["kind"].choices),
            "step_form": form,
        }
        return render(self.request, "office/selection_detail.html", ctx, status=status)


class SelectionStepView(PostOnly, SelectionDetailView):
    action = "change"

    def post(self, request, pk):
        form = self.step_form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            post = Post.objects.filter(pk=d["post"], org=self.object.org).first() if d["post"] else None
            try:
                step = selections.record_step(
                    request.user,
                    self.object,
                    d["kind"],
                    done_on=d["done_on"],
                    by_name=d["by_name"],
                    opinion=d["opinion"],
                    decision=d["decision"],
                    post=post,
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记“{step.get_kind_display()}”。")
                return redirect(self.object)
        self.object.refresh_from_db()
        return self.show(step_form=form, status=400)


# --- contact points and coverage ------------------------------------------------------------------


class CoverageView(View):
    """Every branch of a township with its contacts, every staff member with their branches, gaps in
    red, and a one-step form to pick a staff member for a branch (htmx or a plain post-redirect)."""

    route_scope = RouteScope("list", model=ContactPoint, exports=True)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.today = timezone.localdate()
        self.options, self.township = selectors.pick_township(request.user, request.GET.get("township"))
        return super().dispatch(request, *args, **kwargs)

    def can_assign(self) -> bool:
        return self.township is not None and can(self.request.user, "add", ContactPoint(org=self.township))

    def assign_form(self, cov: selectors.Coverage, data=None):
        branches = [(b.org.pk, f"{b.org.name}{'（无联系人）' if b.short else ''}") for b in cov.branches]
        staff = [(s.user.pk, s.user.display_name) for s in cov.staff]
        return F.AssignForm(data, branches=branches, staff=staff)

    def get(self, request):
        cov = selectors.coverage(request.user, self.township, self.today)
        if request.GET.get("export") == "xlsx":
            return self.export(cov)
        return self.show(cov)

    def post(self, request):
        if not self.can_assign():
            raise PermissionDenied("您的角色无权确定支部联系点。")
        cov = selectors.coverage(request.user, self.township, self.today)
        form = self.assign_form(cov, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            branch = next(b.org for b in cov.branches if b.org.pk == d["branch"])
            staff = next(s.user for s in cov.staff if s.user.pk == d["staff"])
            try:
                point = contacts.assign_contact(
                    request.user, branch, staff, d["since"], township=self.township, today=self.today
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                done = f"已确定“{point.staff.display_name}”联系{point.org.name}。"
                if request.htmx:
                    cov = selectors.coverage(request.user, self.township, self.today)
                    return self.show(cov, flash=done)
                messages.success(request, done)
                return redirect(f"{reverse('office-coverage')}?township={self.township.pk}")
        return self.show(cov, form=form, status=400)

    def show(self, cov, form=None, flash="", status=200):
        can_assign = self.can_assign()
        ctx = {
            "title": f"{self.township.name}支部联系点覆盖" if self.township else "支部联系点覆盖",
            "townships": self.options,
            "township": self.township,
            "cov": cov,
            "today": self.today,
            "can_assign": can_assign,
            "form": form or (self.assign_form(cov) if can_assign else None),
            "error_branch": form.data.get("branch") if form is not None else "",
            "flash": flash,
            "rule_staff": R.STAFF_MIN_BRANCHES,
            "rule_branch": R.BRANCH_MIN_CONTACTS,
            "can_end": can_assign,
        }
        return render(self.request, "office/coverage.html", ctx, status=status)

    def export(self, cov):
        rows: list[list[Any]] = []
        for b in cov.branches:
            names = "、".join(f"{p.staff.display_name}（{p.since:%Y-%m-%d}起）" for p in b.contacts)
            rows.append(["党支部", b.org.name, names, len(b.contacts), "无联系人" if b.short else "已覆盖"])
        for s in cov.staff:
            names = "、".join(p.org.name for p in s.contacts)
            rows.append(
                ["工作人员", s.user.display_name, names, len(s.contacts), "无联系点" if s.short else "已联系"]
            )
        name = f"{self.township.name}支部联系点覆盖" if self.township else "支部联系点覆盖"
        return export(name, ["类别", "名称", "联系人 / 联系的支部", "数量", "状态"], rows)


class ContactPointListView(ScopedListView):
    model = ContactPoint
    table_class = ContactPointTable
    filterset_class = ContactPointFilter
    title = "支部联系点记录"
    export_name = "支部联系点记录"

    def base_queryset(self):
        return ContactPoint.objects.select_related("org", "township", "staff")


class ContactEndView(PostOnly, ScopedObjectMixin, View):
    model = ContactPoint
    action = "change"

    def post(self, request, pk):
        form = F.EndContactForm(request.POST)
        back = f"{reverse('office-coverage')}?township={self.object.township_id}"
        if not form.is_valid():
            messages.error(request, "结束日期格式不正确。")
            return redirect(back)
        try:
            contacts.end_contact(request.user, self.object, form.cleaned_data["until"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, f"已结束“{self.object.staff.display_name}”对{self.object.org.name}的联系。"
            )
        return redirect(back)


# --- county contact leaders -----------------------------------------------------------------------


def _leaders(user, year: int | None):
    qs = ContactLeader.objects.restrict(user, "view").select_related("org", "user")
    return list(qs.filter(year=year) if year else qs)


@scoped("list", model=ContactLeader, exports=True)
@login_required
@require_GET
def contact_leaders(request):
    """Each county leader with their villages, the visits counted this year against the rule, and the
    villages not yet visited."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    rows = selectors.leader_rows(request.user, _leaders(request.user, year), today)
    if request.GET.get("export") == "xlsx":
        data = [
            [
                r.leader.name,
                r.leader.title,
                r.leader.org.name,
                r.leader.year,
                "、".join(v.name for v in r.villages),
                r.visits,
                r.expected,
                "、".join(v.name for v in r.not_visited),
            ]
            for r in rows
        ]
        headers = [
            "姓名",
            "职务",
            "县（区）",
            "年度",
            "包联村",
            "到村次数",
            "应到村次数（至今）",
            "未到过的村",
        ]
        return export("县级包联领导到村情况", headers, data)
    ctx = {
        "title": "县级包联领导",
        "rows": rows,
        "year": year,
        "years": sorted({today.year, today.year - 1, year}, reverse=True),
        "rule": R.LEADER_VISITS,
        "can_add": selectors.office_orgs(request.user, "add", ContactLeader)
        .filter(kind=OrgKind.COUNTY)
        .exists(),
    }
    return render(request, "office/leaders.html", ctx)


def _county_villages(county_ids: list[int]) -> list[tuple[int, str]]:
    paths = list(Org.objects.filter(pk__in=county_ids).values_list("path", flat=True))
    towns = dict(Org.objects.filter(path_q("path", paths), kind=OrgKind.TOWNSHIP).values_list("path", "name"))
    lengths = sorted({len(p) for p in towns})
    result = []
    for org in (
        Org.objects.filter(kind__in=selectors.BRANCH_KINDS, archived_at__isnull=True)
        .filter(path_q("path", paths))
        .order_by("path")[:3000]
    ):
        town = next((towns[org.path[:n]] for n in lengths if org.path[:n] in towns), "")
        result.append((org.pk, f"{town} · {org.name}"))
    return result


class LeaderCreateView(View):
    route_scope = RouteScope("list", model=ContactLeader)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.counties = list(
            selectors.office_orgs(request.user, "add", ContactLeader)
            .filter(kind=OrgKind.COUNTY)
            .order_by("path")
        )
        if not self.counties:
            raise PermissionDenied("只有县委组织部可以登记县级包联领导。")
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data=None, **kw):
        ids = [c.pk for c in self.counties]
        return F.LeaderForm(
            data, counties=self.counties, villages=_county_villages(ids), people=people_on(ids), **kw
        )

    def get(self, request):
        return self.show(self.make_form(initial={"county": self.counties[0].pk}))

    def post(self, request):
        form = self.make_form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            county = next(c for c in self.counties if c.pk == d["county"])
            villages = list(Org.objects.filter(pk__in=d["villages"]))
            user = User.objects.filter(pk=d["user"]).first() if d["user"] else None
            try:
                leader = leaders.create_leader(
                    request.user,
                    county,
                    d["name"],
                    d["title"],
                    d["year"],
                    villages,
                    user=user,
                    note=d["note"],
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记包联领导“{leader.name}”。")
                return redirect(leader)
        return self.show(form, status=400)

    def show(self, form, status=200):
        return form_page(
            self.request, "登记县级包联领导", form, back=reverse("office-contact-leaders"), status=status
        )


class LeaderDetailView(ScopedObjectMixin, View):
    model = ContactLeader

    def get(self, request, pk):
        return self.show()

    def visit_villages(self) -> list[tuple[int, str]]:
        """The leader's villages where the user may record a visit."""
        pairs = self.object.pairings.select_related("org").order_by("org__path")
        return [
            (p.org_id, p.org.name)
            for p in pairs
            if can(self.request.user, "add", ContactLeaderVisit(org=p.org))
        ]

    def show(self, visit_form=None, status=200):
        leader, user, today = self.object, self.request.user, timezone.localdate()
        row = selectors.leader_rows(user, [leader], today)[0]
        villages = self.visit_villages()
        ctx = {
            "title": f"包联领导：{leader.name}",
            "leader": leader,
            "row": row,
            "visits": list(
                ContactLeaderVisit.objects.restrict(user, "view")
                .filter(leader=leader)
                .select_related("org", "recorded_by")
            ),
            "visit_form": visit_form or (F.LeaderVisitForm(villages=villages) if villages else None),
            "can_change": can(user, "change", leader),
            "rule": R.LEADER_VISITS,
        }
        return render(self.request, "office/leader_detail.html", ctx, status=status)


class LeaderVisitView(PostOnly, LeaderDetailView):
    def post(self, request, pk):
        form = F.LeaderVisitForm(request.POST, villages=self.visit_villages())
        if form.is_valid():
            d = form.cleaned_data
            village = Org.objects.get(pk=d["village"])
            try:
                leaders.record_leader_visit(
                    request.user, self.object, village, d["visited_on"], d["activity"]
                )
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记{self.object.name}到{village.name}。")
                return redirect(self.object)
        return self.show(visit_form=form, status=400)


class LeaderVillagesView(ScopedObjectMixin, View):
    model = ContactLeader
    action = "change"

    def make_form(self, data=None, **kw):
        county = self.object.org
        form = F.LeaderForm(
            data,
            counties=[county],
            villages=_county_villages([county.pk]),
            people=people_on([county.pk]),
            **kw,
        )
        for name in ("county", "name", "title", "year", "user", "note"):
            del form.fields[name]
        return form

    def get(self, request, pk):
        chosen = list(self.object.pairings.values_list("org_id", flat=True))
        return self.show(self.make_form(initial={"villages": chosen}))

    def post(self, request, pk):
        form = self.make_form(request.POST)
        if form.is_valid():
            villages = list(Org.objects.filter(pk__in=form.cleaned_data["villages"]))
            try:
                leaders.set_leader_villages(request.user, self.object, villages)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已保存包联村。")
                return redirect(self.object)
        return self.show(form, status=400)

    def show(self, form, status=200):
        return form_page(
            self.request,
            f"调整包联村：{self.object.name}",
            form,
            back=self.object.get_absolute_url(),
            status=status,
        )


# --- field days -----------------------------------------------------------------------------------


class FieldVisitListView(ScopedListView):
    model = FieldVisit
    table_class = FieldVisitTable
    filterset_class = FieldVisitFilter
    template_name = "office/field_visit_list.html"
    title = "到村工作记录"
    export_name = "到村工作记录"

    def base_queryset(self):
        return FieldVisit.objects.select_related("org", "township", "staff")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = selectors.townships(self.request.user, "add", FieldVisit).exists()
        ctx["rule"] = R.FIELD_DAYS
        return ctx


class FieldVisitCreateView(View):
    route_scope = RouteScope("list", model=FieldVisit)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.staff = selectors.staff_choices(request.user, "add", FieldVisit)
        if not self.staff:
            raise PermissionDenied("您的角色无权登记到村工作。")
        self.branches = selectors.branch_choices(request.user, "add", FieldVisit)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        mine = request.user.pk if any(pk == request.user.pk for pk, _ in self.staff) else None
        initial = {"staff": mine, "org": request.GET.get("org")}
        return self.show(F.FieldVisitForm(initial=initial, staff=self.staff, branches=self.branches))

    def post(self, request):
        form = F.FieldVisitForm(request.POST, staff=self.staff, branches=self.branches)
        if form.is_valid():
            d = form.cleaned_data
            staff = User.objects.get(pk=d["staff"])
            branch = Org.objects.get(pk=d["org"])
            try:
                visit = field.record_field_visit(
                    request.user,
                    staff,
                    branch,
                    d["visited_on"],
                    d["half_days"],
                    d["purpose"],
                    found=d["found"],
                    follow_up=d["follow_up"],
                    needs_follow_up=d["needs_follow_up"],
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记{visit.staff.display_name}到{visit.org.name}工作。")
                return redirect("office-field-visits")
        return self.show(form, status=400)

    def show(self, form, status=200):
        return form_page(
            self.request, "登记到村工作", form, back=reverse("office-field-visits"), status=status
        )


class FieldVisitDetailView(ScopedObjectMixin, View):
    model = FieldVisit

    def get(self, request, pk):
        visit, user = self.object, request.user
        ctx = {
            "title": str(visit),
            "visit": visit,
            "cases": Case.objects.restrict(user).filter(field_visit=visit).order_by("opened_on", "pk"),
            "can_open_case": can(user, "add", Case(kind=CaseKind.PROBLEM, org=visit.org)),
        }
        return render(request, "office/field_visit_detail.html", ctx)


@scoped("list", model=FieldVisit, exports=True)
@login_required
@require_GET
def field_weeks(request):
    """A township's staff × the last 8 complete weeks: days in the villages, red below the rule."""
    today = timezone.localdate()
    options, township = selectors.pick_township(request.user, request.GET.get("township"), "view", FieldVisit)
    mondays, rows, required = selectors.week_table(request.user, township, today) if township else ([], [], 0)
    if request.GET.get("export") == "xlsx":
        headers = ["工作人员"] + [f"{week_label(m)}（{m:%m-%d}起）" for m in mondays] + ["本周至今"]
        data = [[r.user.display_name] + [c.half_days / 2 for c in r.cells] + [r.current / 2] for r in rows]
        name = f"{township.name}到村工作周统计" if township else "到村工作周统计"
        return export(name, headers, data)
    ctx = {
        "title": f"{township.name}到村工作周统计" if township else "到村工作周统计",
        "townships": options,
        "township": township,
        "mondays": [(m, week_label(m), week_param(m)) for m in mondays],
        "rows": rows,
        "required": days_text(int(required * 2)) if township else "",
        "rule": R.FIELD_DAYS,
        "list_url": reverse("office-field-visits"),
    }
    return render(request, "office/field_weeks.html", ctx)
