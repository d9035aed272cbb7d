"""REST endpoints of the two committees: reads through the scope layer and the pages' FilterSets, writes
through services.py (same refusals, same Chinese messages). Rows outside scope answer 404."""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.members.choices import Gender
from dangjian.orgs.models import Org

from . import services
from .filtersets import PostFilter
from .models import POST_RANK, Committee, CommitteeKind, Post, PostKind


class PostSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    is_vacant = serializers.BooleanField(read_only=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "committee",
            "org",
            "org_name",
            "kind",
            "answers_for",
            "duties",
            "person",
            "name",
            "gender",
            "since",
            "until",
            "end_reason",
            "vacant_since",
            "is_vacant",
        ]


class CommitteeSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    current_posts = PostSerializer(source="current", many=True, read_only=True)

    class Meta:
        model = Committee
        fields = [
            "id",
            "org",
            "org_name",
            "county",
            "kind",
            "term_start",
            "term_end",
            "next_election_on",
            "current_posts",
        ]


class CommitteeCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CommitteeKind.choices)
    term_start = serializers.DateField()
    next_election_on = serializers.DateField(required=False, allow_null=True)


class AppointSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PostKind.choices)
    name = serializers.CharField(max_length=40)
    gender = serializers.ChoiceField(choices=Gender.choices)
    since = serializers.DateField()
    answers_for = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    duties = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class EndSerializer(serializers.Serializer):
    until = serializers.DateField()
    reason = serializers.CharField(max_length=100)


class CommitteeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """村“两委”班子 (current and past terms) with their current posts."""

    serializer_class = CommitteeSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["kind", "org"]
    route_scope = RouteScope("list", model=Committee)
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        current = Post.objects.filter(until__isnull=True).order_by(POST_RANK, "since", "pk")
        return (
            Committee.objects.restrict(self.request.user)
            .select_related("org")
            .prefetch_related(Prefetch("posts", queryset=current.select_related("org"), to_attr="current"))
            .order_by("org__path", "kind", "-term_start")
        )

    @extend_schema(request=CommitteeCreateSerializer, responses={201: CommitteeSerializer})
    def create(self, request):
        data = validated(CommitteeCreateSerializer, request.data)
        org = get_scoped_or_404(Org, request.user, "view", pk=data.pop("org"))
        committee = services.create_committee(request.user, org, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=committee.pk)).data, status=201)

    @extend_schema(request=AppointSerializer, responses={201: PostSerializer})
    @action(detail=True, methods=["post"])
    def appoint(self, request, pk=None):
        committee = get_scoped_or_404(Committee, request.user, "view", pk=pk)
        data = validated(AppointSerializer, request.data)
        post = services.appoint(request.user, committee, data.pop("kind"), **data)
        return Response(PostSerializer(post).data, status=status.HTTP_201_CREATED)


class PostViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """村“两委”职务: holders, past holders and vacancies."""

    serializer_class = PostSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PostFilter
    route_scope = RouteScope("list", model=Post)
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (
            Post.objects.restrict(self.request.user).select_related("org").order_by("org__path", "kind", "pk")
        )

    @extend_schema(request=EndSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        post = get_scoped_or_404(Post, request.user, "view", pk=pk)
        data = validated(EndSerializer, request.data)
        return Response(PostSerializer(services.end_post(request.user, post, **data)).data)


def register(router) -> None:
    """Register this app's endpoints on the /api/v1/ router."""
    router.register("village-committees", CommitteeViewSet, basename="api-village-committee")
    router.register("village-posts", PostViewSet, basename="api-village-post")
