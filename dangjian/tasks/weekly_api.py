"""REST endpoints of the two-down two-up weekly cycle: reads through the scope layer and the pages'
FilterSets, writes through weekly.py, so the API refuses exactly what the pages refuse, with the same
Chinese message.

- /api/v1/weekly-cycles/: list, retrieve (with each station's and village's state), create (= issue_week),
  and POST relay/ and draft/ with {cycle, station}: the station is fetched through the scope layer and the
  week through the station's own assignments, so a station chief (who cannot see the township's week
  itself) relays and drafts for its station, and a station outside scope is a 404.
- /api/v1/compilations/: list, retrieve, PATCH body, POST {id}/submit/."""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.orgs.models import Org

from . import weekly as W
from .choices import TargetKind
from .models import Assignment, Compilation, Task, WeeklyCycle
from .weekly_forms import CompilationFilter, WeekFilter

# --- shapes ---------------------------------------------------------------------------------------


class WeekTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "description",
            "key",
            "target_kind",
            "target_value",
            "unit",
            "checklist",
            "due",
        ]
        read_only_fields = fields


class WeeklyCycleSerializer(serializers.ModelSerializer):
    township = serializers.IntegerField(source="org_id", read_only=True)
    township_name = serializers.CharField(source="org.name", read_only=True)
    task_list = serializers.IntegerField(source="task_list_id", read_only=True)

    class Meta:
        model = WeeklyCycle
        fields = ["id", "township", "township_name", "task_list", "week_start", "report_due", "compile_due"]
        read_only_fields = fields


class VillageStateSerializer(serializers.Serializer):
    org_id = serializers.IntegerField()
    name = serializers.CharField()
    state = serializers.ChoiceField(choices=list(W.VILLAGE_LABELS.items()))
    label = serializers.CharField()
    tasks = serializers.IntegerField()
    reported = serializers.IntegerField()
    first_report = serializers.DateTimeField(allow_null=True)


class StationStateSerializer(serializers.Serializer):
    org_id = serializers.IntegerField()
    name = serializers.CharField()
    state = serializers.ChoiceField(choices=list(W.STATION_LABELS.items()))
    label = serializers.CharField()
    relayed = serializers.BooleanField()
    compilation = serializers.SerializerMethodField()
    villages = VillageStateSerializer(many=True)

    def get_compilation(self, row) -> int | None:
        return row.compilation.pk if row.compilation is not None else None


class WeeklyCycleDetailSerializer(WeeklyCycleSerializer):
    tasks = serializers.SerializerMethodField()
    stations = serializers.SerializerMethodField()

    class Meta(WeeklyCycleSerializer.Meta):
        fields = [*WeeklyCycleSerializer.Meta.fields, "tasks", "stations"]
        read_only_fields = fields

    @extend_schema(responses=WeekTaskSerializer(many=True))
    def get_tasks(self, cycle) -> list[dict[str, Any]]:
        tasks = Task.objects.filter(task_list_id=cycle.task_list_id).order_by("sort_order", "pk")
        return WeekTaskSerializer(tasks, many=True).data

    @extend_schema(responses=StationStateSerializer(many=True))
    def get_stations(self, cycle) -> list[dict[str, Any]]:
        return StationStateSerializer(W.week_board(self.context["request"].user, cycle), many=True).data


class TaskInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")
    target_kind = serializers.ChoiceField(choices=TargetKind.choices, default=TargetKind.NUMBER)
    target_value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    checklist = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=50
    )
    key = serializers.BooleanField(required=False, default=False)


class IssueSerializer(serializers.Serializer):
    township = serializers.IntegerField(help_text="乡镇（街道）编号")
    week_start = serializers.DateField(help_text="本周周一")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    tasks = TaskInputSerializer(many=True, help_text="本周任务，至少一项")


class StationWeekSerializer(serializers.Serializer):
    cycle = serializers.IntegerField(help_text="周工作编号")
    station = serializers.IntegerField(help_text="工作站编号")


class RelayResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="新分解的村级承办数")
    villages = serializers.ListField(child=serializers.CharField())


