"""REST endpoints of 四议两公开: reads through the scope layer, writes through services.py, so the API
refuses what the pages refuse, in the same words."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404

from . import selectors, services
from . import serializers as Z
from .filtersets import DecisionFilter
from .models import Decision


class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """四议两公开 decisions the user may see, with their steps; `record_step` records the next step (the
    order and quorums enforced), `opinions` lists (GET) or adds (POST) residents' opinions."""

    route_scope = RouteScope("list", model=Decision)
    filterset_class = DecisionFilter
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.decisions(self.request.user).order_by("-opened_on", "-pk")

    def get_serializer_class(self):
        return Z.DecisionSerializer if self.action == "list" else Z.DecisionDetailSerializer

    def decision(self) -> Decision:
        return get_scoped_or_404(Decision, self.request.user, "view", pk=self.kwargs["pk"])

    def answer(self, decision: Decision, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().prefetch_related("steps").get(pk=decision.pk)
        return Response(Z.DecisionDetailSerializer(fresh).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self.answer(self.decision())

    @extend_schema(request=Z.DecisionCreateSerializer, responses={201: Z.DecisionDetailSerializer})
    def create(self, request):
        v = validated(Z.DecisionCreateSerializer, request.data)
        org = selectors.add_orgs(request.user).filter(pk=v.pop("org")).first()
        if org is None:
            raise DomainError("所选村（社区）不存在或不在您的管辖范围内。", "org")
        decision = services.open_decision(request.user, org=org, **v)
        return self.answer(decision, status.HTTP_201_CREATED)

    @extend_schema(request=Z.DecisionRecordStepSerializer, responses=Z.DecisionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="record-step")
    def record_step(self, request, pk=None):
        decision = self.decision()
        v = validated(Z.DecisionRecordStepSerializer, request.data)
        services.record_step(request.user, decision, v.pop("step"), **v)
        return self.answer(decision)

    @extend_schema(
        methods=["GET"],
        responses=Z.DecisionOpinionSerializer(many=True),
        request=None,
        summary="群众意见列表",
    )
    @extend_schema(
        methods=["POST"],
        request=Z.DecisionOpinionCreateSerializer,
        responses={201: Z.DecisionOpinionSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def opinions(self, request, pk=None):
        decision = self.decision()
        if request.method == "POST":
            v = validated(Z.DecisionOpinionCreateSerializer, request.data)
            opinion = services.add_opinion(request.user, decision, **v)
            return Response(Z.DecisionOpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)
        rows = decision.opinions.order_by("-received_on", "-pk")
        return Response(Z.DecisionOpinionSerializer(rows, many=True).data)


def register(router) -> None:
    """Register this app's endpoints on the /api/v1/ router."""
    router.register("decisions", DecisionViewSet, basename="api-decision")
