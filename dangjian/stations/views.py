"""Pages of the stations app: the station list and a station's page (staffing, the six conditions,
the 8 systems, inspections, service half-days, research), the lists of inspections, half-days and
research, and the forms that record them. Thin: reads through the scope layer and the selectors,
writes through the services, and a refusal is shown beside its field with a 400."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from dangjian.cases.choices import CaseKind
from dangjian.cases.models import Case
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import can, get_scoped_or_404
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import forms as F
from . import rules as R
from . import selectors, services
from .filtersets import (
    AppraisalFilter,
    HalfDayFilter,
    InspectionFilter,
    PlanFilter,
    RoundFilter,
    StaffFilter,
    StationFilter,
)
from .models import (
    ResearchAppraisal,
    ResearchPlan,
    ResearchReport,
    ResearchRound,
    ResearchScore,
    ServiceHalfDay,
    StationChecklist,
    StationInspection,
    StationStaff,
    StationSystem,
)
from .tables import (
    AppraisalTable,
    HalfDayTable,
    InspectionTable,
    PlanTable,
    RoundTable,
    StaffTable,
    StationTable,
)

FORM_TEMPLATE = "stations/form.html"


def attach_errors(form, exc: DomainError) -> None:
    """Each service message beside its field; those about no field of the form above it."""
    for err in getattr(exc, "errors", None) or [exc]:
        form.add_error(err.field if err.field in form.fields else None, err.message)


def form_page(request, title: str, form, *, back: str, status: int = 200, **extra: Any):
    ctx = {"title": title, "form": form, "back": back, **extra}
    return render(request, FORM_TEMPLATE, ctx, status=status)


def _add_links(user, model, route: str) -> list[tuple[str, str]]:
    """The stations where the user may record `model`, each with its form's address."""
    return [
        (f"{parent} · {name}", reverse(route, args=[pk]))
        for pk, name, parent in selectors.stations(user, "add", model).values_list(
            "pk", "name", "parent__name"
        )
    ]


# --- lists -------------------------------------------------------------------------------------------


class StationsListView(ScopedListView):
    template_name = "stations/list.html"
    add_model: Any = None
    add_route = ""
    add_label = ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.add_model is not None:
            ctx["add_label"] = self.add_label
            ctx["add_links"] = _add_links(self.request.user, self.add_model, self.add_route)
        ctx["tabs"] = TABS
        return ctx


TABS = (
    ("station-list", "工作站一览"),
    ("station-staff-list", "工作站人员"),
    ("station-inspection-list", "督查记录"),
    ("station-half-day-list", "便民服务半天"),
    ("research-list", "专项调研"),
    ("research-plan-list", "调研计划"),
    ("research-appraisal-list", "调研成果评比"),
)


class StationListView(StationsListView):
    model = Org
    table_class = StationTable
    filterset_class = StationFilter
    title = "党建工作站"
    export_name = "党建工作站一览"

    def get_queryset(self):
        return selectors.with_columns(selectors.stations(self.request.user), timezone.localdate())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rules"] = [
            *R.STAFF_RULES,
            R.INSPECTIONS_PER_HALF_MONTH,
            R.HALF_DAYS_PER_WEEK,
            R.RESEARCH_ROUNDS_PER_YEAR,
        ]
        return ctx


class StaffListView(StationsListView):
    model = StationStaff
    table_class = StaffTable
    filterset_class = StaffFilter
    title = "工作站人员"
    export_name = "党建工作站人员"

    def base_queryset(self):
        return StationStaff.objects.select_related("org__parent")


class InspectionListView(StationsListView):
    model = StationInspection
    table_class = InspectionTable
    filterset_class = InspectionFilter
    title = "工作站督查记录"
    export_name = "工作站督查记录"
    add_model, add_route, add_label = StationInspection, "station-inspection-add", "登记督查"

    def base_queryset(self):
        return StationInspection.objects.select_related("org", "branch")


