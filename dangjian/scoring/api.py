"""REST endpoints of the scoring app: reads through the scope layer, writes through services.py (the same
refusals in the same words). Rows outside scope answer 404."""

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

from . import selectors, services
from . import serializers as Z
from .models import Award, Indicator, IndicatorSet, Result, Score, Scorecard

READ = ["get", "head", "options"]
READ_POST = ["get", "post", "head", "options"]


def _org(user, pk, action: str = "view") -> Org:
    org = Org.objects.restrict(user, action).filter(pk=pk).first()
    if org is None:
        raise DomainError("所选组织不存在或不在您的管辖范围内。", "org")
    return org


class IndicatorSetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A county's indicator sets with their indicators (formula visible to whoever is scored by them);
    create, replace the indicators (weights must add up to the total), compute a period, publish the
    scorecard."""

    route_scope = RouteScope("list", model=IndicatorSet)
    http_method_names = READ_POST
    serializer_class = Z.ScoringIndicatorSetSerializer
    filterset_fields = ["year", "county"]

    def get_queryset(self):
        return selectors.sets(self.request.user).prefetch_related("indicators").order_by("-year", "county_id")

    def the_set(self) -> IndicatorSet:
        return get_scoped_or_404(IndicatorSet, self.request.user, "view", pk=self.kwargs["pk"])

    @extend_schema(
        request=Z.ScoringIndicatorSetCreateSerializer, responses={201: Z.ScoringIndicatorSetSerializer}
    )
    def create(self, request):
        v = validated(Z.ScoringIndicatorSetCreateSerializer, request.data)
        county = _org(request.user, v.pop("county"))
        s = services.create_set(request.user, county, **v)
        return Response(Z.ScoringIndicatorSetSerializer(s).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=Z.ScoringIndicatorsReplaceSerializer, responses=Z.ScoringIndicatorSetSerializer)
    @action(detail=True, methods=["post"])
    def indicators(self, request, pk=None):
        s = self.the_set()
        services.replace_indicators(
            request.user, s, validated(Z.ScoringIndicatorsReplaceSerializer, request.data)["indicators"]
        )
        return Response(Z.ScoringIndicatorSetSerializer(self.get_queryset().get(pk=s.pk)).data)

    @extend_schema(request=Z.ScoringPeriodSerializer, responses=Z.ScoringComputeAnswerSerializer)
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        s = self.the_set()
        ap = services.compute(request.user, s, validated(Z.ScoringPeriodSerializer, request.data)["period"])
        count = Result.objects.filter(indicator_set=s, period=ap.period).count()
        return Response({"period": ap.period, "results": count})

    @extend_schema(request=Z.ScoringPublishSerializer, responses={201: Z.ScoringScorecardSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        s = self.the_set()
        card = services.publish_scorecard(
            request.user, s, **validated(Z.ScoringPublishSerializer, request.data)
        )
        return Response(
            Z.ScoringScorecardSerializer(selectors.scorecards(request.user).get(pk=card.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    route_scope = RouteScope("list", model=Indicator)
    http_method_names = READ
    serializer_class = Z.ScoringIndicatorSerializer
    filterset_fields = ["indicator_set", "code"]

    def get_queryset(self):
        return selectors.indicators(self.request.user).order_by("indicator_set_id", "sort_order")


class ScoreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Indicator scores with the records behind each (`details`); POST enters a manual score, refused
    without evidence."""

    route_scope = RouteScope("list", model=Score)
    http_method_names = READ_POST
    serializer_class = Z.ScoringScoreSerializer
    filterset_fields = ["period", "org", "indicator"]

    def get_queryset(self):
        return selectors.scores(self.request.user).order_by("period", "org__path", "indicator__sort_order")

    @extend_schema(request=Z.ScoringManualScoreSerializer, responses={201: Z.ScoringScoreSerializer})
    def create(self, request):
        v = validated(Z.ScoringManualScoreSerializer, request.data)
        indicator = Indicator.objects.restrict(request.user).filter(pk=v.pop("indicator")).first()
        if indicator is None:
            raise DomainError("所选指标不存在或不在您的管辖范围内。", "indicator")
        score = services.enter_score(request.user, indicator, _org(request.user, v.pop("org")), **v)
        return Response(Z.ScoringScoreSerializer(score).data, status=status.HTTP_201_CREATED)


class ResultViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rankings: results per org and period with rank, change from last month and the context note."""

    route_scope = RouteScope("list", model=Result)
    http_method_names = READ
    serializer_class = Z.ScoringResultSerializer
    filterset_fields = ["period", "level", "group", "county", "org"]

    def get_queryset(self):
        return selectors.results(self.request.user).order_by("period", "level", "group_id", "rank")


class ScorecardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published scorecards; POST …/read/ signs as having read it."""

    route_scope = RouteScope("list", model=Scorecard)
    http_method_names = READ_POST
    serializer_class = Z.ScoringScorecardSerializer
    filterset_fields = ["period", "county"]

    def get_queryset(self):
        return selectors.scorecards(self.request.user).order_by("-period", "county_id")

    @extend_schema(request=None, responses=Z.ScoringScorecardSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        card = get_scoped_or_404(Scorecard, request.user, "view", pk=pk)
        services.sign_read(request.user, card)
        return Response(Z.ScoringScorecardSerializer(self.get_queryset().get(pk=card.pk)).data)


class AwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rewards and penalties (两优一先, 示范站, 通报) recorded against units and people."""

    route_scope = RouteScope("list", model=Award)
    http_method_names = READ_POST
    serializer_class = Z.ScoringAwardSerializer
    filterset_fields = ["year", "org", "county"]

    def get_queryset(self):
        return selectors.awards(self.request.user).order_by("-year", "org__path")

    @extend_schema(request=Z.ScoringAwardWriteSerializer, responses={201: Z.ScoringAwardSerializer})
    def create(self, request):
        v = validated(Z.ScoringAwardWriteSerializer, request.data)
        award = services.record_award(request.user, _org(request.user, v.pop("org")), **v)
        return Response(Z.ScoringAwardSerializer(award).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """This app's API endpoints on the /api/v1/ router."""
    router.register("scoring-sets", IndicatorSetViewSet, basename="api-scoring-set")
    router.register("scoring-indicators", IndicatorViewSet, basename="api-scoring-indicator")
    router.register("scoring-scores", ScoreViewSet, basename="api-scoring-score")
    router.register("scoring-results", ResultViewSet, basename="api-scoring-result")
    router.register("scoring-scorecards", ScorecardViewSet, basename="api-scoring-scorecard")
    router.register("scoring-awards", AwardViewSet, basename="api-scoring-award")
