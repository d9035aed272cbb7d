"""Pages of volunteer teams, call-outs and hours. Thin: reads through the scope layer, writes through
services; a refused write shows the service's Chinese message beside its field with a 400."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views import View

from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import can
from dangjian.core.views_base import FormPageMixin, ScopedListView, ScopedObjectMixin
from dangjian.members.models import Member
from dangjian.members.views import attach_errors

from . import selectors, services
from .filtersets import CallOutFilter, TeamFilter, TeamMemberFilter
from .forms import AttendanceForm, CallOutForm, EnrolForm, TeamForm
from .models import CallOut, Team, TeamMember
from .tables import CallOutTable, TeamMemberTable, TeamTable

NAV = (
    ("volunteer-team-list", "队伍"),
    ("volunteer-callout-list", "出动记录"),
    ("volunteer-member-list", "队员服务时长"),
)


class _List(ScopedListView):
    template_name = "volunteers/list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["nav"] = NAV
        ctx["can_add"] = selectors.orgs_for(self.request.user).exists()
        return ctx


class TeamListView(_List):
    model = Team
    table_class = TeamTable
    filterset_class = TeamFilter
    title = "党员志愿服务队与突击队"

    def get_queryset(self):
        return selectors.teams(self.request.user)


class CallOutListView(_List):
    model = CallOut
    table_class = CallOutTable
    filterset_class = CallOutFilter
    title = "出动记录（值守、防汛、文明实践）"

    def get_queryset(self):
        return selectors.callouts(self.request.user)


class TeamMemberListView(_List):
    model = TeamMember
    table_class = TeamMemberTable
    filterset_class = TeamMemberFilter
    title = "队员服务时长"

    def get_queryset(self):
        return selectors.team_members(self.request.user)


class _FormMixin(FormPageMixin):
    form_template = "volunteers/form.html"
    back = "volunteer-team-list"


class TeamNewView(_FormMixin, View):
    route_scope = RouteScope("list", model=Team)
    heading = "组建志愿服务队/突击队"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.orgs = selectors.orgs_for(request.user)
        if not self.orgs.exists():
            raise PermissionDenied("您的角色无权执行此操作。")
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data=None):
        return TeamForm(data, orgs=self.orgs)

    def save(self, form):
        data = dict(form.cleaned_data)
        team = services.create_team(self.request.user, data.pop("org"), **data)
        return team, f"已组建{team.name}。"


def _enrol_form(user, team: Team, data=None) -> EnrolForm:
    members = (
        Member.objects.restrict(user)
        .filter(org__path__startswith=team.org.path)
        .select_related("person", "org")
        .order_by("org__path", "person__name")
    )
    return EnrolForm(data, members=members)


class TeamDetailView(ScopedObjectMixin, View):
    model = Team

    def get(self, request, pk):
        team, user = self.object, request.user
        editable = can(user, "change", team)
        roster = selectors.team_members(user).filter(team=team).order_by("left_on", "joined_on", "pk")
        ctx = {
            "title": team.name,
            "team": team,
            "roster": roster,
            "callouts": selectors.callouts(user).filter(team=team).order_by("-starts_at")[:30],
            "totals": selectors.teams(user).get(pk=team.pk),
            "enrol_form": _enrol_form(user, team) if editable else None,
            "editable": editable,
        }
        return render(request, "volunteers/team_detail.html", ctx)


class EnrolView(_FormMixin, ScopedObjectMixin, View):
    model = Team
    action = "change"
    heading = "队员入队"

    def back_url(self):
        return self.object.get_absolute_url()

    def make_form(self, data=None):
        return _enrol_form(self.request.user, self.object, data)

    def save(self, form):
        row = services.enrol(self.request.user, self.object, **form.cleaned_data)
        return self.object, f"{row.name}已入队。"


class CallOutNewView(_FormMixin, ScopedObjectMixin, View):
    model = Team
    action = "change"

    @property
    def heading(self):
        return f"{self.object.name}：发起出动"

    def back_url(self):
        return self.object.get_absolute_url()

    def make_form(self, data=None):
        members = TeamMember.objects.restrict(self.request.user).filter(
            team=self.object, left_on__isnull=True
        )
        return CallOutForm(data, members=members)

    def save(self, form):
        callout = services.create_callout(self.request.user, self.object, **form.cleaned_data)
        return callout, "已发起出动。"


def _attendance_form(user, callout: CallOut, data=None) -> AttendanceForm:
    rows = {
        a.team_member_id: (a.team_member, a.hours, a.called) for a in selectors.attendance_of(user, callout)
    }
    for tm in TeamMember.objects.restrict(user).filter(team_id=callout.team_id, left_on__isnull=True):
        rows.setdefault(tm.pk, (tm, None, False))
    return AttendanceForm(data, rows=sorted(rows.values(), key=lambda r: (not r[2], r[0].name)))


class CallOutDetailView(ScopedObjectMixin, View):
    model = CallOut

    def get(self, request, pk):
        return self.page()

    def page(self, form=None, status=200):
        callout, user = self.object, self.request.user
        editable = can(user, "change", callout)
        ctx = {
            "title": str(callout),
            "callout": callout,
            "summary": selectors.callouts(user).get(pk=callout.pk),
            "attendance": selectors.attendance_of(user, callout),
            "form": form or (_attendance_form(user, callout) if editable else None),
        }
        return render(self.request, "volunteers/callout_detail.html", ctx, status=status)


class AttendanceView(ScopedObjectMixin, View):
    model = CallOut
    action = "change"

    def get(self, request, pk):
        return redirect(self.object.get_absolute_url())

    def post(self, request, pk):
        form = _attendance_form(request.user, self.object, request.POST)
        if form.is_valid():
            try:
                services.record_attendance(request.user, self.object, form.present())
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已登记到岗与服务时长。")
                return redirect(self.object.get_absolute_url())
        page = CallOutDetailView()
        page.object, page.request = self.object, request
        return page.page(form, status=400)
