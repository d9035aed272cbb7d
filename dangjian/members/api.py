"""REST endpoints of the roster: reads through the scope layer and the page's FilterSet, writes through
services.roster, full ID numbers and phones only through the audited reveal action."""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import selectors
from .filtersets import MemberFilter
from .models import Member, Person
from .serializers import (
    AnonymiseSerializer,
    MemberCreateSerializer,
    MemberSerializer,
    MemberWriteSerializer,
    PersonAnonymisedSerializer,
    PersonExportSerializer,
    RevealedSerializer,
    RevealSerializer,
)
from .services import privacy, roster


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    route_scope = RouteScope("list", model=Member)
    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    filter_backends = [DjangoFilterBackend]  # sorting is the FilterSet's `ordering`, as on the page

    def get_queryset(self):
        return selectors.roster(self.request.user)

    def _member(self, pk) -> Member:
        return get_scoped_or_404(Member, self.request.user, "view", pk=pk)

    @extend_schema(request=MemberCreateSerializer, responses={201: MemberSerializer})
    def create(self, request):
        values = validated(MemberCreateSerializer, request.data)
        org = get_scoped_or_404(Org, request.user, "view", pk=values.pop("org"))
        member = roster.create_member(request.user, org, _member_data(values, org))
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberWriteSerializer, responses=MemberSerializer)
    def partial_update(self, request, pk=None):
        member = self._member(pk)
        values = validated(MemberWriteSerializer, request.data)
        data = _member_data(values, member.org, base=roster.member_data(member))
        member = roster.update_member(request.user, member, data)
        return Response(MemberSerializer(member).data)

    @extend_schema(request=RevealSerializer, responses=RevealedSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        member = self._member(pk)
        values = validated(RevealSerializer, request.data)
        return Response(roster.reveal_pii(request.user, member, values.get("reason", "")))


class PersonViewSet(viewsets.GenericViewSet):
    """A person's own data (members and applicants alike): everything held about them, and
    anonymisation where the law allows; county admins only, both audited (services.privacy)."""

    route_scope = RouteScope("list", model=Person)
    serializer_class = PersonExportSerializer

    def get_queryset(self):
        return Person.objects.restrict(self.request.user, "view")

    @extend_schema(responses=PersonExportSerializer)
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        person = get_scoped_or_404(Person, request.user, "view", pk=pk)
        return Response(privacy.export_person(request.user, person))

    @extend_schema(request=AnonymiseSerializer, responses=PersonAnonymisedSerializer)
    @action(detail=True, methods=["post"])
    def anonymise(self, request, pk=None):
        person = get_scoped_or_404(Person, request.user, "view", pk=pk)
        values = validated(AnonymiseSerializer, request.data)
        person = privacy.anonymise_person(request.user, person, values["reason"])
        return Response({"person": person.pk, "name": person.name})


def _member_data(
    values: dict[str, Any], org: Org, base: roster.MemberData | None = None
) -> roster.MemberData:
    """Given values over `base`; a group is named by id and must be one of the branch's groups (an id
    elsewhere gets the same answer as a wrong one, so nothing outside scope is confirmed)."""
    data = base or roster.MemberData(name="")
    if "group" in values:
        group_id = values.pop("group")
        data.group = (
            Org.objects.filter(pk=group_id, parent=org, kind=OrgKind.GROUP).first() if group_id else None
        )
        if group_id and data.group is None:
            raise DomainError("所选党小组不属于该党支部。", field="group")
    for name, value in values.items():
        setattr(data, name, value)
    return data


def register(router) -> None:
    """Register the roster endpoints on the /api/v1/ router."""
    router.register("members", MemberViewSet, basename="api-member")
    router.register("people", PersonViewSet, basename="api-person")
