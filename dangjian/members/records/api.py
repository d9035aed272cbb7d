"""REST endpoints of the records: reads through the scope layer and the pages' FilterSets, writes through
the same services as the pages. Every object named in a request is fetched through `restrict` first,
so one outside the user's scope answers 404 like a missing one."""

from __future__ import annotations

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.orgs.models import Grid, Org

from ..models import DuesPayment, Household, HouseholdLink, Member, MobileRecord, StandingDecision, Transfer
from ..services import dues, households, mobility, standing, transfers
from ..services.roster import MemberData
from . import serializers as S
from .filtersets import (
    DuesPaymentFilter,
    HouseholdFilter,
    HouseholdLinkFilter,
    MobileRecordFilter,
    StandingDecisionFilter,
    TransferFilter,
)


def _member(request, pk) -> Member:
    return get_scoped_or_404(Member, request.user, "view", pk=pk)


class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve through `restrict`; writes are explicit actions below."""

    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, "view")


class MobileRecordViewSet(ReadOnly):
    route_scope = RouteScope("list", model=MobileRecord)
    serializer_class = S.MobileRecordSerializer
    filterset_class = MobileRecordFilter

    def base_queryset(self):
        return MobileRecord.objects.select_related("member__person", "org")

    @extend_schema(request=S.MobileStartSerializer, responses={201: S.MobileRecordSerializer})
    def create(self, request):
        data = validated(S.MobileStartSerializer, request.data)
        record = mobility.start_mobility(request.user, _member(request, data.pop("member")), **data)
        return Response(S.MobileRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=S.MobileEndSerializer, responses=S.MobileRecordSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        record = get_scoped_or_404(MobileRecord, request.user, "view", pk=pk)
        data = validated(S.MobileEndSerializer, request.data)
        record = mobility.end_mobility(request.user, record, data["ended_on"], data["note"])
        return Response(S.MobileRecordSerializer(record).data)

    @extend_schema(request=S.MobileActivityCreateSerializer, responses={201: S.MobileActivitySerializer})
    @action(detail=True, methods=["post"])
    def activities(self, request, pk=None):
        record = get_scoped_or_404(MobileRecord, request.user, "view", pk=pk)
        data = validated(S.MobileActivityCreateSerializer, request.data)
        activity = mobility.record_mobile_activity(request.user, record, **data)
        return Response(S.MobileActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class StandingDecisionViewSet(ReadOnly):
    route_scope = RouteScope("list", model=StandingDecision)
    serializer_class = S.StandingDecisionSerializer
    filterset_class = StandingDecisionFilter

    def base_queryset(self):
        return StandingDecision.objects.select_related("member__person", "org")

    @extend_schema(
        request=S.StandingDecisionCreateSerializer,
        responses={201: S.StandingDecisionSerializer},
        description="登记失联（lost）、恢复联系（found）、停止党籍（suspend）、按自行脱党除名（remove）"
        "或恢复党籍（restore，须县委组织部管理员）。",
    )
    def create(self, request):
        data = validated(S.StandingDecisionCreateSerializer, request.data)
        member = _member(request, data.pop("member"))
        decision = standing.decide(request.user, member, **data)
        return Response(S.StandingDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class TransferViewSet(ReadOnly):
    route_scope = RouteScope("list", model=Transfer)
    serializer_class = S.TransferSerializer
    filterset_class = TransferFilter

    def base_queryset(self):
        return Transfer.objects.select_related("member__person", "from_org", "to_org")

    def _transfer(self, pk) -> Transfer:
        return get_scoped_or_404(Transfer, self.request.user, "view", pk=pk)

    @extend_schema(request=S.TransferCreateSerializer, responses={201: S.TransferSerializer})
    def create(self, request):
        data = validated(S.TransferCreateSerializer, request.data)
        member = _member(request, data.pop("member"))
        transfer = transfers.start_transfer(request.user, member, **data)
        return Response(S.TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=S.TransferReceiveSerializer, responses={201: S.TransferSerializer})
    @action(detail=False, methods=["post"])
    def receive(self, request):
        """A member arriving from outside the system: created on the roll with a received transfer."""
        data = validated(S.TransferReceiveSerializer, request.data)
        org = get_scoped_or_404(Org, request.user, "view", pk=data.pop("org"))
        letter = {
            k: data.pop(k) for k in ("letter_no", "outside_org_name", "received_on", "issued_on", "note")
        }
        transfer = transfers.receive_from_outside(request.user, org, MemberData(**data), **letter)
        return Response(S.TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=S.TransferConfirmSerializer, responses=S.TransferSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        transfer = self._transfer(pk)
        data = validated(S.TransferConfirmSerializer, request.data)
        transfer = transfers.confirm_receipt(request.user, transfer, data["received_on"])
        return Response(S.TransferSerializer(transfer).data)

    @extend_schema(request=S.TransferCancelSerializer, responses=S.TransferSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        transfer = self._transfer(pk)
        data = validated(S.TransferCancelSerializer, request.data)
        transfer = transfers.cancel_transfer(request.user, transfer, data["note"])
        return Response(S.TransferSerializer(transfer).data)


class HouseholdViewSet(ReadOnly):
    route_scope = RouteScope("list", model=Household)
    serializer_class = S.HouseholdSerializer
    filterset_class = HouseholdFilter

    def base_queryset(self):
        return (
            Household.objects.select_related("org")
            .annotate(open_links=Count("links", filter=Q(links__ended_on__isnull=True)))
            .order_by("org__path", "head_name", "pk")
        )

    @extend_schema(request=S.HouseholdCreateSerializer, responses={201: S.HouseholdSerializer})
    def create(self, request):
        data = validated(S.HouseholdCreateSerializer, request.data)
        org = get_scoped_or_404(Org, request.user, "view", pk=data.pop("org"))
        grid_id = data.pop("grid")
        grid = Grid.objects.select_related("org").filter(pk=grid_id, archived_at__isnull=True).first()
        if grid_id and (grid is None or not org.path.startswith(grid.org.path)):
            # An unknown grid and one elsewhere get the same answer, so nothing outside scope is confirmed.
            raise DomainError("所选网格不属于该党支部所在的乡镇或社区。", field="grid")
        household = households.create_household(request.user, org, grid=grid, **data)
        household.open_links = 0
        return Response(S.HouseholdSerializer(household).data, status=status.HTTP_201_CREATED)


class HouseholdLinkViewSet(ReadOnly):
    route_scope = RouteScope("list", model=HouseholdLink)
    serializer_class = S.HouseholdLinkSerializer
    filterset_class = HouseholdLinkFilter

    def base_queryset(self):
        return HouseholdLink.objects.select_related("member__person", "household")

    def _link(self, pk) -> HouseholdLink:
        return get_scoped_or_404(HouseholdLink, self.request.user, "view", pk=pk)

    @extend_schema(request=S.HouseholdLinkCreateSerializer, responses={201: S.HouseholdLinkSerializer})
    def create(self, request):
        data = validated(S.HouseholdLinkCreateSerializer, request.data)
        member = _member(request, data["member"])
        household = get_scoped_or_404(Household, request.user, "view", pk=data["household"])
        link = households.link_household(request.user, member, household, data["since"])
        return Response(S.HouseholdLinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=S.HouseholdUnlinkSerializer, responses=S.HouseholdLinkSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        link = self._link(pk)
        data = validated(S.HouseholdUnlinkSerializer, request.data)
        link = households.unlink(request.user, link, data["ended_on"])
        return Response(S.HouseholdLinkSerializer(link).data)

    @extend_schema(request=S.HouseholdVisitCreateSerializer, responses={201: S.HouseholdVisitSerializer})
    @action(detail=True, methods=["post"])
    def visits(self, request, pk=None):
        link = self._link(pk)
        data = validated(S.HouseholdVisitCreateSerializer, request.data)
        visit = households.record_visit(request.user, link, data["visited_on"], data["note"])
        return Response(S.HouseholdVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class DuesPaymentViewSet(ReadOnly):
    route_scope = RouteScope("list", model=DuesPayment)
    serializer_class = S.DuesPaymentSerializer
    filterset_class = DuesPaymentFilter

    def base_queryset(self):
        return DuesPayment.objects.select_related("member__person")

    @extend_schema(request=S.DuesPaymentCreateSerializer, responses={201: S.DuesPaymentSerializer})
    def create(self, request):
        data = validated(S.DuesPaymentCreateSerializer, request.data)
        member = _member(request, data.pop("member"))
        payment = dues.record_payment(request.user, member, **data)
        return Response(S.DuesPaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=S.DuesBulkSerializer, responses={201: S.DuesPaymentSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """A branch's monthly collection: every listed member pays the computed amount, all or nothing."""
        data = validated(S.DuesBulkSerializer, request.data)
        org = get_scoped_or_404(Org, request.user, "view", pk=data["org"])
        payments = dues.record_payments_bulk(
            request.user, org, data["month"], data["member_ids"], data["paid_on"]
        )
        return Response(S.DuesPaymentSerializer(payments, many=True).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Register the records endpoints on the /api/v1/ router."""
    router.register("mobile-records", MobileRecordViewSet, basename="api-mobilerecord")
    router.register("standing-decisions", StandingDecisionViewSet, basename="api-standingdecision")
    router.register("transfers", TransferViewSet, basename="api-transfer")
    router.register("households", HouseholdViewSet, basename="api-household")
    router.register("household-links", HouseholdLinkViewSet, basename="api-householdlink")
    router.register("dues-payments", DuesPaymentViewSet, basename="api-duespayment")
