"""REST endpoints of the rectification app: reads through the scope layer, writes through services.py (the
same refusals in the same words). Rows outside scope answer 404."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.accounts.models import User
from dangjian.core.api import validated
from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.orgs.models import Org

from . import serializers as Z
from . import services
from .models import (
    CheckVisit,
    PlanItem,
    RectificationCase,
    RectificationPlan,
    Screening,
    Situation,
    Support,
    VisitItem,
)
from .selectors import ledger
from .views import _add_orgs
from .warning import early_warning

READ = ["get", "head", "options"]
READ_POST = ["get", "post", "head", "options"]


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rectification cases (one per branch and year) with their classification history; actions identify,
    set the plan (five essentials), add items (cases of kind `rectify`), assign supports, record screening
    visits, accept and re-check."""

    route_scope = RouteScope("list", model=RectificationCase)
    http_method_names = READ_POST
    filterset_fields = ["year", "status", "org"]

    def get_queryset(self):
        return ledger(self.request.user).prefetch_related("changes")

    def get_serializer_class(self):
        return Z.RectCaseSerializer if self.action == "list" else Z.RectCaseDetailSerializer

    def case(self) -> RectificationCase:
        return get_scoped_or_404(RectificationCase, self.request.user, "view", pk=self.kwargs["pk"])

    def answer(self, case: RectificationCase, code: int = status.HTTP_200_OK) -> Response:
        return Response(Z.RectCaseDetailSerializer(self.get_queryset().get(pk=case.pk)).data, status=code)

    @extend_schema(request=Z.RectCaseCreateSerializer, responses={201: Z.RectCaseDetailSerializer})
    def create(self, request):
        v = validated(Z.RectCaseCreateSerializer, request.data)
        org = _add_orgs(request.user).filter(pk=v.pop("org")).first()
        if org is None:
            raise DomainError("所选村（社区）不存在或不在您的管辖范围内。", "org")
        return self.answer(services.open_case(request.user, org=org, **v), status.HTTP_201_CREATED)

    @extend_schema(request=Z.RectIdentifySerializer, responses=Z.RectCaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def identify(self, request, pk=None):
        case = self.case()
        return self.answer(
            services.identify(request.user, case, **validated(Z.RectIdentifySerializer, request.data))
        )

    @extend_schema(request=Z.RectVerdictSerializer, responses=Z.RectCaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        case = self.case()
        return self.answer(
            services.accept(request.user, case, **validated(Z.RectVerdictSerializer, request.data))
        )

    @extend_schema(request=Z.RectVerdictSerializer, responses=Z.RectCaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def recheck(self, request, pk=None):
        case = self.case()
        return self.answer(
            services.recheck(request.user, case, **validated(Z.RectVerdictSerializer, request.data))
        )

    @extend_schema(request=Z.RectPlanWriteSerializer, responses=Z.RectPlanSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        case = self.case()
        plan = services.set_plan(request.user, case, **validated(Z.RectPlanWriteSerializer, request.data))
        return Response(Z.RectPlanSerializer(plans(request.user).get(pk=plan.pk)).data)

    @extend_schema(request=Z.RectItemCreateSerializer, responses={201: Z.RectPlanItemSerializer})
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        case = self.case()
        v = validated(Z.RectItemCreateSerializer, request.data)
        owner = User.objects.filter(pk=v.pop("owner"), is_active=True).first()
        if owner is None:
            raise DomainError("责任人不存在。", "owner")
        item = services.add_item(request.user, case, owner=owner, **v)
        return Response(Z.RectPlanItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=Z.RectSupportWriteSerializer, responses={201: Z.RectSupportSerializer})
    @action(detail=True, methods=["post"])
    def supports(self, request, pk=None):
        case = self.case()
        support = services.assign_support(
            request.user, case, **validated(Z.RectSupportWriteSerializer, request.data)
        )
        return Response(Z.RectSupportSerializer(support).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=Z.RectCheckVisitWriteSerializer, responses={201: Z.RectCheckVisitSerializer})
    @action(detail=True, methods=["post"])
    def visits(self, request, pk=None):
        case = self.case()
        v = validated(Z.RectCheckVisitWriteSerializer, request.data)
        items = list(VisitItem.objects.filter(pk__in=v.pop("items"), county=case.county))
        visit = services.record_check_visit(request.user, case, items=items, **v)
        return Response(Z.RectCheckVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


def plans(user):
    return (
        RectificationPlan.objects.restrict(user)
        .annotate(
            items_n=Count("items", distinct=True),
            closed_n=Count("items", filter=Q(items__item__state="closed"), distinct=True),
        )
        .order_by("-case__year", "case__org__path")
    )


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """一村一策 plans with their five essentials and item counts (write through cases/{id}/plan)."""

    route_scope = RouteScope("list", model=RectificationPlan)
    serializer_class = Z.RectPlanSerializer
    http_method_names = READ

    def get_queryset(self):
        return plans(self.request.user)


class PlanItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Plan items and their case-engine state (act on them through /api/v1/cases/{item}/)."""

    route_scope = RouteScope("list", model=PlanItem)
    serializer_class = Z.RectPlanItemSerializer
    http_method_names = READ
    filterset_fields = ["plan"]

    def get_queryset(self):
        return (
            PlanItem.objects.restrict(self.request.user)
            .select_related("plan", "item")
            .order_by("plan_id", "sort_order")
        )


class SupportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """四个一 supports; `visits` lists (GET) or records (POST) their visits to the village."""

    route_scope = RouteScope("list", model=Support)
    serializer_class = Z.RectSupportSerializer
    http_method_names = READ_POST
    filterset_fields = ["case", "kind"]

    def get_queryset(self):
        return Support.objects.restrict(self.request.user).order_by("case_id", "kind")

    @extend_schema(methods=["GET"], request=None, responses=Z.RectSupportVisitSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=Z.RectSupportVisitWriteSerializer,
        responses={201: Z.RectSupportVisitSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def visits(self, request, pk=None):
        support = get_scoped_or_404(Support, request.user, "view", pk=pk)
        if request.method == "POST":
            v = validated(Z.RectSupportVisitWriteSerializer, request.data)
            visit = services.record_support_visit(request.user, support, **v)
            return Response(Z.RectSupportVisitSerializer(visit).data, status=status.HTTP_201_CREATED)
        return Response(
            Z.RectSupportVisitSerializer(support.visits.order_by("-visited_on", "-pk"), many=True).data
        )


class CheckVisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Screening visits (四必访三必问) with the items they covered."""

    route_scope = RouteScope("list", model=CheckVisit)
    serializer_class = Z.RectCheckVisitSerializer
    http_method_names = READ
    filterset_fields = ["case"]

    def get_queryset(self):
        return (
            CheckVisit.objects.restrict(self.request.user)
            .prefetch_related("items")
            .order_by("-visited_on", "-pk")
        )


class ScreeningViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Annual screening sheets: `rows` replaces the sheet (the bottom quota proposed), `confirm` confirms."""

    route_scope = RouteScope("list", model=Screening)
    serializer_class = Z.RectScreeningSerializer
    http_method_names = READ_POST

    def get_queryset(self):
        return Screening.objects.restrict(self.request.user).prefetch_related("rows__org").order_by("-year")

    def screening(self) -> Screening:
        return get_scoped_or_404(Screening, self.request.user, "view", pk=self.kwargs["pk"])

    @extend_schema(request=Z.RectScreeningCreateSerializer, responses={201: Z.RectScreeningSerializer})
    def create(self, request):
        v = validated(Z.RectScreeningCreateSerializer, request.data)
        county = get_scoped_or_404(Org, request.user, "view", pk=v.pop("county"))
        s = services.create_screening(request.user, county, **v)
        return Response(Z.RectScreeningSerializer(s).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=Z.RectScreeningRowsSerializer, responses=Z.RectScreeningSerializer)
    @action(detail=True, methods=["post"])
    def rows(self, request, pk=None):
        s = self.screening()
        v = validated(Z.RectScreeningRowsSerializer, request.data)
        orgs = Org.objects.in_bulk([r["org"] for r in v["rows"]])
        if len(orgs) != len({r["org"] for r in v["rows"]}):
            raise DomainError("排查表中有不存在的村。", "rows")
        rows = [(orgs[r["org"]], r["rank"], r["score"], r["collective_income"]) for r in v["rows"]]
        services.set_rows(request.user, s, rows, quota_percent=v.get("quota_percent"))
        return Response(Z.RectScreeningSerializer(self.get_queryset().get(pk=s.pk)).data)

    @extend_schema(request=Z.RectConfirmSerializer, responses=Z.RectCaseSerializer(many=True))
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        s = self.screening()
        ids = validated(Z.RectConfirmSerializer, request.data)["orgs"]
        cases = services.confirm_screening(request.user, s, orgs=list(Org.objects.filter(pk__in=ids)))
        return Response(Z.RectCaseSerializer(cases, many=True).data)


class SituationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """County additions to the 10 national situations (the national ones are listed on the checklist page)."""

    route_scope = RouteScope("list", model=Situation)
    serializer_class = Z.RectSituationSerializer
    http_method_names = READ_POST

    def get_queryset(self):
        return Situation.objects.restrict(self.request.user).filter(archived_at__isnull=True)

    def create(self, request):
        v = validated(Z.RectSituationSerializer, request.data)
        county = get_scoped_or_404(Org, request.user, "view", pk=v.pop("county").pk)
        s = services.add_situation(request.user, county, **v)
        return Response(Z.RectSituationSerializer(s).data, status=status.HTTP_201_CREATED)


class VisitItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A county's 四必访三必问 items."""

    route_scope = RouteScope("list", model=VisitItem)
    serializer_class = Z.RectVisitItemSerializer
    http_method_names = READ_POST

    def get_queryset(self):
        return VisitItem.objects.restrict(self.request.user).filter(archived_at__isnull=True)

    @extend_schema(request=Z.RectVisitItemWriteSerializer, responses={201: Z.RectVisitItemSerializer})
    def create(self, request):
        v = validated(Z.RectVisitItemWriteSerializer, request.data)
        county = get_scoped_or_404(Org, request.user, "view", pk=v.pop("county"))
        item = services.add_visit_item(request.user, county, **v)
        return Response(Z.RectVisitItemSerializer(item).data, status=status.HTTP_201_CREATED)


class WarningViewSet(viewsets.GenericViewSet):
    """The early warning: villages in scope with their signals (computed, not stored)."""

    route_scope = RouteScope("list", model=Org)
    serializer_class = Z.RectWarningSerializer
    pagination_class = None
    http_method_names = READ

    def get_queryset(self):
        return Org.objects.none()

    def list(self, request):
        rows = early_warning(request.user, timezone.localdate())
        return Response(Z.RectWarningSerializer(rows, many=True).data)


def register(router) -> None:
    """Register this app's API routes."""
    router.register("rectification-cases", CaseViewSet, basename="api-rectification-case")
    router.register("rectification-plans", PlanViewSet, basename="api-rectification-plan")
    router.register("rectification-items", PlanItemViewSet, basename="api-rectification-item")
    router.register("rectification-supports", SupportViewSet, basename="api-rectification-support")
    router.register("rectification-visits", CheckVisitViewSet, basename="api-rectification-visit")
    router.register("rectification-screenings", ScreeningViewSet, basename="api-rectification-screening")
    router.register("rectification-situations", SituationViewSet, basename="api-rectification-situation")
    router.register("rectification-visit-items", VisitItemViewSet, basename="api-rectification-visit-item")
    router.register("rectification-warnings", WarningViewSet, basename="api-rectification-warning")
