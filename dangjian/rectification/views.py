"""Pages of the rectification app: the ledger (整顿台账) with progress roll-up, the early warning, a case's
page with its history, visits, plan, items and supports, the action forms, a branch's classification
history, the annual screening and the county checklists. Views are thin: every write is a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from dangjian.accounts.models import User
from dangjian.core.errors import DomainError
from dangjian.core.excel import xlsx_response
from dangjian.core.routes import scoped
from dangjian.core.scope import can, path_q, scope_prefixes
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import forms as F
from . import services, stats
from .choices import CaseStatus
from .filtersets import CaseFilter, ScreeningFilter
from .models import (
    CASE_POLICY,
    CheckVisit,
    PlanItem,
    RectificationCase,
    RectificationPlan,
    Screening,
    ScreeningRow,
    Situation,
    StatusChange,
    Support,
    SupportVisit,
    VisitItem,
)
from .selectors import ledger_rows
from .tables import CaseTable, ScreeningTable, WarningTable
from .warning import SIGNALS, early_warning


def _form_error(form, exc: DomainError) -> None:
    for err in getattr(exc, "errors", None) or [exc]:
        form.add_error(err.field if err.field in form.fields else None, err.message)


class CaseListView(ScopedListView):
    model = RectificationCase
    table_class = CaseTable
    filterset_class = CaseFilter
    template_name = "rectification/list.html"
    title = "软弱涣散村党组织整顿台账"

    def base_queryset(self):
        return ledger_rows()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = self.request.GET.get("year") or ""
        year = int(year) if year.isdigit() else timezone.localdate().year
        ctx["year"] = year
        ctx["rollup"] = stats.rollup(self.request.user, year)
        ctx["can_add"] = bool(scope_prefixes(self.request.user, CASE_POLICY["add"]))
        return ctx


def _warning_rows(user):
    return [
        {
            "org_id": r.org_id,
            "name": r.name,
            "township": r.township,
            "path": r.path,
            "count": r.count,
            "titles": r.titles,
            "signals": r.signals,
            "case_id": r.case_id,
            "status": CaseStatus(r.status).label if r.status else "",
        }
        for r in early_warning(user, timezone.localdate())
    ]


@scoped("list", model=Org, exports=True)
@login_required
@require_GET
def warnings(request):
    """预警: villages with the signals that point at a weak branch, sortable, exportable."""
    rows = _warning_rows(request.user)
    if request.GET.get("export") == "xlsx":
        table = WarningTable(rows)
        values = iter(table.as_values())
        stamp = timezone.localtime()
        return xlsx_response(
            f"软弱涣散预警-{stamp:%Y%m%d-%H%M}.xlsx",
            "软弱涣散预警",
            next(values),
            values,
            title=f"软弱涣散村党组织预警（导出时间 {stamp:%Y-%m-%d %H:%M}）",
        )
    table = WarningTable(rows)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "rectification/warnings.html",
        {"title": "软弱涣散村党组织预警", "table": table, "signals": SIGNALS.values(), "count": len(rows)},
    )


def _add_orgs(user):
    prefixes = scope_prefixes(user, CASE_POLICY["add"])
    if user.is_superuser:
        return Org.objects.filter(kind__in=services.VILLAGE_KINDS, archived_at__isnull=True).order_by("path")
    return Org.objects.filter(
        path_q("path", prefixes), kind__in=services.VILLAGE_KINDS, archived_at__isnull=True
    ).order_by("path")


@scoped("list", model=RectificationCase)
@login_required
def new_case(request):
    user = request.user
    orgs = _add_orgs(user)
    if not orgs.exists():
        raise PermissionDenied("您的角色无权列入排查。")
    initial = {"year": timezone.localdate().year, "org": request.GET.get("org")}
    form = F.OpenCaseForm(request.POST or None, initial=initial, orgs=orgs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case = services.open_case(user, **form.cleaned_data)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"已列入排查：{case}。")
                return redirect(case)
        status = 400
    return render(
        request, "rectification/form.html", {"title": "列入软弱涣散排查", "form": form}, status=status
    )


def _checklist_titles(county) -> dict[str, str]:
    return {k: t for k, t, _ in services.checklist(county)}


class CaseDetailView(ScopedObjectMixin, View):
    model = RectificationCase

    def get(self, request, pk):
        case, user = self.object, request.user
        plan = RectificationPlan.objects.filter(case=case).first()
        items = (
            list(
                PlanItem.objects.filter(plan=plan)
                .select_related("item", "item__owner")
                .order_by("sort_order")
            )
            if plan
            else []
        )
        supports = list(
            Support.objects.filter(case=case).prefetch_related(
                Prefetch("visits", queryset=SupportVisit.objects.order_by("-visited_on", "-pk"))
            )
        )
        titles = _checklist_titles(case.county)
        return render(
            request,
            "rectification/detail.html",
            {
                "title": str(case),
                "case": case,
                "history": StatusChange.objects.filter(case=case).order_by("on", "pk"),
                "situations": [(k, titles.get(k, k)) for k in case.situations],
                "visits": CheckVisit.objects.filter(case=case).prefetch_related("items"),
                "plan": plan,
                "items": items,
                "closed": sum(1 for i in items if i.item.state == "closed"),
                "supports": supports,
                "can_change": can(user, "change", case),
                "can_accept": can(user, "accept", case),
                "Status": CaseStatus,
            },
        )


class ActionView(ScopedObjectMixin, View):
    """One form on a case; `step` picks the form and the service (see ACTIONS)."""

    model = RectificationCase
    step = ""

    def spec(self):
        return ACTIONS[self.step]

    def check(self, request):
        if not can(request.user, self.spec()["action"], self.object):
            raise PermissionDenied("您的角色无权执行此操作。")

    def make_form(self, data=None, files=None):
        spec = self.spec()
        kwargs = spec.get("kwargs", lambda case: {})(self.object)
        return spec["form"](data, files, initial=spec.get("initial", lambda c: {})(self.object), **kwargs)

    def get(self, request, pk):
        self.check(request)
        return self.page(request, self.make_form())

    def post(self, request, pk):
        self.check(request)
        form = self.make_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                done = self.spec()["save"](request.user, self.object, dict(form.cleaned_data))
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, done)
                return redirect(self.object)
        return self.page(request, form, status=400)

    def page(self, request, form, status=200):
        title = f"{self.object} · {self.spec()['title']}"
        return render(
            request,
            "rectification/form.html",
            {"title": title, "form": form, "case": self.object},
            status=status,
        )


def _today_initial(field: str):
    return lambda case: {field: timezone.localdate()}


def _owners(case):
    return (
        User.objects.filter(is_active=True, roles__org__path__startswith=case.county.path)
        .distinct()
        .order_by("real_name")
    )


def _identify(user, case, d):
    services.identify(user, case, situations=d["situations"], evidence=d["evidence"], on=d["on"])
    return "已认定为软弱涣散村党组织。"


def _clear(user, case, d):
    services.clear(user, case, basis=d["basis"])
    return "已记录排查结论：未认定。"


def _visit(user, case, d):
    services.record_check_visit(user, case, **d)
    return "已登记排查走访。"


def _plan(user, case, d):
    services.set_plan(user, case, **d)
    return "已保存一村一策方案。"


def _item(user, case, d):
    item = services.add_item(user, case, **d)
    return f"已分解整顿事项：{item.item.receipt_no} {item.item.title}。"


def _support(user, case, d):
    s = services.assign_support(user, case, **d)
    return f"已安排：{s.get_kind_display()} {s.name}。"


def _support_visit(user, case, d):
    services.record_support_visit(user, d.pop("support"), **d)
    return "已登记帮扶到村。"


def _accept(user, case, d):
    services.accept(user, case, **d)
    return "已记录县级验收。"


def _recheck(user, case, d):
    services.recheck(user, case, **d)
    return "已记录复查。"


def _plan_initial(case):
    plan = RectificationPlan.objects.filter(case=case).first()
    if plan is None:
        return {"approved_on": timezone.localdate()}
    return {f: getattr(plan, f) for f, _ in services.ESSENTIALS} | {"approved_on": plan.approved_on}


ACTIONS = {
    "identify": {
        "title": "认定",
        "form": F.IdentifyForm,
        "action": "change",
        "save": _identify,
        "kwargs": lambda c: {"checklist": services.checklist(c.county)},
        "initial": _today_initial("on"),
    },
    "clear": {"title": "排查未认定", "form": F.ClearForm, "action": "change", "save": _clear},
    "visit": {
        "title": "排查走访（四必访三必问）",
        "form": F.CheckVisitForm,
        "action": "change",
        "save": _visit,
        "kwargs": lambda c: {"items": VisitItem.objects.filter(county=c.county, archived_at__isnull=True)},
        "initial": _today_initial("visited_on"),
    },
    "plan": {
        "title": "一村一策方案（五个要件）",
        "form": F.PlanForm,
        "action": "change",
        "save": _plan,
        "initial": _plan_initial,
    },
    "item": {
        "title": "分解整顿事项",
        "form": F.ItemForm,
        "action": "change",
        "save": _item,
        "kwargs": lambda c: {"owners": _owners(c)},
    },
    "support": {
        "title": "“四个一”帮扶",
        "form": F.SupportForm,
        "action": "change",
        "save": _support,
        "initial": _today_initial("since"),
    },
    "support-visit": {
        "title": "帮扶到村记录",
        "form": F.SupportVisitForm,
        "action": "change",
        "save": _support_visit,
        "kwargs": lambda c: {"supports": Support.objects.filter(case=c)},
        "initial": _today_initial("visited_on"),
    },
    "accept": {
        "title": "县级验收",
        "form": F.VerdictForm,
        "action": "accept",
        "save": _accept,
        "initial": _today_initial("on"),
    },
    "recheck": {
        "title": "巩固提升期满复查",
        "form": F.VerdictForm,
        "action": "accept",
        "save": _recheck,
        "initial": _today_initial("on"),
    },
}


class VillageHistoryView(ScopedObjectMixin, View):
    """A branch's classification history: every case and every status change, with date, who and basis."""

    model = Org

    def get(self, request, pk):
        org = self.object
        cases = (
            RectificationCase.objects.restrict(request.user)
            .filter(org=org)
            .prefetch_related(Prefetch("changes", queryset=StatusChange.objects.order_by("on", "pk")))
            .order_by("-year")
        )
        return render(
            request,
            "rectification/village.html",
            {"title": f"{org.name} 软弱涣散整顿记录", "org": org, "cases": cases},
        )


