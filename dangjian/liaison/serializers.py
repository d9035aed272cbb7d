from rest_framework import serializers

from .choices import ContactWay, DeputyKind, Level
from .models import Consultation, Contact, Deputy


class DeputySerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    contacts_year = serializers.IntegerField(read_only=True, help_text="本年联系次数")
    meetings_year = serializers.IntegerField(read_only=True, help_text="本年参加协商议事会次数")
    last_contact = serializers.DateField(read_only=True)

    class Meta:
        model = Deputy
        fields = [
            "id", "org", "org_name", "person", "name", "kind", "level", "term_start", "term_end", "unit",
            "contacts_year", "meetings_year", "last_contact",
        ]  # fmt: skip
        read_only_fields = fields


class DeputyInSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="联络站（或乡镇、社区）编号")
    person = serializers.IntegerField(required=False, allow_null=True, default=None)
    name = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=DeputyKind.choices)
    level = serializers.ChoiceField(choices=Level.choices)
    term_start = serializers.DateField()
    term_end = serializers.DateField(required=False, allow_null=True, default=None)
    unit = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class DeputyContactSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    branch_name = serializers.CharField(source="branch.name", read_only=True, default="")

    class Meta:
        model = Contact
        fields = [
            "id", "deputy", "deputy_name", "org", "branch", "branch_name", "resident_name", "way",
            "contacted_on", "topic", "outcome", "case_ref",
        ]  # fmt: skip
        read_only_fields = fields


class DeputyContactInSerializer(serializers.Serializer):
    branch = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="联系支部编号")
    resident_name = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    way = serializers.ChoiceField(choices=ContactWay.choices, default=ContactWay.VISIT)
    contacted_on = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    outcome = serializers.CharField(max_length=500)
    case_ref = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class LiaisonConsultationSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    attendee_names = serializers.SlugRelatedField(
        source="attendees", slug_field="name", many=True, read_only=True
    )

    class Meta:
        model = Consultation
        fields = [
            "id", "org", "org_name", "held_on", "topic", "place", "result", "attendees", "attendee_names",
            "others",
        ]  # fmt: skip
        read_only_fields = fields


class LiaisonConsultationInSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    held_on = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    result = serializers.CharField(max_length=500)
    attendees = serializers.ListField(child=serializers.IntegerField(), help_text="参会代表委员编号")
    others = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
