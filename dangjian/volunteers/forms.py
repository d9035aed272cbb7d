"""Forms of the volunteer pages: parse input only; the services validate and write."""

from __future__ import annotations

from django import forms

from .choices import CallOutKind, TeamKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
OUT_OF_SCOPE = "所选项不存在或不在您的管辖范围内。"


def _scoped_choice(field: forms.ModelChoiceField) -> forms.ModelChoiceField:
    field.error_messages["invalid_choice"] = OUT_OF_SCOPE
    return field


class TeamForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="所属组织", empty_label="请选择")
    name = forms.CharField(label="队名", max_length=60, help_text="如：老牛湾镇汛期党员突击队")
    kind = forms.ChoiceField(label="类型", choices=TeamKind.choices)
    leader_name = forms.CharField(label="队长", max_length=40, required=False)
    focus = forms.CharField(label="服务内容", max_length=200, required=False)
    founded_on = forms.DateField(label="组建日期", widget=DATE)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        _scoped_choice(self.fields["org"])


class EnrolForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=None, label="党员（从花名册选）", required=False, empty_label="（不是党员，填下方姓名）"
    )
    name = forms.CharField(label="或群众姓名", max_length=40, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    joined_on = forms.DateField(label="入队日期", widget=DATE)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.person.name}（{m.org.name}）"
        _scoped_choice(self.fields["member"])


class CallOutForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=CallOutKind.choices)
    starts_at = forms.DateTimeField(label="开始时间", widget=MOMENT, input_formats=MOMENT_FORMATS)
    ends_at = forms.DateTimeField(label="结束时间", widget=MOMENT, input_formats=MOMENT_FORMATS)
    place = forms.CharField(label="地点", max_length=120, help_text="如：老牛湾景区售票处")
    task = forms.CharField(label="任务", max_length=300, help_text="如：人车疏导、秩序维持、应急便民服务")
    practice_station = forms.CharField(
        label="新时代文明实践站", max_length=60, required=False, help_text="文明实践活动必填"
    )
    note = forms.CharField(
        label="情况说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    members = forms.ModelMultipleChoiceField(
        queryset=None, label="点名出动的队员", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda m: m.name
        self.fields["members"].error_messages["invalid_choice"] = OUT_OF_SCOPE


class AttendanceForm(forms.Form):
    """One hours box per team member: blank or 0 means did not turn up."""

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for tm, hours, called in self.rows:
            self.fields[f"hours_{tm.pk}"] = forms.DecimalField(
                label=f"{tm.name}{'（已点名）' if called else ''}",
                required=False,
                min_value=0,
                max_digits=5,
                decimal_places=1,
                initial=hours or None,
            )

    def present(self):
        return [
            (tm, self.cleaned_data[f"hours_{tm.pk}"])
            for tm, _, _ in self.rows
            if self.cleaned_data.get(f"hours_{tm.pk}")
        ]