class ScreeningListView(ScopedListView):
    model = Screening
    table_class = ScreeningTable
    filterset_class = ScreeningFilter
    title = "年度排查（倒排5%—10%）"

    def base_queryset(self):
        return Screening.objects.select_related("county").order_by("-year", "county__path")


def _counties(user, action: str, model):
    counties = Org.objects.restrict(user, "view").filter(kind=OrgKind.COUNTY)
    return counties.filter(pk__in=[c.pk for c in counties if can(user, action, model(county=c))])


@scoped("list", model=Screening)
@login_required
def new_screening(request):
    counties = _counties(request.user, "add", Screening)
    if not counties:
        raise PermissionDenied("年度排查由县委组织部建立。")
    form = F.ScreeningForm(
        request.POST or None, initial={"year": timezone.localdate().year}, counties=counties
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                s = services.create_screening(
                    request.user, form.cleaned_data.pop("county"), **form.cleaned_data
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"已建立：{s}。")
                return redirect(s)
        status = 400
    return render(request, "rectification/form.html", {"title": "建立年度排查", "form": form}, status=status)


class ScreeningView(ScopedObjectMixin, View):
    model = Screening

    def get(self, request, pk, import_form=None, confirm_form=None, status=200):
        s = self.object
        rows = ScreeningRow.objects.filter(screening=s).select_related("org").order_by("rank", "pk")
        proposed = Org.objects.filter(pk__in=rows.values("org_id"))
        return render(
            request,
            "rectification/screening.html",
            {
                "title": str(s),
                "screening": s,
                "rows": rows,
                "can_change": can(request.user, "change", s),
                "import_form": import_form or F.ImportForm(),
                "confirm_form": confirm_form
                or F.ConfirmForm(orgs=proposed, initial={"orgs": [r.org_id for r in rows if r.proposed]}),
            },
            status=status,
        )


class ScreeningImportView(ScreeningView):
    def post(self, request, pk):
        if not can(request.user, "change", self.object):
            raise PermissionDenied("您的角色无权执行此操作。")
        form = F.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.import_rows(request.user, self.object, form.cleaned_data["file"])
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "已导入年度排查表，倒排候选已按比例标出。")
                return redirect(self.object)
        return self.get(request, pk, import_form=form, status=400)


