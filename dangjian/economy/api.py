"""REST endpoints of the collective-income app: reads through the scope layer, writes through services.py.
`economy-incomes` lists and records incomes; `economy-no-income` is the finding (villages with none in a
year); `economy-bands` the distribution by band for an org's subtree."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.orgs.models import Org

from . import serializers as Z
from . import services
from .choices import Band
from .filtersets import AssetFilter, ContractFilter, IncomeFilter
from .models import Asset, AssetContract, Income
from .selectors import asset_rows, contract_rows, incomes, villages_without_income
from .stats import distribution

READ = ["get", "head", "options"]
YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="年度（默认上一年）")
ORG = OpenApiParameter("org", OpenApiTypes.INT, description="组织编号（默认全部可见范围）")


def _year(request) -> int:
    raw = request.query_params.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year - 1


class IncomeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Village collective income per year with its lines; POST records (or corrects) a village's year."""

    route_scope = RouteScope("list", model=Income)
    serializer_class = Z.IncomeSerializer
    filterset_class = IncomeFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return incomes(self.request.user).prefetch_related("lines__partner")

    @extend_schema(request=Z.IncomeWriteSerializer, responses={201: Z.IncomeSerializer})
    def create(self, request):
        v = validated(Z.IncomeWriteSerializer, request.data)
        org = get_scoped_or_404(Org, request.user, "view", pk=v.pop("org"))
        rows = [dict(r, kind=r.pop("income_kind")) for r in v.pop("lines")]
        income = services.record_income(request.user, org, lines=services.parse_lines(rows), **v)
        return Response(
            Z.IncomeSerializer(self.get_queryset().get(pk=income.pk)).data, status=status.HTTP_201_CREATED
        )


class NoIncomeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Villages in scope with no collective income in `year` (not recorded, or recorded as 0)."""

    route_scope = RouteScope("list", model=Org)
    serializer_class = Z.NoIncomeSerializer
    http_method_names = READ

    def get_queryset(self):
        return villages_without_income(self.request.user, _year(self.request))

    @extend_schema(parameters=[YEAR])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class BandViewSet(viewsets.GenericViewSet):
    """How many villages of an org's subtree fall in each income band in `year`."""

    route_scope = RouteScope("list", model=Org)
    serializer_class = Z.BandCountSerializer
    pagination_class = None
    http_method_names = READ

    def get_queryset(self):
        return Org.objects.none()

    @extend_schema(parameters=[YEAR, ORG], responses=Z.BandCountSerializer(many=True))
    def list(self, request):
        raw = request.query_params.get("org") or ""
        if raw.isdigit():
            org = get_scoped_or_404(Org, request.user, "view", pk=int(raw))
            counts = distribution(request.user, org, _year(request)).counts
        else:
            counts = {b.value: 0 for b in Band}
            for band, n in _all_counts(request.user, _year(request)):
                counts[band] += n
        rows = [{"income_band": b.value, "label": b.label, "villages": counts[b.value]} for b in Band]
        return Response(Z.BandCountSerializer(rows, many=True).data)


def _all_counts(user, year: int):
    from django.db.models import Count

    from .selectors import villages_with_income

    return (
        villages_with_income(user, year)
        .values("band")
        .annotate(n=Count("pk"))
        .values_list("band", "n")
        .order_by()
    )


class AssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Villages' collective assets (储备地, 粮仓…) with the expiring-contract flag; POST registers one."""

    route_scope = RouteScope("list", model=Asset)
    serializer_class = Z.AssetSerializer
    filterset_class = AssetFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return asset_rows(timezone.localdate()).restrict(self.request.user)

    @extend_schema(request=Z.AssetWriteSerializer, responses={201: Z.AssetSerializer})
    def create(self, request):
        v = validated(Z.AssetWriteSerializer, request.data)
        org = get_scoped_or_404(Org, request.user, "view", pk=v.pop("org"))
        v["kind"], v["unit"], v["use"] = v.pop("asset_kind"), v.pop("asset_unit"), v.pop("asset_use")
        asset = services.save_asset(request.user, org, **v)
        return Response(
            Z.AssetSerializer(self.get_queryset().get(pk=asset.pk)).data, status=status.HTTP_201_CREATED
        )


class ContractViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Contracts on collective assets (rented, contracted, shareholding); POST signs one."""

    route_scope = RouteScope("list", model=AssetContract)
    serializer_class = Z.ContractSerializer
    filterset_class = ContractFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return contract_rows(timezone.localdate()).restrict(self.request.user)

    @extend_schema(request=Z.ContractWriteSerializer, responses={201: Z.ContractSerializer})
    def create(self, request):
        v = validated(Z.ContractWriteSerializer, request.data)
        org = get_scoped_or_404(Org, request.user, "view", pk=v.pop("org"))
        asset = get_scoped_or_404(Asset, request.user, "view", pk=v.pop("asset"))
        v["use"] = v.pop("contract_use")
        contract = services.save_contract(request.user, org, asset, **v)
        return Response(
            Z.ContractSerializer(self.get_queryset().get(pk=contract.pk)).data, status=status.HTTP_201_CREATED
        )


def register(router) -> None:
    """This app's API endpoints on the /api/v1/ router."""
    router.register("economy-incomes", IncomeViewSet, basename="api-economy-income")
    router.register("economy-no-income", NoIncomeViewSet, basename="api-economy-no-income")
    router.register("economy-bands", BandViewSet, basename="api-economy-band")
    router.register("economy-assets", AssetViewSet, basename="api-economy-asset")
    router.register("economy-contracts", ContractViewSet, basename="api-economy-contract")
