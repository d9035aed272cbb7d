"""API shapes of meeting records. Inputs are only shaped here; the rules and their Chinese
messages are services.py's, so the API refuses exactly what the pages refuse."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .choices import AppraisalGrade, Attendance, FileKind, MeetingKind, SignInMethod
from .models import Meeting, MeetingAttendance, MeetingFile


class AttendanceSerializer(serializers.ModelSerializer):
    meeting_topic = serializers.CharField(source="meeting.topic", read_only=True)
    meeting_kind = serializers.CharField(source="meeting.kind", read_only=True)
    org = serializers.IntegerField(source="meeting.org_id", read_only=True)
    org_name = serializers.CharField(source="meeting.org.name", read_only=True)
    held_on = serializers.DateField(source="meeting.held_on", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = MeetingAttendance
        fields = [
            "id",
            "meeting",
            "meeting_topic",
            "meeting_kind",
            "org",
            "org_name",
            "held_on",
            "member",
            "user",
            "name",
            "status",
            "status_display",
            "reason",
            "signed_in_at",
            "signin_method",
            "grade",
        ]
        read_only_fields = fields


class FileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="下载地址（经权限校验，以附件方式下载）")

    class Meta:
        model = MeetingFile
        fields = ["id", "kind", "name", "uploaded_at", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, obj):
        return reverse("meeting-file", args=[obj.pk])


class MeetingSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    expected_count = serializers.IntegerField(read_only=True, help_text="应到人数")
    present_count = serializers.IntegerField(read_only=True, help_text="出席人数")
    minutes_approved = serializers.SerializerMethodField(help_text="会议记录是否已审定")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "org",
            "org_name",
            "kind",
            "kind_display",
            "topic",
            "place",
            "status",
            "status_display",
            "planned_at",
            "held_at",
            "held_on",
            "online",
            "online_link",
            "host",
            "recorder",
            "expected_count",
            "present_count",
            "minutes_approved",
            "cancel_reason",
            "demo_source",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_minutes_approved(self, obj):
        return obj.minutes_approved_at is not None


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting with its attendance, files, minutes and who attended to guide."""

    attendances = AttendanceSerializer(many=True, read_only=True)
    files = FileSerializer(many=True, read_only=True)
    guided_by = serializers.SerializerMethodField()
    minutes_approved_by_name = serializers.SerializerMethodField()
    signin_open_until = serializers.DateTimeField(source="signin_expires_at", read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "agenda",
            "minutes",
            "minutes_approved_at",
            "minutes_approved_by_name",
            "guided_by",
            "guide_note",
            "signin_open_until",
            "attendances",
            "files",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_guided_by(self, obj):
        return [{"id": u.pk, "name": u.display_name} for u in obj.guided_by.all()]

    @extend_schema_field(OpenApiTypes.STR)
    def get_minutes_approved_by_name(self, obj):
        return obj.minutes_approved_by.display_name if obj.minutes_approved_by_id else ""


class MeetingCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="召开会议的组织编号")
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    topic = serializers.CharField(max_length=200)
    planned_at = serializers.DateTimeField(help_text="计划召开时间（未带时区按北京时间）")
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    online = serializers.BooleanField(required=False, default=False)
    online_link = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    host = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    recorder = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    agenda = serializers.CharField(required=False, allow_blank=True, default="")
    guided_by = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, help_text="列席指导人员（用户编号）"
    )
    members = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_null=True,
        default=None,
        help_text="应到党员编号；不填则取本支部党籍正常的全部党员",
    )
    users = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_null=True,
        default=None,
        help_text="应到工作人员（用户编号），党建办、工作站会议使用；不填则取在该组织任职的工作人员",
    )


class AttendanceItemSerializer(serializers.Serializer):
    attendance = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="参会记录编号"
    )
    member = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="党员编号")
    user = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="用户编号")
    status = serializers.ChoiceField(choices=Attendance.choices)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    method = serializers.ChoiceField(
        choices=SignInMethod.choices, required=False, allow_blank=True, default=""
    )
    grade = serializers.ChoiceField(
        choices=AppraisalGrade.choices, required=False, allow_blank=True, default=""
    )

    def validate(self, attrs):
        if sum(attrs.get(k) is not None for k in ("attendance", "member", "user")) != 1:
            raise serializers.ValidationError("每项须且只能指定 attendance、member、user 之一。")
        return attrs


class AttendanceBulkSerializer(serializers.Serializer):
    items = AttendanceItemSerializer(many=True, help_text="逐人出席情况；缺席、请假须填原因")


class HeldSerializer(serializers.Serializer):
    held_at = serializers.DateTimeField(help_text="实际召开时间，不能晚于当前时间")
    place = serializers.CharField(max_length=100, required=False, allow_null=True, default=None)
    host = serializers.CharField(max_length=30, required=False, allow_null=True, default=None)
    recorder = serializers.CharField(max_length=30, required=False, allow_null=True, default=None)
    items = AttendanceItemSerializer(many=True, required=False, default=list, help_text="同时登记的出席情况")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="取消原因")


class SignInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12, help_text="签到码")
    attendance = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="记录人代签时的参会记录编号；本人签到不填"
    )


class SignInOpenedSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="6位签到码")
    opens_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    url = serializers.CharField(help_text="签到页面地址（二维码内容）")


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField(help_text="会议记录正文")


class FileUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FileKind.choices, default=FileKind.PHOTO)
    file = serializers.FileField(help_text="jpg、png、pdf、docx、xlsx，单个不超过10MB")
