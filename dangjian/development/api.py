"""REST endpoints of member development: reads through the scope layer and the page's FilterSet, writes
through services.py, so the API refuses exactly what the pages refuse, with the same Chinese message."""

from __future__ import annotations

from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.members.services.roster import PersonData
from dangjian.orgs.models import Org

from . import selectors, services
from .filtersets import CaseFilter, StepFilter
from .models import CaseStep, DevelopmentCase
from .serializers import (
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseSerializer,
    CorrectionSerializer,
    StepInputSerializer,
    StepSerializer,
    StopSerializer,
)


class DevelopmentCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    route_scope = RouteScope("list", model=DevelopmentCase)
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    filter_backends = [DjangoFilterBackend]  # sorting is the FilterSet's `ordering`, as on the page

    def get_queryset(self):
        return selectors.cases(self.request.user)

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    def _case(self, pk) -> DevelopmentCase:
        return get_scoped_or_404(DevelopmentCase, self.request.user, "view", pk=pk)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseDetailSerializer})
    def create(self, request):
        values = validated(CaseCreateSerializer, request.data)
        org = get_scoped_or_404(Org, request.user, "view", pk=values.pop("org"))
        applied_on, responsible, note = (
            values.pop("applied_on"),
            values.pop("responsible"),
            values.pop("note"),
        )
        case = services.open_case(
            request.user,
            org,
            PersonData(**values),
            applied_on=applied_on,
            responsible=responsible,
            note=note,
        )
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StepInputSerializer, responses={201: StepSerializer})
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        case = self._case(pk)
        values = validated(StepInputSerializer, request.data)
        step = services.record_step(
            request.user,
            case,
            values["code"],
            done_on=values["done_on"],
            responsible=values["responsible"],
            note=values["note"],
            data=values["data"],
            late_reason=values["late_reason"],
        )
        return Response(StepSerializer(step).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StopSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def stop(self, request, pk=None):
        case = self._case(pk)
        values = validated(StopSerializer, request.data)
        case = services.stop_case(
            request.user, case, reason=values["reason"], on=values.get("on") or timezone.localdate()
        )
        return Response(CaseSerializer(case).data)


class CaseStepViewSet(viewsets.ReadOnlyModelViewSet):
    """Every step row in scope (superseded ones too); corrections write a new row."""

    route_scope = RouteScope("list", model=CaseStep)
    serializer_class = StepSerializer
    filterset_class = StepFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return (
            CaseStep.objects.restrict(self.request.user)
            .select_related("case")
            .prefetch_related("documents")
            .order_by("case_id", "done_on", "pk")
        )

    @extend_schema(request=CorrectionSerializer, responses={201: StepSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        step = get_scoped_or_404(CaseStep, request.user, "view", pk=pk)
        values = validated(CorrectionSerializer, request.data)
        new = services.correct_step(
            request.user,
            step,
            done_on=values["done_on"],
            responsible=values["responsible"],
            reason=values["reason"],
            note=values["note"],
            data=values["data"],
            late_reason=values["late_reason"],
        )
        return Response(StepSerializer(new).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Register the development endpoints on the /api/v1/ router."""
    router.register("development-cases", DevelopmentCaseViewSet, basename="api-development-case")
    router.register("development-steps", CaseStepViewSet, basename="api-development-step")
