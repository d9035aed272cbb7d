"""Forms of the scoring pages: plain fields; every rule is checked in services.py."""

from __future__ import annotations

from django import forms

from . import indicators as I
from .choices import AwardKind, Cadence, Level, Nature, Rollup

AREA = forms.Textarea(attrs={"rows": 3})


class SetForm(forms.Form):
    county = forms.ModelChoiceField(queryset=None, label="县")
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    rollup = forms.ChoiceField(choices=Rollup.choices, label="上级得分汇总方法", initial=Rollup.OWN_PLUS)

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties


class IndicatorRowForm(forms.Form):
    code = forms.CharField(label="编码", max_length=20, required=False)
    name = forms.CharField(label="指标", max_length=100, required=False)
    level = forms.ChoiceField(choices=Level.choices, label="考核对象")
    cadence = forms.ChoiceField(choices=Cadence.choices, label="周期")
    weight = forms.CharField(label="权重", max_length=10, required=False)
    target = forms.CharField(label="目标值（%）", max_length=10, required=False, initial="100")
    computation = forms.ChoiceField(choices=(), label="计算函数（空为人工评分）", required=False)
    formula = forms.CharField(label="计分公式/评分标准", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["computation"].choices = [("", "人工评分（附依据）"), *I.choices()]


IndicatorFormSet = forms.formset_factory(IndicatorRowForm, extra=2, can_delete=True)


class PeriodForm(forms.Form):
    period = forms.CharField(label="考核期（月度 2026-11，年度 2026）", max_length=7)


class PublishForm(PeriodForm):
    comment = forms.CharField(label="讲评（表扬与整改要求）", max_length=3000, required=False, widget=AREA)


class ManualScoreForm(forms.Form):
    indicator = forms.ModelChoiceField(queryset=None, label="指标")
    org = forms.ModelChoiceField(queryset=None, label="被考核单位")
    period = forms.CharField(label="考核期", max_length=7)
    value = forms.CharField(label="完成值（%，0–100）", max_length=10)
    evidence = forms.CharField(
        label="评分依据（材料、检查记录、扣分事由）", max_length=2000, required=False, widget=AREA
    )

    def __init__(self, *args, indicators=None, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["org"].queryset = orgs


class RollupForm(forms.Form):
    rollup = forms.ChoiceField(choices=Rollup.choices, label="上级得分汇总方法")


class AwardForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="单位")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(choices=AwardKind.choices, label="类别")
    nature = forms.ChoiceField(choices=Nature.choices, label="性质")
    person_name = forms.CharField(label="个人（可空）", max_length=40, required=False)
    amount = forms.CharField(label="奖励金额（元）", max_length=12, required=False, initial="0")
    reason = forms.CharField(label="事由和依据", max_length=300)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class ModelStationsForm(forms.Form):
    stations = forms.ModelMultipleChoiceField(
        queryset=None, label="示范站", widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, stations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stations"].queryset = stations
