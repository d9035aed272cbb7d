"""API shapes of the errands app. Inputs are only shaped here; the rules and their Chinese messages
are services.py's."""

from __future__ import annotations

from rest_framework import serializers

from . import rules as R
from .models import Diary, ErrandService, ServiceCentre, ServiceSession

ORG_NAME = {"source": "org.name", "read_only": True}


class ServiceSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(**ORG_NAME)
    document_list = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ErrandService
        fields = [
            "id",
            "org",
            "org_name",
            "category",
            "name",
            "documents",
            "document_list",
            "promised_days",
            "handled_by",
            "published",
            "sort_order",
            "archived_at",
        ]
        read_only_fields = fields


class ServiceInputSerializer(serializers.Serializer):
    category = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=80)
    documents = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    promised_days = serializers.IntegerField(min_value=0, max_value=R.PROMISED_DAYS_MAX)
    handled_by = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    published = serializers.BooleanField(required=False, default=True)
    sort_order = serializers.IntegerField(required=False, default=0)


class ServiceCreateSerializer(ServiceInputSerializer):
    org = serializers.IntegerField(help_text="乡镇（街道）编号")


class ArchiveSerializer(serializers.Serializer):
    archived = serializers.BooleanField(help_text="true 停用，false 恢复")


class CentreSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(**ORG_NAME)

    class Meta:
        model = ServiceCentre
        fields = ["id", "org", "org_name", "name", "place", "phone", "archived_at"]
        read_only_fields = fields


class CentreInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    place = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class CentreCreateSerializer(CentreInputSerializer):
    org = serializers.IntegerField(help_text="乡镇（街道）编号")


class SessionSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(**ORG_NAME)
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    half_display = serializers.CharField(source="get_half_display", read_only=True)
    sections = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ServiceSession
        fields = [
            "id",
            "org",
            "org_name",
            "centre",
            "centre_name",
            "date",
            "half",
            "half_display",
            "sections",
            "note",
            "served",
        ]
        read_only_fields = fields


class SessionInputSerializer(serializers.Serializer):
    centre = serializers.IntegerField(help_text="便民服务中心编号")
    date = serializers.DateField()
    half = serializers.ChoiceField(choices=ServiceSession.Half.choices)
    sections = serializers.ListField(
        child=serializers.CharField(max_length=R.SECTION_NAME_MAX), max_length=R.SECTIONS_MAX
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    served = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)


class DiarySerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(**ORG_NAME)
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    cases = serializers.SerializerMethodField(help_text="由该日记立项、您可查看的案件编号")

    class Meta:
        model = Diary
        fields = [
            "id",
            "org",
            "org_name",
            "author",
            "author_name",
            "written_on",
            "visited",
            "content",
            "cases",
            "created_at",
        ]
        read_only_fields = fields

    def get_cases(self, obj) -> list[int]:
        return [case.pk for case in getattr(obj, "visible_cases", [])]


class DiaryInputSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="村（社区）党组织编号")
    written_on = serializers.DateField()
    visited = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=2000)
