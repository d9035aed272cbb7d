"""Pages of member development: the board, the case list, a case with its steps, and the forms that
take, correct and stop steps. Thin: reads through selectors, writes through services, and a refusal
is shown on the page beside the field it concerns, with the rule and its source."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_GET

from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.routes import RouteScope, scoped
from dangjian.core.scope import can
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin

from . import rules as R
from . import selectors, services
from .filtersets import CaseFilter
from .forms import ApplicantForm, CorrectionForm, DocumentForm, StepForm, StopForm
from .models import CaseStatus, CaseStep, DevelopmentCase, Stage, StepDocument
from .tables import CaseExportTable, CaseTable

STATUS_CHOICES = [("active", "在办（培养考察中、预备期）"), *CaseStatus.choices, ("all", "全部")]
UNCORRECTABLE = frozenset({"contacts", "sponsors"})  # services refuse; they are taken again instead


def attach_errors(form, exc: DomainError | ActionDenied) -> None:
    """Each service message beside its field; those about no field of the form above it."""
    for err in getattr(exc, "errors", None) or [exc]:
        field = getattr(err, "field", None)
        form.add_error(field if field in form.fields else None, err.message)


@scoped("list", model=DevelopmentCase)
@login_required
@require_GET
def board(request):
    """Per branch, the cases by stage with their next step and deadline; what is late or due soon;
    and the branches that have admitted no one for years."""
    today = timezone.localdate()
    status = request.GET.get("status") or "active"
    org = request.GET.get("org") or ""
    ctx = {
        "title": "发展党员工作看板",
        "board": selectors.board(request.user, today, org_id=org, status=status),
        "today": today,
        "status": status,
        "org": org,
        "status_choices": STATUS_CHOICES,
        "org_choices": selectors.org_choices(request.user),
        "can_add": selectors.dev_orgs(request.user, "add").exists(),
        "due_rule": R.DUE_SOON_DAYS,
        "quiet_rule": R.NO_ADMISSION_YEARS,
    }
    return render(request, "development/board.html", ctx)


class CaseListView(ScopedListView):
    model = DevelopmentCase
    table_class = CaseTable
    filterset_class = CaseFilter
    template_name = "development/case_list.html"
    title = "发展党员台账"
    export_name = "发展党员台账"

    def base_queryset(self):
        return DevelopmentCase.objects.select_related("person", "org")

    def get_table_class(self):
        return CaseExportTable if self.request.GET.get("export") == "xlsx" else CaseTable

    def get_table_kwargs(self):
        today = timezone.localdate()
        return {"window": selectors.county_rules([R.DUE_SOON_DAYS.code], today)[R.DUE_SOON_DAYS.code]}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = selectors.dev_orgs(self.request.user, "add").exists()
        return ctx


# --- a case ------------------------------------------------------------------------------------------


class CasePage:
    """Builds the case page; a failed POST passes its bound form so the entered values stay."""

    def __init__(self, request, case: DevelopmentCase):
        self.request, self.case, self.user = request, case, request.user
        self.version = R.VERSIONS[case.rule_version]

    def step_form(self, code: str, data=None) -> StepForm:
        return StepForm(
            data,
            code=code,
            version=self.case.rule_version,
            members=selectors.branch_full_members(self.user, self.case),
            groups=selectors.branch_groups(self.case),
            prefix=f"s-{code}",
            initial={"done_on": timezone.localdate(), "responsible": self.user.display_name},
        )

    def correction_form(self, step: CaseStep, data=None) -> CorrectionForm:
        initial = {
            "done_on": step.done_on,
            "responsible": step.responsible,
            "note": step.note,
            "late_reason": step.late_reason,
            **{k: v for k, v in step.data.items() if k != "members"},
        }
        return CorrectionForm(
            data,
            code=step.code,
            version=self.case.rule_version,
            groups=selectors.branch_groups(self.case),
            prefix=f"c-{step.pk}",
            initial=initial,
        )

    def render(self, *, bound: StepForm | None = None, correction=None, upload=None, stop=None, status=200):
        case, user = self.case, self.user
        current = services.plan(case)
        can_change, can_approve = can(user, "change", case), can(user, "approve", case)
        rows = selectors.step_rows(case, current.allowed)
        # plan() allows nothing on a stopped case, so only the role decides here.
        joint = any(r.joint for r in rows) and services.may_take_joint_review(user, case)
        may_record = {
            r.code: can_change and (not r.by_higher or can_approve) and (not r.joint or joint) for r in rows
        }
        order = [current.next_step, *sorted(current.allowed - {current.next_step})]
        forms = {code: self.step_form(code) for code in order if code and may_record.get(code)}
        if bound is not None:
            forms = {bound.step_code: bound, **{k: v for k, v in forms.items() if k != bound.step_code}}
        titles = {d.code: d.title for d in self.version.steps}
        for row in rows:
            for step in row.records:
                step.correction_form = step.upload_form = None
                if correction and correction[0] == step.pk:  # a refused correction keeps its values
                    step.correction_form = correction[1]
                elif (
                    step.superseded_by_id is None and may_record[row.code] and step.code not in UNCORRECTABLE
                ):
                    step.correction_form = self.correction_form(step)
                if upload and upload[0] == step.pk:
                    step.upload_form = upload[1]
                elif can_change:
                    step.upload_form = DocumentForm()
        window = selectors.county_rules([R.DUE_SOON_DAYS.code], timezone.localdate())[R.DUE_SOON_DAYS.code]
        ctx = {
            "title": f"{case.person.name}（发展党员）",
            "case": case,
            "person": case.person,
            "version": self.version,
            "plan": current,
            "next_title": R.step_title(case.rule_version, current.next_step) if current.next_step else "",
            "next_rules": selectors.step_rules(case.rule_version, current.next_step)
            if current.next_step
            else [],
            "deadline_rule": selectors.deadline_rule(case),
            "due_state": selectors.due_state(
                current.due, timezone.localdate(), window.for_path(case.org.path)
            ),
            "rows": rows,
            "stage_labels": dict(Stage.choices),
            "forms": [
                (form, titles[code], selectors.step_rules(case.rule_version, code))
                for code, form in forms.items()
            ],
            "next_may_record": may_record.get(current.next_step, False),
            "next_joint_by": services.joint_reviewer(case)
            if current.next_step and self.version.step(current.next_step).joint
            else None,
            "correcting": correction[0] if correction else None,
            "uploading": upload[0] if upload else None,
            "stop_form": stop or (StopForm() if can_change and case.status == CaseStatus.OPEN else None),
            "history": selectors.case_history(user, case),
        }
        return render(self.request, "development/case_detail.html", ctx, status=status)


class CaseDetailView(ScopedObjectMixin, View):
    model = DevelopmentCase

    def get(self, request, pk):
        return CasePage(request, self.object).render()


class CaseStepView(ScopedObjectMixin, View):
    """POST: take a step. The posted code picks the form, so a refused step keeps what was typed."""

    model = DevelopmentCase
    http_method_names = ["post"]

    def post(self, request, pk):
        page, code = CasePage(request, self.object), request.POST.get("code", "")
        if code not in page.version.codes():
            messages.error(request, "未知的发展党员步骤。")
            return page.render(status=400)
        form = page.step_form(code, request.POST)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                step = services.record_step(
                    request.user,
                    self.object,
                    code,
                    done_on=d["done_on"],
                    responsible=d["responsible"],
                    note=d["note"],
                    data=form.data_values(),
                    late_reason=d["late_reason"],
                )
            except ActionDenied as exc:
                attach_errors(form, exc)
                status = 403
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记“{R.step_title(step.case.rule_version, code)}”。")
                return redirect(self.object)
        return page.render(bound=form, status=status)


class CorrectStepView(ScopedObjectMixin, View):
    """POST: correct a recorded step; the old row stays, struck through, with the reason."""

    model = CaseStep
    http_method_names = ["post"]

    def post(self, request, pk):
        step = self.object
        case = DevelopmentCase.objects.select_related("person", "org").get(pk=step.case_id)
        page = CasePage(request, case)
        form = page.correction_form(step, request.POST)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.correct_step(
                    request.user,
                    step,
                    done_on=d["done_on"],
                    responsible=d["responsible"],
                    reason=d["reason"],
                    note=d["note"],
                    data=form.data_values(),
                    late_reason=d["late_reason"],
                )
            except ActionDenied as exc:
                attach_errors(form, exc)
                status = 403
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已更正，原记录保留并标注为已更正。")
                return redirect(case)
        return page.render(correction=(step.pk, form), status=status)


class StopCaseView(ScopedObjectMixin, View):
    model = DevelopmentCase
    http_method_names = ["post"]

    def post(self, request, pk):
        form = StopForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.stop_case(
                    request.user, self.object, reason=form.cleaned_data["reason"], on=form.cleaned_data["on"]
                )
            except ActionDenied as exc:
                attach_errors(form, exc)
                status = 403
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已终止该发展党员档案。")
                return redirect(self.object)
        return CasePage(request, self.object).render(stop=form, status=status)


class DocumentUploadView(ScopedObjectMixin, View):
    model = CaseStep
    http_method_names = ["post"]

    def post(self, request, pk):
        step = self.object
        form = DocumentForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                doc = services.attach_document(request.user, step, form.cleaned_data["file"])
            except ActionDenied as exc:
                attach_errors(form, exc)
                status = 403
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已上传“{doc.name}”。")
                return redirect(step.case)
        case = DevelopmentCase.objects.select_related("person", "org").get(pk=step.case_id)
        return CasePage(request, case).render(upload=(step.pk, form), status=status)


class DocumentDownloadView(ScopedObjectMixin, View):
    """Uploaded materials are private: streamed only to users who may see the step's case."""

    model = StepDocument

    def get(self, request, pk):
        doc = self.object
        try:
            handle = doc.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404("文件不存在") from exc
        return FileResponse(handle, as_attachment=True, filename=doc.name)


