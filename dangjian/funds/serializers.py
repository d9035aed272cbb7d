from __future__ import annotations

from rest_framework import serializers

from .choices import Purpose
from .models import MONEY, Allocation, Disbursement, Fund


class FundSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)
    purpose = serializers.ChoiceField(choices=Purpose.choices, read_only=True)
    allocated = serializers.DecimalField(**MONEY, read_only=True)
    unallocated = serializers.DecimalField(**MONEY, read_only=True)
    disbursed = serializers.DecimalField(**MONEY, read_only=True)

    class Meta:
        model = Fund
        fields = [
            "id",
            "county",
            "county_name",
            "name",
            "year",
            "purpose",
            "amount",
            "document",
            "allocated",
            "unallocated",
            "disbursed",
        ]
        read_only_fields = fields


class FundCreateSerializer(serializers.Serializer):
    county = serializers.IntegerField(help_text="县组织编号")
    name = serializers.CharField(max_length=100)
    year = serializers.IntegerField()
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    amount = serializers.DecimalField(**MONEY, help_text="元")
    document = serializers.CharField(max_length=200)


class AllocationSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    fund_name = serializers.CharField(source="fund.__str__", read_only=True)
    reallocated = serializers.DecimalField(**MONEY, read_only=True)
    disbursed = serializers.DecimalField(**MONEY, read_only=True)
    balance = serializers.DecimalField(**MONEY, read_only=True)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "fund",
            "fund_name",
            "parent",
            "org",
            "org_name",
            "amount",
            "on",
            "note",
            "reallocated",
            "disbursed",
            "balance",
        ]
        read_only_fields = fields


class AllocateSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="下达至（乡镇或村的组织编号）")
    amount = serializers.DecimalField(**MONEY, help_text="元")
    on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DisbursementSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="allocation.org.name", read_only=True)

    class Meta:
        model = Disbursement
        fields = ["id", "allocation", "org_name", "amount", "on", "spent_on", "payee", "voucher"]
        read_only_fields = fields


class DisburseSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY, help_text="元")
    on = serializers.DateField()
    spent_on = serializers.CharField(max_length=200)
    payee = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    voucher = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
