"""REST endpoints of volunteer teams, call-outs and hours: reads through the scope layer and the pages'
FilterSets, writes through services.py (same refusals, same Chinese messages). Outside scope is 404."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.members.models import Member
from dangjian.orgs.models import Org

from . import selectors, services
from .filtersets import CallOutFilter, TeamFilter, TeamMemberFilter
from .models import Attendance, CallOut, Team, TeamMember
from .serializers import (
    VolunteerAttendanceInSerializer,
    VolunteerCallOutInSerializer,
    VolunteerCallOutSerializer,
    VolunteerEnrolSerializer,
    VolunteerMemberSerializer,
    VolunteerTeamInSerializer,
    VolunteerTeamSerializer,
)


class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "head", "options"]


def _scoped(model, request, pk):
    return get_scoped_or_404(model, request.user, "view", pk=pk)


def _members_of(request, team: Team, ids: list[int]) -> list[TeamMember]:
    """Team members named by id; one not visible is a 404, one of another team the service refuses."""
    found = {m.pk: m for m in TeamMember.objects.restrict(request.user).filter(pk__in=ids)}
    if set(ids) - set(found):
        raise Http404("未找到")
    return [found[i] for i in dict.fromkeys(ids)]


class TeamViewSet(ReadOnly):
    """党员志愿服务队与突击队, with member count, call-outs and hours served."""

    serializer_class = VolunteerTeamSerializer
    filterset_class = TeamFilter
    route_scope = RouteScope("list", model=Team)

    def get_queryset(self):
        return selectors.teams(self.request.user).order_by("org__path", "name", "pk")

    @extend_schema(request=VolunteerTeamInSerializer, responses={201: VolunteerTeamSerializer})
    def create(self, request):
        data = validated(VolunteerTeamInSerializer, request.data)
        org = _scoped(Org, request, data.pop("org"))
        team = services.create_team(request.user, org, **data)
        return Response(VolunteerTeamSerializer(self.get_queryset().get(pk=team.pk)).data, status=201)

    @extend_schema(request=VolunteerEnrolSerializer, responses={201: VolunteerMemberSerializer})
    @action(detail=True, methods=["post"])
    def enrol(self, request, pk=None):
        team = _scoped(Team, request, pk)
        data = validated(VolunteerEnrolSerializer, request.data)
        member_id = data.pop("member")
        member = None if member_id is None else _scoped(Member, request, member_id)
        row = services.enrol(request.user, team, member=member, **data)
        return Response(
            VolunteerMemberSerializer(selectors.team_members(request.user).get(pk=row.pk)).data, status=201
        )


class TeamMemberViewSet(ReadOnly):
    """队员 with call-outs attended and hours served (totals per member)."""

    serializer_class = VolunteerMemberSerializer
    filterset_class = TeamMemberFilter
    route_scope = RouteScope("list", model=TeamMember)
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return selectors.team_members(self.request.user).order_by("team_id", "joined_on", "pk")


class CallOutViewSet(ReadOnly):
    """出动记录: holiday duty, flood watch, civilisation practice activities; who turned up, how long."""

    serializer_class = VolunteerCallOutSerializer
    filterset_class = CallOutFilter
    route_scope = RouteScope("list", model=CallOut)

    def get_queryset(self):
        rows = Attendance.objects.select_related("team_member").order_by("team_member__name")
        return (
            selectors.callouts(self.request.user)
            .prefetch_related(Prefetch("attendance", queryset=rows))
            .order_by("-starts_at", "-pk")
        )

    @extend_schema(request=VolunteerCallOutInSerializer, responses={201: VolunteerCallOutSerializer})
    def create(self, request):
        data = validated(VolunteerCallOutInSerializer, request.data)
        team = _scoped(Team, request, data.pop("team"))
        data["members"] = _members_of(request, team, data.pop("members"))
        callout = services.create_callout(request.user, team, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=callout.pk)).data, status=201)

    @extend_schema(request=VolunteerAttendanceInSerializer, responses=VolunteerCallOutSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record who turned up and for how long (replaces the previous record of this call-out)."""
        callout = _scoped(CallOut, request, pk)
        rows = validated(VolunteerAttendanceInSerializer, request.data)["present"]
        people = _members_of(request, callout.team, [r["team_member"] for r in rows])
        by_id = {m.pk: m for m in people}
        services.record_attendance(
            request.user, callout, [(by_id[r["team_member"]], r["hours"]) for r in rows]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=callout.pk)).data)


def register(router) -> None:
    """This app's API endpoints on the /api/v1/ router."""
    router.register("volunteer-teams", TeamViewSet, basename="api-volunteer-team")
    router.register("volunteer-members", TeamMemberViewSet, basename="api-volunteer-member")
    router.register("volunteer-callouts", CallOutViewSet, basename="api-volunteer-callout")
