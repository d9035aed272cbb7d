"""API shapes of the scoring app. Choice fields are plain strings beside their Chinese label, so no enum
name collides with another app's in the schema; the services validate the values."""

from __future__ import annotations

from rest_framework import serializers

from .models import Award, Indicator, IndicatorSet, Result, Score, Scorecard


class ScoringIndicatorSerializer(serializers.ModelSerializer):
    level = serializers.CharField(read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    cadence = serializers.CharField(read_only=True)
    method = serializers.CharField(read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "indicator_set",
            "code",
            "name",
            "level",
            "level_label",
            "cadence",
            "weight",
            "target",
            "method",
            "computation",
            "formula",
        ]


class ScoringIndicatorSetSerializer(serializers.ModelSerializer):
    rollup = serializers.CharField(read_only=True)
    rollup_label = serializers.CharField(source="get_rollup_display", read_only=True)
    indicators = ScoringIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorSet
        fields = ["id", "county", "year", "title", "total", "rollup", "rollup_label", "indicators"]


class ScoringIndicatorWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=100)
    level = serializers.CharField(max_length=10, help_text="branch / station / township / staff / department")
    cadence = serializers.CharField(max_length=8, default="monthly", help_text="monthly / annual")
    weight = serializers.CharField(max_length=12)
    target = serializers.CharField(max_length=12, default="100")
    computation = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    formula = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ScoringIndicatorSetCreateSerializer(serializers.Serializer):
    county = serializers.IntegerField()
    year = serializers.IntegerField()
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    rollup = serializers.CharField(
        max_length=10, default="own_plus", help_text="weighted / average / own_plus"
    )
    indicators = ScoringIndicatorWriteSerializer(many=True)


class ScoringIndicatorsReplaceSerializer(serializers.Serializer):
    indicators = ScoringIndicatorWriteSerializer(many=True)


class ScoringPeriodSerializer(serializers.Serializer):
    period = serializers.CharField(max_length=7, help_text="2026-11 或 2026")


class ScoringPublishSerializer(ScoringPeriodSerializer):
    comment = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")


class ScoringComputeAnswerSerializer(serializers.Serializer):
    period = serializers.CharField()
    results = serializers.IntegerField()


class ScoringScoreSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    formula = serializers.CharField(source="indicator.formula", read_only=True)
    method = serializers.CharField(read_only=True)
    details = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()), read_only=True
    )

    class Meta:
        model = Score
        fields = [
            "id",
            "indicator",
            "indicator_code",
            "indicator_name",
            "formula",
            "org",
            "org_name",
            "period",
            "value",
            "points",
            "numerator",
            "denominator",
            "note",
            "details",
            "evidence",
            "method",
        ]


class ScoringManualScoreSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    org = serializers.IntegerField()
    period = serializers.CharField(max_length=7)
    value = serializers.CharField(max_length=12)
    evidence = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ScoringResultSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)
    level = serializers.CharField(read_only=True)
    change = serializers.IntegerField(read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Result
        fields = [
            "id",
            "org",
            "org_name",
            "group",
            "group_name",
            "period",
            "level",
            "own",
            "score",
            "rank",
            "rank_prev",
            "change",
            "peers",
            "note",
            "url",
        ]


class ScoringScorecardSerializer(serializers.ModelSerializer):
    reads_n = serializers.IntegerField(read_only=True)

    class Meta:
        model = Scorecard
        fields = ["id", "county", "period", "title", "comment", "published_at", "reads_n"]


class ScoringAwardSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    nature = serializers.CharField(read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "org",
            "org_name",
            "year",
            "kind",
            "kind_label",
            "nature",
            "person_name",
            "amount",
            "reason",
            "awarded_on",
        ]


class ScoringAwardWriteSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    year = serializers.IntegerField()
    kind = serializers.CharField(max_length=16)
    nature = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    person_name = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    amount = serializers.CharField(max_length=12, required=False, default="0")
    reason = serializers.CharField(max_length=300)
