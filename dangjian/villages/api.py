"""REST endpoints of the two committees: reads through the scope layer and the pages' FilterSets, writes
through services.py (same refusals, same Chinese messages). Rows outside scope answer 404."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.members.choices import Gender
from dangjian.orgs.models import Org

from . import duty, services
from .duty import GapKind
from .filtersets import PostFilter
from .models import (
    POST_RANK,
    Committee,
    CommitteeKind,
    DutyCheckIn,
    DutySlot,
    DutyStatus,
    Post,
    PostKind,
    Weekday,
)


class PostSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    is_vacant = serializers.BooleanField(read_only=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "committee",
            "org",
            "org_name",
            "kind",
            "answers_for",
            "duties",
            "person",
            "name",
            "gender",
            "since",
            "until",
            "end_reason",
            "vacant_since",
            "is_vacant",
        ]


class CommitteeSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    current_posts = PostSerializer(source="current", many=True, read_only=True)

    class Meta:
        model = Committee
        fields = [
            "id",
            "org",
            "org_name",
            "county",
            "kind",
            "term_start",
            "term_end",
            "next_election_on",
            "current_posts",
        ]


class CommitteeCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CommitteeKind.choices)
    term_start = serializers.DateField()
    next_election_on = serializers.DateField(required=False, allow_null=True)


class AppointSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PostKind.choices)
    name = serializers.CharField(max_length=40)
    gender = serializers.ChoiceField(choices=Gender.choices)
    since = serializers.DateField()
    answers_for = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    duties = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class EndSerializer(serializers.Serializer):
    until = serializers.DateField()
    reason = serializers.CharField(max_length=100)


class CommitteeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """村“两委”班子 (current and past terms) with their current posts."""

    serializer_class = CommitteeSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["kind", "org"]
    route_scope = RouteScope("list", model=Committee)
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        current = Post.objects.filter(until__isnull=True).order_by(POST_RANK, "since", "pk")
        return (
            Committee.objects.restrict(self.request.user)
            .select_related("org")
            .prefetch_related(Prefetch("posts", queryset=current.select_related("org"), to_attr="current"))
            .order_by("org__path", "kind", "-term_start")
        )

    @extend_schema(request=CommitteeCreateSerializer, responses={201: CommitteeSerializer})
    def create(self, request):
        data = validated(CommitteeCreateSerializer, request.data)
        org = get_scoped_or_404(Org, request.user, "view", pk=data.pop("org"))
        committee = services.create_committee(request.user, org, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=committee.pk)).data, status=201)

    @extend_schema(request=AppointSerializer, responses={201: PostSerializer})
    @action(detail=True, methods=["post"])
    def appoint(self, request, pk=None):
        committee = get_scoped_or_404(Committee, request.user, "view", pk=pk)
        data = validated(AppointSerializer, request.data)
        post = services.appoint(request.user, committee, data.pop("kind"), **data)
        return Response(PostSerializer(post).data, status=status.HTTP_201_CREATED)


class PostViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """村“两委”职务: holders, past holders and vacancies."""

    serializer_class = PostSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PostFilter
    route_scope = RouteScope("list", model=Post)
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (
            Post.objects.restrict(self.request.user).select_related("org").order_by("org__path", "kind", "pk")
        )

    @extend_schema(request=EndSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        post = get_scoped_or_404(Post, request.user, "view", pk=pk)
        data = validated(EndSerializer, request.data)
        return Response(PostSerializer(services.end_post(request.user, post, **data)).data)


class DutyCheckInSerializer(serializers.ModelSerializer):
    replaced_by_name = serializers.CharField(source="replaced_by.name", read_only=True, default="")

    class Meta:
        model = DutyCheckIn
        fields = ["id", "slot", "org", "date", "status", "replaced_by", "replaced_by_name", "note"]


class DutySlotSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    cadre = serializers.CharField(source="post.name", read_only=True)

    class Meta:
        model = DutySlot
        fields = [
            "id",
            "org",
            "org_name",
            "weekday",
            "weekly",
            "valid_from",
            "valid_until",
            "start",
            "end",
            "post",
            "cadre",
            "note",
        ]


class DutySlotCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    post_id = serializers.IntegerField()
    start = serializers.TimeField()
    end = serializers.TimeField()
    date = serializers.DateField(required=False, allow_null=True)
    weekday = serializers.ChoiceField(choices=Weekday.choices, required=False, allow_null=True)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class CheckInRequestSerializer(serializers.Serializer):
    date = serializers.DateField()
    status = serializers.ChoiceField(choices=DutyStatus.choices)
    replaced_by_id = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class DutySlotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """村干部坐班值班安排 (the rota); `check-in` records who was on duty on a day."""

    serializer_class = DutySlotSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["org", "weekday", "weekly"]
    route_scope = RouteScope("list", model=DutySlot)
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (
            DutySlot.objects.restrict(self.request.user)
            .select_related("org", "post")
            .order_by("org__path", "weekday", "start", "pk")
        )

    @extend_schema(request=DutySlotCreateSerializer, responses={201: DutySlotSerializer})
    def create(self, request):
        data = validated(DutySlotCreateSerializer, request.data)
        org = get_scoped_or_404(Org, request.user, "view", pk=data.pop("org"))
        slot = duty.add_slot(request.user, org, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=slot.pk)).data, status=201)

    @extend_schema(request=CheckInRequestSerializer, responses={200: DutyCheckInSerializer})
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        slot = get_scoped_or_404(DutySlot, request.user, "view", pk=pk)
        data = validated(CheckInRequestSerializer, request.data)
        return Response(DutyCheckInSerializer(duty.check_in(request.user, slot, **data)).data)


class DutyCheckInViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """村干部坐班值班登记: present, absent or replaced, per slot and day."""

    serializer_class = DutyCheckInSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["org", "slot", "status", "date"]
    route_scope = RouteScope("list", model=DutyCheckIn)

    def get_queryset(self):
        return (
            DutyCheckIn.objects.restrict(self.request.user)
            .select_related("replaced_by")
            .order_by("org_id", "date", "slot_id")
        )


class DutyGapSerializer(serializers.Serializer):
    org = serializers.IntegerField(source="org_id")
    org_name = serializers.CharField()
    township = serializers.CharField()
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=GapKind.choices)
    kind_label = serializers.CharField()
    detail = serializers.CharField()


class DutyGapViewSet(viewsets.GenericViewSet):
    """村干部坐班值班缺口 of a window (`start`, `end`; default this month to today, at most 93 days)."""

    serializer_class = DutyGapSerializer
    route_scope = RouteScope("list", model=DutySlot)
    queryset = DutySlot.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="起始日期"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="截止日期"),
        ]
    )
    def list(self, request):
        today = timezone.localdate()
        try:
            end = datetime.date.fromisoformat(request.query_params.get("end") or today.isoformat())
            start = datetime.date.fromisoformat(
                request.query_params.get("start") or end.replace(day=1).isoformat()
            )
        except ValueError as exc:
            raise DomainError("日期格式应为 YYYY-MM-DD。", "start") from exc
        rows = duty.gaps(request.user, start, end, today=today)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def register(router) -> None:
    """Register this app's endpoints on the /api/v1/ router."""
    router.register("village-committees", CommitteeViewSet, basename="api-village-committee")
    router.register("village-posts", PostViewSet, basename="api-village-post")
    router.register("village-duty-slots", DutySlotViewSet, basename="api-village-duty-slot")
    router.register("village-duty-check-ins", DutyCheckInViewSet, basename="api-village-duty-check-in")
    router.register("village-duty-gaps", DutyGapViewSet, basename="api-village-duty-gap")
