from rest_framework import serializers

from .choices import CallOutKind, TeamKind
from .models import Attendance, CallOut, Team, TeamMember


class VolunteerTeamSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    callout_count = serializers.IntegerField(read_only=True)
    total_hours = serializers.DecimalField(max_digits=9, decimal_places=1, read_only=True)

    class Meta:
        model = Team
        fields = [
            "id", "org", "org_name", "name", "kind", "focus", "leader_name", "founded_on", "member_count",
            "callout_count", "total_hours",
        ]  # fmt: skip
        read_only_fields = fields


class VolunteerTeamInSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    name = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=TeamKind.choices)
    focus = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    leader_name = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    founded_on = serializers.DateField()


class VolunteerMemberSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)
    times = serializers.IntegerField(read_only=True)
    total_hours = serializers.DecimalField(max_digits=9, decimal_places=1, read_only=True)

    class Meta:
        model = TeamMember
        fields = ["id", "team", "team_name", "member", "name", "joined_on", "left_on", "times", "total_hours"]
        read_only_fields = fields


class VolunteerEnrolSerializer(serializers.Serializer):
    member = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="党员编号")
    name = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    joined_on = serializers.DateField()


class VolunteerAttendanceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="team_member.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["team_member", "name", "called", "present", "hours"]
        read_only_fields = fields


class VolunteerCallOutSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)
    called_count = serializers.IntegerField(read_only=True)
    present_count = serializers.IntegerField(read_only=True)
    total_hours = serializers.DecimalField(max_digits=9, decimal_places=1, read_only=True)
    attendance = VolunteerAttendanceSerializer(many=True, read_only=True)

    class Meta:
        model = CallOut
        fields = [
            "id", "team", "team_name", "kind", "starts_at", "ends_at", "place", "task", "practice_station",
            "note", "called_count", "present_count", "total_hours", "attendance",
        ]  # fmt: skip
        read_only_fields = fields


class VolunteerCallOutInSerializer(serializers.Serializer):
    team = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CallOutKind.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=120)
    task = serializers.CharField(max_length=300)
    practice_station = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    members = serializers.ListField(child=serializers.IntegerField(), help_text="点名出动的队员编号")


class VolunteerPresentSerializer(serializers.Serializer):
    team_member = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)


class VolunteerAttendanceInSerializer(serializers.Serializer):
    present = VolunteerPresentSerializer(many=True, help_text="到岗队员及其服务时长；未列出的记为未到")
