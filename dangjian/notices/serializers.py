"""API shapes of notices, study pushes and trainings. Inputs are only shaped here; the rules and their
Chinese messages are services.py's."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangjian.orgs.choices import OrgKind

from .choices import Audience, TrainingKind
from .models import Attachment, Notice, NoticeReceipt, StudyPush, StudyReceipt, Training, TrainingAttendance


class NoticeAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="下载地址（经权限校验）")

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, obj):
        return reverse("notice-file", args=[obj.pk])


class NoticeSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    sent_by_name = serializers.SerializerMethodField()
    total = serializers.IntegerField(read_only=True, help_text="您可查看的接收人数")
    read = serializers.IntegerField(read_only=True, help_text="其中已读")
    signed = serializers.IntegerField(read_only=True, help_text="其中已签收")

    class Meta:
        model = Notice
        fields = [
            "id",
            "org",
            "org_name",
            "title",
            "kinds",
            "sign_by",
            "sent_at",
            "sent_by_name",
            "recipient_count",
            "total",
            "read",
            "signed",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_sent_by_name(self, obj):
        return obj.sent_by.display_name if obj.sent_by else "系统"


class NoticeReceiptSerializer(serializers.ModelSerializer):
    notice_title = serializers.CharField(source="notice.title", read_only=True)
    user_name = serializers.CharField(source="user.display_name", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = NoticeReceipt
        fields = [
            "id",
            "notice",
            "notice_title",
            "user",
            "user_name",
            "role",
            "role_display",
            "org",
            "org_name",
            "read_at",
            "signed_at",
            "reply",
        ]
        read_only_fields = fields


class NoticeDetailSerializer(NoticeSerializer):
    files = NoticeAttachmentSerializer(many=True, read_only=True)
    my_receipt = serializers.SerializerMethodField(help_text="当前用户的签阅回执（不是接收人时为空）")

    class Meta(NoticeSerializer.Meta):
        fields = [*NoticeSerializer.Meta.fields, "body", "files", "my_receipt"]
        read_only_fields = fields

    @extend_schema_field(NoticeReceiptSerializer(allow_null=True))
    def get_my_receipt(self, obj):
        user = self.context["request"].user
        receipt = obj.receipts.filter(user_id=user.pk).first()
        return NoticeReceiptSerializer(receipt).data if receipt else None


class NoticeCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="发文组织编号")
    title = serializers.CharField(max_length=200, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True, default="")
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrgKind.choices),
        required=False,
        default=list,
        help_text="只发送给这些类型的组织；为空表示全部下级",
    )
    sign_by = serializers.DateField(required=False, allow_null=True, default=None, help_text="签阅期限")
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="附件（multipart 上传）"
    )


class NoticeSignSerializer(serializers.Serializer):
    reply = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class StudyPushSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    total = serializers.IntegerField(read_only=True, help_text="您可查看的推送人数")
    read = serializers.IntegerField(read_only=True, help_text="其中已读")

    class Meta:
        model = StudyPush
        fields = ["id", "org", "org_name", "title", "audience", "sent_at", "recipient_count", "total", "read"]
        read_only_fields = fields


class StudyPushDetailSerializer(StudyPushSerializer):
    files = NoticeAttachmentSerializer(many=True, read_only=True)

    class Meta(StudyPushSerializer.Meta):
        fields = [*StudyPushSerializer.Meta.fields, "body", "link", "files"]
        read_only_fields = fields


class StudyPushCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="推送组织编号")
    title = serializers.CharField(max_length=200, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True, default="")
    link = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.ALL)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class StudyReceiptSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.person.name", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    push_title = serializers.CharField(source="push.title", read_only=True)
    link = serializers.SerializerMethodField(help_text="党员个人阅读链接")

    class Meta:
        model = StudyReceipt
        fields = ["id", "push", "push_title", "member", "member_name", "org", "org_name", "read_at", "link"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_link(self, obj):
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class TrainingSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    attendees = serializers.IntegerField(read_only=True)
    present = serializers.IntegerField(read_only=True)

    class Meta:
        model = Training
        fields = [
            "id",
            "org",
            "org_name",
            "title",
            "kind",
            "start_on",
            "end_on",
            "hours",
            "online",
            "place",
            "organiser",
            "note",
            "attendees",
            "present",
        ]
        read_only_fields = fields


class TrainingAttendanceSerializer(serializers.ModelSerializer):
    attendee_org_name = serializers.CharField(source="attendee_org.name", read_only=True)

    class Meta:
        model = TrainingAttendance
        fields = [
            "id",
            "member",
            "user",
            "name",
            "attendee_org",
            "attendee_org_name",
            "present",
            "hours",
            "note",
        ]
        read_only_fields = fields


class TrainingDetailSerializer(TrainingSerializer):
    attendance = TrainingAttendanceSerializer(many=True, read_only=True)

    class Meta(TrainingSerializer.Meta):
        fields = [*TrainingSerializer.Meta.fields, "attendance"]
        read_only_fields = fields


class TrainingCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="举办组织编号")
    title = serializers.CharField(max_length=200, allow_blank=True)
    kind = serializers.ChoiceField(choices=TrainingKind.choices)
    start_on = serializers.DateField()
    end_on = serializers.DateField(required=False, allow_null=True, default=None)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    online = serializers.BooleanField(required=False, default=False)
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    organiser = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class TrainingAttendanceEntrySerializer(serializers.Serializer):
    member = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="党员编号")
    user = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="用户编号")
    present = serializers.BooleanField(default=True)
    hours = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="不填按培训学时",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=400)


class TrainingAttendanceInputSerializer(serializers.Serializer):
    entries = TrainingAttendanceEntrySerializer(many=True)
