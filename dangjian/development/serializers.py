"""API shapes of member development. Reads carry the applicant's ID number and phone masked only;
inputs are only shaped here, the rules and their Chinese messages are services.py's."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangjian.members.choices import Education

from . import rules as R
from .models import CaseStep, DevelopmentCase, StepDocument
from .services import plan

ALL_CODES = sorted({s.code for v in R.VERSIONS.values() for s in v.steps})
DATA_HELP = (
    "步骤数据，按步骤填写：activist {decided_by: 支部委员会|支部大会}；"
    "contacts/sponsors {members: [党员编号]}；"
    "candidate_publicity（及地方要求公示的 candidate）{publicity_from, publicity_to: YYYY-MM-DD}；"
    "political_review {result: passed|failed}；training {days, hours}；"
    "pre_review 及 joint_pre_review（联村党总支预审）{result: passed|failed, leaving_soon: bool}；"
    "branch_assembly {entitled, present, in_favour, against, abstain}；"
    "conversion_assembly 同上加 {outcome: convert|extend|cancel, months}；"
    "approval/conversion_approval {result: approved|rejected}；placement {group: 党小组编号}"
)


class DocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="下载地址（经权限校验）")

    class Meta:
        model = StepDocument
        fields = ["id", "name", "uploaded_at", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, obj):
        return reverse("development-document", args=[obj.pk])


class StepSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta:
        model = CaseStep
        fields = [
            "id",
            "case",
            "org",
            "code",
            "title",
            "round",
            "done_on",
            "passed",
            "responsible",
            "note",
            "late_reason",
            "data",
            "superseded_by",
            "correction_reason",
            "recorded_at",
            "documents",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_title(self, obj):
        return R.step_title(obj.case.rule_version, obj.code)


class CaseSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")
    id_number_masked = serializers.CharField(source="person.id_masked")
    phone_masked = serializers.CharField(source="person.phone_masked")
    org_name = serializers.CharField(source="org.name")
    status_display = serializers.CharField(source="get_status_display")
    stage_display = serializers.CharField(source="get_stage_display")
    next_step_title = serializers.SerializerMethodField()

    class Meta:
        model = DevelopmentCase
        fields = [
            "id",
            "name",
            "id_number_masked",
            "phone_masked",
            "org",
            "org_name",
            "rule_version",
            "status",
            "status_display",
            "stage",
            "stage_display",
            "next_step",
            "next_step_title",
            "next_earliest",
            "next_due",
            "applied_on",
            "activist_on",
            "candidate_on",
            "admitted_on",
            "approved_on",
            "probation_ends_on",
            "extension_months",
            "full_on",
            "member",
            "stopped_reason",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_next_step_title(self, obj):
        return R.step_title(obj.rule_version, obj.next_step) if obj.next_step else ""


class CaseDetailSerializer(CaseSerializer):
    """A case with every step row, superseded ones included (they say what was corrected)."""

    steps = serializers.SerializerMethodField()
    allowed = serializers.SerializerMethodField(help_text="现在可以登记的步骤代码")

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "steps", "allowed"]
        read_only_fields = fields

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, obj):
        rows = obj.steps.select_related("case").prefetch_related("documents").order_by("done_on", "pk")
        return StepSerializer(rows, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed(self, obj):
        return sorted(plan(obj).allowed)


class CaseCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="党支部（社区党组织）编号")
    name = serializers.CharField(max_length=40)
    id_number = serializers.CharField(max_length=30, help_text="公民身份号码（出生日期和性别据此识别）")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    education = serializers.ChoiceField(
        choices=Education.choices, required=False, allow_blank=True, default=""
    )
    occupation = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    applied_on = serializers.DateField(help_text="递交入党申请书日期")
    responsible = serializers.CharField(max_length=60, help_text="接收申请的负责人")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class StepInputSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ALL_CODES, help_text="步骤代码（须为当前可办理的步骤）")
    done_on = serializers.DateField()
    responsible = serializers.CharField(max_length=60)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    late_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    data = serializers.DictField(required=False, default=dict, help_text=DATA_HELP)


class CorrectionSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    responsible = serializers.CharField(max_length=60)
    reason = serializers.CharField(max_length=300, help_text="更正原因")
    note = serializers.CharField(max_length=500, required=False, allow_null=True, default=None)
    late_reason = serializers.CharField(max_length=300, required=False, allow_null=True, default=None)
    data = serializers.DictField(
        required=False, default=dict, help_text="需更正的步骤数据；表决结果、审批结论不能更正"
    )


class StopSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="终止原因")
    on = serializers.DateField(required=False, help_text="终止日期，默认今天")
