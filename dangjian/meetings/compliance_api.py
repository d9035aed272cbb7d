"""REST endpoints of the compliance engine: the same rows as the compliance page, read-only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope

from . import compliance_tables
from .compliance import Period, evaluate, org_for, scope_of
from .compliance_serializers import ComplianceQuerySerializer, ComplianceSerializer
from .models import Meeting


class OneObjectSchema(AutoSchema):
    """The answer is one object (the table), although the route is a router "list"."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class MeetingComplianceViewSet(viewsets.GenericViewSet):
    """Org + period → its children's held-rate, attendance-rate and each rule's count against what was
    owed (the compliance page as data). Outside the user's scope the org is 404."""

    route_scope = RouteScope("list", model=Meeting)
    serializer_class = ComplianceSerializer
    pagination_class = None
    schema = OneObjectSchema()
    filter_backends: list = []

    @extend_schema(parameters=[ComplianceQuerySerializer], responses=ComplianceSerializer)
    def list(self, request):
        if not scope_of(request.user):
            raise PermissionDenied
        org = org_for(request.user, request.query_params.get("org"))
        today = timezone.localdate()
        text = request.query_params.get("period")
        try:
            period = Period.parse(text) if text else Period.containing(today)
        except ValueError as exc:
            raise DomainError(
                "期间格式不正确：应为2026-11（月）、2026-Q4（季度）或2026（年）。", field="period"
            ) from exc
        table = compliance_tables.build(evaluate([org.path], period, today, user=request.user), org.pk)
        return Response(ComplianceSerializer(compliance_tables.as_data(table, today)).data)


def register(router) -> None:
    """Add the compliance viewsets to the /api/v1/ router."""
    router.register("meeting-compliance", MeetingComplianceViewSet, basename="api-meeting-compliance")
