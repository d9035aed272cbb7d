"""REST endpoints of the errands app: reads through the scope layer and the pages' FilterSets, writes
through services.py, so the API refuses exactly what the pages refuse, with the same Chinese message.
An org or centre named in a request is fetched through `restrict` first: outside scope is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.orgs.models import Org

from . import serializers as Z
from . import services
from .filtersets import CentreFilter, DiaryFilter, ServiceFilter, SessionFilter
from .models import Diary, ErrandService, ServiceCentre, ServiceSession


class Endpoint(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve through `.restrict`; create and update read an input serializer and call the
    service. Update fetches the row through the scope layer before reading the body, so a row outside
    scope answers 404 whatever is sent."""

    model: Any = None
    related: tuple[str, ...] = ("org",)
    create_serializer: Any = None
    update_serializer: Any = None
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None:
            cls.route_scope = RouteScope("list", model=cls.model)

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user).select_related(*self.related)

    def row(self, pk) -> Any:
        return get_scoped_or_404(self.model, self.request.user, "view", pk=pk)

    def fresh(self, pk, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer_class()(self.get_queryset().get(pk=pk)).data, status=code)

    def create(self, request):
        row = self.perform_create_with(validated(self.create_serializer, request.data))
        return self.fresh(row.pk, status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        row = self.row(pk)
        data = validated(self.update_serializer, self.merged(row, request.data) if partial else request.data)
        self.perform_update_with(row, data)
        return self.fresh(row.pk)

    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    def merged(self, row: Any, data: Any) -> dict[str, Any]:
        """A PATCH body over the row's current values, so one field can change alone."""
        return self.current(row) | dict(data.items())

    def current(self, row: Any) -> dict[str, Any]:
        raise NotImplementedError

    def org(self, values: dict[str, Any]) -> Org:
        return get_scoped_or_404(Org, self.request.user, "view", pk=values.pop("org"))

    def perform_create_with(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def perform_update_with(self, row: Any, values: dict[str, Any]) -> Any:
        raise NotImplementedError


class ArchiveAction:
    archive_service: Any = None

    @extend_schema(request=Z.ArchiveSerializer, description="停用（archived=true）或恢复（archived=false）。")
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        row = self.row(pk)
        type(self).archive_service(
            request.user, row, validated(Z.ArchiveSerializer, request.data)["archived"]
        )
        return self.fresh(row.pk)


class ServiceViewSet(ArchiveAction, Endpoint):
    """The townships' catalogues of errands (代办事项目录)."""

    model, serializer_class, filterset_class = ErrandService, Z.ServiceSerializer, ServiceFilter
    create_serializer, update_serializer = Z.ServiceCreateSerializer, Z.ServiceInputSerializer
    archive_service = services.set_service_archived

    @extend_schema(request=Z.ServiceCreateSerializer, responses={201: Z.ServiceSerializer})
    def create(self, request):
        return super().create(request)

    @extend_schema(request=Z.ServiceInputSerializer, responses=Z.ServiceSerializer)
    def update(self, request, pk=None, partial=False):
        return super().update(request, pk, partial)

    @extend_schema(request=Z.ServiceInputSerializer, responses=Z.ServiceSerializer)
    def partial_update(self, request, pk=None):
        return super().partial_update(request, pk)

    def current(self, row):
        fields = ("category", "name", "documents", "promised_days", "handled_by", "published", "sort_order")
        return {f: getattr(row, f) for f in fields}

    def perform_create_with(self, values):
        return services.create_service(self.request.user, self.org(values), **values)

    def perform_update_with(self, row, values):
        return services.update_service(self.request.user, row, **values)


class CentreViewSet(ArchiveAction, Endpoint):
    """Service centres (便民服务中心) of the townships."""

    model, serializer_class, filterset_class = ServiceCentre, Z.CentreSerializer, CentreFilter
    create_serializer, update_serializer = Z.CentreCreateSerializer, Z.CentreInputSerializer
    archive_service = services.set_centre_archived

    @extend_schema(request=Z.CentreCreateSerializer, responses={201: Z.CentreSerializer})
    def create(self, request):
        return super().create(request)

    @extend_schema(request=Z.CentreInputSerializer, responses=Z.CentreSerializer)
    def update(self, request, pk=None, partial=False):
        return super().update(request, pk, partial)

    @extend_schema(request=Z.CentreInputSerializer, responses=Z.CentreSerializer)
    def partial_update(self, request, pk=None):
        return super().partial_update(request, pk)

    def current(self, row):
        return {"name": row.name, "place": row.place, "phone": row.phone}

    def perform_create_with(self, values):
        return services.create_centre(self.request.user, self.org(values), **values)

    def perform_update_with(self, row, values):
        return services.update_centre(self.request.user, row, **values)


class SessionViewSet(Endpoint):
    """Half-days on which sections come to a centre (下村服务)."""

    model, serializer_class, filterset_class = ServiceSession, Z.SessionSerializer, SessionFilter
    create_serializer = update_serializer = Z.SessionInputSerializer
    related = ("org", "centre")

    def centre(self, values: dict[str, Any]) -> ServiceCentre:
        return get_scoped_or_404(ServiceCentre, self.request.user, "view", pk=values.pop("centre"))

    @extend_schema(request=Z.SessionInputSerializer, responses={201: Z.SessionSerializer})
    def create(self, request):
        return super().create(request)

    @extend_schema(request=Z.SessionInputSerializer, responses=Z.SessionSerializer)
    def update(self, request, pk=None, partial=False):
        return super().update(request, pk, partial)

    @extend_schema(request=Z.SessionInputSerializer, responses=Z.SessionSerializer)
    def partial_update(self, request, pk=None):
        return super().partial_update(request, pk)

    def current(self, row):
        return {
            "centre": row.centre_id,
            "date": row.date,
            "half": row.half,
            "sections": row.sections,
            "note": row.note,
            "served": row.served,
        }

    def perform_create_with(self, values):
        return services.schedule_session(self.request.user, self.centre(values), **values)

    def perform_update_with(self, row, values):
        return services.update_session(self.request.user, row, centre=self.centre(values), **values)


class DiaryViewSet(Endpoint):
    """Staff diaries (民情日记); `cases` lists the cases opened from a diary that the reader may see."""

    model, serializer_class, filterset_class = Diary, Z.DiarySerializer, DiaryFilter
    create_serializer = update_serializer = Z.DiaryInputSerializer
    related = ("org", "author")

    def get_queryset(self):
        case = Diary._meta.get_field("cases").related_model
        visible = case.objects.restrict(self.request.user).only("pk", "diary_id").order_by("pk")
        return super().get_queryset().prefetch_related(Prefetch("cases", visible, to_attr="visible_cases"))

    @extend_schema(request=Z.DiaryInputSerializer, responses={201: Z.DiarySerializer})
    def create(self, request):
        return super().create(request)

    @extend_schema(request=Z.DiaryInputSerializer, responses=Z.DiarySerializer)
    def update(self, request, pk=None, partial=False):
        return super().update(request, pk, partial)

    @extend_schema(request=Z.DiaryInputSerializer, responses=Z.DiarySerializer)
    def partial_update(self, request, pk=None):
        return super().partial_update(request, pk)

    def current(self, row):
        return {
            "org": row.org_id,
            "written_on": row.written_on,
            "visited": row.visited,
            "content": row.content,
        }

    def perform_create_with(self, values):
        return services.write_diary(self.request.user, self.org(values), **values)

    def perform_update_with(self, row, values):
        return services.update_diary(self.request.user, row, org=self.org(values), **values)


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("errand-services", ServiceViewSet, basename="api-errand-service")
    router.register("service-centres", CentreViewSet, basename="api-service-centre")
    router.register("service-sessions", SessionViewSet, basename="api-service-session")
    router.register("diaries", DiaryViewSet, basename="api-diary")
