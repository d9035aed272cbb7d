"""The dashboards' API: `/api/v1/dashboards/{org id}/` gives the charts of that org's dashboard (the same
JSON the pages fetch), `?panel=<code>` one of them, `?month=2026-10` a past month. Outside scope is 404."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from dangjian.core.routes import RouteScope
from dangjian.orgs.models import Org

from .panels import level_of
from .selectors import build_panels, dashboard_org, month_from
from .serializers import DashboardSerializer


class DashboardViewSet(viewsets.GenericViewSet):
    """An org's dashboard: every panel shown at its level (county, township, station, branch)."""

    route_scope = RouteScope("object", model=Org)
    serializer_class = DashboardSerializer
    http_method_names = ["get", "head", "options"]
    pagination_class = None

    def get_queryset(self):
        return Org.objects.restrict(self.request.user, "view")

    @extend_schema(
        parameters=[
            OpenApiParameter("panel", str, description="只取一个图表（图表代码，如 meetings.obligations）"),
            OpenApiParameter("month", str, description="月份，如 2026-10；默认本月"),
        ],
        responses=DashboardSerializer,
    )
    def retrieve(self, request, pk=None):
        org = dashboard_org(request.user, pk)
        month = month_from(request.query_params.get("month"), timezone.localdate())
        return Response(
            {
                "org": {"id": org.pk, "name": org.name, "kind": org.kind, "level": level_of(org.kind)},
                "month": month.key,
                "as_of": month.as_of,
                "generated_at": timezone.localtime(),
                "panels": build_panels(request.user, org, month.as_of, request.query_params.get("panel")),
            }
        )


def register(router) -> None:
    """This app's API endpoints on the /api/v1/ router."""
    router.register("dashboards", DashboardViewSet, basename="api-dashboard")
