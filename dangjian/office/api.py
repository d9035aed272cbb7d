"""REST endpoints of the office app: reads through the scope layer and the pages' FilterSets, writes
through the same services as the pages. Every org or person named in a request is fetched through
`restrict` first, so one outside the user's scope answers 404 (an org) or 400 (a person) and writes
nothing."""

from __future__ import annotations

from django.db.models import Prefetch
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

from . import serializers as S
from .filtersets import (
    ContactPointFilter,
    DutyFilter,
    FieldVisitFilter,
    LeaderFilter,
    LeaderVisitFilter,
    PostFilter,
    SelectionFilter,
)
from .models import (
    ContactLeader,
    ContactLeaderVisit,
    ContactPoint,
    Duty,
    FieldVisit,
    Post,
    PostHolder,
    StaffRequest,
    StaffRequestStep,
    StaffSelection,
)
from .requests_views import RequestFilter, StaffingFilter, staffing_queryset
from .services import contacts, field, leaders, posts, selections
from .services import requests as requests_svc


def _org(request, pk) -> Org:
    return get_scoped_or_404(Org, request.user, "view", pk=pk)


def _user(request, pk, field_name: str) -> User | None:
    """A person the requester may see; anyone else is refused like an unknown id."""
    if pk is None:
        return None
    found = User.objects.restrict(request.user, "view").filter(pk=pk).first()
    if found is None:
        raise DomainError("未找到该人员，或不在您的管理范围内。", field=field_name)
    return found


