"""REST endpoints of the tree: reads through the scope layer, writes through services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404

from . import services
from .filtersets import DepartmentFilter, GridFilter, OrgFilter
from .models import Department, Grid, Org
from .serializers import (
    DepartmentSerializer,
    GridSerializer,
    OrgCreateSerializer,
    OrgMoveSerializer,
    OrgSerializer,
    OrgUpdateSerializer,
)


class OrgViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    route_scope = RouteScope("list", model=Org)
    serializer_class = OrgSerializer
    filterset_class = OrgFilter
    ordering_fields = ["path", "name", "kind", "sort_order"]
    ordering = ["path"]

    def get_queryset(self):
        return Org.objects.restrict(self.request.user, "view")

    def _org(self, pk) -> Org:
        return get_scoped_or_404(Org, self.request.user, "view", pk=pk)

    @extend_schema(request=OrgCreateSerializer, responses={201: OrgSerializer})
    def create(self, request):
        data = validated(OrgCreateSerializer, request.data)
        org = services.create_org(
            request.user,
            parent=self._org(data["parent"]),
            name=data["name"],
            kind=data["kind"],
            code=data.get("code"),
            sort_order=data["sort_order"],
            confirm=data["confirm"],
        )
        return Response(OrgSerializer(org).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OrgUpdateSerializer, responses=OrgSerializer)
    def partial_update(self, request, pk=None):
        data = validated(OrgUpdateSerializer, request.data)
        kwargs = {k: data[k] for k in ("name", "sort_order") if k in data}
        if "code" in data:
            kwargs["code"] = data["code"]
        org = services.update_org(request.user, self._org(pk), **kwargs)
        return Response(OrgSerializer(org).data)

    @extend_schema(request=OrgMoveSerializer, responses=OrgSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        data = validated(OrgMoveSerializer, request.data)
        org = self._org(pk)
        target = self._org(data["parent"])
        org = services.move_org(request.user, org, target, confirm=data["confirm"])
        return Response(OrgSerializer(org).data)

    @extend_schema(request=None, responses=OrgSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        org = self._org(pk)
        services.archive_org(request.user, org)
        org.refresh_from_db()
        return Response(OrgSerializer(org).data)

    @extend_schema(request=None, responses=OrgSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        org = services.restore_org(request.user, self._org(pk))
        return Response(OrgSerializer(org).data)


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    route_scope = RouteScope("list", model=Department)
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter
    ordering_fields = ["name"]

    def get_queryset(self):
        return Department.objects.restrict(self.request.user).order_by("county_id", "name")


class GridViewSet(viewsets.ReadOnlyModelViewSet):
    route_scope = RouteScope("list", model=Grid)
    serializer_class = GridSerializer
    filterset_class = GridFilter
    ordering_fields = ["name"]

    def get_queryset(self):
        return Grid.objects.restrict(self.request.user).order_by("org_id", "name")
