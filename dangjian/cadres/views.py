"""Pages of the pool, mentoring, choosing from the pool, coaching and pay. Thin: reads through the scope
layer, writes through services; a refused write shows the service's Chinese message beside its field."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from dangjian.core.errors import DomainError
from dangjian.core.excel import xlsx_response
from dangjian.core.roles import MANAGERS, WORKERS
from dangjian.core.routes import RouteScope
from dangjian.core.scope import can
from dangjian.core.views_base import FormPageMixin, ScopedListView, ScopedObjectMixin
from dangjian.members.views import attach_errors
from dangjian.orgs.choices import OrgKind
from dangjian.villages.models import Committee, Post, PostKind
from dangjian.villages.selectors import current_committees

from . import selectors, services
from .choices import AssessmentGrade, ReserveStatus
from .filtersets import (
    AssessmentFilter,
    CoachingFilter,
    MentorshipFilter,
    PayBatchFilter,
    PayLineFilter,
    ReserveFilter,
)
from .forms import (
    AccountForm,
    ActivityForm,
    AssessmentForm,
    BatchForm,
    ChooseForm,
    CoachingForm,
    EvaluationForm,
    LeaveForm,
    MentorshipForm,
    ReserveForm,
    ReserveNewForm,
    SchemeForm,
    SessionForm,
)
from .models import (
    COUNTY_ONLY,
    AssessmentResult,
    Coaching,
    Mentorship,
    PayAccount,
    PayBatch,
    PayLine,
    PayScheme,
    PoolSelection,
    ReserveCadre,
)
from .tables import AssessmentTable, CoachingTable, MentorshipTable, PayBatchTable, PayLineTable, ReserveTable

# --- lists ---------------------------------------------------------------------------------------------


class _List(ScopedListView):
    template_name = "cadres/list.html"
    actions: tuple[tuple[str, str], ...] = ()  # (url name, label) shown to users who may add
    add_roles = WORKERS

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["actions"] = (
            self.actions if selectors.orgs_for(self.request.user, self.add_roles).exists() else ()
        )
        return ctx


class ReserveListView(_List):
    model = ReserveCadre
    table_class = ReserveTable
    filterset_class = ReserveFilter
    title = "村级后备干部库"
    actions = (("reserve-new", "后备干部入库"),)

    def get_queryset(self):
        return selectors.reserves(self.request.user)


class MentorshipListView(_List):
    model = Mentorship
    table_class = MentorshipTable
    filterset_class = MentorshipFilter
    title = "导师帮带"

    def get_queryset(self):
        return selectors.mentorships(self.request.user)


class CoachingListView(_List):
    model = Coaching
    table_class = CoachingTable
    filterset_class = CoachingFilter
    title = "“一对一”辅导"

    def get_queryset(self):
        return selectors.coachings(self.request.user)


class PayBatchListView(_List):
    model = PayBatch
    table_class = PayBatchTable
    filterset_class = PayBatchFilter
    title = "村干部报酬发放"
    add_roles = MANAGERS
    actions = (
        ("pay-batch-new", "生成发放批次"),
        ("pay-scheme-list", "报酬标准"),
        ("pay-line-list", "发放明细（按人查询）"),
        ("assessment-list", "年度考核结果"),
    )

    def get_queryset(self):
        return selectors.batches(self.request.user)


class PayLineListView(_List):
    model = PayLine
    table_class = PayLineTable
    filterset_class = PayLineFilter
    title = "村干部报酬发放明细"

    def get_queryset(self):
        return selectors.lines(self.request.user)


class AssessmentListView(_List):
    model = AssessmentResult
    table_class = AssessmentTable
    filterset_class = AssessmentFilter
    title = "村干部年度考核结果"
    add_roles = MANAGERS
    actions = (("assessment-new", "登记考核结果"), ("pay-account-new", "登记一卡通账号"))

    def get_queryset(self):
        return AssessmentResult.objects.restrict(self.request.user).select_related("org")


# --- forms ---------------------------------------------------------------------------------------------


class _FormMixin(FormPageMixin):
    form_template = "cadres/form.html"


class _NewView(_FormMixin, View):
    """A create page whose parent (village, township, county) is chosen in the form."""

    roles = WORKERS
    kinds = (OrgKind.BRANCH, OrgKind.COMMUNITY)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.orgs = selectors.orgs_for(request.user, self.roles, self.kinds)
        if not self.orgs.exists():
            raise PermissionDenied("您的角色无权执行此操作。")
        return super().dispatch(request, *args, **kwargs)


class _ObjectFormView(_FormMixin, ScopedObjectMixin, View):
    action = "change"

    def back_url(self):
        return self.object.get_absolute_url()


class ReserveNewView(_NewView):
    route_scope = RouteScope("list", model=ReserveCadre)
    heading = "后备干部入库"
    back = "reserve-list"

    def make_form(self, data=None):
        return ReserveNewForm(data, orgs=self.orgs)

    def save(self, form):
        data = form.cleaned_data
        reserve = services.add_reserve(self.request.user, data.pop("org"), **data)
        return reserve, f"{reserve.name}已入库。"


class ReserveDetailView(ScopedObjectMixin, View):
    model = ReserveCadre

    def get(self, request, pk):
        reserve, user = self.object, request.user
        selection = (
            PoolSelection.objects.restrict(user)
            .filter(reserve=reserve)
            .select_related("post", "created_by")
            .prefetch_related("considered", "coachings")
            .first()
        )
        ctx = {
            "title": f"后备干部 {reserve.name}",
            "reserve": reserve,
            "mentorships": Mentorship.objects.restrict(user).filter(reserve=reserve),
            "selection": selection,
            "can_change": can(user, "change", reserve) and reserve.status == ReserveStatus.IN_POOL,
            "can_choose": can(user, "choose", reserve) and reserve.status == ReserveStatus.IN_POOL,
            "can_coach": selection is not None and can(user, "choose", reserve),
        }
        return render(request, "cadres/reserve_detail.html", ctx)


class ReserveEditView(_ObjectFormView):
    model = ReserveCadre
    heading = "修改后备干部信息"

    def make_form(self, data=None):
        r = self.object
        fields = ("name", "gender", "birth_date", "education", "political_status", "skills", "entered_on")
        return ReserveForm(data, initial={f: getattr(r, f) for f in fields})

    def save(self, form):
        data = form.cleaned_data
        reserve = services.update_reserve(self.request.user, self.object, person=self.object.person, **data)
        return reserve, "已保存。"


class ReserveLeaveView(_ObjectFormView):
    model = ReserveCadre
    heading = "后备干部出库"

    def make_form(self, data=None):
        return LeaveForm(data)

    def save(self, form):
        data = form.cleaned_data
        reserve = services.leave_pool(self.request.user, self.object, **data)
        return reserve, f"{reserve.name}已出库。"


class MentorshipNewView(_ObjectFormView):
    model = ReserveCadre
    heading = "安排帮带导师"

    def make_form(self, data=None):
        return MentorshipForm(
            data,
            posts=selectors.mentor_posts(self.request.user, self.object),
            users=selectors.mentor_users(self.object),
        )

    def save(self, form):
        data = form.cleaned_data
        mentorship = services.start_mentorship(self.request.user, self.object, **data)
        return mentorship, f"已安排{mentorship.mentor_name}为导师。"


class ChooseView(_ObjectFormView):
    model = ReserveCadre
    action = "choose"
    heading = "从后备库选任"

    def make_form(self, data=None):
        reserve, user = self.object, self.request.user
        committees = current_committees(Committee.objects.restrict(user).filter(org=reserve.org))
        others = (
            ReserveCadre.objects.restrict(user)
            .filter(org=reserve.org, status=ReserveStatus.IN_POOL)
            .exclude(pk=reserve.pk)
        )
        return ChooseForm(
            data,
            committees=committees,
            others=others,
            kinds=PostKind.choices,
            initial={"kind": PostKind.SECRETARY},
        )

    def save(self, form):
        data = form.cleaned_data
        selection = services.choose_from_pool(
            self.request.user, self.object, data.pop("committee"), data.pop("kind"), **data
        )
        return self.object, f"已选任：{selection.post}。"


class MentorshipDetailView(ScopedObjectMixin, View):
    model = Mentorship

    def get(self, request, pk):
        return self.page()

    def page(self, activity_form=None, evaluation_form=None, status=200):
        m, user = self.object, self.request.user
        editable = can(user, "change", m)
        ctx = {
            "title": f"导师帮带：{m}",
            "m": m,
            "activities": m.activities.all(),
            "evaluations": m.evaluations.all(),
            "activity_form": activity_form or (ActivityForm() if editable else None),
            "evaluation_form": evaluation_form or (EvaluationForm() if editable else None),
        }
        return render(self.request, "cadres/mentorship_detail.html", ctx, status=status)


class _SubmitView(ScopedObjectMixin, View):
    """POST-only form on a detail page; errors re-render that page with a 400."""

    action = "change"
    form_class: type = ActivityForm

    def post(self, request, pk):
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.save(form)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已登记。")
                return redirect(self.object)
        return self.redisplay(form)


class ActivityView(_SubmitView):
    model = Mentorship

    def save(self, form):
        data = form.cleaned_data
        services.add_activity(self.request.user, self.object, **data)

    def redisplay(self, form):
        view = MentorshipDetailView(request=self.request, object=self.object)
        return view.page(activity_form=form, status=400)


class EvaluationView(_SubmitView):
    model = Mentorship
    form_class = EvaluationForm

    def save(self, form):
        data = form.cleaned_data
        services.evaluate(self.request.user, self.object, **data)

    def redisplay(self, form):
        view = MentorshipDetailView(request=self.request, object=self.object)
        return view.page(evaluation_form=form, status=400)


class CoachingNewView(_ObjectFormView):
    model = PoolSelection
    action = "choose"
    heading = "安排“一对一”辅导"

    def back_url(self):
        return self.object.reserve.get_absolute_url()

    def make_form(self, data=None):
        return CoachingForm(data, initial={"started_on": self.object.decided_on})

    def save(self, form):
        data = form.cleaned_data
        post = Post.objects.get(pk=self.object.post_id)
        coaching = services.start_coaching(self.request.user, post, selection=self.object, **data)
        return coaching, f"已安排{coaching.coach_name}“一对一”辅导{coaching.coachee_name}。"


class CoachingDetailView(ScopedObjectMixin, View):
    model = Coaching

    def get(self, request, pk):
        return self.page()

    def page(self, form=None, status=200):
        c = self.object
        editable = can(self.request.user, "choose", c)
        ctx = {
            "title": str(c),
            "c": c,
            "sessions": c.sessions.all(),
            "form": form or (SessionForm() if editable else None),
        }
        return render(self.request, "cadres/coaching_detail.html", ctx, status=status)


class SessionView(_SubmitView):
    model = Coaching
    action = "choose"
    form_class = SessionForm

    def save(self, form):
        data = form.cleaned_data
        services.add_coaching_session(self.request.user, self.object, **data)

    def redisplay(self, form):
        return CoachingDetailView(request=self.request, object=self.object).page(form=form, status=400)


# --- pay -----------------------------------------------------------------------------------------------


class PayBatchNewView(_NewView):
    route_scope = RouteScope("list", model=PayBatch)
    roles = MANAGERS
    kinds = (OrgKind.TOWNSHIP,)
    heading = "生成报酬发放批次"
    back = "pay-batch-list"

    def make_form(self, data=None):
        return BatchForm(data, townships=self.orgs, initial={"month": timezone.localdate().replace(day=1)})

    def save(self, form):
        data = form.cleaned_data
        batch = services.generate_batch(self.request.user, data["township"], data["month"])
        return batch, f"已生成：{batch}，共{batch.line_count}人。"


class PayBatchDetailView(ScopedObjectMixin, View):
    model = PayBatch

    def get(self, request, pk):
        batch, user = self.object, request.user
        lines = (
            PayLine.objects.restrict(user)
            .filter(batch=batch)
            .select_related("org")
            .order_by("org__path", "pk")
        )
        ctx = {
            "title": str(batch),
            "batch": batch,
            "lines": lines,
            "can_change": can(user, "change", batch),
        }
        return render(request, "cadres/pay_batch_detail.html", ctx)


class PayBatchApproveView(ScopedObjectMixin, View):
    model = PayBatch
    action = "change"

    def post(self, request, pk):
        try:
            services.approve_batch(request.user, self.object)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "批次已审核。")
        return redirect(self.object)


class PayBatchExportView(ScopedObjectMixin, View):
    model = PayBatch
    action = "change"
    route_scope = RouteScope("object", model=PayBatch, exports=True)

    def get(self, request, pk):
        batch = self.object
        try:
            rows = services.bank_rows(request.user, batch)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(batch)
        name = f"{batch.township.name}{batch.month.year}年{batch.month.month}月一卡通发放表"
        headers = ["序号", "姓名", "身份证号", "一卡通账号", "金额", "摘要"]
        return xlsx_response(f"{name}.xlsx", "一卡通发放表", headers, rows, title=name)


class SchemeView(View):
    """The counties' pay schemes with their formula; a county admin sets their county's here."""

    route_scope = RouteScope("list", model=PayScheme)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.counties = selectors.orgs_for(request.user, COUNTY_ONLY, (OrgKind.COUNTY,))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.page(SchemeForm(counties=self.counties) if self.counties.exists() else None)

    def post(self, request):
        if not self.counties.exists():
            raise PermissionDenied("您的角色无权执行此操作。")
        form = SchemeForm(request.POST, counties=self.counties)
        if form.is_valid():
            try:
                services.set_pay_scheme(request.user, form.cleaned_data["county"], **form.scheme_values())
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "报酬标准已保存。")
                return redirect("pay-scheme-list")
        return self.page(form, status=400)

    def page(self, form, status=200):
        schemes = (
            PayScheme.objects.restrict(self.request.user).select_related("county").order_by("county__path")
        )
        kinds = [(k.value, k.label) for k in PostKind]
        rows = [
            {
                "s": s,
                "base": [(label, s.base_pay.get(k, "")) for k, label in kinds],
                "coefficients": [(label, s.coefficients.get(k, "")) for k, label in _grades()],
            }
            for s in schemes
        ]
        ctx = {"title": "村干部报酬标准", "rows": rows, "form": form}
        return render(self.request, "cadres/schemes.html", ctx, status=status)


def _grades():
    return [(g.value, g.label) for g in AssessmentGrade]


class AssessmentNewView(_NewView):
    route_scope = RouteScope("list", model=AssessmentResult)
    roles = MANAGERS
    heading = "登记村干部年度考核结果"
    back = "assessment-list"

    def make_form(self, data=None):
        return AssessmentForm(data, orgs=self.orgs, initial={"year": timezone.localdate().year - 1})

    def save(self, form):
        data = form.cleaned_data
        result = services.record_assessment(self.request.user, data.pop("org"), **data)
        return "assessment-list", f"已登记：{result}。"


class AccountNewView(_NewView):
    route_scope = RouteScope("list", model=PayAccount)
    roles = MANAGERS
    heading = "登记一卡通账号"
    back = "assessment-list"

    def make_form(self, data=None):
        return AccountForm(data, orgs=self.orgs)

    def save(self, form):
        data = form.cleaned_data
        account = services.set_account(self.request.user, data.pop("org"), **data)
        return "assessment-list", f"已登记{account.name}的一卡通账号。"
