"""Shapes of the dashboards' JSON in the OpenAPI schema (read-only: the panels build plain dicts)."""

from rest_framework import serializers


class DashboardOrgSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    level = serializers.CharField(allow_null=True)


class DashboardPanelSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    option = serializers.JSONField(
        required=False, help_text="ECharts option；数据项可带 url（点击打开的列表）"
    )
    columns = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()), required=False, help_text="[键, 中文表头]"
    )
    rows = serializers.ListField(child=serializers.DictField(), required=False)
    list_url = serializers.CharField(required=False)
    note = serializers.CharField(required=False)
    extra = serializers.DictField(required=False)
    error = serializers.CharField(required=False)


class DashboardSerializer(serializers.Serializer):
    org = DashboardOrgSerializer()
    month = serializers.CharField()
    as_of = serializers.DateField()
    generated_at = serializers.DateTimeField()
    panels = DashboardPanelSerializer(many=True)
