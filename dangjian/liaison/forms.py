"""Forms of the liaison pages: parse input only; the services validate and write."""

from __future__ import annotations

from django import forms

from .choices import ContactWay, DeputyKind, Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OUT_OF_SCOPE = "所选项不存在或不在您的管辖范围内。"


def _scoped(field):
    field.error_messages["invalid_choice"] = OUT_OF_SCOPE
    return field


class DeputyForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="联络站（所在区域）", empty_label="请选择")
    name = forms.CharField(label="姓名", max_length=40)
    kind = forms.ChoiceField(label="类别", choices=DeputyKind.choices)
    level = forms.ChoiceField(label="层级", choices=Level.choices)
    term_start = forms.DateField(label="任期开始", widget=DATE)
    term_end = forms.DateField(
        label="任期届满", widget=DATE, required=False, help_text="留空则按每届五年计算"
    )
    unit = forms.CharField(label="工作单位及职务", max_length=100, required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        _scoped(self.fields["org"])


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label="日期", widget=DATE)
    way = forms.ChoiceField(label="方式", choices=ContactWay.choices)
    branch = forms.ModelChoiceField(queryset=None, label="联系支部", required=False, empty_label="（不选）")
    resident_name = forms.CharField(label="或联系群众", max_length=40, required=False)
    topic = forms.CharField(label="事由", max_length=200)
    outcome = forms.CharField(label="结果", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    case_ref = forms.CharField(
        label="问题台账编号", max_length=40, required=False, help_text="需转问题台账办理的，填写受理编号"
    )

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        _scoped(self.fields["branch"])


class ConsultationForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="联络站", empty_label="请选择")
    held_on = forms.DateField(label="日期", widget=DATE)
    topic = forms.CharField(label="议题", max_length=200)
    place = forms.CharField(label="地点", max_length=100, required=False)
    attendees = forms.ModelMultipleChoiceField(
        queryset=None, label="参会代表委员", required=False, widget=forms.CheckboxSelectMultiple
    )
    others = forms.CharField(label="其他参会人员", max_length=300, required=False)
    result = forms.CharField(label="协商结果", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, orgs=None, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["attendees"].queryset = deputies
        self.fields["attendees"].label_from_instance = lambda d: f"{d}（{d.org.name}）"
        _scoped(self.fields["org"])
        _scoped(self.fields["attendees"])
