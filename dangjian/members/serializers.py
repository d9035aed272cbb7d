"""API shapes of the roster. Reads never carry the full ID number or phone; the reveal action does,
and is audited."""

from __future__ import annotations

from rest_framework import serializers

from .choices import DuesCategory, Education, Gender, MemberStatus
from .models import Member


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")
    gender = serializers.CharField(source="person.gender")
    gender_display = serializers.CharField(source="person.get_gender_display")
    ethnicity = serializers.CharField(source="person.ethnicity")
    birth_date = serializers.DateField(source="person.birth_date")
    age = serializers.IntegerField(source="person.age")
    id_number_masked = serializers.CharField(source="person.id_masked")
    phone_masked = serializers.CharField(source="person.phone_masked")
    education = serializers.CharField(source="person.education")
    occupation = serializers.CharField(source="person.occupation")
    org_name = serializers.CharField(source="org.name")
    group_name = serializers.CharField(source="group.name", default=None)
    status_display = serializers.CharField(source="get_status_display")
    party_age = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Member
        fields = [
            "id",
            "name",
            "gender",
            "gender_display",
            "ethnicity",
            "birth_date",
            "age",
            "id_number_masked",
            "phone_masked",
            "education",
            "occupation",
            "org",
            "org_name",
            "group",
            "group_name",
            "status",
            "status_display",
            "joined_on",
            "full_on",
            "party_age",
            "standing",
            "is_mobile",
            "lost_contact_since",
            "dues_category",
            "dues_base",
        ]
        read_only_fields = fields


class MemberWriteSerializer(serializers.Serializer):
    """Input only shaped here; the rules and their Chinese messages are services.roster.check_member's."""

    name = serializers.CharField(max_length=40, required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    ethnicity = serializers.CharField(max_length=20, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, allow_null=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    occupation = serializers.CharField(max_length=60, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=MemberStatus.choices, required=False)
    joined_on = serializers.DateField(required=False, allow_null=True)
    full_on = serializers.DateField(required=False, allow_null=True)
    group = serializers.IntegerField(
        required=False, allow_null=True, help_text="党小组编号（须属于该党支部）"
    )
    dues_category = serializers.ChoiceField(choices=DuesCategory.choices, required=False)
    dues_base = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, min_value=0
    )


class MemberCreateSerializer(MemberWriteSerializer):
    org = serializers.IntegerField(help_text="所在党支部编号")
    name = serializers.CharField(max_length=40)


class RevealSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text="查看原因")


class AnonymiseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="匿名化依据，如本人申请、法定保存期限届满")


class PersonExportSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    name = serializers.CharField()
    sections = serializers.ListField(
        child=serializers.DictField(), help_text="每节一个 title 与若干 rows（列名为中文）"
    )


class PersonAnonymisedSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    name = serializers.CharField()


class RevealedSerializer(serializers.Serializer):
    id_number = serializers.CharField()
    phone = serializers.CharField()
