"""REST endpoints of the 3+X analysis: reads through the scope layer, writes through services.py, so
the API refuses what the pages refuse, in the same words."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.orgs.models import Department

from . import selectors, services, stats
from . import serializers as Z
from .filtersets import ReviewFilter, TopicFilter
from .models import MonthlyReview, ReviewTopic
from .views import base_url, pack_file

FILE = OpenApiResponse(OpenApiTypes.BINARY, description="文件")


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """3+X monthly analyses the user may see; retrieve carries the live pack (completion, scorecard,
    next month's tasks); `publish` sends it to the subtree with read-sign; docx/xlsx/pdf download it."""

    route_scope = RouteScope("list", model=MonthlyReview)
    filterset_class = ReviewFilter
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.reviews(self.request.user)

    def get_serializer_class(self):
        return Z.ReviewSerializer if self.action == "list" else Z.ReviewDetailSerializer

    def review(self) -> MonthlyReview:
        return get_scoped_or_404(MonthlyReview, self.request.user, "view", pk=self.kwargs["pk"])

    def answer(self, review: MonthlyReview, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=review.pk)
        ctx = {"request": self.request, "pack": stats.build_pack(self.request.user, fresh)}
        return Response(Z.ReviewDetailSerializer(fresh, context=ctx).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self.answer(self.review())

    @extend_schema(request=Z.ReviewCreateSerializer, responses={201: Z.ReviewDetailSerializer})
    def create(self, request):
        v = validated(Z.ReviewCreateSerializer, request.data)
        org = selectors.viewable_orgs(request.user).filter(pk=v["org"]).first()
        if org is None:
            raise DomainError("所选组织不存在或不在您的管辖范围内。", "org")
        review = services.create_review(request.user, org=org, month=v["month"])
        return self.answer(review, status.HTTP_201_CREATED)

    @extend_schema(request=Z.ReviewPatchSerializer, responses=Z.ReviewDetailSerializer)
    def partial_update(self, request, pk=None):
        review = self.review()
        v = validated(Z.ReviewPatchSerializer, request.data)
        return self.answer(services.update_review(request.user, review, **v))

    @extend_schema(request=Z.PublishSerializer, responses=Z.ReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        review = self.review()
        v = validated(Z.PublishSerializer, request.data)
        done = services.publish_review(request.user, review, base_url=base_url(request), sign_by=v["sign_by"])
        return self.answer(done)

    @extend_schema(responses={200: FILE})
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        return pack_file(request, self.review(), "docx")

    @extend_schema(responses={200: FILE})
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        return pack_file(request, self.review(), "xlsx")

    @extend_schema(responses={200: FILE})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        return pack_file(request, self.review(), "pdf")


class TopicViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The X topics of the analyses the user may see."""

    route_scope = RouteScope("list", model=ReviewTopic)
    serializer_class = Z.TopicSerializer
    filterset_class = TopicFilter
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.topics(self.request.user)

    def _fields(self, review: MonthlyReview, v: dict) -> dict:
        v.pop("review", None)
        if v.get("department") is not None:
            dept = Department.objects.filter(pk=v["department"], county_id=review.county_id).first()
            if dept is None:
                raise DomainError("邀请部门须为本县的县直部门。", "department")
            v["department"] = dept
        return v

    @extend_schema(request=Z.TopicInputSerializer, responses={201: Z.TopicSerializer})
    def create(self, request):
        v = validated(Z.TopicInputSerializer, request.data)
        if v.get("review") is None:
            raise DomainError("请指定月度分析。", "review")
        review = selectors.reviews(request.user).filter(pk=v["review"]).first()
        if review is None:
            raise DomainError("月度分析不存在或不在您的管辖范围内。", "review")
        topic = services.add_topic(request.user, review, **self._fields(review, v))
        return Response(Z.TopicSerializer(topic).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=Z.TopicInputSerializer, responses=Z.TopicSerializer)
    def partial_update(self, request, pk=None):
        topic = get_scoped_or_404(ReviewTopic, request.user, "view", pk=pk)
        v = validated(Z.TopicInputSerializer, request.data)
        topic = services.update_topic(request.user, topic, **self._fields(topic.review, v))
        return Response(Z.TopicSerializer(topic).data)

    def destroy(self, request, pk=None):
        topic = get_scoped_or_404(ReviewTopic, request.user, "view", pk=pk)
        services.remove_topic(request.user, topic)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router) -> None:
    """Register this app's endpoints on the /api/v1/ router."""
    router.register("reviews", ReviewViewSet, basename="api-review")
    router.register("review-topics", TopicViewSet, basename="api-reviewtopic")
