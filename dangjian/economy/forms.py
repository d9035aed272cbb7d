"""The income form: one amount per source (blank for none) and, for shares, the village invested in."""

from __future__ import annotations

from django import forms

from .choices import AssetKind, AssetUnit, AssetUse, ContractUse, IncomeKind


class IncomeForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in IncomeKind:
            self.fields[kind.value] = forms.DecimalField(
                label=f"{kind.label}（元）", required=False, max_digits=14, decimal_places=2, min_value=0
            )
        self.fields["partner"] = forms.ModelChoiceField(
            queryset=partners, required=False, label="入股的村（有入股他村分红时填写）"
        )
        self.fields["note"] = forms.CharField(label="说明", max_length=300, required=False)


class AssetForm(forms.Form):
    name = forms.CharField(label="资产名称", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=AssetKind.choices)
    quantity = forms.DecimalField(label="数量", max_digits=12, decimal_places=2, min_value=0)
    unit = forms.ChoiceField(label="单位", choices=AssetUnit.choices)
    location = forms.CharField(label="坐落位置", max_length=200, required=False)
    use = forms.ChoiceField(label="现状用途", choices=AssetUse.choices)
    note = forms.CharField(label="说明", max_length=300, required=False)


class ContractForm(forms.Form):
    counterparty = forms.CharField(label="对方（承租、承包、入股对象）", max_length=100)
    use = forms.ChoiceField(label="方式", choices=ContractUse.choices)
    start = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="终止日期", widget=forms.DateInput(attrs={"type": "date"}))
    annual_amount = forms.DecimalField(label="年金额（元）", max_digits=14, decimal_places=2, min_value=0)
    payment_terms = forms.CharField(label="支付方式", max_length=200, required=False)
    note = forms.CharField(label="说明", max_length=300, required=False)
