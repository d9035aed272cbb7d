from rest_framework import serializers

from .models import AuditEvent, WorkdayOverride


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
