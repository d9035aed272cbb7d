"""Pages of the collective-income app: the income list (search, filters, sort, paging, Excel), the villages
with no income for a year, a village's income page, the distribution by band for a county or township, and
the form to record a year. Every write is a service."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_GET

from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.routes import RouteScope, scoped
from dangjian.core.scope import can, get_scoped_or_404, scope_prefixes
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.orgs.models import Org

from . import services
from .choices import Band, IncomeKind
from .filtersets import AssetFilter, IncomeFilter, NoIncomeFilter
from .forms import AssetForm, ContractForm, IncomeForm
from .models import Asset, AssetContract, Income, IncomeLine
from .selectors import asset_rows, contract_rows, contracts_due, income_rows, villages_without_income
from .stats import by_township
from .tables import AssetTable, IncomeTable, NoIncomeTable


def last_year() -> int:
    return timezone.localdate().year - 1


def _year(request) -> int:
    raw = request.GET.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else last_year()


class IncomeListView(ScopedListView):
    model = Income
    table_class = IncomeTable
    filterset_class = IncomeFilter
    template_name = "economy/list.html"
    title = "村集体经济收入"

    def base_queryset(self):
        return income_rows()


class NoIncomeListView(ScopedListView):
    """无集体经济收入的村：当年未登记或收入为0。"""

    model = Org
    table_class = NoIncomeTable
    filterset_class = NoIncomeFilter
    template_name = "economy/list.html"
    title = "无集体经济收入的村"

    def base_queryset(self):
        return villages_without_income(Org.objects.all(), _year(self.request))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = f"{_year(self.request)}年无集体经济收入的村"
        return ctx


class VillageIncomeView(ScopedObjectMixin, View):
    model = Org

    def get(self, request, pk):
        org = self.object
        years = list(
            Income.objects.filter(org=org)
            .restrict(request.user)
            .prefetch_related("lines__partner")
            .order_by("-year")
        )
        held_by = list(
            IncomeLine.objects.filter(partner=org, kind=IncomeKind.SHARE)
            .restrict(request.user)
            .select_related("income__org")
            .order_by("-income__year")
        )
        can_record = org.kind in services.VILLAGE_KINDS and can(request.user, "add", Income(org=org))
        return render(
            request,
            "economy/village.html",
            {
                "title": f"{org.name}村集体经济收入",
                "org": org,
                "years": years,
                "held_by": held_by,
                "can_record": can_record,
                **contract_income(request, org, can_record),
            },
        )


class RecordView(ScopedObjectMixin, View):
    model = Org

    def get(self, request, pk):
        org = self.object
        if not can(request.user, "add", Income(org=org)) or org.kind not in services.VILLAGE_KINDS:
            raise PermissionDenied("您的角色无权登记该村的集体经济收入。")
        partners = (
            Org.objects.restrict(request.user).filter(kind__in=services.VILLAGE_KINDS).exclude(pk=org.pk)
        )
        form = IncomeForm(request.POST or None, partners=partners, initial={"year": last_year()})
        status = 200
        if request.method == "POST":
            if form.is_valid():
                d = form.cleaned_data
                lines = [
                    services.Line(k.value, d[k.value], d["partner"] if k == IncomeKind.SHARE else None)
                    for k in IncomeKind
                    if d.get(k.value)
                ]
                try:
                    services.record_income(request.user, org, year=d["year"], lines=lines, note=d["note"])
                except ActionDenied as exc:
                    raise PermissionDenied(exc.message) from exc
                except DomainError as exc:
                    for err in getattr(exc, "errors", None) or [exc]:
                        form.add_error(err.field if err.field in form.fields else None, err.message)
                else:
                    messages.success(request, f"已登记{org.name}{d['year']}年集体经济收入。")
                    return redirect("economy-village", pk=org.pk)
            status = 400
        return render(
            request,
            "economy/form.html",
            {"title": f"登记{org.name}集体经济收入", "form": form, "org": org},
            status=status,
        )

    post = get


@scoped("list", model=Org, exports=False)
@login_required
@require_GET
def bands(request):
    """一个县（乡镇）的村按收入档次分布，每格链接到筛选后的名单。"""
    user = request.user
    year = _year(request)
    raw = request.GET.get("org") or ""
    if raw.isdigit():
        org = Org.objects.restrict(user).filter(pk=int(raw)).first()
        if org is None:
            raise Http404("未找到")
    else:
        prefixes = scope_prefixes(
            user, ["county_admin", "township_staff", "station_chief", "readonly_leader"]
        )
        org = (
            Org.objects.restrict(user).filter(path__in=prefixes).order_by("path").first()
            if prefixes
            else None
        )
        if org is None and user.is_superuser:
            org = Org.objects.filter(kind="county").order_by("path").first()
    dist = by_township(user, org, year) if org else None

    def link(band: str, within: int) -> str:
        if band == Band.NONE:
            return f"{reverse('economy-none')}?{urlencode({'year': year, 'within': within})}"
        return f"{reverse('economy-list')}?{urlencode({'year': year, 'band': band, 'within': within})}"

    rows = []
    if dist:
        rows.append((org.name, [(dist.counts[b.value], link(b.value, org.pk)) for b in Band], True))
        for pk, name, counts in dist.townships:
            rows.append((name, [(counts[b.value], link(b.value, pk)) for b in Band], False))
    return render(
        request,
        "economy/bands.html",
        {"title": f"{year}年村集体经济收入分布", "org": org, "year": year, "bands": list(Band), "rows": rows},
    )


def contract_income(request, org: Org, can_record: bool) -> dict:
    """The village's asset contracts due for `year` beside its recorded income of the same sources."""
    year = _year(request)
    due = contracts_due(request.user, org, year)
    recorded = {
        kind: amount
        for kind, amount in IncomeLine.objects.restrict(request.user)
        .filter(income__org=org, income__year=year)
        .values_list("kind")
        .annotate(amount=Sum("amount"))
        .order_by()
    }
    by_kind: dict[str, Decimal] = {}
    for contract, amount in due:
        kind = services.INCOME_OF[contract.use]
        by_kind[kind] = by_kind.get(kind, Decimal(0)) + amount
    compare = [
        (IncomeKind(k).label, by_kind.get(k, Decimal(0)), recorded.get(k))
        for k in (IncomeKind.RENT, IncomeKind.CONTRACT, IncomeKind.DIVIDEND)
    ]
    return {
        "due_year": year,
        "due": due,
        "due_total": sum((a for _, a in due), Decimal(0)),
        "compare": compare,
        "can_record_due": can_record and year <= timezone.localdate().year and any(a for _, a in due),
    }


