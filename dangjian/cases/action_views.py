"""The POST routes behind the actions on a case's page. Each reads the case through the scope layer
(outside scope is a 404), calls one service and goes back to the page with a message; a refusal
re-renders the page with the message beside its field and a 400, a role that may not act a 403.

Forms that move the case (transitions, routing, 报到, reopening) carry the version the page was drawn
from: if someone else moved the case since, the reader is told so instead of acting on a stale page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views import View

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.views_base import ScopedObjectMixin

from . import forms as F
from . import services
from .models import Case
from .views import CONFLICT, CasePage, attach_errors


class CaseAction(ScopedObjectMixin, View):
    model = Case
    http_method_names = ["post"]
    key = ""
    form_class: Any = None
    versioned = False

    def form(self):
        return self.form_class(self.request.POST, self.request.FILES, **self.form_kwargs())

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def panel_key(self, form) -> str:
        return self.key

    def post(self, request, pk):
        case = self.object
        form = self.form()
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            try:
                if self.versioned and version is not None and version != case.version:
                    raise DomainError(CONFLICT, code="conflict")
                message = self.perform(case, data)
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except NotInScope as exc:
                raise Http404("未找到") from exc
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect(case)
        return CasePage(request, case).render(status=400, bound={self.panel_key(form): form})

    def perform(self, case: Case, data: dict[str, Any]) -> str:
        raise NotImplementedError


class ActView(CaseAction):
    """Every transition but routing and 报到: start, report done, accept, reject, sign off, promise…"""

    form_class = F.TransitionForm
    versioned = True

    def panel_key(self, form) -> str:
        return f"act:{form.data.get('code', '')}"

    def perform(self, case, data):
        code = data.pop("code")
        t = case.spec.transition(code)
        services.act(self.request.user, case, code, **data)
        return f"已{t.label if t else '办理'}。"


class RouteView(CaseAction):
    key, form_class, versioned = "route", F.RouteForm, True

    def form_kwargs(self):
        return {"case": self.object}

    def perform(self, case, data):
        departments = list(data.pop("departments"))
        services.route(self.request.user, case, departments, **data)
        return f"已派单至{'、'.join(d.name for d in departments)}。"


class DecideView(CaseAction):
    key, form_class, versioned = "decide", F.DecideForm, True

    def perform(self, case, data):
        accept = data["decision"] == "accept"
        services.decide_route(self.request.user, case, accept=accept, reason=data["reason"])
        return "已报到，请按时办结。" if accept else "已退回。"


class SuperviseView(CaseAction):
    key, form_class = "supervise", F.SuperviseForm

    def perform(self, case, data):
        services.supervise(self.request.user, case, **data)
        return "已登记督办。"


class NoteView(CaseAction):
    key, form_class = "note", F.NoteForm

    def perform(self, case, data):
        services.add_note(self.request.user, case, **data)
        return "已记录。"


class HandoverView(CaseAction):
    key, form_class = "handover", F.HandoverForm

    def form_kwargs(self):
        return {"case": self.object}

    def perform(self, case, data):
        services.hand_over(self.request.user, case, **data)
        return f"已移交{data['to'].display_name}。"


class ReopenView(CaseAction):
    key, form_class, versioned = "reopen", F.ReopenForm, True

    def perform(self, case, data):
        services.reopen(self.request.user, case, **data)
        return "已重新打开。"


class EscalateView(CaseAction):
    key, form_class = "escalate", F.EscalateForm

    def perform(self, case, data):
        services.escalate(self.request.user, case, **data)
        return f"已上报至{case.get_level_display()}办理。"


class PublishView(CaseAction):
    key, form_class = "publish", F.PublishForm

    def perform(self, case, data):
        services.publish(self.request.user, case, **data)
        return "已在公开栏公开。"


class UnpublishView(CaseAction):
    key, form_class = "unpublish", F.UnpublishForm

    def perform(self, case, data):
        services.unpublish(self.request.user, case, **data)
        return "已撤回公开。"


class SatisfactionView(CaseAction):
    key, form_class = "satisfaction", F.SatisfactionForm

    def perform(self, case, data):
        services.record_satisfaction(self.request.user, case, **data)
        return "已登记满意度回访。"