class HalfDayListView(StationsListView):
    model = ServiceHalfDay
    table_class = HalfDayTable
    filterset_class = HalfDayFilter
    title = "便民服务半天"
    export_name = "便民服务半天"
    add_model, add_route, add_label = ServiceHalfDay, "station-half-day-add", "登记便民服务"

    def base_queryset(self):
        return ServiceHalfDay.objects.select_related("org")


class RoundListView(StationsListView):
    model = ResearchRound
    table_class = RoundTable
    filterset_class = RoundFilter
    title = "专项调研"
    export_name = "专项调研"
    add_model, add_route, add_label = ResearchRound, "research-round-add", "登记专项调研"

    def base_queryset(self):
        return ResearchRound.objects.select_related("org", "report").prefetch_related(
            Prefetch("villages", queryset=Org.objects.order_by("sort_order", "path"))
        )


class PlanListView(StationsListView):
    model = ResearchPlan
    table_class = PlanTable
    filterset_class = PlanFilter
    title = "专项调研计划"
    export_name = "专项调研计划"

    def base_queryset(self):
        return ResearchPlan.objects.select_related("org")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if selectors.townships(self.request.user, "add").exists():
            ctx["add_links"], ctx["add_label"] = [("登记调研计划", reverse("research-plan-add"))], "新建"
        return ctx


class AppraisalListView(StationsListView):
    model = ResearchAppraisal
    table_class = AppraisalTable
    filterset_class = AppraisalFilter
    title = "调研成果评比会"
    export_name = "调研成果评比会"

    def base_queryset(self):
        return (
            ResearchAppraisal.objects.select_related("org")
            .annotate(n_scores=Count("scores"))
            .order_by("-held_on", "pk")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if selectors.townships(self.request.user, "add").exists():
            ctx["add_links"], ctx["add_label"] = [("登记评比会", reverse("research-appraisal-add"))], "新建"
        return ctx


# --- a station ---------------------------------------------------------------------------------------


class StationObject(LoginRequiredMixin, View):
    """A route on one station (an Org id). Outside scope is a 404; an org in scope that is not a
    station goes to the station list of its subtree; a role without the right is refused with a 403."""

    route_scope = RouteScope("object", model=Org)
    action = "view"
    policy_model: Any = StationStaff

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        org = get_scoped_or_404(Org, request.user, "view", pk=kwargs.get("pk"))
        if org.kind != OrgKind.STATION:
            return redirect(f"{reverse('station-list')}?org={org.pk}")
        if not selectors.stations(request.user, "view", self.policy_model).filter(pk=org.pk).exists():
            raise PermissionDenied("您的角色无权查看党建工作站。")
        self.station = org
        if self.action != "view" and not can(request.user, self.action, self.probe()):
            raise PermissionDenied("您的角色无权执行此操作。")
        return super().dispatch(request, *args, **kwargs)

    def probe(self):
        if self.policy_model is StationInspection:
            return StationInspection(org=self.station, branch=self.station)
        return self.policy_model(org=self.station)

    @property
    def back(self) -> str:
        return reverse("station-detail", args=[self.station.pk])


class StationDetailView(StationObject):
    def get(self, request, pk):
        today = timezone.localdate()
        station, user = self.station, request.user
        ctx = selectors.station_page(station, today)
        opened: dict[int, list[Case]] = {}
        recent = ctx["recent_inspections"]
        for case in Case.objects.restrict(user).filter(inspection__in=[i.pk for i in recent]).order_by("pk"):
            opened.setdefault(case.inspection_id, []).append(case)
        for i in recent:
            i.opened_cases = opened.get(i.pk, [])
        codes = [R.RESEARCH_ROUNDS_PER_YEAR, R.INSPECTIONS_PER_HALF_MONTH, R.HALF_DAYS_PER_WEEK]
        values = selectors.county_rules([r.code for r in codes], today)
        rounds_needed, inspections_needed, half_days_needed = (
            values[r.code].for_path(station.path) for r in codes
        )
        ctx.update(
            title=station.name,
            station=station,
            today=today,
            can_manage=can(user, "change", StationStaff(org=station)),
            can_work=can(user, "add", ServiceHalfDay(org=station)),
            can_open_case=can(user, "add", Case(kind=CaseKind.PROBLEM, org=station)),
            rounds_needed=rounds_needed,
            inspections_needed=inspections_needed,
            half_days_needed=half_days_needed,
            rules={
                "staff": R.CHIEFS,
                "inspection": R.INSPECTIONS_PER_HALF_MONTH,
                "half_day": R.HALF_DAYS_PER_WEEK,
                "research": R.RESEARCH_ROUNDS_PER_YEAR,
            },
        )
        return render(request, "stations/station_detail.html", ctx)


class StationFormView(StationObject):
    """GET shows the form, POST calls the service; a refusal comes back beside its field with a 400."""

    form_class: Any = None
    title_text = ""
    success = ""

    def form(self, data=None, files=None):
        return self.form_class(data, files, **self.form_kwargs())

    def form_kwargs(self) -> dict[str, Any]:
        return {"initial": self.initial()}

    def initial(self) -> dict[str, Any]:
        return {}

    def get(self, request, pk):
        return self.show(self.form())

    def post(self, request, pk):
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            try:
                self.save(form.cleaned_data)
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, self.success)
                return redirect(self.back)
        return self.show(form, status=400)

    def show(self, form, status=200):
        return form_page(
            self.request,
            f"{self.station.name}：{self.title_text}",
            form,
            back=self.back,
            status=status,
            station=self.station,
        )

    def save(self, data: dict[str, Any]) -> None:
        raise NotImplementedError


