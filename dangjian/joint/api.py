"""REST endpoints of the joint branches: their rosters, and appointing to and ending posts, through the
same services as the pages (same refusals, same Chinese messages). Outside scope is 404."""

from __future__ import annotations

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.orgs.models import Org

from . import selectors, services
from .filtersets import JointBranchFilter, JointPostFilter
from .models import JointPost
from .serializers import (
    JointBranchSerializer,
    JointPostEndSerializer,
    JointPostInSerializer,
    JointPostSerializer,
)


class JointPostViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """联村党总支班子成员 (书记、副书记), current and past; POST appoints, `end` records leaving."""

    serializer_class = JointPostSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = JointPostFilter
    route_scope = RouteScope("list", model=JointPost)
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (
            JointPost.objects.restrict(self.request.user, "view")
            .select_related("org")
            .prefetch_related("villages")
            .order_by("org__path", "kind", "since", "pk")
        )

    @extend_schema(request=JointPostInSerializer, responses={201: JointPostSerializer})
    def create(self, request):
        data = validated(JointPostInSerializer, request.data)
        joint = get_scoped_or_404(Org, request.user, "view", pk=data.pop("org"))
        ids = list(dict.fromkeys(data.pop("villages")))
        villages = list(Org.objects.restrict(request.user, "view").filter(pk__in=ids))
        if len(villages) != len(ids):
            raise Http404("未找到")
        post = services.appoint(request.user, joint, villages=villages, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=post.pk)).data, status=201)

    @extend_schema(request=JointPostEndSerializer, responses={200: JointPostSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Record that this member left the team."""
        post = get_scoped_or_404(JointPost, request.user, "view", pk=pk)
        data = validated(JointPostEndSerializer, request.data)
        post = services.end_post(request.user, post, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=post.pk)).data)


class JointBranchViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """联村党总支 with their whole team: secretary, deputies, members (the villages' branch secretaries)
    and which of the seven powers their county has turned on."""

    serializer_class = JointBranchSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = JointBranchFilter
    route_scope = RouteScope("list", model=Org)
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return selectors.joint_branches(self.request.user).order_by("path")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = [_branch(r) for r in selectors.rosters(request.user, list(page))]
        return self.get_paginated_response(JointBranchSerializer(rows, many=True).data)


def _branch(r: selectors.Roster) -> dict:
    return {
        "id": r.joint.pk,
        "name": r.joint.name,
        "township": r.joint.parent.name if r.joint.parent_id else "",
        "secretary": r.secretary,
        "deputies": r.deputies,
        "members": [
            {
                "village": v.pk,
                "village_name": v.name,
                "name": p.name if p else "",
                "since": p.since if p else None,
            }
            for v, p in r.members
        ],
        "powers": r.powers,
    }


def register(router) -> None:
    """This app's API endpoints on the /api/v1/ router."""
    router.register("joint-posts", JointPostViewSet, basename="api-joint-post")
    router.register("joint-branches", JointBranchViewSet, basename="api-joint-branch")