class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve through `restrict`; writes are explicit actions below."""

    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, "view")


class PostViewSet(ReadOnly):
    route_scope = RouteScope("list", model=Post)
    serializer_class = S.OfficePostSerializer
    filterset_class = PostFilter

    def base_queryset(self):
        return Post.objects.select_related("office").prefetch_related(
            Prefetch("duties", queryset=Duty.objects.order_by("position")),
            Prefetch("holders", queryset=PostHolder.objects.select_related("user").order_by("-since", "-pk")),
        )

    def _post(self, pk) -> Post:
        return get_scoped_or_404(Post, self.request.user, "view", pk=pk)

    def _fresh(self, pk) -> dict:
        return S.OfficePostSerializer(self.base_queryset().get(pk=pk)).data

    @extend_schema(request=S.OfficePostCreateSerializer, responses={201: S.OfficePostSerializer})
    def create(self, request):
        data = validated(S.OfficePostCreateSerializer, request.data)
        township = _org(request, data.pop("township"))
        duties = data.pop("duties", None)
        post = posts.create_post(request.user, township, data.pop("name"), data.pop("kind"), **data)
        if duties:
            posts.set_duties(request.user, post, duties)
        return Response(self._fresh(post.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=S.OfficePostUpdateSerializer, responses=S.OfficePostSerializer)
    def partial_update(self, request, pk=None):
        post = self._post(pk)
        data = validated(S.OfficePostUpdateSerializer, request.data)
        values = {
            "name": post.name,
            "kind": post.kind,
            "full_time": post.full_time,
            "sort_order": post.sort_order,
        }
        posts.update_post(request.user, post, **(values | data))
        return Response(self._fresh(post.pk))

    @extend_schema(
        request=S.OfficeDutiesSerializer,
        responses=S.OfficePostSerializer,
        description="按顺序替换岗位的全部职责。",
    )
    @action(detail=True, methods=["post"])
    def duties(self, request, pk=None):
        post = self._post(pk)
        posts.set_duties(request.user, post, validated(S.OfficeDutiesSerializer, request.data)["duties"])
        return Response(self._fresh(post.pk))

    @extend_schema(request=S.PostAppointSerializer, responses={201: S.PostHolderSerializer})
    @action(detail=True, methods=["post"])
    def appoint(self, request, pk=None):
        post = self._post(pk)
        data = validated(S.PostAppointSerializer, request.data)
        user = _user(request, data["user"], "user")
        holder = posts.appoint_holder(request.user, post, user, data["since"], note=data["note"])
        return Response(S.PostHolderSerializer(holder).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None, responses=S.OfficePostSerializer, description="撤销岗位（现任人员同时离岗）。"
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        post = posts.archive_post(request.user, self._post(pk))
        return Response(self._fresh(post.pk))


class DutyViewSet(viewsets.ReadOnlyModelViewSet):
    route_scope = RouteScope("list", model=Duty)
    serializer_class = S.OfficeDutySerializer
    filterset_class = DutyFilter

    def get_queryset(self):
        return Duty.objects.restrict(self.request.user, "view").order_by("post_id", "position")


class SelectionViewSet(ReadOnly):
    route_scope = RouteScope("list", model=StaffSelection)
    serializer_class = S.StaffSelectionSerializer
    filterset_class = SelectionFilter

    def base_queryset(self):
        return StaffSelection.objects.prefetch_related("steps__recorded_by")

    @extend_schema(request=S.StaffSelectionCreateSerializer, responses={201: S.StaffSelectionSerializer})
    def create(self, request):
        data = validated(S.StaffSelectionCreateSerializer, request.data)
        township = _org(request, data.pop("township"))
        user = _user(request, data.pop("candidate_user"), "candidate_user")
        post_id = data.pop("intended_post")
        intended = get_scoped_or_404(Post, request.user, "view", pk=post_id) if post_id else None
        selection = selections.open_selection(
            request.user,
            township,
            data.pop("candidate_name"),
            data.pop("route"),
            candidate_user=user,
            intended_post=intended,
            **data,
        )
        return Response(S.StaffSelectionSerializer(selection).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=S.SelectionStepCreateSerializer,
        responses={201: S.SelectionStepSerializer},
        description="登记下一环节：个人自荐（nomination）、分管领导推荐（recommendation）、乡镇审核（review，"
        "须填审核结果和意见）、任用到岗（appointment，须审核同意并指定岗位）。",
    )
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        selection = get_scoped_or_404(StaffSelection, request.user, "view", pk=pk)
        data = validated(S.SelectionStepCreateSerializer, request.data)
        post_id = data.pop("post")
        post = get_scoped_or_404(Post, request.user, "view", pk=post_id) if post_id else None
        step = selections.record_step(request.user, selection, data.pop("kind"), post=post, **data)
        return Response(S.SelectionStepSerializer(step).data, status=status.HTTP_201_CREATED)


class ContactPointViewSet(ReadOnly):
    route_scope = RouteScope("list", model=ContactPoint)
    serializer_class = S.ContactPointSerializer
    filterset_class = ContactPointFilter

    def base_queryset(self):
        return ContactPoint.objects.select_related("org", "staff")

    @extend_schema(request=S.ContactPointCreateSerializer, responses={201: S.ContactPointSerializer})
    def create(self, request):
        data = validated(S.ContactPointCreateSerializer, request.data)
        branch = _org(request, data["org"])
        township = _org(request, data["township"]) if data["township"] else None
        staff = _user(request, data["staff"], "staff")
        point = contacts.assign_contact(
            request.user, branch, staff, data["since"], township=township, note=data["note"]
        )
        return Response(S.ContactPointSerializer(point).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=S.ContactEndSerializer, responses=S.ContactPointSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        point = get_scoped_or_404(ContactPoint, request.user, "view", pk=pk)
        data = validated(S.ContactEndSerializer, request.data)
        point = contacts.end_contact(request.user, point, data["until"])
        return Response(S.ContactPointSerializer(point).data)


class LeaderViewSet(ReadOnly):
    route_scope = RouteScope("list", model=ContactLeader)
    serializer_class = S.ContactLeaderSerializer
    filterset_class = LeaderFilter

    def base_queryset(self):
        return ContactLeader.objects.prefetch_related("pairings")

    @extend_schema(request=S.ContactLeaderCreateSerializer, responses={201: S.ContactLeaderSerializer})
    def create(self, request):
        data = validated(S.ContactLeaderCreateSerializer, request.data)
        county = _org(request, data["county"])
        villages = [_org(request, pk) for pk in data["villages"]]
        user = _user(request, data["user"], "user")
        leader = leaders.create_leader(
            request.user,
            county,
            data["name"],
            data["title"],
            data["year"],
            villages,
            user=user,
            note=data["note"],
        )
        return Response(S.ContactLeaderSerializer(leader).data, status=status.HTTP_201_CREATED)


class LeaderVisitViewSet(ReadOnly):
    route_scope = RouteScope("list", model=ContactLeaderVisit)
    serializer_class = S.ContactLeaderVisitSerializer
    filterset_class = LeaderVisitFilter

    def base_queryset(self):
        return ContactLeaderVisit.objects.select_related("org")

    @extend_schema(
        request=S.ContactLeaderVisitCreateSerializer, responses={201: S.ContactLeaderVisitSerializer}
    )
    def create(self, request):
        data = validated(S.ContactLeaderVisitCreateSerializer, request.data)
        leader = get_scoped_or_404(ContactLeader, request.user, "view", pk=data["leader"])
        village = _org(request, data["org"])
        visit = leaders.record_leader_visit(
            request.user, leader, village, data["visited_on"], data["activity"]
        )
        return Response(S.ContactLeaderVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class FieldVisitViewSet(ReadOnly):
    route_scope = RouteScope("list", model=FieldVisit)
    serializer_class = S.FieldVisitSerializer
    filterset_class = FieldVisitFilter

    def base_queryset(self):
        return FieldVisit.objects.select_related("org", "staff")

    @extend_schema(request=S.FieldVisitCreateSerializer, responses={201: S.FieldVisitSerializer})
    def create(self, request):
        data = validated(S.FieldVisitCreateSerializer, request.data)
        branch = _org(request, data.pop("org"))
        staff = _user(request, data.pop("staff"), "staff")
        visit = field.record_field_visit(
            request.user,
            staff,
            branch,
            data.pop("visited_on"),
            int(data.pop("half_days")),
            data.pop("purpose"),
            **data,
        )
        return Response(S.FieldVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class StaffRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """党建办人员提级管理申请: the township submits; the county approves or returns (`approve`, `return`)."""

    serializer_class = S.StaffRequestSerializer
    filterset_class = RequestFilter
    route_scope = RouteScope("list", model=StaffRequest)
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        steps = StaffRequestStep.objects.select_related("actor").order_by("at", "pk")
        return (
            StaffRequest.objects.restrict(self.request.user)
            .select_related("org", "person", "post")
            .prefetch_related(Prefetch("steps", queryset=steps))
            .order_by("-created_at", "-pk")
        )

    def _fresh(self, req):
        return self.get_serializer(self.get_queryset().get(pk=req.pk)).data

    @extend_schema(request=S.StaffRequestCreateSerializer, responses={201: S.StaffRequestSerializer})
    def create(self, request):
        d = validated(S.StaffRequestCreateSerializer, request.data)
        township = get_scoped_or_404(Org, request.user, "view", pk=d.pop("township"))
        person = User.objects.restrict(request.user).filter(pk=d.pop("person")).first()
        if person is None:
            raise DomainError("所选人员不存在或不在您的管辖范围内。", "person")
        posts = {p.pk: p for p in Post.objects.filter(org=township, pk__in=[d["post"], d.get("to_post")])}
        d["post"], d["to_post"] = posts.get(d["post"]), posts.get(d.get("to_post"))
        req = requests_svc.submit_request(request.user, township, d.pop("kind"), person=person, **d)
        return Response(self._fresh(req), status=status.HTTP_201_CREATED)

    @extend_schema(request=S.StaffRequestNoteSerializer, responses=S.StaffRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        req = get_scoped_or_404(StaffRequest, request.user, "view", pk=pk)
        d = validated(S.StaffRequestNoteSerializer, request.data)
        return Response(self._fresh(requests_svc.approve_request(request.user, req, **d)))

    @extend_schema(request=S.StaffRequestNoteSerializer, responses=S.StaffRequestSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        req = get_scoped_or_404(StaffRequest, request.user, "view", pk=pk)
        d = validated(S.StaffRequestNoteSerializer, request.data)
        return Response(self._fresh(requests_svc.return_request(request.user, req, **d)))

    @extend_schema(request=S.StaffRequestResubmitSerializer, responses=S.StaffRequestSerializer)
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        req = get_scoped_or_404(StaffRequest, request.user, "view", pk=pk)
        d = validated(S.StaffRequestResubmitSerializer, request.data)
        return Response(self._fresh(requests_svc.resubmit_request(request.user, req, **d)))


class StaffingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """党建办人员配备: every post in force, its holder, since when, tenure in years, pending requests."""

    serializer_class = S.StaffingSerializer
    filterset_class = StaffingFilter
    route_scope = RouteScope("list", model=Post)

    def get_queryset(self):
        return staffing_queryset().restrict(self.request.user).order_by("org__path", "sort_order", "pk")


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("office-posts", PostViewSet, basename="api-office-post")
    router.register("office-duties", DutyViewSet, basename="api-office-duty")
    router.register("staff-selections", SelectionViewSet, basename="api-staff-selection")
    router.register("contact-points", ContactPointViewSet, basename="api-contact-point")
    router.register("contact-leaders", LeaderViewSet, basename="api-contact-leader")
    router.register("contact-leader-visits", LeaderVisitViewSet, basename="api-contact-leader-visit")
    router.register("field-visits", FieldVisitViewSet, basename="api-field-visit")
    router.register("office-staff-requests", StaffRequestViewSet, basename="api-office-staff-request")
    router.register("office-staffing", StaffingViewSet, basename="api-office-staffing")
