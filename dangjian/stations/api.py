"""REST endpoints of the stations app: reads through the scope layer and the pages' FilterSets, writes
through services.py, so the API refuses exactly what the pages refuse, with the same Chinese message."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from dangjian.accounts.models import User
from dangjian.core.api import validated
from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.orgs.models import Org

from . import serializers as Z
from . import services
from .filtersets import (
    AppraisalFilter,
    ChecklistFilter,
    HalfDayFilter,
    InspectionFilter,
    PlanFilter,
    ReportFilter,
    RoundFilter,
    StaffFilter,
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


class ReadCreate(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve through `.restrict`; `create` reads the input serializer, resolves the org
    through the scope layer (outside scope is a 404) and calls the service."""

    model: Any = None
    input_serializer: Any = None
    related: tuple[str, ...] = ("org",)
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None:
            cls.route_scope = RouteScope("list", model=cls.model)

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user).select_related(*self.related)

    def create(self, request):
        values = validated(self.input_serializer, request.data)
        row = self.perform(values)
        return Response(self.get_serializer_class()(row).data, status=status.HTTP_201_CREATED)

    def org(self, values: dict[str, Any]) -> Org:
        return get_scoped_or_404(Org, self.request.user, "view", pk=values.pop("org"))

    def perform(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError


class StaffViewSet(ReadCreate):
    model, serializer_class, input_serializer = StationStaff, Z.StaffSerializer, Z.StaffInputSerializer
    filterset_class = StaffFilter

    @extend_schema(request=Z.StaffInputSerializer, responses={201: Z.StaffSerializer})
    def create(self, request):
        return super().create(request)

    def perform(self, values):
        station = self.org(values)
        user_id = values.pop("user")
        user = User.objects.filter(pk=user_id).first() if user_id else None
        if user_id and user is None:
            raise DomainError("所选平台账号不存在。", field="user")
        return services.add_staff(self.request.user, station, user=user, **values)


class ChecklistViewSet(ReadCreate):
    model, serializer_class, input_serializer = (
        StationChecklist,
        Z.ChecklistSerializer,
        Z.ChecklistInputSerializer,
    )
    filterset_class = ChecklistFilter

    @extend_schema(request=Z.ChecklistInputSerializer, responses={201: Z.ChecklistSerializer})
    def create(self, request):
        return super().create(request)

    def perform(self, values):
        return services.check_item(self.request.user, self.org(values), **values)


class SystemViewSet(ReadCreate):
    model, serializer_class, input_serializer = StationSystem, Z.SystemSerializer, Z.SystemInputSerializer

    @extend_schema(request=Z.SystemInputSerializer, responses={201: Z.SystemSerializer})
    def create(self, request):
        return super().create(request)

    def perform(self, values):
        return services.set_system(self.request.user, self.org(values), **values)


class InspectionViewSet(ReadCreate):
    model, serializer_class, input_serializer = (
        StationInspection,
        Z.InspectionSerializer,
        Z.InspectionInputSerializer,
    )
    related = ("org", "branch")
    filterset_class = InspectionFilter

    @extend_schema(request=Z.InspectionInputSerializer, responses={201: Z.InspectionSerializer})
    def create(self, request):
        return super().create(request)

    def perform(self, values):
        return services.record_inspection(self.request.user, self.org(values), **values)


class HalfDayViewSet(ReadCreate):
    model, serializer_class, input_serializer = ServiceHalfDay, Z.HalfDaySerializer, Z.HalfDayInputSerializer
    filterset_class = HalfDayFilter

    @extend_schema(request=Z.HalfDayInputSerializer, responses={201: Z.HalfDaySerializer})
    def create(self, request):
        return super().create(request)

    def perform(self, values):
        return services.record_half_day(self.request.user, self.org(values), **values)


class PlanViewSet(ReadCreate):
    model, serializer_class, input_serializer = ResearchPlan, Z.PlanSerializer, Z.PlanInputSerializer
    filterset_class = PlanFilter

    @extend_schema(request=Z.PlanInputSerializer, responses={201: Z.PlanSerializer})
    def create(self, request):
        return super().create(request)

    def perform(self, values):
        return services.create_plan(self.request.user, self.org(values), **values)


class RoundViewSet(ReadCreate):
    model, serializer_class, input_serializer = ResearchRound, Z.RoundSerializer, Z.RoundInputSerializer
    related = ("org", "report")
    filterset_class = RoundFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related(Prefetch("villages", queryset=Org.objects.only("pk")))

    @extend_schema(request=Z.RoundInputSerializer, responses={201: Z.RoundSerializer})
    def create(self, request):
        return super().create(request)

    def perform(self, values):
        return services.record_round(self.request.user, self.org(values), **values)


class ReportViewSet(ReadCreate):
    model, serializer_class, input_serializer = ResearchReport, Z.ReportSerializer, Z.ReportInputSerializer
    filterset_class = ReportFilter

    @extend_schema(request=Z.ReportInputSerializer, responses={201: Z.ReportSerializer})
    def create(self, request):
        return super().create(request)

    def perform(self, values):
        round = get_scoped_or_404(ResearchRound, self.request.user, "view", pk=values.pop("round"))
        return services.submit_report(self.request.user, round, **values)


class AppraisalViewSet(ReadCreate):
    model, serializer_class, input_serializer = (
        ResearchAppraisal,
        Z.AppraisalSerializer,
        Z.AppraisalInputSerializer,
    )
    filterset_class = AppraisalFilter

    def get_queryset(self):
        scores = ResearchScore.objects.select_related("org", "report").order_by("rank", "pk")
        return super().get_queryset().prefetch_related(Prefetch("scores", queryset=scores))

    @extend_schema(request=Z.AppraisalInputSerializer, responses={201: Z.AppraisalSerializer})
    def create(self, request):
        return super().create(request)

    def perform(self, values):
        return services.hold_appraisal(self.request.user, self.org(values), **values)

    @extend_schema(request=Z.ScoresInputSerializer, responses=Z.AppraisalSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        """Score reports (0–100, township office and county only); every report's rank is recomputed."""
        appraisal = get_scoped_or_404(ResearchAppraisal, request.user, "view", pk=pk)
        items = validated(Z.ScoresInputSerializer, request.data)["scores"]
        services.score_reports(request.user, appraisal, [services.ScoreInput(**dict(i)) for i in items])
        return Response(Z.AppraisalSerializer(self.get_queryset().get(pk=appraisal.pk)).data)


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("station-staff", StaffViewSet, basename="api-station-staff")
    router.register("station-checklist", ChecklistViewSet, basename="api-station-checklist")
    router.register("station-systems", SystemViewSet, basename="api-station-system")
    router.register("station-inspections", InspectionViewSet, basename="api-station-inspection")
    router.register("service-half-days", HalfDayViewSet, basename="api-service-half-day")
    router.register("research-plans", PlanViewSet, basename="api-research-plan")
    router.register("research-rounds", RoundViewSet, basename="api-research-round")
    router.register("research-reports", ReportViewSet, basename="api-research-report")
    router.register("research-appraisals", AppraisalViewSet, basename="api-research-appraisal")