class StaffAddView(StationFormView):
    action = "add"
    form_class = F.StaffForm
    title_text = "登记工作站人员"
    success = "已登记工作站人员。"

    def form_kwargs(self):
        return {"station": self.station}

    def save(self, data):
        services.add_staff(self.request.user, self.station, **data)


class ChecklistView(StationFormView):
    action = "change"
    policy_model = StationChecklist
    form_class = F.ChecklistForm
    title_text = "核查“六个到位”"
    success = "已登记核查结果。"

    def initial(self):
        item = self.request.GET.get("item", "")
        row = StationChecklist.objects.filter(org=self.station, item=item).first()
        base = {"item": item, "checked_on": timezone.localdate()}
        return base | ({"met": row.met, "note": row.note} if row else {})

    def save(self, data):
        services.check_item(self.request.user, self.station, **data)


class SystemView(StationFormView):
    action = "change"
    policy_model = StationSystem
    form_class = F.SystemForm
    title_text = "核查工作站制度"
    success = "已登记制度情况。"

    def initial(self):
        system = self.request.GET.get("system", "")
        row = StationSystem.objects.filter(org=self.station, system=system).first()
        base = {"system": system, "checked_on": timezone.localdate()}
        if row:
            base |= {
                "posted": row.posted,
                "in_force": row.in_force,
                "adopted_on": row.adopted_on,
                "note": row.note,
            }
        return base

    def save(self, data):
        services.set_system(self.request.user, self.station, **data)


class InspectionAddView(StationFormView):
    action = "add"
    policy_model = StationInspection
    form_class = F.InspectionForm
    title_text = "登记督查"
    success = "已登记督查。"

    def form_kwargs(self):
        initial = {"inspectors": self.request.user.display_name, "branch": self.request.GET.get("branch")}
        return {"station": self.station, "initial": initial}

    def save(self, data):
        services.record_inspection(self.request.user, self.station, **data)


class HalfDayAddView(StationFormView):
    action = "add"
    policy_model = ServiceHalfDay
    form_class = F.HalfDayForm
    title_text = "登记便民服务半天"
    success = "已登记便民服务。"

    def initial(self):
        return {
            "held_on": timezone.localdate(),
            "place": self.station.name,
            "staff_on_duty": self.request.user.display_name,
        }

    def save(self, data):
        services.record_half_day(self.request.user, self.station, **data)