# --- a new applicant ---------------------------------------------------------------------------------


class NewCaseView(View):
    """A list-kind route: the branch comes with the request and is looked up among those where the
    user may open cases, so an out-of-scope branch is refused like an unknown one."""

    route_scope = RouteScope("list", model=DevelopmentCase)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.orgs = selectors.dev_orgs(request.user, "add")
        if not self.orgs.exists():
            raise PermissionDenied("您的角色无权登记入党申请人。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {"applied_on": timezone.localdate(), "responsible": request.user.display_name}
        org = request.GET.get("org", "")
        if org.isdigit():
            initial["org"] = self.orgs.filter(pk=org).first()
        return self.show(ApplicantForm(initial=initial, orgs=self.orgs))

    def post(self, request):
        form = ApplicantForm(request.POST, orgs=self.orgs)
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = services.open_case(
                    request.user,
                    d["org"],
                    form.person_data(),
                    applied_on=d["applied_on"],
                    responsible=d["responsible"],
                    note=d["note"],
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记入党申请人“{case.person.name}”。")
                return redirect(case)
        return self.show(form, status=400)

    def show(self, form, status=200):
        ctx = {"form": form, "title": "登记入党申请人", "min_age": R.MIN_AGE}
        return render(self.request, "development/case_new.html", ctx, status=status)