class ScreeningConfirmView(ScreeningView):
    def post(self, request, pk):
        if not can(request.user, "change", self.object):
            raise PermissionDenied("您的角色无权执行此操作。")
        orgs = Org.objects.filter(pk__in=ScreeningRow.objects.filter(screening=self.object).values("org_id"))
        form = F.ConfirmForm(request.POST, orgs=orgs)
        if form.is_valid():
            try:
                cases = services.confirm_screening(
                    request.user, self.object, orgs=list(form.cleaned_data["orgs"])
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"已确认，{len(cases)}个村党组织列入本年度整顿。")
                return redirect(self.object)
        return self.get(request, pk, confirm_form=form, status=400)


@scoped("list", model=Situation)
@login_required
def checklists(request):
    """The county's 软弱涣散 situations (10 national + its additions) and its 四必访三必问."""
    user = request.user
    counties = _counties(user, "add", Situation)
    situation_form = F.SituationForm(prefix="s", counties=counties)
    item_form = F.VisitItemForm(prefix="v", counties=counties)
    status = 200
    if request.method == "POST":
        if not counties:
            raise PermissionDenied("情形清单和必访必问清单由县委组织部维护。")
        which = situation_form if request.POST.get("which") == "situation" else item_form
        which = type(which)(request.POST, prefix=which.prefix, counties=counties)
        if which.is_valid():
            d = dict(which.cleaned_data)
            try:
                if isinstance(which, F.SituationForm):
                    services.add_situation(user, d.pop("county"), **d)
                else:
                    services.add_visit_item(user, d.pop("county"), **d)
            except DomainError as exc:
                _form_error(which, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("rectification-checklists")
        if isinstance(which, F.SituationForm):
            situation_form = which
        else:
            item_form = which
        status = 400
    return render(
        request,
        "rectification/checklists.html",
        {
            "title": "软弱涣散情形清单与四必访三必问",
            "national": services.checklist(None),
            "situations": Situation.objects.restrict(user)
            .filter(archived_at__isnull=True)
            .select_related("county"),
            "items": VisitItem.objects.restrict(user)
            .filter(archived_at__isnull=True)
            .select_related("county"),
            "situation_form": situation_form,
            "item_form": item_form,
            "can_edit": bool(counties),
        },
        status=status,
    )
