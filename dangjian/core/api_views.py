from rest_framework import viewsets

from .filtersets import AuditEventFilter
from .models import AuditEvent
from .routes import RouteScope
from .serializers import AuditEventSerializer


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only by construction: the audit trail cannot be edited or deleted through the API."""

    route_scope = RouteScope("list", model=AuditEvent)
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter

    def get_queryset(self):
        return AuditEvent.objects.restrict(self.request.user).order_by("-created_at", "-id")
