"""Pages of 四议两公开. Thin: reads through the scope layer, writes through services; a refused write
shows the service's Chinese message beside its field."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views import View

from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import can
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.members.views import attach_errors
from dangjian.orgs.services import joint_branch_of, speaks_for

from . import selectors, services
from .filtersets import DecisionFilter
from .forms import DecisionForm, OpinionForm, StepForm
from .models import Decision, Step
from .tables import DecisionTable


class DecisionListView(ScopedListView):
    model = Decision
    table_class = DecisionTable
    filterset_class = DecisionFilter
    template_name = "decisions/list.html"
    title = "四议两公开"
    export_name = "四议两公开事项"

    def get_queryset(self):
        return selectors.decisions(self.request.user).order_by("-opened_on", "-pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = selectors.add_orgs(self.request.user).exists()
        return ctx


class DecisionNewView(View):
    route_scope = RouteScope("list", model=Decision)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if not selectors.add_orgs(request.user).exists():
            raise PermissionDenied("您的角色无权登记四议两公开事项。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.show(DecisionForm(user=request.user))

    def post(self, request):
        form = DecisionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                decision = services.open_decision(request.user, **form.cleaned_data)
            except ActionDenied as exc:
                form.add_error("org", exc.message)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记“{decision}”。")
                return redirect(decision)
        return self.show(form, status=400)

    def show(self, form, status=200):
        ctx = {"title": "登记四议两公开事项", "form": form}
        return render(self.request, "decisions/form.html", ctx, status=status)


def _step_form(decision: Decision, data=None, holder: str | None = None) -> StepForm | None:
    if decision.is_closed:
        return None
    can_merge = decision.state == Step.PROPOSAL and bool(holder) and services.merge_allowed(decision.county)
    return StepForm(
        data,
        needed=services.needed_counts(decision, decision.state),
        can_merge=can_merge,
        joint=decision.state == Step.JOINT_REVIEW,
    )


def detail_page(request, decision: Decision, *, step_form=None, opinion_form=None, status=200):
    user = request.user
    editable = can(user, "change", decision)
    recorded = {s.step: s for s in decision.steps.select_related("recorded_by")}
    holder = services.both_posts_holder(decision.org_id)
    joint_by = joint_branch_of(decision.org) if decision.state == Step.JOINT_REVIEW else None
    may_step = editable and (joint_by is None or speaks_for(user, joint_by))
    timeline = [
        {
            "code": code,
            "label": Step(code).label,
            "row": recorded.get(code),
            "is_next": code == decision.state,
        }
        for code in decision.step_order
    ]
    ctx = {
        "title": str(decision),
        "decision": decision,
        "timeline": timeline,
        "editable": editable,
        "holder": holder,
        "next_label": None if decision.is_closed else Step(decision.state).label,
        "step_form": (step_form or _step_form(decision, holder=holder)) if may_step else None,
        "joint_by": joint_by,
        "opinion_form": (opinion_form or OpinionForm()) if editable else None,
        "opinions": decision.opinions.select_related("recorded_by").order_by("-received_on", "-pk"),
    }
    return render(request, "decisions/detail.html", ctx, status=status)


class DecisionDetailView(ScopedObjectMixin, View):
    model = Decision

    def get(self, request, pk):
        return detail_page(request, self.object)


class DecisionStepView(ScopedObjectMixin, View):
    """Record the step due next (the form only ever offers that one)."""

    model = Decision
    action = "change"

    def post(self, request, pk):
        decision = self.object
        form = _step_form(decision, request.POST, holder=services.both_posts_holder(decision.org_id))
        if form is None:
            messages.error(request, f"该事项{decision.get_state_display()}，不能再登记环节。")
            return redirect(decision)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.record_step(request.user, decision, decision.state, **data)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已登记。")
                return redirect(decision)
        return detail_page(request, decision, step_form=form, status=400)


class OpinionAddView(ScopedObjectMixin, View):
    model = Decision
    action = "change"

    def post(self, request, pk):
        decision = self.object
        form = OpinionForm(request.POST)
        if form.is_valid():
            try:
                services.add_opinion(request.user, decision, **form.cleaned_data)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已登记群众意见。")
                return redirect(f"{decision.get_absolute_url()}#opinions")
        return detail_page(request, decision, opinion_form=form, status=400)
