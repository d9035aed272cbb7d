"""API shapes of task lists, tasks, assignments, reports and the roll-up. Inputs are only shaped here;
the rules and their Chinese messages are services.py's."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .choices import ListKind, TargetKind
from .forms import KIND_CHOICES
from .models import Assignment, Task, TaskList, TaskReport, TaskReportFile

DISPATCH_KIND_CHOICES = [k for k, _ in KIND_CHOICES if k]


class TaskListSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = TaskList
        fields = ["id", "org", "org_name", "kind", "period_start", "period_end", "title", "note", "issued_at"]
        read_only_fields = fields


class TaskListCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="下达组织 id（县、乡镇或工作站）")
    kind = serializers.ChoiceField(
        choices=[(ListKind.MONTHLY, ListKind.MONTHLY.label)],
        default=ListKind.MONTHLY,
        help_text="月度清单；周任务清单经 /api/v1/weekly-cycles/ 下发（两下两上）",
        error_messages={"invalid_choice": "这里只能新建月度任务清单；周任务清单请通过“两下两上”下发。"},
    )
    period_start = serializers.DateField(help_text="期间内任一日期；月度清单取当月1日")
    title = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TaskSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    target_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "task_list",
            "org",
            "org_name",
            "title",
            "description",
            "key",
            "target_kind",
            "target_value",
            "unit",
            "checklist",
            "target_amount",
            "due",
            "sort_order",
        ]
        read_only_fields = fields


class TaskCreateSerializer(serializers.Serializer):
    task_list = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    due = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    key = serializers.BooleanField(required=False, default=False)
    target_kind = serializers.ChoiceField(choices=TargetKind.choices, default=TargetKind.NUMBER)
    target_value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    unit = serializers.CharField(required=False, allow_blank=True, default="")
    checklist = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    sort_order = serializers.IntegerField(required=False, default=0)


class DispatchSerializer(serializers.Serializer):
    orgs = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    kind = serializers.ChoiceField(
        choices=DISPATCH_KIND_CHOICES, required=False, allow_null=True, default=None
    )
    due = serializers.DateField(required=False, allow_null=True, default=None)
    target_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)


class RelaySerializer(serializers.Serializer):
    orgs = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    kind = serializers.ChoiceField(
        choices=DISPATCH_KIND_CHOICES, required=False, allow_null=True, default=None
    )
    due = serializers.DateField(required=False, allow_null=True, default=None)


class AssignmentSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    task_title = serializers.CharField(source="task.title", read_only=True)
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "task",
            "task_title",
            "org",
            "org_name",
            "parent",
            "due",
            "target_amount",
            "done_amount",
            "checklist_done",
            "percent",
            "state",
            "relayed",
            "period_start",
            "dispatched_at",
            "first_report_at",
            "last_report_at",
            "completed_on",
        ]
        read_only_fields = fields


class TaskReportFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="下载地址（经权限校验）")

    class Meta:
        model = TaskReportFile
        fields = ["id", "name", "size", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, obj):
        return reverse("taskreport-file", args=[obj.pk])


class TaskReportSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    files = TaskReportFileSerializer(many=True, read_only=True)

    class Meta:
        model = TaskReport
        fields = [
            "id",
            "assignment",
            "org",
            "org_name",
            "text",
            "amount",
            "checklist_done",
            "late",
            "submitted_at",
            "files",
        ]
        read_only_fields = fields


class TaskReportInputSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    checklist_done = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class TaskReportForSerializer(TaskReportInputSerializer):
    task = serializers.IntegerField()
    org = serializers.IntegerField()


class RollupRowSerializer(serializers.Serializer):
    org_id = serializers.IntegerField()
    org_name = serializers.CharField()
    target = serializers.DecimalField(max_digits=16, decimal_places=2)
    capped = serializers.DecimalField(max_digits=16, decimal_places=2)
    done = serializers.DecimalField(max_digits=16, decimal_places=2)
    percent = serializers.IntegerField()
    assignments = serializers.IntegerField()
    reported = serializers.IntegerField()
    late = serializers.IntegerField()
    own = serializers.BooleanField()


class TaskRowSerializer(serializers.Serializer):
    task_id = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.CharField()
    key = serializers.BooleanField()
    target = serializers.DecimalField(max_digits=16, decimal_places=2)
    capped = serializers.DecimalField(max_digits=16, decimal_places=2)
    done = serializers.DecimalField(max_digits=16, decimal_places=2)
    percent = serializers.IntegerField()
    assignments = serializers.IntegerField()
    reported = serializers.IntegerField()
    late = serializers.IntegerField()
    late_orgs = serializers.ListField(child=serializers.CharField())


class RollupSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    org_name = serializers.CharField()
    month = serializers.CharField()
    children = RollupRowSerializer(many=True)
    tasks = TaskRowSerializer(many=True)
