"""API shapes of the office app: read serializers for rows, and input serializers for each service."""

from __future__ import annotations

from rest_framework import serializers

from .choices import (
    AppraisalGrade,
    CandidateSource,
    PostKind,
    RequestKind,
    ReviewDecision,
    SelectionRoute,
    StepKind,
    VisitLength,
)
from .models import (
    ContactLeader,
    ContactLeaderVisit,
    ContactPoint,
    Duty,
    FieldVisit,
    Post,
    PostHolder,
    SelectionStep,
    StaffRequest,
    StaffRequestStep,
    StaffSelection,
)


class OfficeDutySerializer(serializers.ModelSerializer):
    class Meta:
        model = Duty
        fields = ["id", "post", "position", "text"]


class PostHolderSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = PostHolder
        fields = ["id", "post", "user", "user_name", "since", "until", "note"]


class OfficePostSerializer(serializers.ModelSerializer):
    township = serializers.IntegerField(source="org_id", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True)
    duties = serializers.SerializerMethodField()
    holders = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "township",
            "office",
            "office_name",
            "name",
            "kind",
            "full_time",
            "sort_order",
            "archived_at",
            "duties",
            "holders",
        ]

    def get_duties(self, obj) -> list[str]:
        return [d.text for d in obj.duties.all()]

    def get_holders(self, obj) -> list[dict]:
        return PostHolderSerializer(obj.holders.all(), many=True).data


class OfficePostCreateSerializer(serializers.Serializer):
    township = serializers.IntegerField(help_text="乡镇（组织编号）")
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PostKind.choices, default=PostKind.STAFF)
    full_time = serializers.BooleanField(default=True)
    sort_order = serializers.IntegerField(required=False, allow_null=True, default=None)
    duties = serializers.ListField(
        child=serializers.CharField(max_length=500, allow_blank=True), required=False
    )


class OfficePostUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=PostKind.choices, required=False)
    full_time = serializers.BooleanField(required=False)
    sort_order = serializers.IntegerField(required=False, allow_null=True)


class OfficeDutiesSerializer(serializers.Serializer):
    duties = serializers.ListField(
        child=serializers.CharField(max_length=500, allow_blank=True), allow_empty=True
    )


class PostAppointSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    since = serializers.DateField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SelectionStepSerializer(serializers.ModelSerializer):
    recorded_by_name = serializers.CharField(source="recorded_by.display_name", read_only=True)

    class Meta:
        model = SelectionStep
        fields = [
            "id",
            "kind",
            "done_on",
            "by_name",
            "decision",
            "opinion",
            "post",
            "recorded_by_name",
            "recorded_at",
        ]


class StaffSelectionSerializer(serializers.ModelSerializer):
    township = serializers.IntegerField(source="org_id", read_only=True)
    steps = SelectionStepSerializer(many=True, read_only=True)

    class Meta:
        model = StaffSelection
        fields = [
            "id",
            "township",
            "office",
            "candidate_name",
            "candidate_user",
            "source",
            "route",
            "status",
            "intended_post",
            "appointed_post",
            "created_at",
            "steps",
        ]


class StaffSelectionCreateSerializer(serializers.Serializer):
    township = serializers.IntegerField()
    candidate_name = serializers.CharField(max_length=200)
    candidate_user = serializers.IntegerField(required=False, allow_null=True, default=None)
    source = serializers.ChoiceField(choices=CandidateSource.choices, default=CandidateSource.OTHER)
    route = serializers.ChoiceField(choices=SelectionRoute.choices)
    intended_post = serializers.IntegerField(required=False, allow_null=True, default=None)
    by_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    opinion = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    done_on = serializers.DateField()


class SelectionStepCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=StepKind.choices)
    done_on = serializers.DateField()
    by_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    opinion = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    decision = serializers.ChoiceField(
        choices=ReviewDecision.choices, required=False, allow_blank=True, default=""
    )
    post = serializers.IntegerField(required=False, allow_null=True, default=None)


class ContactPointSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    staff_name = serializers.CharField(source="staff.display_name", read_only=True)

    class Meta:
        model = ContactPoint
        fields = ["id", "org", "org_name", "township", "staff", "staff_name", "since", "until", "note"]


class ContactPointCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="联系的村（社区）党支部")
    staff = serializers.IntegerField(help_text="联系人（乡镇党建办工作人员的用户编号）")
    since = serializers.DateField(required=False, allow_null=True, default=None)
    township = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="限定在该乡镇内"
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ContactEndSerializer(serializers.Serializer):
    until = serializers.DateField(required=False, allow_null=True, default=None)


class ContactLeaderSerializer(serializers.ModelSerializer):
    county = serializers.IntegerField(source="org_id", read_only=True)
    villages = serializers.SerializerMethodField()

    class Meta:
        model = ContactLeader
        fields = ["id", "county", "name", "title", "user", "year", "villages", "note"]

    def get_villages(self, obj) -> list[int]:
        return [p.org_id for p in obj.pairings.all()]


class ContactLeaderCreateSerializer(serializers.Serializer):
    county = serializers.IntegerField()
    name = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=200)
    year = serializers.IntegerField()
    villages = serializers.ListField(child=serializers.IntegerField())
    user = serializers.IntegerField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ContactLeaderVisitSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = ContactLeaderVisit
        fields = ["id", "leader", "org", "org_name", "visited_on", "activity"]


class ContactLeaderVisitCreateSerializer(serializers.Serializer):
    leader = serializers.IntegerField()
    org = serializers.IntegerField(help_text="到访的包联村")
    visited_on = serializers.DateField()
    activity = serializers.CharField(max_length=2000)


class FieldVisitSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    staff_name = serializers.CharField(source="staff.display_name", read_only=True)
    days = serializers.FloatField(read_only=True)

    class Meta:
        model = FieldVisit
        fields = [
            "id",
            "org",
            "org_name",
            "township",
            "staff",
            "staff_name",
            "visited_on",
            "half_days",
            "days",
            "purpose",
            "found",
            "follow_up",
            "needs_follow_up",
        ]


class FieldVisitCreateSerializer(serializers.Serializer):
    staff = serializers.IntegerField()
    org = serializers.IntegerField(help_text="到访的村（社区）党支部")
    visited_on = serializers.DateField()
    half_days = serializers.ChoiceField(choices=VisitLength.choices, help_text="2 = 全天，1 = 半天")
    purpose = serializers.CharField(max_length=2000)
    found = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    follow_up = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    needs_follow_up = serializers.BooleanField(default=False)


class StaffRequestStepSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", read_only=True)

    class Meta:
        model = StaffRequestStep
        fields = ["id", "action", "actor", "actor_name", "at", "note"]


class StaffRequestSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    person_name = serializers.CharField(source="person.display_name", read_only=True)
    post_name = serializers.CharField(source="post.name", read_only=True)
    steps = StaffRequestStepSerializer(many=True, read_only=True)

    class Meta:
        model = StaffRequest
        fields = [
            "id",
            "org",
            "org_name",
            "kind",
            "person",
            "person_name",
            "post",
            "post_name",
            "to_post",
            "to_unit",
            "year",
            "grade",
            "reason",
            "status",
            "decided_on",
            "created_at",
            "steps",
        ]


class StaffRequestCreateSerializer(serializers.Serializer):
    township = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    person = serializers.IntegerField()
    post = serializers.IntegerField()
    to_post = serializers.IntegerField(required=False, allow_null=True)
    to_unit = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    year = serializers.IntegerField(required=False, allow_null=True)
    grade = serializers.ChoiceField(
        choices=AppraisalGrade.choices, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(max_length=500)


class StaffRequestNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class StaffRequestResubmitSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class StaffingSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    holder_name = serializers.CharField(read_only=True, allow_null=True)
    holder_since = serializers.DateField(read_only=True, allow_null=True)
    tenure_years = serializers.SerializerMethodField()
    pending = serializers.IntegerField(read_only=True)

    class Meta:
        model = Post
        fields = ["id", "org", "org_name", "name", "kind", "full_time", "holder_name", "holder_since",
                  "tenure_years", "pending"]  # fmt: skip

    def get_tenure_years(self, obj) -> float | None:
        from django.utils import timezone

        from .requests_views import tenure_years

        return tenure_years(obj.holder_since, timezone.localdate())
