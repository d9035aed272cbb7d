from rest_framework import serializers

from .models import AuditEvent, RuleOverride, WorkdayOverride


class AuditEventSerializer(serializers.ModelSerializer):
    action_display = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "actor_name",
            "org",
            "action",
            "action_display",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "note",
        ]
        read_only_fields = fields


class WorkdayOverrideSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = WorkdayOverride
        fields = ["id", "county", "county_name", "date", "is_workday", "name", "source", "created_at"]
        read_only_fields = fields


class WorkdayOverrideCreateSerializer(serializers.Serializer):
    county = serializers.IntegerField(help_text="县（区）组织编号")
    date = serializers.DateField()
    is_workday = serializers.BooleanField(help_text="true：当天上班；false：当天放假")
    name = serializers.CharField(max_length=60)
    source = serializers.CharField(max_length=200)


class RuleOverrideSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = RuleOverride
        fields = ["id", "county", "county_name", "code", "value", "source", "effective_from"]
        read_only_fields = fields


class RuleOverrideSetSerializer(serializers.Serializer):
    county = serializers.IntegerField(help_text="县（区）组织编号")
    code = serializers.CharField(max_length=60, help_text="规则代码（见 /rules/county/）")
    value = serializers.JSONField(help_text="取值：是/否规则用 true/false，数值规则用数字，比例用 [2, 3]")
    source = serializers.CharField(max_length=200, help_text="设定依据（文件名称、文号）")
    effective_from = serializers.DateField(required=False, help_text="生效日期，默认今天")