class RoundAddView(StationFormView):
    action = "add"
    policy_model = ResearchRound
    form_class = F.RoundForm
    title_text = "登记专项调研"
    success = "已登记专项调研，请在调研页面提交调研报告。"

    def form_kwargs(self):
        return {"station": self.station}

    def save(self, data):
        self.created = services.record_round(self.request.user, self.station, **data)

    @property
    def back(self) -> str:
        created = getattr(self, "created", None)
        return created.get_absolute_url() if created else reverse("station-detail", args=[self.station.pk])


class StaffEditView(ScopedObjectMixin, View):
    """Correct a staff row's title, phone or platform account (township office and county)."""

    model = StationStaff
    action = "change"

    def get(self, request, pk):
        return self.show(F.StaffEditForm(staff=self.object))

    def post(self, request, pk):
        form = F.StaffEditForm(request.POST, staff=self.object)
        if form.is_valid():
            try:
                services.update_staff(request.user, self.object, **form.values())
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已保存“{self.object.name}”的信息。")
                return redirect("station-detail", pk=self.object.org_id)
        return self.show(form, status=400)

    def show(self, form, status=200):
        back = reverse("station-detail", args=[self.object.org_id])
        title = f"修改“{self.object.name}”（{self.object.get_post_display()}）的信息"
        return form_page(self.request, title, form, back=back, status=status, station=self.object.org)


class StaffEndView(ScopedObjectMixin, View):
    model = StationStaff
    action = "change"

    def get(self, request, pk):
        return self.show(F.EndStaffForm(initial={"until": timezone.localdate()}))

    def post(self, request, pk):
        form = F.EndStaffForm(request.POST)
        if form.is_valid():
            try:
                services.end_staff(request.user, self.object, until=form.cleaned_data["until"])
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记“{self.object.name}”离任。")
                return redirect("station-detail", pk=self.object.org_id)
        return self.show(form, status=400)

    def show(self, form, status=200):
        back = reverse("station-detail", args=[self.object.org_id])
        title = f"登记“{self.object.name}”（{self.object.get_post_display()}）离任"
        return form_page(self.request, title, form, back=back, status=status, station=self.object.org)


class FileView(ScopedObjectMixin, View):
    """Uploaded files are private: streamed only to users who may see the row they belong to."""

    field = "file"
    name_field = "file_name"

    def get(self, request, pk):
        stored = getattr(self.object, self.field)
        if not stored:
            raise Http404("文件不存在")
        try:
            handle = stored.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404("文件不存在") from exc
        return FileResponse(
            handle, as_attachment=True, filename=getattr(self.object, self.name_field) or "文件"
        )


class EvidenceView(FileView):
    model = StationChecklist
    field, name_field = "evidence", "evidence_name"


class ReportFileView(FileView):
    model = ResearchReport


# --- research ----------------------------------------------------------------------------------------


class RoundDetailView(ScopedObjectMixin, View):
    model = ResearchRound

    def get(self, request, pk):
        return self.show()

    def show(self, form=None, status=200):
        rnd, user = self.object, self.request.user
        report = ResearchReport.objects.filter(round=rnd).first()
        can_change = can(user, "change", rnd)
        if form is None and can_change:
            initial = {"submitted_on": timezone.localdate()}
            if report:
                initial |= {"title": report.title, "text": report.text, "submitted_on": report.submitted_on}
            form = F.ReportForm(initial=initial)
        ctx = {
            "title": f"专项调研：{rnd.topic}",
            "round": rnd,
            "station": rnd.org,
            "villages": rnd.villages.order_by("sort_order", "path"),
            "report": report,
            "scores": ResearchScore.objects.restrict(user)
            .filter(report__round=rnd)
            .select_related("appraisal"),
            "form": form if can_change else None,
            "max_mb": R.REPORT_MAX_MB,
        }
        return render(self.request, "stations/round_detail.html", ctx, status=status)


