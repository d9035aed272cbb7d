"""REST endpoints of the notices app: reads through the scope layer and the pages' FilterSets, writes
through services.py, so the API refuses exactly what the pages refuse, with the same Chinese message."""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404

from . import selectors, services
from .filtersets import NoticeFilter, ReceiptFilter, StudyPushFilter, StudyReceiptFilter, TrainingFilter
from .models import Notice, NoticeReceipt, StudyPush, StudyReceipt, Training
from .serializers import (
    NoticeCreateSerializer,
    NoticeDetailSerializer,
    NoticeReceiptSerializer,
    NoticeSerializer,
    NoticeSignSerializer,
    StudyPushCreateSerializer,
    StudyPushDetailSerializer,
    StudyPushSerializer,
    StudyReceiptSerializer,
    TrainingAttendanceInputSerializer,
    TrainingCreateSerializer,
    TrainingDetailSerializer,
    TrainingSerializer,
)

PARSERS = [JSONParser, MultiPartParser, FormParser]


def _org(user, model, org_id):
    """The org to act in, among those where the user may add: anything else reads as unknown (400)."""
    org = selectors.sendable_orgs(user, model).filter(pk=org_id).first()
    if org is None:
        raise DomainError("所选组织不存在或不在您的管辖范围内。", field="org")
    return org


class ReadCreateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    filter_backends = [DjangoFilterBackend]
    parser_classes = PARSERS
    detail_serializer: Any = None

    def get_serializer_class(self):
        return self.detail_serializer if self.action == "retrieve" else self.serializer_class

    def _detail(self, obj, code=status.HTTP_201_CREATED) -> Response:
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.detail_serializer(fresh, context={"request": self.request}).data, status=code)


class NoticeViewSet(ReadCreateViewSet):
    """Notices the user may see (their orgs' notices and those addressed to them); `sign` signs the
    current user's own receipt."""

    route_scope = RouteScope("list", model=Notice)
    serializer_class = NoticeSerializer
    detail_serializer = NoticeDetailSerializer
    filterset_class = NoticeFilter

    def get_queryset(self):
        return selectors.notices(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        notice = self.get_object()
        services.mark_notice_read(request.user, notice)
        return Response(NoticeDetailSerializer(notice, context={"request": request}).data)

    @extend_schema(request=NoticeCreateSerializer, responses={201: NoticeDetailSerializer})
    def create(self, request):
        v = validated(NoticeCreateSerializer, request.data)
        notice = services.send_notice(
            request.user,
            _org(request.user, Notice, v["org"]),
            v["title"],
            v["body"],
            kinds=v["kinds"],
            sign_by=v["sign_by"],
            files=v["files"],
        )
        return self._detail(notice)

    @extend_schema(request=NoticeSignSerializer, responses=NoticeReceiptSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        notice = get_scoped_or_404(Notice, request.user, "view", pk=pk)
        receipt = services.sign_notice(
            request.user, notice, validated(NoticeSignSerializer, request.data)["reply"]
        )
        return Response(NoticeReceiptSerializer(receipt).data)


class NoticeReceiptViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    route_scope = RouteScope("list", model=NoticeReceipt)
    serializer_class = NoticeReceiptSerializer
    filterset_class = ReceiptFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return selectors.receipts(self.request.user).order_by("-notice__sent_at", "org__path", "pk")


class StudyPushViewSet(ReadCreateViewSet):
    route_scope = RouteScope("list", model=StudyPush)
    serializer_class = StudyPushSerializer
    detail_serializer = StudyPushDetailSerializer
    filterset_class = StudyPushFilter

    def get_queryset(self):
        return selectors.pushes(self.request.user)

    @extend_schema(request=StudyPushCreateSerializer, responses={201: StudyPushDetailSerializer})
    def create(self, request):
        v = validated(StudyPushCreateSerializer, request.data)
        push = services.send_study_push(
            request.user,
            _org(request.user, StudyPush, v["org"]),
            v["title"],
            body=v["body"],
            link=v["link"],
            audience=v["audience"],
            files=v["files"],
        )
        return self._detail(push)


class StudyReceiptViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who a push went to, whether they read it, and their read links."""

    route_scope = RouteScope("list", model=StudyReceipt)
    serializer_class = StudyReceiptSerializer
    filterset_class = StudyReceiptFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return selectors.study_receipts(self.request.user).order_by("-push__sent_at", "org__path", "pk")


class TrainingViewSet(ReadCreateViewSet):
    route_scope = RouteScope("list", model=Training)
    serializer_class = TrainingSerializer
    detail_serializer = TrainingDetailSerializer
    filterset_class = TrainingFilter

    def get_queryset(self):
        return selectors.trainings(self.request.user)

    @extend_schema(request=TrainingCreateSerializer, responses={201: TrainingDetailSerializer})
    def create(self, request):
        v = validated(TrainingCreateSerializer, request.data)
        org = _org(request.user, Training, v.pop("org"))
        training = services.create_training(request.user, org, **v)
        return self._detail(training)

    @extend_schema(request=TrainingAttendanceInputSerializer, responses=TrainingDetailSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        training = get_scoped_or_404(Training, request.user, "view", pk=pk)
        entries = [
            services.AttendanceEntry(
                member_id=e["member"],
                user_id=e["user"],
                present=e["present"],
                hours=e["hours"],
                note=e["note"],
            )
            for e in validated(TrainingAttendanceInputSerializer, request.data)["entries"]
        ]
        services.record_attendance(request.user, training, entries)
        return self._detail(training, code=status.HTTP_200_OK)


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("notices", NoticeViewSet, basename="api-notice")
    router.register("notice-receipts", NoticeReceiptViewSet, basename="api-notice-receipt")
    router.register("study-pushes", StudyPushViewSet, basename="api-study-push")
    router.register("study-receipts", StudyReceiptViewSet, basename="api-study-receipt")
    router.register("trainings", TrainingViewSet, basename="api-training")
