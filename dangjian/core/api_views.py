from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from dangjian.orgs.models import Org

from .filtersets import AuditEventFilter
from .models import AuditEvent, RuleOverride, WorkdayOverride
from .routes import RouteScope
from .rule_settings import set_county_rule
from .scope import get_scoped_or_404
from .serializers import (
    AuditEventSerializer,
    RuleOverrideSerializer,
    RuleOverrideSetSerializer,
    WorkdayOverrideCreateSerializer,
    WorkdayOverrideSerializer,
)
from .workdays import remove_workday, set_workday


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only by construction: the audit trail cannot be edited or deleted through the API."""

    route_scope = RouteScope("list", model=AuditEvent)
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter

    def get_queryset(self):
        return AuditEvent.objects.restrict(self.request.user).order_by("-created_at", "-id")


class WorkdayOverrideViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """A county's own holidays and worked weekend days; the national calendar is on /rules/calendar/."""

    route_scope = RouteScope("list", model=WorkdayOverride)
    serializer_class = WorkdayOverrideSerializer
    filterset_fields = ["county", "date", "is_workday"]

    def get_queryset(self):
        return WorkdayOverride.objects.restrict(self.request.user).select_related("county")

    @extend_schema(request=WorkdayOverrideCreateSerializer, responses={201: WorkdayOverrideSerializer})
    def create(self, request):
        s = WorkdayOverrideCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        county = get_scoped_or_404(Org, request.user, "view", pk=data.pop("county"))
        row = set_workday(request.user, county, data.pop("date"), **data)
        return Response(WorkdayOverrideSerializer(row).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        remove_workday(request.user, get_scoped_or_404(WorkdayOverride, request.user, "view", pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RuleOverrideViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Counties' own values of the rules that allow one; POST sets (or changes) one, county admins only."""

    route_scope = RouteScope("list", model=RuleOverride)
    serializer_class = RuleOverrideSerializer
    filterset_fields = ["county", "code"]

    def get_queryset(self):
        return (
            RuleOverride.objects.restrict(self.request.user)
            .select_related("county")
            .order_by("county", "code")
        )

    @extend_schema(request=RuleOverrideSetSerializer, responses={201: RuleOverrideSerializer})
    def create(self, request):
        s = RuleOverrideSetSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        county = get_scoped_or_404(Org, request.user, "view", pk=data.pop("county"))
        row = set_county_rule(request.user, county, data.pop("code"), data.pop("value"), **data)
        return Response(RuleOverrideSerializer(row).data, status=status.HTTP_201_CREATED)