class CompilationSerializer(serializers.ModelSerializer):
    station = serializers.IntegerField(source="org_id", read_only=True)
    station_name = serializers.CharField(source="org.name", read_only=True)
    week_start = serializers.DateField(source="cycle.week_start", read_only=True)
    compile_due = serializers.DateField(source="cycle.compile_due", read_only=True)
    township_name = serializers.CharField(source="cycle.org.name", read_only=True)

    class Meta:
        model = Compilation
        fields = [
            "id",
            "cycle",
            "station",
            "station_name",
            "township_name",
            "week_start",
            "compile_due",
            "state",
            "late",
            "body",
            "figures",
            "drafted_at",
            "submitted_at",
        ]
        read_only_fields = fields


class CompilationInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10000, allow_blank=True)


# --- endpoints ------------------------------------------------------------------------------------


def station_week(user: Any, data: Any) -> tuple[WeeklyCycle, Org]:
    """The station (in scope) and a week whose list reached it; anything else is a 404."""
    values = validated(StationWeekSerializer, data)
    station = get_scoped_or_404(Org, user, "view", pk=values["station"])
    held = Assignment.objects.restrict(user).filter(org=station, parent__isnull=True)
    cycle = WeeklyCycle.objects.filter(pk=values["cycle"], task_list__tasks__assignments__in=held).first()
    if cycle is None:
        from django.http import Http404

        raise Http404("未找到")
    return cycle, station


class WeeklyCycleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Weeks of the two-down two-up cycle (两下两上) issued by townships."""

    route_scope = RouteScope("list", model=WeeklyCycle)
    serializer_class = WeeklyCycleSerializer
    filterset_class = WeekFilter
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return WeeklyCycle.objects.restrict(self.request.user).select_related("org")

    def get_serializer_class(self):
        return WeeklyCycleDetailSerializer if self.action == "retrieve" else WeeklyCycleSerializer

    @extend_schema(request=IssueSerializer, responses={201: WeeklyCycleDetailSerializer})
    def create(self, request):
        """下发本周任务：乡镇向所辖全部工作站下发周任务清单。"""
        values = validated(IssueSerializer, request.data)
        township = get_scoped_or_404(Org, request.user, "view", pk=values["township"])
        cycle = W.issue_week(
            request.user,
            township=township,
            week_start=values["week_start"],
            tasks=[dict(t) for t in values["tasks"]],
            note=values["note"],
        )
        return Response(
            WeeklyCycleDetailSerializer(cycle, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=StationWeekSerializer, responses={201: RelayResultSerializer})
    @action(detail=False, methods=["post"])
    def relay(self, request):
        """分解到各村：工作站把本周任务分解到所辖各村，期限为村级汇报日。"""
        cycle, station = station_week(request.user, request.data)
        made = W.relay_week(request.user, cycle, station)
        names = sorted({a.org.name for a in made})
        return Response({"created": len(made), "villages": names}, status=status.HTTP_201_CREATED)

    @extend_schema(request=StationWeekSerializer, responses={200: CompilationSerializer})
    @action(detail=False, methods=["post"])
    def draft(self, request):
        """起草汇总：按各村汇报起草（或刷新）工作站本周汇总。"""
        cycle, station = station_week(request.user, request.data)
        comp = W.draft_compilation(request.user, cycle, station)
        return Response(CompilationSerializer(comp).data)


class CompilationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Stations' weekly compilations (工作站周汇总)."""

    route_scope = RouteScope("list", model=Compilation)
    serializer_class = CompilationSerializer
    filterset_class = CompilationFilter
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        return Compilation.objects.restrict(self.request.user).select_related("org", "cycle__org")

    def row(self, pk) -> Compilation:
        return get_scoped_or_404(Compilation, self.request.user, "view", pk=pk)

    @extend_schema(request=CompilationInputSerializer, responses=CompilationSerializer)
    def partial_update(self, request, pk=None):
        """修改汇总草稿的正文（已上报的不能修改）。"""
        comp = self.row(pk)
        values = validated(CompilationInputSerializer, request.data)
        W.update_compilation(request.user, comp, body=values["body"])
        return Response(CompilationSerializer(self.get_queryset().get(pk=comp.pk)).data)

    @extend_schema(request=None, responses=CompilationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """上报乡镇：每周只能上报一次，期限后上报记为逾期。"""
        comp = self.row(pk)
        W.submit_compilation(request.user, comp)
        return Response(CompilationSerializer(self.get_queryset().get(pk=comp.pk)).data)


def register(router) -> None:
    """The weekly cycle's endpoints."""
    router.register("weekly-cycles", WeeklyCycleViewSet, basename="api-weekly-cycle")
    router.register("compilations", CompilationViewSet, basename="api-compilation")