class AssetListView(ScopedListView):
    model = Asset
    table_class = AssetTable
    filterset_class = AssetFilter
    template_name = "economy/asset_list.html"
    title = "村集体资产"

    def base_queryset(self):
        return asset_rows(timezone.localdate())


def _form_errors(form, exc: DomainError) -> None:
    for err in getattr(exc, "errors", None) or [exc]:
        form.add_error(err.field if err.field in form.fields else None, err.message)


class AssetDetailView(ScopedObjectMixin, View):
    model = Asset

    def get(self, request, pk):
        asset = self.object
        today = timezone.localdate()
        year = _year(request)
        contracts = list(contract_rows(today).filter(asset=asset).restrict(request.user))
        for c in contracts:
            c.due = services.due_in_year(c, year)
        return render(
            request,
            "economy/asset_detail.html",
            {
                "title": f"{asset.org.name} · {asset.name}",
                "asset": asset,
                "contracts": contracts,
                "year": year,
                "can_change": can(request.user, "change", asset),
            },
        )


class AssetFormView(LoginRequiredMixin, View):
    """New asset for a village (`pk` of the village) or edit of one (`pk` of the asset)."""

    route_scope = None
    editing = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.editing:
            self.asset = get_scoped_or_404(Asset, request.user, "view", pk=kwargs["pk"])
            self.org = self.asset.org
        else:
            self.asset = None
            self.org = get_scoped_or_404(Org, request.user, "view", pk=kwargs["pk"])
        if not can(request.user, "change" if self.asset else "add", self.asset or Asset(org=self.org)):
            raise PermissionDenied("您的角色无权登记该村的集体资产。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, **kwargs):
        a = self.asset
        initial = {f: getattr(a, f) for f in AssetForm.base_fields} if a else {}
        form = AssetForm(request.POST or None, initial=initial)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    a = services.save_asset(request.user, self.org, asset=self.asset, **form.cleaned_data)
                except ActionDenied as exc:
                    raise PermissionDenied(exc.message) from exc
                except DomainError as exc:
                    _form_errors(form, exc)
                else:
                    messages.success(request, f"已保存集体资产“{a.name}”。")
                    return redirect(a)
            status = 400
        title = f"修改集体资产：{a.name}" if a else f"登记{self.org.name}集体资产"
        return render(
            request,
            "economy/asset_form.html",
            {"title": title, "form": form, "org": self.org, "back": a.get_absolute_url() if a else None},
            status=status,
        )

    post = get


class AssetNewView(AssetFormView):
    route_scope = RouteScope("object", model=Org)


class AssetEditView(AssetFormView):
    route_scope = RouteScope("object", model=Asset)
    editing = True


class ContractFormView(LoginRequiredMixin, View):
    """New contract on an asset (`pk` of the asset) or edit of one (`pk` of the contract)."""

    route_scope = None
    editing = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.editing:
            self.contract = get_scoped_or_404(AssetContract, request.user, "view", pk=kwargs["pk"])
            self.asset = self.contract.asset
        else:
            self.contract = None
            self.asset = get_scoped_or_404(Asset, request.user, "view", pk=kwargs["pk"])
        probe = self.contract or AssetContract(org=self.asset.org, asset=self.asset)
        if not can(request.user, "change" if self.contract else "add", probe):
            raise PermissionDenied("您的角色无权登记集体资产合同。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, **kwargs):
        c = self.contract
        initial = {f: getattr(c, f) for f in ContractForm.base_fields} if c else {}
        form = ContractForm(request.POST or None, initial=initial)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.save_contract(
                        request.user, self.asset.org, self.asset, contract=c, **form.cleaned_data
                    )
                except ActionDenied as exc:
                    raise PermissionDenied(exc.message) from exc
                except DomainError as exc:
                    _form_errors(form, exc)
                else:
                    messages.success(request, f"已保存“{self.asset.name}”的合同。")
                    return redirect(self.asset)
            status = 400
        return render(
            request,
            "economy/asset_form.html",
            {
                "title": f"{'修改' if c else '登记'}合同：{self.asset.name}",
                "form": form,
                "org": self.asset.org,
                "back": self.asset.get_absolute_url(),
            },
            status=status,
        )

    post = get


class ContractNewView(ContractFormView):
    route_scope = RouteScope("object", model=Asset)


class ContractEditView(ContractFormView):
    route_scope = RouteScope("object", model=AssetContract)
    editing = True


class ContractIncomeView(ScopedObjectMixin, View):
    """POST year: record the village's contracts due for that year as income lines."""

    model = Org

    def post(self, request, pk):
        org = self.object
        raw = request.POST.get("year") or ""
        year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else 0
        contracts = [c for c, _ in contracts_due(request.user, org, year)] if year else []
        try:
            services.record_contract_income(request.user, org, year=year, contracts=contracts)
        except ActionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, "年度无效。" if not year else exc.message)
            return redirect(f"{reverse('economy-village', args=[org.pk])}?year={year or last_year()}")
        messages.success(request, f"已将{year}年资产合同应收计入{org.name}集体经济收入。")
        return redirect(f"{reverse('economy-village', args=[org.pk])}?year={year}")
