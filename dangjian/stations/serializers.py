"""API shapes of the stations app. Reads show phones masked; inputs are only shaped here, the rules
and their Chinese messages are services.py's."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .choices import ChecklistItem, Post, Session, System
from .models import (
    ResearchAppraisal,
    ResearchPlan,
    ResearchReport,
    ResearchRound,
    ResearchScore,
    ServiceHalfDay,
    StationChecklist,
    StationInspection,
    StationStaff,
    StationSystem,
)

ORG_NAME = {"source": "org.name", "read_only": True}


class StaffSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(**ORG_NAME)
    post_display = serializers.CharField(source="get_post_display", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True, help_text="已隐藏中间四位")

    class Meta:
        model = StationStaff
        fields = [
            "id",
            "org",
            "org_name",
            "name",
            "post",
            "post_display",
            "title",
            "phone",
            "since",
            "until",
            "user",
        ]
        read_only_fields = fields


class StaffInputSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="党建工作站编号")
    name = serializers.CharField(max_length=30)
    post = serializers.ChoiceField(choices=Post.choices)
    title = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    since = serializers.DateField()
    user = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="平台账号编号（可空）"
    )


class StaffPatchSerializer(serializers.Serializer):
    """Only what may be corrected; a field left out keeps its value."""

    title = serializers.CharField(max_length=60, required=False, allow_blank=True)
    phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="完整号码；空字符串为清除"
    )
    user = serializers.IntegerField(
        required=False, allow_null=True, help_text="平台账号编号；null 为解除关联"
    )


class StaffEndSerializer(serializers.Serializer):
    until = serializers.DateField(required=False, allow_null=True, default=None, help_text="离任日期")


class ChecklistSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(**ORG_NAME)
    item_display = serializers.CharField(source="get_item_display", read_only=True)
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = StationChecklist
        fields = [
            "id",
            "org",
            "org_name",
            "item",
            "item_display",
            "met",
            "note",
            "evidence_name",
            "evidence_url",
            "checked_on",
            "checked_by",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_evidence_url(self, obj):
        return reverse("station-evidence", args=[obj.pk]) if obj.evidence else ""


class ChecklistInputSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="党建工作站编号")
    item = serializers.ChoiceField(choices=ChecklistItem.choices)
    met = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    checked_on = serializers.DateField()
    evidence = serializers.FileField(required=False, allow_null=True, default=None)


class ChecklistPatchSerializer(serializers.Serializer):
    """A new check of the row's item; a field left out keeps its value, the checker becomes the caller."""

    met = serializers.BooleanField(required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    checked_on = serializers.DateField(required=False)
    evidence = serializers.FileField(required=False, help_text="新的佐证材料（multipart）；不传则保留原材料")


class SystemSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(**ORG_NAME)
    system_display = serializers.CharField(source="get_system_display", read_only=True)

    class Meta:
        model = StationSystem
        fields = [
            "id",
            "org",
            "org_name",
            "system",
            "system_display",
            "posted",
            "in_force",
            "adopted_on",
            "note",
            "checked_on",
        ]
        read_only_fields = fields


class SystemInputSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="党建工作站编号")
    system = serializers.ChoiceField(choices=System.choices)
    posted = serializers.BooleanField()
    in_force = serializers.BooleanField()
    adopted_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    checked_on = serializers.DateField()


class SystemPatchSerializer(serializers.Serializer):
    """A new check of the row's system; a field left out keeps its value."""

    posted = serializers.BooleanField(required=False)
    in_force = serializers.BooleanField(required=False)
    adopted_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    checked_on = serializers.DateField(required=False)


class InspectionSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(**ORG_NAME)
    branch_name = serializers.CharField(source="branch.name", read_only=True)

    class Meta:
        model = StationInspection
        fields = [
            "id",
            "org",
            "org_name",
            "branch",
            "branch_name",
            "inspected_at",
            "inspected_on",
            "inspectors",
            "items_checked",
            "problems",
            "needs_follow_up",
        ]
        read_only_fields = fields


class InspectionInputSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="党建工作站编号")
    branch = serializers.IntegerField(help_text="被督查的村党组织编号（须为本站所辖）")
    inspected_at = serializers.DateTimeField(help_text="督查时间；不带时区的按北京时间")
    inspectors = serializers.CharField(max_length=200)
    items_checked = serializers.CharField(max_length=2000)
    problems = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    needs_follow_up = serializers.BooleanField(required=False, default=False)


class HalfDaySerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(**ORG_NAME)
    session_display = serializers.CharField(source="get_session_display", read_only=True)

    class Meta:
        model = ServiceHalfDay
        fields = [
            "id",
            "org",
            "org_name",
            "held_on",
            "session",
            "session_display",
            "place",
            "staff_on_duty",
            "residents_served",
            "matters",
        ]
        read_only_fields = fields


class HalfDayInputSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="党建工作站编号")
    held_on = serializers.DateField()
    session = serializers.ChoiceField(choices=Session.choices)
    place = serializers.CharField(max_length=100)
    staff_on_duty = serializers.CharField(max_length=200)
    residents_served = serializers.IntegerField(min_value=0, required=False, default=0)
    matters = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PlanSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(**ORG_NAME)

    class Meta:
        model = ResearchPlan
        fields = ["id", "org", "org_name", "year", "topics", "schedule"]
        read_only_fields = fields


class PlanInputSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="乡镇（街道）编号")
    year = serializers.IntegerField()
    topics = serializers.CharField(max_length=2000)
    schedule = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RoundSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(**ORG_NAME)
    villages = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    report = serializers.SerializerMethodField(help_text="调研报告编号（未提交为空）")

    class Meta:
        model = ResearchRound
        fields = [
            "id",
            "org",
            "org_name",
            "plan",
            "topic",
            "started_on",
            "ended_on",
            "villages",
            "participants",
            "summary",
            "report",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_report(self, obj):
        report = getattr(obj, "report", None)
        return report.pk if report else None


class RoundInputSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="党建工作站编号")
    topic = serializers.CharField(max_length=200)
    started_on = serializers.DateField()
    ended_on = serializers.DateField()
    villages = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=True, help_text="走访村（本站所辖村党组织编号）"
    )
    participants = serializers.CharField(max_length=300)
    summary = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ReportSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(**ORG_NAME)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = ResearchReport
        fields = ["id", "round", "org", "org_name", "title", "text", "file_name", "file_url", "submitted_on"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_file_url(self, obj):
        return reverse("research-report-file", args=[obj.pk]) if obj.file else ""


class ReportInputSerializer(serializers.Serializer):
    round = serializers.IntegerField(help_text="专项调研编号")
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="PDF或Word（.docx），不超过10MB"
    )
    submitted_on = serializers.DateField()


class ScoreSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(**ORG_NAME)
    report_title = serializers.CharField(source="report.title", read_only=True)

    class Meta:
        model = ResearchScore
        fields = ["id", "report", "report_title", "org", "org_name", "score", "rank", "comment"]
        read_only_fields = fields


class AppraisalSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(**ORG_NAME)
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = ResearchAppraisal
        fields = ["id", "org", "org_name", "year", "held_on", "reviewers", "note", "scores"]
        read_only_fields = fields


class AppraisalInputSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="乡镇（街道）编号")
    year = serializers.IntegerField()
    held_on = serializers.DateField()
    reviewers = serializers.CharField(max_length=300)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ScoreItemSerializer(serializers.Serializer):
    report = serializers.IntegerField(help_text="调研报告编号")
    score = serializers.CharField(help_text="得分，0–100，最多一位小数")
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ScoresInputSerializer(serializers.Serializer):
    scores = ScoreItemSerializer(many=True)
