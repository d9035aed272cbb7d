"""Pages of the funds app: the fund, allocation and disbursement lists (search, filters, sort, paging,
Excel), a fund's page with its allocations down the tree, an allocation's page, a village's fund page,
and the forms (register, allocate, disburse). Views are thin: every write is a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.routes import scoped
from dangjian.core.scope import can, path_q, scope_prefixes
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import forms as F
from . import services
from .filtersets import AllocationFilter, DisbursementFilter, FundFilter
from .models import COUNTY, Allocation, Disbursement, Fund
from .selectors import allocation_rows, disbursement_rows, fund_rows, with_balances, with_totals
from .stats import by_purpose
from .tables import AllocationTable, DisbursementTable, FundTable


def _form_error(form, exc: DomainError) -> None:
    for err in getattr(exc, "errors", None) or [exc]:
        form.add_error(err.field if err.field in form.fields else None, err.message)


class FundListView(ScopedListView):
    model = Fund
    table_class = FundTable
    filterset_class = FundFilter
    template_name = "funds/list.html"
    title = "专项资金"

    def base_queryset(self):
        return fund_rows()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = self.request.user.is_superuser or bool(scope_prefixes(self.request.user, COUNTY))
        return ctx


class AllocationListView(ScopedListView):
    model = Allocation
    table_class = AllocationTable
    filterset_class = AllocationFilter
    template_name = "funds/list.html"
    title = "资金分配与余额"

    def base_queryset(self):
        return allocation_rows()


class DisbursementListView(ScopedListView):
    model = Disbursement
    table_class = DisbursementTable
    filterset_class = DisbursementFilter
    template_name = "funds/list.html"
    title = "资金支出"

    def base_queryset(self):
        return disbursement_rows()


class FundDetailView(ScopedObjectMixin, View):
    model = Fund

    def get(self, request, pk):
        fund = with_totals(Fund.objects.filter(pk=self.object.pk)).select_related("county").get()
        rows = list(allocation_rows().filter(fund=fund).restrict(request.user))
        return render(
            request,
            "funds/detail.html",
            {
                "title": str(fund),
                "fund": fund,
                "rows": rows,
                "can_allocate": can(request.user, "allocate", fund),
            },
        )


class AllocationDetailView(ScopedObjectMixin, View):
    model = Allocation

    def get(self, request, pk):
        row = allocation_rows().get(pk=self.object.pk)
        return render(
            request,
            "funds/allocation.html",
            {
                "title": str(row),
                "row": row,
                "children": list(allocation_rows().filter(parent=row).restrict(request.user)),
                "spent": list(Disbursement.objects.filter(allocation=row).order_by("-on", "-pk")),
                "can_allocate": row.org.kind == OrgKind.TOWNSHIP and can(request.user, "allocate", row),
                "can_disburse": can(request.user, "disburse", row),
            },
        )


class VillageFundsView(ScopedObjectMixin, View):
    """一个村的资金：收到了什么（哪笔资金、用途、从哪里来），花在了什么上，还剩多少。"""

    model = Org

    def get(self, request, pk):
        org = self.object
        rows = list(allocation_rows().filter(org=org).restrict(request.user))
        spent = list(
            disbursement_rows().filter(allocation__org=org).restrict(request.user).order_by("-on", "-pk")
        )
        totals = by_purpose(request.user, org)
        return render(
            request,
            "funds/village.html",
            {
                "title": f"{org.name}专项资金",
                "org": org,
                "rows": rows,
                "spent": spent,
                "totals": [t for t in totals if t.allocated or t.disbursed],
                "received": sum(r.amount for r in rows),
                "disbursed": sum(r.disbursed for r in rows),
                "balance": sum(r.balance for r in rows),
            },
        )


def _counties(user):
    qs = Org.objects.filter(kind=OrgKind.COUNTY, archived_at__isnull=True).order_by("path")
    return qs if user.is_superuser else qs.filter(path_q("path", scope_prefixes(user, COUNTY)))


@scoped("list", model=Fund)
@login_required
def new_fund(request):
    counties = _counties(request.user)
    if not counties.exists():
        raise PermissionDenied("您的角色无权登记专项资金。")
    form = F.FundForm(request.POST or None, counties=counties, initial={"year": timezone.localdate().year})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                fund = services.create_fund(request.user, data.pop("county"), **data)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"已登记：{fund}。")
                return redirect(fund)
        status = 400
    return render(request, "funds/form.html", {"title": "登记专项资金", "form": form}, status=status)


def _allocate(request, fund: Fund, parent: Allocation | None, orgs, back):
    form = F.AllocateForm(request.POST or None, orgs=orgs, initial={"on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                row = services.allocate(request.user, fund, parent=parent, **form.cleaned_data)
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"已分配：{row}。")
                return redirect(row)
        status = 400
    giver = parent.org.name if parent else fund.county.name
    return render(
        request,
        "funds/form.html",
        {"title": f"分配资金：{fund}（{giver}）", "form": form, "back": back},
        status=status,
    )


class FundAllocateView(ScopedObjectMixin, View):
    """县级下达：把资金分配给本县的乡镇或村。"""

    model = Fund
    action = "allocate"

    def get(self, request, pk):
        fund = self.object
        orgs = (
            Org.objects.restrict(request.user)
            .filter(
                path__startswith=fund.county.path,
                kind__in=(OrgKind.TOWNSHIP, OrgKind.BRANCH, OrgKind.COMMUNITY),
                archived_at__isnull=True,
            )
            .order_by("path")
        )
        return _allocate(request, fund, None, orgs, fund)

    post = get


class AllocationAllocateView(ScopedObjectMixin, View):
    """乡镇再分配：把乡镇收到的资金分配给本乡镇的村。"""

    model = Allocation
    action = "allocate"

    def get(self, request, pk):
        row = self.object
        if row.org.kind != OrgKind.TOWNSHIP:
            raise PermissionDenied("只有乡镇收到的资金可以再分配到村。")
        orgs = (
            Org.objects.restrict(request.user)
            .filter(
                path__startswith=row.org.path,
                kind__in=(OrgKind.BRANCH, OrgKind.COMMUNITY),
                archived_at__isnull=True,
            )
            .order_by("path")
        )
        return _allocate(request, row.fund, row, orgs, row)

    post = get


class DisburseView(ScopedObjectMixin, View):
    model = Allocation
    action = "disburse"

    def get(self, request, pk):
        row = with_balances(Allocation.objects.filter(pk=self.object.pk)).select_related("org", "fund").get()
        form = F.DisburseForm(request.POST or None, initial={"on": timezone.localdate()})
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.disburse(request.user, row, **form.cleaned_data)
                except DomainError as exc:
                    _form_error(form, exc)
                else:
                    messages.success(request, "已登记支出。")
                    return redirect(row)
            status = 400
        return render(
            request,
            "funds/form.html",
            {
                "title": f"登记支出：{row}（余额{row.balance:,.2f}元）",
                "form": form,
                "back": row,
            },
            status=status,
        )

    post = get
