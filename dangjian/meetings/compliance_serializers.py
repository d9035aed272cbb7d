"""Shapes of the compliance API's answer (documented in the OpenAPI schema)."""

from rest_framework import serializers


class ComplianceQuerySerializer(serializers.Serializer):
    org = serializers.IntegerField(required=False, help_text="组织ID；不填为当前用户的最高一级组织")
    period = serializers.CharField(
        required=False, help_text="期间：2026-11（月）、2026-Q4（季度）、2026（年）；不填为本月"
    )


class CellSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="规则代码")
    kind = serializers.CharField(help_text="会议类型")
    state = serializers.ChoiceField(
        choices=["overdue", "due_soon", "pending", "met", "none"],
        help_text="overdue 期间已结束未完成；due_soon 提醒窗口内未完成；pending 进行中；"
        "met 已完成；none 不适用",
    )
    text = serializers.CharField(help_text="页面显示的“已召开/应召开”或“已完成/应完成”")
    required = serializers.IntegerField(allow_null=True, help_text="每期应召开次数（本级义务）")
    meetings = serializers.IntegerField(help_text="已召开次数")
    due = serializers.IntegerField(help_text="应完成的义务项数")
    met = serializers.IntegerField(help_text="已完成的义务项数")
    meeting_ids = serializers.ListField(child=serializers.IntegerField(), help_text="本级义务所依据的会议ID")
    evidence_url = serializers.CharField(help_text="会议列表中这些会议的链接")


class RowSerializer(serializers.Serializer):
    org_id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    role = serializers.ChoiceField(choices=["child", "self", "total"], help_text="下级 / 本级 / 合计")
    due = serializers.IntegerField()
    met = serializers.IntegerField()
    held_rate = serializers.FloatField(allow_null=True, help_text="会议完成率（已完成÷应完成）")
    present = serializers.IntegerField()
    expected = serializers.IntegerField()
    attendance_rate = serializers.FloatField(allow_null=True, help_text="参会率（出席÷应到）")
    cells = CellSerializer(many=True)


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    value = serializers.IntegerField()
    unit = serializers.CharField()
    per = serializers.CharField()
    source = serializers.CharField()
    article = serializers.CharField()


class OrgRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class PeriodSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    closed = serializers.BooleanField()


class ComplianceSerializer(serializers.Serializer):
    org = OrgRefSerializer()
    period = PeriodSerializer()
    warning_days = serializers.IntegerField()
    rules = RuleSerializer(many=True)
    rows = RowSerializer(many=True)
