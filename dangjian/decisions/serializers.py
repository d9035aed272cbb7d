from __future__ import annotations

from rest_framework import serializers

from .models import Channel, Decision, DecisionStep, MeetingKind, Opinion, Step


class DecisionStepSerializer(serializers.ModelSerializer):
    step_label = serializers.CharField(source="get_step_display", read_only=True)

    class Meta:
        model = DecisionStep
        fields = [
            "id",
            "step",
            "step_label",
            "held_on",
            "merged",
            "passed",
            "expected",
            "present",
            "in_favour",
            "households",
            "households_present",
            "notes",
        ]


class DecisionOpinionSerializer(serializers.ModelSerializer):
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)

    class Meta:
        model = Opinion
        fields = ["id", "decision", "resident_name", "text", "received_on", "channel", "channel_label"]


class DecisionSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    opinion_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "org",
            "org_name",
            "title",
            "matter",
            "meeting_kind",
            "state",
            "state_label",
            "opened_on",
            "opinion_count",
        ]


class DecisionDetailSerializer(DecisionSerializer):
    steps = DecisionStepSerializer(many=True, read_only=True)

    class Meta(DecisionSerializer.Meta):
        fields = [*DecisionSerializer.Meta.fields, "steps"]


class DecisionCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    title = serializers.CharField(max_length=100)
    matter = serializers.CharField(required=False, allow_blank=True, default="")
    meeting_kind = serializers.ChoiceField(choices=MeetingKind.choices, default=MeetingKind.REPRESENTATIVES)
    opened_on = serializers.DateField(required=False, allow_null=True, default=None)


class DecisionRecordStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=Step.choices)
    held_on = serializers.DateField()
    merge = serializers.BooleanField(required=False, default=False)
    rejected = serializers.BooleanField(required=False, default=False)
    expected = serializers.IntegerField(required=False, allow_null=True, default=None)
    present = serializers.IntegerField(required=False, allow_null=True, default=None)
    in_favour = serializers.IntegerField(required=False, allow_null=True, default=None)
    households = serializers.IntegerField(required=False, allow_null=True, default=None)
    households_present = serializers.IntegerField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionOpinionCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    resident_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.IN_PERSON)
    received_on = serializers.DateField(required=False, allow_null=True, default=None)
