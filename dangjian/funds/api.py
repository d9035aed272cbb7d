"""REST endpoints of the funds app: reads through the scope layer with balances computed from the rows,
writes through services.py (the same refusals in the same words). Rows outside scope answer 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.orgs.models import Org

from . import serializers as Z
from . import services
from .filtersets import AllocationFilter, DisbursementFilter, FundFilter
from .models import Allocation, Disbursement, Fund
from .selectors import allocation_rows, allocations, disbursements, funds

READ = ["get", "head", "options"]
READ_POST = ["get", "post", "head", "options"]


def _org(pk: int) -> Org:
    org = Org.objects.filter(pk=pk).first()
    if org is None:
        raise DomainError("所选单位不存在。", "org")
    return org


def _allocation_answer(user, row: Allocation) -> Response:
    return Response(
        Z.AllocationSerializer(allocation_rows().get(pk=row.pk)).data, status=status.HTTP_201_CREATED
    )


class FundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Earmarked funds of the counties in scope with what was sent down, what is left at the county and
    what was spent; `allocate` sends money to a township or village of the fund's county."""

    route_scope = RouteScope("list", model=Fund)
    serializer_class = Z.FundSerializer
    filterset_class = FundFilter
    http_method_names = READ_POST

    def get_queryset(self):
        return funds(self.request.user)

    @extend_schema(request=Z.FundCreateSerializer, responses={201: Z.FundSerializer})
    def create(self, request):
        v = validated(Z.FundCreateSerializer, request.data)
        county = get_scoped_or_404(Org, request.user, "view", pk=v.pop("county"))
        fund = services.create_fund(request.user, county, **v)
        return Response(
            Z.FundSerializer(funds(request.user).get(pk=fund.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=Z.AllocateSerializer, responses={201: Z.AllocationSerializer})
    @action(detail=True, methods=["post"])
    def allocate(self, request, pk=None):
        fund = get_scoped_or_404(Fund, request.user, "view", pk=pk)
        v = validated(Z.AllocateSerializer, request.data)
        row = services.allocate(request.user, fund, org=_org(v.pop("org")), **v)
        return _allocation_answer(request.user, row)


class AllocationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Allocations down the tree with `reallocated`, `disbursed` and `balance` computed from the rows;
    `allocate` passes a township's money to one of its villages, `disburse` records a payment."""

    route_scope = RouteScope("list", model=Allocation)
    serializer_class = Z.AllocationSerializer
    filterset_class = AllocationFilter
    http_method_names = READ_POST

    def get_queryset(self):
        return allocations(self.request.user)

    @extend_schema(request=Z.AllocateSerializer, responses={201: Z.AllocationSerializer})
    @action(detail=True, methods=["post"])
    def allocate(self, request, pk=None):
        parent = get_scoped_or_404(Allocation, request.user, "view", pk=pk)
        v = validated(Z.AllocateSerializer, request.data)
        row = services.allocate(request.user, parent.fund, org=_org(v.pop("org")), parent=parent, **v)
        return _allocation_answer(request.user, row)

    @extend_schema(request=Z.DisburseSerializer, responses={201: Z.DisbursementSerializer})
    @action(detail=True, methods=["post"])
    def disburse(self, request, pk=None):
        row = get_scoped_or_404(Allocation, request.user, "view", pk=pk)
        spent = services.disburse(request.user, row, **validated(Z.DisburseSerializer, request.data))
        return Response(Z.DisbursementSerializer(spent).data, status=status.HTTP_201_CREATED)


class DisbursementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Disbursements from the allocations in scope."""

    route_scope = RouteScope("list", model=Disbursement)
    serializer_class = Z.DisbursementSerializer
    filterset_class = DisbursementFilter
    http_method_names = READ

    def get_queryset(self):
        return disbursements(self.request.user)


def register(router) -> None:
    """This app's API endpoints on the /api/v1/ router."""
    router.register("funds", FundViewSet, basename="api-funds-fund")
    router.register("fund-allocations", AllocationViewSet, basename="api-funds-allocation")
    router.register("fund-disbursements", DisbursementViewSet, basename="api-funds-disbursement")
