"""REST endpoints: my notifications (list, read one, read all), my preferences (GET/PUT), and the
delivery log (scoped: own, and a county admin's subtree)."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.routes import RouteScope

from . import services
from .filtersets import DeliveryFilter, NotificationFilter
from .models import Delivery, Notification
from .serializers import (
    DeliverySerializer,
    NotificationSerializer,
    PreferenceSerializer,
    ReadAllResultSerializer,
    ReadAllSerializer,
)


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's notifications, unread first."""

    route_scope = RouteScope("user", model=Notification)
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        from django.db.models import F

        return Notification.objects.restrict(self.request.user).order_by(
            F("read_at").asc(nulls_first=True), "-created_at", "-pk"
        )

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        n = services.mark_read(request.user, self.get_object())
        return Response(NotificationSerializer(n).data)

    @extend_schema(request=ReadAllSerializer, responses=ReadAllResultSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        v = validated(ReadAllSerializer, request.data)
        return Response({"marked": services.mark_all_read(request.user, kind=v.get("kind") or "")})

    def get_object(self):
        """OPTIONS on /preferences/ (GET/PUT, no id) asks DRF's metadata for the object being edited:
        that is the user's own preference, not a notification looked up by a pk the URL has not got."""
        route = getattr(self.request.resolver_match, "url_name", "") or ""
        if self.action == "preferences" or route.endswith("-preferences"):  # OPTIONS sets action="metadata"
            return services.preference_for(self.request.user)
        return super().get_object()

    @extend_schema(methods=["GET"], request=None, responses=PreferenceSerializer)
    @extend_schema(methods=["PUT"], request=PreferenceSerializer, responses=PreferenceSerializer)
    @action(detail=False, methods=["get", "put"], serializer_class=PreferenceSerializer)
    def preferences(self, request):
        if request.method == "PUT":
            v = validated(PreferenceSerializer, request.data)
            current = PreferenceSerializer(services.preference_for(request.user)).data
            pref = services.save_preferences(request.user, **(dict(current) | v))
        else:
            pref = services.preference_for(request.user)
        return Response(PreferenceSerializer(pref).data)


class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The delivery log: what was sent to whom, on which channel, and when."""

    route_scope = RouteScope("list", model=Delivery)
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return (
            Delivery.objects.restrict(self.request.user)
            .select_related("notification__user")
            .order_by("-created_at", "-pk")
        )


def register(router) -> None:
    """Register this app's endpoints on the /api/v1/ router."""
    router.register("notifications", NotificationViewSet, basename="api-notification")
    router.register("notification-deliveries", DeliveryViewSet, basename="api-notification-delivery")
