"""Forms of the funds pages: plain fields; every rule is checked in services.py."""

from __future__ import annotations

from django import forms

from .choices import Purpose

DATE = forms.DateInput(attrs={"type": "date"})
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


class FundForm(forms.Form):
    county = forms.ModelChoiceField(queryset=None, label="县")
    name = forms.CharField(label="资金名称", max_length=100)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    purpose = forms.ChoiceField(label="用途", choices=Purpose.choices)
    amount = forms.DecimalField(label="资金总额（元）", **MONEY)
    document = forms.CharField(label="资金文件（文号）", max_length=200)

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties


class AllocateForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="下达至")
    amount = forms.DecimalField(label="分配金额（元）", **MONEY)
    on = forms.DateField(label="下达日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class DisburseForm(forms.Form):
    amount = forms.DecimalField(label="支出金额（元）", **MONEY)
    on = forms.DateField(label="支出日期", widget=DATE)
    spent_on = forms.CharField(label="支出用途", max_length=200)
    payee = forms.CharField(label="收款方", max_length=100, required=False)
    voucher = forms.CharField(label="凭证号", max_length=60, required=False)
