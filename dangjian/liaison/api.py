"""REST endpoints of deputies' liaison: reads through the scope layer and the pages' FilterSets, writes
through services.py (same refusals, same Chinese messages). Outside scope is 404."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.members.models import Person
from dangjian.orgs.models import Org

from . import selectors, services
from .filtersets import ConsultationFilter, ContactFilter, DeputyFilter
from .models import Consultation, Contact, Deputy
from .serializers import (
    DeputyContactInSerializer,
    DeputyContactSerializer,
    DeputyInSerializer,
    DeputySerializer,
    LiaisonConsultationInSerializer,
    LiaisonConsultationSerializer,
)


class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "head", "options"]


def _scoped(model, request, pk):
    return get_scoped_or_404(model, request.user, "view", pk=pk)


class DeputyViewSet(ReadOnly):
    """党代表、人大代表、政协委员 with their contacts and consultation meetings this year."""

    serializer_class = DeputySerializer
    filterset_class = DeputyFilter
    route_scope = RouteScope("list", model=Deputy)

    def get_queryset(self):
        return selectors.deputies(self.request.user, timezone.localdate().year).order_by(
            "org__path", "kind", "pk"
        )

    @extend_schema(request=DeputyInSerializer, responses={201: DeputySerializer})
    def create(self, request):
        data = validated(DeputyInSerializer, request.data)
        org = _scoped(Org, request, data.pop("org"))
        person_id = data.pop("person")
        data["person"] = None if person_id is None else _scoped(Person, request, person_id)
        deputy = services.add_deputy(request.user, org, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=deputy.pk)).data, status=201)

    @extend_schema(request=DeputyContactInSerializer, responses={201: DeputyContactSerializer})
    @action(detail=True, methods=["post"])
    def contacts(self, request, pk=None):
        """Record a contact of this deputy with a branch or a resident."""
        deputy = _scoped(Deputy, request, pk)
        data = validated(DeputyContactInSerializer, request.data)
        branch_id = data.pop("branch")
        data["branch"] = None if branch_id is None else _scoped(Org, request, branch_id)
        contact = services.record_contact(request.user, deputy, **data)
        return Response(DeputyContactSerializer(contact).data, status=201)


class ContactViewSet(ReadOnly):
    """代表委员联系记录."""

    serializer_class = DeputyContactSerializer
    filterset_class = ContactFilter
    route_scope = RouteScope("list", model=Contact)
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return selectors.contacts(self.request.user).order_by("-contacted_on", "-pk")


class ConsultationViewSet(ReadOnly):
    """协商议事会 with the deputies who attended."""

    serializer_class = LiaisonConsultationSerializer
    filterset_class = ConsultationFilter
    route_scope = RouteScope("list", model=Consultation)

    def get_queryset(self):
        return (
            selectors.consultations(self.request.user)
            .prefetch_related("attendees")
            .order_by("-held_on", "-pk")
        )

    @extend_schema(request=LiaisonConsultationInSerializer, responses={201: LiaisonConsultationSerializer})
    def create(self, request):
        data = validated(LiaisonConsultationInSerializer, request.data)
        org = _scoped(Org, request, data.pop("org"))
        ids = list(dict.fromkeys(data.pop("attendees")))
        found = list(Deputy.objects.restrict(request.user).filter(pk__in=ids).select_related("org"))
        if len(found) != len(ids):
            raise Http404("未找到")
        meeting = services.record_consultation(request.user, org, attendees=found, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data, status=201)


def register(router) -> None:
    """This app's API endpoints on the /api/v1/ router."""
    router.register("deputies", DeputyViewSet, basename="api-deputy")
    router.register("deputy-contacts", ContactViewSet, basename="api-deputy-contact")
    router.register("consultations", ConsultationViewSet, basename="api-consultation")
