"""API shapes of the records. Reads carry masked phones and contacts; writes are plain inputs that the
viewsets hand to the services."""

from __future__ import annotations

from rest_framework import serializers

from ..choices import DuesCategory, Gender, MemberStatus, MobileActivityKind, TransferKind
from ..models import (
    DuesPayment,
    Household,
    HouseholdLink,
    HouseholdVisit,
    MobileActivity,
    MobileRecord,
    StandingDecision,
    Transfer,
    mask_phone,
)

# --- reads ---------------------------------------------------------------------------------------


class MobileRecordSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.person.name")
    org_name = serializers.CharField(source="org.name")
    contact_masked = serializers.SerializerMethodField()

    class Meta:
        model = MobileRecord
        fields = [
            "id",
            "member",
            "member_name",
            "org",
            "org_name",
            "destination",
            "since",
            "expected_until",
            "fixed_place",
            "contact_masked",
            "host_org_name",
            "certificate_no",
            "certificate_issued_on",
            "ended_on",
            "end_note",
            "created_at",
        ]
        read_only_fields = fields

    def get_contact_masked(self, obj: MobileRecord) -> str:
        return mask_phone(obj.contact)


class MobileActivitySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = MobileActivity
        fields = ["id", "record", "kind", "kind_display", "on", "content", "created_at"]
        read_only_fields = fields


class StandingDecisionSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.person.name")
    org_name = serializers.CharField(source="org.name")
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = StandingDecision
        fields = [
            "id",
            "member",
            "member_name",
            "org",
            "org_name",
            "kind",
            "kind_display",
            "decided_on",
            "decided_by",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class TransferSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.person.name")
    kind_display = serializers.CharField(source="get_kind_display")
    status_display = serializers.CharField(source="get_status_display")
    from_org_name = serializers.CharField(source="from_org.name", default=None)
    to_org_name = serializers.CharField(source="to_org.name", default=None)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "member",
            "member_name",
            "kind",
            "kind_display",
            "from_org",
            "from_org_name",
            "to_org",
            "to_org_name",
            "outside_org_name",
            "letter_no",
            "issued_on",
            "received_on",
            "status",
            "status_display",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class HouseholdSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name")
    phone_masked = serializers.SerializerMethodField()
    open_links = serializers.IntegerField(help_text="仍在联系的党员数")

    class Meta:
        model = Household
        fields = [
            "id",
            "org",
            "org_name",
            "grid",
            "head_name",
            "address",
            "phone_masked",
            "size",
            "note",
            "open_links",
            "created_at",
        ]
        read_only_fields = fields

    def get_phone_masked(self, obj: Household) -> str:
        return mask_phone(obj.phone)


class HouseholdLinkSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.person.name")
    household_name = serializers.CharField(source="household.__str__")

    class Meta:
        model = HouseholdLink
        fields = ["id", "member", "member_name", "household", "household_name", "org", "since", "ended_on"]
        read_only_fields = fields


class HouseholdVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = HouseholdVisit
        fields = ["id", "link", "visited_on", "note", "created_at"]
        read_only_fields = fields


class DuesPaymentSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.person.name")

    class Meta:
        model = DuesPayment
        fields = ["id", "member", "member_name", "org", "month", "amount", "paid_on", "note", "created_at"]
        read_only_fields = fields


# --- writes --------------------------------------------------------------------------------------


class MobileStartSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="党员编号")
    destination = serializers.CharField(max_length=120)
    since = serializers.DateField()
    expected_until = serializers.DateField(required=False, allow_null=True, default=None)
    fixed_place = serializers.BooleanField(required=False, default=False)
    contact = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    host_org_name = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    certificate_no = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    certificate_issued_on = serializers.DateField(required=False, allow_null=True, default=None)


class MobileEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MobileActivityCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MobileActivityKind.choices)
    on = serializers.DateField()
    content = serializers.CharField(max_length=300)


class StandingDecisionCreateSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="党员编号")
    kind = serializers.ChoiceField(choices=StandingDecision.Kind.choices)
    decided_on = serializers.DateField(help_text="失联日期、恢复联系日期或决定（批准）日期")
    decided_by = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TransferCreateSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="党员编号")
    kind = serializers.ChoiceField(choices=[c for c in TransferKind.choices if c[0] != TransferKind.IN])
    to_org_code = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="系统内转接：接收党支部的编码"
    )
    outside_org_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    letter_no = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    issued_on = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TransferReceiveSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="接收党支部编号")
    outside_org_name = serializers.CharField(max_length=120)
    letter_no = serializers.CharField(max_length=40)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    received_on = serializers.DateField()
    name = serializers.CharField(max_length=40)
    id_number = serializers.CharField(max_length=18)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=MemberStatus.choices)
    joined_on = serializers.DateField()
    full_on = serializers.DateField(required=False, allow_null=True, default=None)
    dues_category = serializers.ChoiceField(choices=DuesCategory.choices, default=DuesCategory.FARMER)
    dues_base = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TransferConfirmSerializer(serializers.Serializer):
    received_on = serializers.DateField()


class TransferCancelSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class HouseholdCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="所属党支部编号")
    head_name = serializers.CharField(max_length=40)
    address = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    grid = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="网格编号")
    size = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class HouseholdLinkCreateSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="党员编号")
    household = serializers.IntegerField(help_text="农户编号")
    since = serializers.DateField()


class HouseholdUnlinkSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


class HouseholdVisitCreateSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    note = serializers.CharField(max_length=500)


class DuesPaymentCreateSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="党员编号")
    month = serializers.DateField(help_text="所属月份（该月任一日，按该月计）")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    paid_on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DuesBulkSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="党支部编号")
    month = serializers.DateField(help_text="所属月份（该月任一日，按该月计）")
    member_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    paid_on = serializers.DateField()