class ReportSubmitView(RoundDetailView):
    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        form = F.ReportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.submit_report(request.user, self.object, **form.cleaned_data)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已提交调研报告。")
                return redirect(self.object)
        return self.show(form, status=400)


class TownshipFormView(LoginRequiredMixin, View):
    """A list-kind route: the township comes with the form and is looked up among those where the user
    may add, so an out-of-scope township is refused like an unknown one."""

    form_class: Any = None
    title = ""
    back_route = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.townships = selectors.townships(request.user, "add")
        if not self.townships.exists():
            raise PermissionDenied("您的角色无权执行此操作。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {"year": timezone.localdate().year, "held_on": timezone.localdate()}
        if self.townships.count() == 1:
            initial["township"] = self.townships.first()
        return self.show(self.form_class(initial=initial, townships=self.townships))

    def post(self, request):
        form = self.form_class(request.POST, townships=self.townships)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                target = self.save(data.pop("township"), data)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记“{target}”。")
                return redirect(self.done(target))
        return self.show(form, status=400)

    def show(self, form, status=200):
        return form_page(self.request, self.title, form, back=reverse(self.back_route), status=status)


class PlanAddView(TownshipFormView):
    route_scope = RouteScope("list", model=ResearchPlan)
    form_class = F.PlanForm
    title = "登记专项调研计划"
    back_route = "research-plan-list"

    def save(self, township, data):
        return services.create_plan(self.request.user, township, **data)

    def done(self, plan):
        return reverse("research-plan-list")


class AppraisalAddView(TownshipFormView):
    route_scope = RouteScope("list", model=ResearchAppraisal)
    form_class = F.AppraisalForm
    title = "登记调研成果评比会"
    back_route = "research-appraisal-list"

    def save(self, township, data):
        return services.hold_appraisal(self.request.user, township, **data)

    def done(self, appraisal):
        return appraisal.get_absolute_url()


class AppraisalDetailView(ScopedObjectMixin, View):
    model = ResearchAppraisal

    def get(self, request, pk):
        return self.show()

    def show(self, errors=None, posted=None, status=200):
        appraisal, user = self.object, self.request.user
        scores = {s.report_id: s for s in ResearchScore.objects.filter(appraisal=appraisal)}
        reports = list(
            services.eligible_reports(appraisal).select_related("org", "round").order_by("org__path")
        )
        rows = []
        for r in reports:
            s = scores.get(r.pk)
            value = posted.get(r.pk, ("", ""))[0] if posted else (s.score if s else "")
            comment = posted.get(r.pk, ("", ""))[1] if posted else (s.comment if s else "")
            rows.append({"report": r, "score": s, "value": value, "comment": comment})
        rows.sort(
            key=lambda x: (x["score"] is None, x["score"].rank if x["score"] else 0, x["report"].org.path)
        )
        ctx = {
            "title": str(appraisal),
            "appraisal": appraisal,
            "rows": rows,
            "can_score": can(user, "change", appraisal),
            "errors": errors or [],
        }
        return render(self.request, "stations/appraisal_detail.html", ctx, status=status)


class AppraisalScoreView(AppraisalDetailView):
    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        posted: dict[int, tuple[str, str]] = {}
        for key, value in request.POST.items():
            if key.startswith("score-") and key[6:].isdigit() and value.strip():
                posted[int(key[6:])] = (value.strip(), request.POST.get(f"comment-{key[6:]}", ""))
        items = [services.ScoreInput(report=k, score=v, comment=c) for k, (v, c) in posted.items()]
        try:
            services.score_reports(request.user, self.object, items)
        except DomainError as exc:
            errors = [e.message for e in (getattr(exc, "errors", None) or [exc])]
            return self.show(errors=errors, posted=posted, status=400)
        messages.success(request, f"已登记{len(items)}份调研报告的得分，名次已更新。")
        return redirect(self.object)
