"""REST endpoints of the projects app: reads through the scope layer, writes through services.py (the same
refusals in the same words). Rows outside scope answer 404."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.decisions.models import Decision
from dangjian.orgs.models import Org

from . import serializers as Z
from . import services, stats
from .choices import ProjectKind, ProjectStatus
from .models import Milestone, Project, Unit
from .selectors import ledger
from .views import add_orgs

READ = ["get", "head", "options"]


def _villages(user, ids: list[int]) -> list[Org]:
    found = list(Org.objects.restrict(user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise DomainError("所选受益村不存在或不在您的管辖范围内。", "villages")
    return found


def _decision(user, pk: int | None) -> Decision | None:
    if pk is None:
        return None
    found = Decision.objects.restrict(user).filter(pk=pk).first()
    if found is None:
        raise DomainError("所选四议两公开事项不存在或不在您的管辖范围内。", "decision")
    return found


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Projects with their funding, progress, milestones, outcomes and files. POST creates (with its funding
    sources); PATCH changes what the project is; actions add sources, milestones, outcomes and files, move
    the status and report progress."""

    route_scope = RouteScope("list", model=Project)
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["year", "status", "kind", "org", "township", "county"]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        qs = ledger(self.request.user)
        if self.action == "retrieve":
            qs = qs.prefetch_related("villages", "sources", "milestones", "outcomes__unit", "files")
        return qs

    def get_serializer_class(self):
        return Z.ProjProjectSerializer if self.action == "list" else Z.ProjProjectDetailSerializer

    def project(self) -> Project:
        return get_scoped_or_404(Project, self.request.user, "view", pk=self.kwargs["pk"])

    def answer(self, project: Project, code: int = status.HTTP_200_OK) -> Response:
        qs = ledger(self.request.user).prefetch_related(
            "villages", "sources", "milestones", "outcomes__unit", "files"
        )
        return Response(Z.ProjProjectDetailSerializer(qs.get(pk=project.pk)).data, status=code)

    @extend_schema(request=Z.ProjProjectWriteSerializer, responses={201: Z.ProjProjectDetailSerializer})
    def create(self, request):
        v = validated(Z.ProjProjectWriteSerializer, request.data)
        org = add_orgs(request.user).filter(pk=v.pop("org")).first()
        if org is None:
            raise DomainError("所选实施单位不存在或不在您的管辖范围内。", "org")
        v["villages"] = _villages(request.user, v["villages"])
        v["decision"] = _decision(request.user, v["decision"])
        v["sources"] = [(s["kind"], s["name"], s["amount"]) for s in v["sources"]]
        return self.answer(services.create_project(request.user, org=org, **v), status.HTTP_201_CREATED)

    @extend_schema(request=Z.ProjProjectUpdateSerializer, responses=Z.ProjProjectDetailSerializer)
    def partial_update(self, request, pk=None):
        project = self.project()
        v = validated(Z.ProjProjectUpdateSerializer, request.data)
        if "villages" in v:
            v["villages"] = _villages(request.user, v["villages"])
        if "decision" in v:
            v["decision"] = _decision(request.user, v["decision"])
        return self.answer(services.update_project(request.user, project, **v))

    @extend_schema(request=Z.ProjSourceWriteSerializer, responses={201: Z.ProjSourceSerializer})
    @action(detail=True, methods=["post"])
    def sources(self, request, pk=None):
        project = self.project()
        source = services.add_source(
            request.user, project, **validated(Z.ProjSourceWriteSerializer, request.data)
        )
        return Response(Z.ProjSourceSerializer(source).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=Z.ProjMilestoneWriteSerializer, responses={201: Z.ProjMilestoneSerializer})
    @action(detail=True, methods=["post"])
    def milestones(self, request, pk=None):
        project = self.project()
        m = services.add_milestone(
            request.user, project, **validated(Z.ProjMilestoneWriteSerializer, request.data)
        )
        return Response(Z.ProjMilestoneSerializer(m).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=Z.ProjOutcomeWriteSerializer, responses={201: Z.ProjOutcomeSerializer})
    @action(detail=True, methods=["post"])
    def outcomes(self, request, pk=None):
        project = self.project()
        v = validated(Z.ProjOutcomeWriteSerializer, request.data)
        unit_id = v.pop("unit")
        unit = Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None
        if unit_id is not None and unit is None:
            raise DomainError("所选计量单位不存在。", "unit")
        outcome = services.record_outcome(request.user, project, unit=unit, **v)
        return Response(Z.ProjOutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=Z.ProjStatusSerializer, responses=Z.ProjProjectDetailSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def move(self, request, pk=None):
        project = self.project()
        return self.answer(
            services.set_status(request.user, project, **validated(Z.ProjStatusSerializer, request.data))
        )

    @extend_schema(request=Z.ProjProgressSerializer, responses=Z.ProjProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        project = self.project()
        return self.answer(
            services.report_progress(
                request.user, project, **validated(Z.ProjProgressSerializer, request.data)
            )
        )

    @extend_schema(
        request={"multipart/form-data": Z.ProjFileUploadSerializer}, responses={201: Z.ProjFileSerializer}
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def files(self, request, pk=None):
        project = self.project()
        v = validated(Z.ProjFileUploadSerializer, request.data)
        item = services.upload_file(request.user, project, v["file"], v["kind"])
        return Response(Z.ProjFileSerializer(item).data, status=status.HTTP_201_CREATED)


class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Project milestones; `done` marks one done (the ones before it first)."""

    route_scope = RouteScope("list", model=Milestone)
    serializer_class = Z.ProjMilestoneSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["project"]

    def get_queryset(self):
        return Milestone.objects.restrict(self.request.user).order_by("project_id", "sort_order")

    @extend_schema(request=Z.ProjMilestoneDoneSerializer, responses=Z.ProjMilestoneSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        m = get_scoped_or_404(Milestone, request.user, "view", pk=pk)
        m = services.complete_milestone(
            request.user, m, **validated(Z.ProjMilestoneDoneSerializer, request.data)
        )
        return Response(Z.ProjMilestoneSerializer(m).data)


class UnitViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The unit table outcomes are counted in (shared by every county)."""

    route_scope = RouteScope("user")
    serializer_class = Z.ProjUnitSerializer
    pagination_class = None
    http_method_names = READ

    def get_queryset(self):
        return Unit.objects.order_by("sort_order", "pk")


class RollupViewSet(viewsets.GenericViewSet):
    """Projects rolled up per township or county: counts by status and kind, funds, outcomes."""

    route_scope = RouteScope("list", model=Project)
    serializer_class = Z.ProjRollupSerializer
    pagination_class = None
    http_method_names = READ

    def get_queryset(self):
        return Project.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("level", OpenApiTypes.STR, enum=list(stats.LEVELS)),
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=ProjectKind.values),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ProjectStatus.values),
        ],
        responses=Z.ProjRollupSerializer(many=True),
    )
    def list(self, request):
        level = (
            request.query_params.get("level")
            if request.query_params.get("level") in stats.LEVELS
            else "township"
        )
        year = request.query_params.get("year", "")
        kind = request.query_params.get("kind", "")
        state = request.query_params.get("status", "")
        rows = stats.rollup(
            request.user,
            level,
            year=int(year) if year.isdigit() else None,
            kind=kind if kind in ProjectKind.values else None,
            status=state if state in ProjectStatus.values else None,
        )
        return Response(Z.ProjRollupSerializer(rows, many=True).data)


def register(router) -> None:
    """This app's API endpoints on the /api/v1/ router."""
    router.register("projects", ProjectViewSet, basename="api-project")
    router.register("project-milestones", MilestoneViewSet, basename="api-project-milestone")
    router.register("project-units", UnitViewSet, basename="api-project-unit")
    router.register("project-rollup", RollupViewSet, basename="api-project-rollup")
