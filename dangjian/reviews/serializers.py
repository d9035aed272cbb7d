from __future__ import annotations

from rest_framework import serializers

from .forms import parse_month
from .models import MonthlyReview, ReviewTopic


class TopicSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", default="", read_only=True)

    class Meta:
        model = ReviewTopic
        fields = ["id", "review", "title", "agenda", "department", "department_name", "notes", "sort_order"]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)
    month = serializers.DateField(format="%Y-%m")

    class Meta:
        model = MonthlyReview
        fields = [
            "id",
            "name",
            "org",
            "org_name",
            "county",
            "month",
            "state",
            "praise_note",
            "rectification_note",
            "next_tasks_text",
            "created_at",
            "published_at",
            "notice",
        ]
        read_only_fields = fields


class ReviewDetailSerializer(ReviewSerializer):
    topics = TopicSerializer(many=True, read_only=True)
    pack = serializers.SerializerMethodField()

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "topics", "pack"]
        read_only_fields = fields

    def get_pack(self, obj) -> dict:
        pack = self.context.get("pack")
        if pack is None:
            return {}
        return {
            "as_of": pack.today,
            "key_only": pack.key_only,
            "formula": pack.formula,
            "completion": [
                {
                    "task": r.task_id,
                    "title": r.title,
                    "unit": r.unit,
                    "target": r.target_n,
                    "done": r.done_n,
                    "percent": r.percent,
                    "assignments": r.assignments,
                    "reported": r.reported,
                    "late": r.late,
                    "late_orgs": [o.name for o in r.late_orgs],
                    "url": r.url,
                    "rollup_url": r.rollup_url,
                }
                for r in pack.completion
            ],
            "scorecard": [
                {
                    "rank": r.rank,
                    "org": r.org_id,
                    "org_name": r.org_name,
                    "percent": r.percent,
                    "late": r.late,
                    "red_findings": r.red,
                    "score": r.score,
                    "verdict": r.verdict,
                    "reasons": r.reasons,
                    "rollup_url": r.rollup_url,
                    "findings_url": r.findings_url,
                }
                for r in pack.scorecard
            ],
            "next_tasks": [
                {
                    "task": t.task_id,
                    "title": t.title,
                    "issuer": t.issuer,
                    "due": t.due,
                    "target": t.target,
                    "key": t.key,
                    "url": t.url,
                }
                for t in pack.next_tasks
            ],
        }


class MonthInput(serializers.CharField):
    def to_internal_value(self, data):
        month = parse_month(str(data))
        if month is None:
            raise serializers.ValidationError("月份格式应为 2026-11。")
        return month


class ReviewCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField(
        error_messages={"required": "请选择组织。", "invalid": "组织编号应为整数。"}
    )
    month = MonthInput(error_messages={"required": "请选择月份。"})


class ReviewPatchSerializer(serializers.Serializer):
    praise_note = serializers.CharField(required=False, allow_blank=True)
    rectification_note = serializers.CharField(required=False, allow_blank=True)
    next_tasks_text = serializers.CharField(required=False, allow_blank=True)


class PublishSerializer(serializers.Serializer):
    sign_by = serializers.DateField(required=False, allow_null=True, default=None)


class TopicInputSerializer(serializers.Serializer):
    review = serializers.IntegerField(required=False)
    title = serializers.CharField(required=False, allow_blank=True)
    agenda = serializers.CharField(required=False, allow_blank=True)
    department = serializers.IntegerField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    sort_order = serializers.IntegerField(required=False, min_value=0, max_value=9999)
