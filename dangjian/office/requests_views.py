"""Pages of office staff managed one level up (人员提级管理): the list of requests (Excel), the township's
form, a request with its approval trail and the county's decision, and the county's view of every
office's staffing (posts filled, vacancies, tenure in years; Excel)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views import View

from dangjian.accounts.models import RoleAssignment
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.roles import Role
from dangjian.core.routes import RouteScope
from dangjian.core.scope import can
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.orgs.models import Org
from dangjian.orgs.tables import TABLE_ATTRS

from . import forms as F
from . import selectors
from .choices import PostKind, RequestKind, RequestStatus
from .filtersets import ScopedOptions, _township_options
from .models import Post, PostHolder, StaffRequest
from .services import requests as svc

# --- staffing ----------------------------------------------------------------------------------------


def staffing_queryset():
    """Every post in force with its current holder, since when, and requests awaiting the county."""
    holder = PostHolder.objects.filter(post=OuterRef("pk"), until__isnull=True)
    return (
        Post.objects.filter(archived_at__isnull=True)
        .select_related("org")
        .annotate(
            holder_name=Subquery(holder.values("user__real_name")[:1]),
            holder_since=Subquery(holder.values("since")[:1]),
            pending=Count("requests", filter=Q(requests__status=RequestStatus.PENDING)),
        )
    )


def tenure_years(since, today) -> float | None:
    return round((today - since).days / 365.25, 1) if since else None


class StaffingFilter(ScopedOptions):
    q = django_filters.CharFilter(method="search", label="搜索乡镇或姓名")
    township = django_filters.NumberFilter(field_name="org_id", label="乡镇")
    kind = django_filters.ChoiceFilter(choices=PostKind.choices, label="岗位类别")
    state = django_filters.ChoiceFilter(
        method="by_state", choices=[("filled", "在岗"), ("vacant", "空缺")], label="状态"
    )
    lazy_options = {"township": _township_options}

    class Meta:
        model = Post
        fields = ["q", "township", "kind", "state"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(org__name__icontains=value) | Q(holder_name__icontains=value))

    def by_state(self, queryset, name, value):
        return queryset.filter(holder_name__isnull=value == "vacant")


class StaffingTable(tables.Table):
    org = tables.Column(verbose_name="乡镇", order_by=("org__path", "sort_order"))
    name = tables.Column(verbose_name="岗位", linkify=True)
    kind = tables.Column(verbose_name="岗位类别")
    full_time = tables.BooleanColumn(verbose_name="专职", yesno="专职,兼职")
    holder_name = tables.Column(verbose_name="在岗人员", empty_values=())
    holder_since = tables.DateColumn(format="Y-m-d", verbose_name="到岗日期", default="—")
    tenure = tables.Column(
        verbose_name="任职年限（年）", accessor="holder_since", order_by=("-holder_since",)
    )
    pending = tables.Column(verbose_name="待审批申请")

    class Meta:
        model = Post
        fields = ["org", "name", "kind", "full_time", "holder_name", "holder_since", "tenure", "pending"]
        attrs = TABLE_ATTRS
        order_by = "org"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_holder_name(self, value):
        return value or format_html('<span class="status-red fw-semibold">空缺</span>')

    def render_tenure(self, value):
        return tenure_years(value, self.today)

    def value_tenure(self, value):
        return tenure_years(value, self.today)

    def value_holder_name(self, value):
        return value or "空缺"


class StaffingView(ScopedListView):
    model = Post
    table_class = StaffingTable
    filterset_class = StaffingFilter
    template_name = "office/staffing.html"
    title = "党建办人员配备"
    export_name = "党建办人员配备"
    route_scope = RouteScope("list", model=Post, exports=True)

    def base_queryset(self):
        return staffing_queryset().order_by("org__path", "sort_order", "pk")

    def get_table_data(self):
        return self.object_list

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        posts = Post.objects.restrict(self.request.user).filter(archived_at__isnull=True)
        township = self.request.GET.get("township")
        if township and township.isdigit():
            posts = posts.filter(org_id=int(township))
        ctx["offices"] = (
            posts.order_by("org__path")
            .values("org_id", "org__name", "org__office__staff_quota")
            .annotate(
                posts=Count("pk", distinct=True),
                filled=Count("holders", filter=Q(holders__until__isnull=True), distinct=True),
                pending=Count("requests", filter=Q(requests__status=RequestStatus.PENDING), distinct=True),
            )
        )
        for row in ctx["offices"]:
            row["vacant"] = row["posts"] - row["filled"]
        return ctx


# --- requests ----------------------------------------------------------------------------------------


class RequestFilter(ScopedOptions):
    q = django_filters.CharFilter(method="search", label="搜索姓名或乡镇")
    township = django_filters.NumberFilter(field_name="org_id", label="乡镇")
    kind = django_filters.ChoiceFilter(choices=RequestKind.choices, label="事项")
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label="状态")
    lazy_options = {"township": _township_options}

    class Meta:
        model = StaffRequest
        fields = ["q", "township", "kind", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(person__real_name__icontains=value) | Q(org__name__icontains=value))


class RequestTable(tables.Table):
    pk = tables.Column(verbose_name="编号", linkify=True)
    org = tables.Column(verbose_name="乡镇", order_by=("org__path",))
    kind = tables.Column(verbose_name="事项")
    person = tables.Column(verbose_name="人员", accessor="person__real_name")
    post = tables.Column(verbose_name="岗位", accessor="post__name")
    target = tables.Column(verbose_name="调整去向/考核", empty_values=(), orderable=False)
    status = tables.Column(verbose_name="状态")
    created_at = tables.DateTimeColumn(format="Y-m-d", verbose_name="报送日期")
    decided_on = tables.DateColumn(format="Y-m-d", verbose_name="审批日期", default="—")

    class Meta:
        model = StaffRequest
        fields = ["pk", "org", "kind", "person", "post", "target", "status", "created_at", "decided_on"]
        attrs = TABLE_ATTRS
        order_by = "-created_at"

    def render_target(self, record):
        return self.value_target(record) or "—"

    def value_target(self, record):
        if record.kind == RequestKind.APPRAISE:
            return f"{record.year}年度 {record.get_grade_display()}"
        if record.kind == RequestKind.TRANSFER:
            return record.to_post.name if record.to_post_id else record.to_unit
        return ""

    def render_status(self, record, value):
        css = {"pending": "status-amber", "approved": "status-green", "returned": "status-red"}[record.status]
        return format_html('<span class="{} fw-semibold">{}</span>', css, value)


class RequestListView(ScopedListView):
    model = StaffRequest
    table_class = RequestTable
    filterset_class = RequestFilter
    template_name = "office/request_list.html"
    title = "党建办人员提级管理"
    export_name = "党建办人员提级管理申请"

    def base_queryset(self):
        return StaffRequest.objects.select_related("org", "person", "post", "to_post")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = bool(submit_townships(self.request.user))
        return ctx


def submit_townships(user) -> list[Org]:
    """Townships whose office the user may submit for: where they are office staff (any, for a superuser)."""
    options = selectors.townships(user, "add", StaffRequest)
    if not user.is_superuser:
        mine = RoleAssignment.objects.filter(user=user, role=Role.TOWNSHIP_STAFF).values("org_id")
        options = options.filter(pk__in=mine)
    return list(options)


def _form_error(form, exc: DomainError) -> None:
    for err in getattr(exc, "errors", None) or [exc]:
        form.add_error(err.field if err.field in form.fields else None, err.message)


class RequestCreateView(View):
    route_scope = RouteScope("list", model=StaffRequest)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.townships = submit_townships(request.user)
        if not self.townships:
            raise PermissionDenied("提级管理申请由乡镇党建办报送。")
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data=None):
        from .views import people_on

        ids = [t.pk for t in self.townships]
        posts = list(
            Post.objects.filter(org_id__in=ids, archived_at__isnull=True)
            .select_related("org")
            .order_by("org__path", "sort_order")
        )
        initial = {"township": ids[0]} if len(ids) == 1 else {}
        return F.StaffRequestForm(
            data, townships=self.townships, people=people_on(ids), posts=posts, initial=initial
        )

    def get(self, request):
        return self.page(self.make_form())

    def post(self, request):
        form = self.make_form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            township = next(t for t in self.townships if t.pk == d["township"])
            posts = {p.pk: p for p in Post.objects.filter(org=township, pk__in=[d["post"], d["to_post"]])}
            from dangjian.accounts.models import User

            try:
                req = svc.submit_request(
                    request.user,
                    township,
                    d["kind"],
                    person=User.objects.filter(pk=d["person"]).first(),
                    post=posts.get(d["post"]),
                    to_post=posts.get(d["to_post"]),
                    to_unit=d["to_unit"],
                    year=d["year"],
                    grade=d["grade"],
                    reason=d["reason"],
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"已报送县委组织部审批：{req}。")
                return redirect(req.get_absolute_url())
        return self.page(form, status=400)

    def page(self, form, status=200):
        return render(
            self.request,
            "office/form.html",
            {"title": "报送人员提级管理申请", "form": form, "back": reverse("office-requests")},
            status=status,
        )


class RequestDetailView(ScopedObjectMixin, View):
    model = StaffRequest

    def get(self, request, pk):
        return self.show()

    def show(self, decision=None, resubmit=None, error="", status=200):
        req, user = self.object, self.request.user
        steps = list(req.steps.select_related("actor").order_by("at", "pk"))
        pending = req.status == RequestStatus.PENDING
        returned = req.status == RequestStatus.RETURNED
        may_resubmit = returned and any(t.pk == req.org_id for t in submit_townships(user))
        return render(
            self.request,
            "office/request_detail.html",
            {
                "title": str(req),
                "req": req,
                "steps": steps,
                "can_decide": pending and can(user, "approve", req),
                "decision_form": decision or F.DecisionForm(),
                "can_resubmit": may_resubmit,
                "resubmit_form": resubmit or F.ResubmitForm(),
                "error": error,
            },
            status=status,
        )


class RequestDecideView(RequestDetailView):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = F.DecisionForm(request.POST)
        if not form.is_valid():
            return self.show(decision=form, status=400)
        d = form.cleaned_data
        try:
            if d["decision"] == "approve":
                svc.approve_request(request.user, self.object, note=d["note"])
            else:
                svc.return_request(request.user, self.object, note=d["note"])
        except ActionDenied as exc:
            return self.show(decision=form, error=exc.message, status=403)
        except DomainError as exc:
            _form_error(form, exc)
            return self.show(decision=form, status=400)
        messages.success(request, "已批准。" if d["decision"] == "approve" else "已退回乡镇。")
        return redirect(self.object.get_absolute_url())


class RequestResubmitView(RequestDetailView):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = F.ResubmitForm(request.POST)
        if not form.is_valid():
            return self.show(resubmit=form, status=400)
        try:
            svc.resubmit_request(request.user, self.object, reason=form.cleaned_data["reason"])
        except ActionDenied as exc:
            return self.show(resubmit=form, error=exc.message, status=403)
        except DomainError as exc:
            _form_error(form, exc)
            return self.show(resubmit=form, status=400)
        messages.success(request, "已重新报送县委组织部。")
        return redirect(self.object.get_absolute_url())
