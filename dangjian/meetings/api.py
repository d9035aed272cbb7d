"""REST endpoints of meeting records: reads through the scope layer and the pages' FilterSets, writes
through services.py, so the API refuses exactly what the pages refuse, with the same Chinese message."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.accounts.models import User
from dangjian.core.api import validated
from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.members.models import Member
from dangjian.orgs.models import Org

from . import compliance_api, selectors, services
from .filtersets import AttendanceFilter, MeetingFilter
from .models import Meeting, MeetingAttendance
from .serializers import (
    AttendanceBulkSerializer,
    AttendanceSerializer,
    CancelSerializer,
    FileSerializer,
    FileUploadSerializer,
    HeldSerializer,
    MeetingCreateSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    MinutesSerializer,
    SignInOpenedSerializer,
    SignInSerializer,
)


def _entries(items: list[dict[str, Any]]) -> list[services.AttendanceEntry]:
    return [services.AttendanceEntry(**dict(item)) for item in items]


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    route_scope = RouteScope("list", model=Meeting)
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    filter_backends = [DjangoFilterBackend]  # sorting is the FilterSet's `ordering`, as on the page

    def get_queryset(self):
        qs = selectors.meetings(self.request.user)
        if self.action == "retrieve":
            qs = qs.select_related("minutes_approved_by").prefetch_related(
                "guided_by",
                "files",
                Prefetch("attendances", queryset=MeetingAttendance.objects.select_related("meeting__org")),
            )
        return qs

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    def _meeting(self, pk) -> Meeting:
        return get_scoped_or_404(Meeting, self.request.user, "view", pk=pk)

    def _detail(self, meeting: Meeting, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().prefetch_related("guided_by", "files", "attendances").get(pk=meeting.pk)
        return Response(MeetingDetailSerializer(fresh).data, status=code)

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingDetailSerializer})
    def create(self, request):
        values = validated(MeetingCreateSerializer, request.data)
        org = get_scoped_or_404(Org, request.user, "view", pk=values.pop("org"))
        member_ids, user_ids = values.pop("members"), values.pop("users")
        members = users = None
        if member_ids is not None:
            members = list(Member.objects.select_related("person").filter(pk__in=member_ids))
            if len(members) != len(set(member_ids)):
                raise DomainError("所选党员不存在。", field="members")
        if user_ids is not None:
            users = list(User.objects.filter(pk__in=user_ids))
            if len(users) != len(set(user_ids)):
                raise DomainError("所选工作人员不存在。", field="users")
        meeting = services.plan_meeting(
            request.user, org, services.MeetingData(**values), members=members, users=users
        )
        return self._detail(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=HeldSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        meeting = self._meeting(pk)
        values = validated(HeldSerializer, request.data)
        services.record_held(
            request.user,
            meeting,
            values["held_at"],
            place=values["place"],
            host=values["host"],
            recorder=values["recorder"],
            entries=_entries(values["items"]),
        )
        return self._detail(meeting)

    @extend_schema(request=CancelSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = self._meeting(pk)
        services.cancel_meeting(request.user, meeting, validated(CancelSerializer, request.data)["reason"])
        return self._detail(meeting)

    @extend_schema(request=AttendanceBulkSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Set the attendance of many people at once; people not yet expected are added."""
        meeting = self._meeting(pk)
        values = validated(AttendanceBulkSerializer, request.data)
        services.set_attendance(request.user, meeting, _entries(values["items"]))
        return self._detail(meeting)

    @extend_schema(request=None, responses=SignInOpenedSerializer)
    @action(detail=True, methods=["post"], url_path="open-sign-in")
    def open_sign_in(self, request, pk=None):
        meeting = services.open_signin(request.user, self._meeting(pk))
        url = request.build_absolute_uri(
            f"{reverse('meeting-sign-in', args=[meeting.pk])}?code={meeting.signin_code}"
        )
        data = {
            "code": meeting.signin_code,
            "opens_at": meeting.signin_opens_at,
            "expires_at": meeting.signin_expires_at,
            "url": url,
        }
        return Response(SignInOpenedSerializer(data).data)

    @extend_schema(request=SignInSerializer, responses=AttendanceSerializer)
    @action(detail=True, methods=["post"], url_path="sign-in")
    def sign_in(self, request, pk=None):
        """Sign in with the code: yourself, or (recorder) the attendee named by `attendance`."""
        meeting = self._meeting(pk)
        values = validated(SignInSerializer, request.data)
        row = None
        if values["attendance"] is not None:
            row = meeting.attendances.filter(pk=values["attendance"]).first()
            if row is None:
                raise DomainError("所选人员不是本次会议的应到人员。", field="attendance")
        row = services.sign_in(request.user, meeting, values["code"], attendance=row)
        return Response(AttendanceSerializer(row).data)

    @extend_schema(request=MinutesSerializer, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        meeting = self._meeting(pk)
        services.save_minutes(request.user, meeting, validated(MinutesSerializer, request.data)["minutes"])
        return self._detail(meeting)

    @extend_schema(request=None, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"], url_path="approve-minutes")
    def approve_minutes(self, request, pk=None):
        meeting = self._meeting(pk)
        services.approve_minutes(request.user, meeting)
        return self._detail(meeting)

    @extend_schema(request={"multipart/form-data": FileUploadSerializer}, responses={201: FileSerializer})
    @action(detail=True, methods=["post"])
    def files(self, request, pk=None):
        meeting = self._meeting(pk)
        values = validated(FileUploadSerializer, request.data)
        item = services.upload_file(request.user, meeting, values["file"], values["kind"])
        return Response(FileSerializer(item).data, status=status.HTTP_201_CREATED)


class MeetingAttendanceViewSet(viewsets.ReadOnlyModelViewSet):
    """Every attendance row in scope; filter by meeting, member, org subtree, kind, status, dates."""

    route_scope = RouteScope("list", model=MeetingAttendance)
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return selectors.attendances(self.request.user).order_by("-meeting__planned_at", "pk")


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("meetings", MeetingViewSet, basename="api-meeting")
    router.register("meeting-attendances", MeetingAttendanceViewSet, basename="api-meeting-attendance")
    compliance_api.register(router)
