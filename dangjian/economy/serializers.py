from __future__ import annotations

from rest_framework import serializers

from .choices import AssetKind, AssetUnit, AssetUse, Band, ContractUse, IncomeKind
from .models import MONEY, Asset, AssetContract, Income, IncomeLine


class IncomeLineSerializer(serializers.ModelSerializer):
    income_kind = serializers.ChoiceField(source="kind", choices=IncomeKind.choices, read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True, default=None)

    class Meta:
        model = IncomeLine
        fields = ["income_kind", "amount", "partner", "partner_name", "note"]
        read_only_fields = fields


class IncomeSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    income_band = serializers.ChoiceField(source="band", choices=Band.choices, read_only=True)
    lines = IncomeLineSerializer(many=True, read_only=True)

    class Meta:
        model = Income
        fields = [
            "id",
            "org",
            "org_name",
            "township",
            "county",
            "year",
            "total",
            "income_band",
            "note",
            "lines",
        ]
        read_only_fields = fields


class IncomeLineWriteSerializer(serializers.Serializer):
    income_kind = serializers.ChoiceField(choices=IncomeKind.choices)
    amount = serializers.DecimalField(**MONEY, help_text="元")
    partner = serializers.IntegerField(
        required=False, allow_null=True, help_text="入股的村（入股他村分红时）"
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class IncomeWriteSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="村（社区）组织编号")
    year = serializers.IntegerField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    lines = IncomeLineWriteSerializer(many=True, help_text="空列表表示当年无收入")


class NoIncomeSerializer(serializers.Serializer):
    org = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    recorded = serializers.SerializerMethodField()

    def get_recorded(self, obj) -> bool:
        """True: recorded as 0; false: not recorded at all."""
        return obj.income_total is not None


class BandCountSerializer(serializers.Serializer):
    income_band = serializers.ChoiceField(choices=Band.choices)
    label = serializers.CharField()
    villages = serializers.IntegerField()


class AssetSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    asset_kind = serializers.ChoiceField(source="kind", choices=AssetKind.choices, read_only=True)
    asset_unit = serializers.ChoiceField(source="unit", choices=AssetUnit.choices, read_only=True)
    asset_use = serializers.ChoiceField(source="use", choices=AssetUse.choices, read_only=True)
    contract_count = serializers.IntegerField(read_only=True)
    expiring = serializers.BooleanField(read_only=True, help_text="有90天内到期的合同")

    class Meta:
        model = Asset
        fields = [
            "id", "org", "org_name", "township", "name", "asset_kind", "quantity", "asset_unit", "location",
            "asset_use", "note", "contract_count", "expiring",
        ]  # fmt: skip
        read_only_fields = fields


class AssetWriteSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="村（社区）组织编号")
    name = serializers.CharField(max_length=100)
    asset_kind = serializers.ChoiceField(choices=AssetKind.choices)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    asset_unit = serializers.ChoiceField(choices=AssetUnit.choices)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    asset_use = serializers.ChoiceField(choices=AssetUse.choices, default=AssetUse.IDLE)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ContractSerializer(serializers.ModelSerializer):
    asset_name = serializers.CharField(source="asset.name", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    contract_use = serializers.ChoiceField(source="use", choices=ContractUse.choices, read_only=True)
    expiring = serializers.BooleanField(read_only=True, help_text="90天内到期")

    class Meta:
        model = AssetContract
        fields = [
            "id", "asset", "asset_name", "org", "org_name", "counterparty", "contract_use", "start", "end",
            "annual_amount", "payment_terms", "note", "expiring",
        ]  # fmt: skip
        read_only_fields = fields


class ContractWriteSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="签订合同的村（社区）组织编号，须是资产所属的村")
    asset = serializers.IntegerField(help_text="资产编号")
    counterparty = serializers.CharField(max_length=100)
    contract_use = serializers.ChoiceField(choices=ContractUse.choices)
    start = serializers.DateField()
    end = serializers.DateField()
    annual_amount = serializers.DecimalField(**MONEY, help_text="年金额（元）")
    payment_terms = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
