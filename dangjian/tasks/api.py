"""REST endpoints of the monthly task lists: reads through the scope layer and the pages' FilterSets,
writes through services.py, so the API refuses exactly what the pages refuse, with the same Chinese
message (a DomainError is a 400 {field: [message]}; out of scope a 404)."""

from __future__ import annotations

from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.errors import DomainError, NotInScope
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.orgs.models import Org

from . import services, stats, weekly_api
from .choices import ListKind
from .filtersets import AssignmentFilter, TaskListFilter, TaskReportFilter, parse_month
from .models import Assignment, Task, TaskList, TaskReport
from .serializers import (
    AssignmentSerializer,
    DispatchSerializer,
    RelaySerializer,
    RollupSerializer,
    TaskCreateSerializer,
    TaskListCreateSerializer,
    TaskListSerializer,
    TaskReportForSerializer,
    TaskReportInputSerializer,
    TaskReportSerializer,
    TaskSerializer,
)
from .views import home_org

PARSERS = [JSONParser, MultiPartParser, FormParser]


def _orgs(user, ids) -> list[Org]:
    """The orgs named by id, read through the scope layer: unknown and out-of-scope ids read alike."""
    found = {o.pk: o for o in Org.objects.restrict(user).filter(pk__in=list(ids or ()))}
    missing = [i for i in ids or () if i not in found]
    if missing:
        raise DomainError("下达对象不存在或不在您的管辖范围内。", "orgs")
    return [found[i] for i in ids]


class TaskListViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    route_scope = RouteScope("list", model=TaskList)
    serializer_class = TaskListSerializer
    filterset_class = TaskListFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return (
            TaskList.objects.restrict(self.request.user).select_related("org").order_by("-period_start", "pk")
        )

    @extend_schema(request=TaskListCreateSerializer, responses={201: TaskListSerializer})
    def create(self, request):
        v = validated(TaskListCreateSerializer, request.data)
        org = Org.objects.restrict(request.user).filter(pk=v.pop("org")).first()
        if org is None:
            raise DomainError("所选组织不存在或不在您的管辖范围内。", "org")
        tl = services.create_task_list(request.user, org=org, **v)
        return Response(TaskListSerializer(tl).data, status=status.HTTP_201_CREATED)


class TaskViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    route_scope = RouteScope("list", model=Task)
    serializer_class = TaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["task_list", "key", "target_kind"]

    def get_queryset(self):
        return (
            Task.objects.restrict(self.request.user)
            .select_related("org")
            .order_by("task_list_id", "sort_order", "pk")
        )

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer})
    def create(self, request):
        v = validated(TaskCreateSerializer, request.data)
        tl = TaskList.objects.restrict(request.user).filter(pk=v.pop("task_list")).first()
        if tl is None:
            raise DomainError("任务清单不存在或不在您的管辖范围内。", "task_list")
        task = services.add_task(request.user, tl, **v)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DispatchSerializer, responses={201: AssignmentSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_task(self, request, pk=None):
        task = get_scoped_or_404(Task, request.user, "view", pk=pk)
        v = validated(DispatchSerializer, request.data)
        made = services.dispatch(
            request.user,
            task,
            orgs=_orgs(request.user, v["orgs"]),
            kind=v["kind"],
            due=v["due"],
            target_amount=v.get("target_amount"),
        )
        return Response(AssignmentSerializer(made, many=True).data, status=status.HTTP_201_CREATED)


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    route_scope = RouteScope("list", model=Assignment)
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = PARSERS

    def get_queryset(self):
        return (
            Assignment.objects.restrict(self.request.user)
            .select_related("task", "org")
            .order_by("due", "org__path", "pk")
        )

    @extend_schema(request=RelaySerializer, responses={201: AssignmentSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def relay(self, request, pk=None):
        a = get_scoped_or_404(Assignment, request.user, "view", pk=pk)
        v = validated(RelaySerializer, request.data)
        made = services.relay(
            request.user, a, orgs=_orgs(request.user, v["orgs"]), kind=v["kind"], due=v["due"]
        )
        return Response(AssignmentSerializer(made, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TaskReportInputSerializer, responses={201: TaskReportSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        a = get_scoped_or_404(Assignment, request.user, "view", pk=pk)
        v = validated(TaskReportInputSerializer, request.data)
        rep = services.report(request.user, a, **v)
        return Response(TaskReportSerializer(rep).data, status=status.HTTP_201_CREATED)


class TaskReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Reports; `create` reports on {task, org} (report_for): refused when the org was not assigned."""

    route_scope = RouteScope("list", model=TaskReport)
    serializer_class = TaskReportSerializer
    filterset_class = TaskReportFilter
    filter_backends = [DjangoFilterBackend]
    parser_classes = PARSERS

    def get_queryset(self):
        return TaskReport.objects.restrict(self.request.user).prefetch_related("files").select_related("org")

    @extend_schema(request=TaskReportForSerializer, responses={201: TaskReportSerializer})
    def create(self, request):
        v = validated(TaskReportForSerializer, request.data)
        held = Assignment.objects.restrict(request.user)
        task = Task.objects.filter(pk=v.pop("task"), assignments__in=held).distinct().first()
        org = Org.objects.restrict(request.user).filter(pk=v.pop("org")).first()
        if task is None or org is None:
            raise DomainError("该组织未承办此任务，不能报告。", "org")
        rep = services.report_for(request.user, task, org, **v)
        return Response(TaskReportSerializer(rep).data, status=status.HTTP_201_CREATED)


class RollupViewSet(viewsets.ViewSet):
    """The monthly roll-up at an org (default: the user's highest org): its children and its tasks."""

    route_scope = RouteScope("list", model=Assignment)

    @extend_schema(
        parameters=[
            OpenApiParameter("org", int, description="汇总的组织 id"),
            OpenApiParameter("month", str, description="月份，如 2026-11"),
            OpenApiParameter("key", bool, description="只看重点任务"),
        ],
        responses=RollupSerializer,
    )
    def list(self, request):
        user, today = request.user, timezone.localdate()
        raw = request.query_params.get("org", "")
        org = (
            Org.objects.restrict(user).filter(pk=raw).first()
            if raw.isdigit()
            else (None if raw else home_org(user))
        )
        if org is None:
            raise NotInScope
        month = parse_month(request.query_params.get("month")) or today.replace(day=1)
        key_only = request.query_params.get("key") in ("1", "true", "True")
        kw = {
            "under": org,
            "period_start": month,
            "key_only": key_only,
            "today": today,
            "kind": ListKind.MONTHLY,
        }
        data = {
            "org": org.pk,
            "org_name": org.name,
            "month": f"{month:%Y-%m}",
            "children": [r.__dict__ for r in stats.rollup(user, **kw)],
            "tasks": [r.__dict__ for r in stats.task_rollup(user, **kw)],
        }
        return Response(RollupSerializer(data).data)


def register(router) -> None:
    """Register the tasks endpoints on the /api/v1/ router."""
    router.register("task-lists", TaskListViewSet, basename="api-task-list")
    router.register("tasks", TaskViewSet, basename="api-task")
    router.register("assignments", AssignmentViewSet, basename="api-assignment")
    router.register("task-reports", TaskReportViewSet, basename="api-task-report")
    router.register("task-rollup", RollupViewSet, basename="api-task-rollup")
    weekly_api.register(router)
