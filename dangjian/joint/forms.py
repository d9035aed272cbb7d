"""Forms of the joint-branch pages: parse input only; the services validate and write."""

from __future__ import annotations

from django import forms

from .choices import PostKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OUT_OF_SCOPE = "所选项不存在或不在您的管辖范围内。"


class AppointForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="联村党总支", empty_label="请选择")
    kind = forms.ChoiceField(label="职务", choices=PostKind.choices)
    name = forms.CharField(label="姓名", max_length=30)
    title = forms.CharField(
        label="本职",
        max_length=60,
        required=False,
        help_text="书记填镇领导班子职务，副书记填包村科长所在科室",
    )
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    since = forms.DateField(label="任职日期", widget=DATE)
    villages = forms.ModelMultipleChoiceField(
        queryset=None,
        label="包联村（副书记）",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="只能选本总支的村",
    )

    def __init__(self, *args, joints=None, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = joints
        self.fields["villages"].queryset = villages
        self.fields["org"].error_messages["invalid_choice"] = OUT_OF_SCOPE
        self.fields["villages"].error_messages["invalid_choice"] = OUT_OF_SCOPE
        if joints is not None and len(joints) == 1:
            self.fields["org"].initial = joints[0].pk


class EndForm(forms.Form):
    until = forms.DateField(label="离任日期", widget=DATE)
    reason = forms.CharField(label="离任原因", max_length=100, help_text="如：工作调整、换届")
