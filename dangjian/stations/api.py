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
from dangjian.core.scope import get_scoped_or_404, require
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


class Patch:
    """PATCH one row by id through its service: the row is found through the scope layer (outside
    scope is a 404, in scope without the right a 403), the fields that name the row may not change
    (`fixed`: field → Chinese message), and the given values go over the row's current ones."""

    patch_serializer: Any = None
    fixed: dict[str, str] = {}

    def partial_update(self, request, pk=None):
        row = get_scoped_or_404(self.model, request.user, "view", pk=pk)
        require(request.user, "change", row)
        values = validated(self.patch_serializer, request.data)
        serializer = self.get_serializer_class()
        current = serializer(row).data
        for name, message in self.fixed.items():
            if name in request.data and str(request.data[name]) != str(current.get(name)):
                raise DomainError(message.format(id=row.pk), field=name)
        return Response(serializer(self.change(row, values)).data)

    def change(self, row: Any, values: dict[str, Any]) -> Any:
        raise NotImplementedError


def account(user_id: int | None) -> User | None:
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if user_id and user is None:
        raise DomainError("所选平台账号不存在。", field="user")
    return user


class StaffViewSet(Patch, ReadCreate):
    model, serializer_class, input_serializer = StationStaff, Z.StaffSerializer, Z.StaffInputSerializer
    patch_serializer = Z.StaffPatchSerializer
    filterset_class = StaffFilter
    fixed = {
        "org": "不能修改所属工作站；调到其他站的，请在本站登记离任后到新站登记。",
        "name": "不能修改姓名；登记有误的，请登记离任后重新登记。",
        "post": "不能修改职务；职务变动的，请登记离任后按新职务重新登记。",
        "since": "不能修改任职日期；登记有误的，请登记离任后重新登记。",
        "until": "离任请用 POST /api/v1/station-staff/{id}/end/ 登记。",
    }

    @extend_schema(request=Z.StaffInputSerializer, responses={201: Z.StaffSerializer})
    def create(self, request):
        return super().create(request)

    def perform(self, values):
        station = self.org(values)
        user = account(values.pop("user"))
        return services.add_staff(self.request.user, station, user=user, **values)

    @extend_schema(request=Z.StaffPatchSerializer, responses={200: Z.StaffSerializer})
    def partial_update(self, request, pk=None):
        """Correct the title, phone or platform account (township office and county only)."""
        return super().partial_update(request, pk)

    def change(self, row, values):
        data = {"title": row.title, "phone": row.phone} | values
        user_id = data.pop("user", row.user_id)
        user = row.user if user_id == row.user_id else account(user_id)
        return services.update_staff(self.request.user, row, user=user, **data)

    @extend_schema(request=Z.StaffEndSerializer, responses={200: Z.StaffSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Record that the person left the post (离任) on `until` (township office and county only)."""
        staff = get_scoped_or_404(StationStaff, request.user, "view", pk=pk)
        require(request.user, "change", staff)
        until = validated(Z.StaffEndSerializer, request.data)["until"]
        return Response(Z.StaffSerializer(services.end_staff(request.user, staff, until=until)).data)


ROW_FIXED = "不能修改所属工作站或{label}；核查另一项请用 POST 新建。"


class ChecklistViewSet(Patch, ReadCreate):
    model, serializer_class, input_serializer = (
        StationChecklist,
        Z.ChecklistSerializer,
        Z.ChecklistInputSerializer,
    )
    patch_serializer = Z.ChecklistPatchSerializer
    filterset_class = ChecklistFilter
    fixed = dict.fromkeys(("org", "item"), ROW_FIXED.format(label="项目"))

    @extend_schema(request=Z.ChecklistInputSerializer, responses={201: Z.ChecklistSerializer})
    def create(self, request):
        return super().create(request)

    def perform(self, values):
        return services.check_item(self.request.user, self.org(values), **values)

    @extend_schema(request=Z.ChecklistPatchSerializer, responses={200: Z.ChecklistSerializer})
    def partial_update(self, request, pk=None):
        """Record a new check of this row's item; the same rules as POST (an unmet item needs a note)."""
        return super().partial_update(request, pk)

    def change(self, row, values):
        data = {"met": row.met, "note": row.note, "checked_on": row.checked_on} | values
        return services.check_item(self.request.user, row.org, item=row.item, **data)


class SystemViewSet(Patch, ReadCreate):
    model, serializer_class, input_serializer = StationSystem, Z.SystemSerializer, Z.SystemInputSerializer
    patch_serializer = Z.SystemPatchSerializer
    fixed = dict.fromkeys(("org", "system"), ROW_FIXED.format(label="制度"))

    @extend_schema(request=Z.SystemInputSerializer, responses={201: Z.SystemSerializer})
    def create(self, request):
        return super().create(request)

    def perform(self, values):
        return services.set_system(self.request.user, self.org(values), **values)

    @extend_schema(request=Z.SystemPatchSerializer, responses={200: Z.SystemSerializer})
    def partial_update(self, request, pk=None):
        """Record a new check of this row's system; the same rules as POST."""
        return super().partial_update(request, pk)

    def change(self, row, values):
        current = {
            "posted": row.posted,
            "in_force": row.in_force,
            "adopted_on": row.adopted_on,
            "note": row.note,
            "checked_on": row.checked_on,
        }
        return services.set_system(self.request.user, row.org, system=row.system, **(current | values))


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
