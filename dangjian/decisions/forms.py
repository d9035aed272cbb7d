"""Forms of the decisions pages: parse input only; the services validate and write."""

from __future__ import annotations

from django import forms

from . import selectors
from .models import Channel, MeetingKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecisionForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="村（社区）", empty_label="请选择")
    title = forms.CharField(label="事项名称", max_length=100)
    matter = forms.CharField(label="事项内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    meeting_kind = forms.ChoiceField(label="决议会议", choices=MeetingKind.choices)
    opened_on = forms.DateField(label="登记日期", required=False, widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = selectors.add_orgs(user)
        self.fields["org"].error_messages["invalid_choice"] = "所选村（社区）不存在或不在您的管辖范围内。"


class StepForm(forms.Form):
    """The next step only; the count fields shown are those its quorum needs."""

    held_on = forms.DateField(label="日期", widget=DATE)
    merge = forms.BooleanField(label="与两委商议合并进行（“一肩挑”）", required=False)
    expected = forms.IntegerField(label="应到人数", required=False)
    present = forms.IntegerField(label="到会人数", required=False)
    households = forms.IntegerField(label="本村户数", required=False)
    households_present = forms.IntegerField(label="到会户代表数", required=False)
    in_favour = forms.IntegerField(label="赞成人数", required=False)
    rejected = forms.BooleanField(label="表决未通过（如实登记，事项终止）", required=False)
    notes = forms.CharField(label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, needed: dict[str, str], can_merge: bool, joint: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("expected", "present", "households", "households_present", "in_favour"):
            if name in needed:
                self.fields[name].label = needed[name]
                self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
            else:
                del self.fields[name]
        if joint:
            self.fields["rejected"].label = "初审未通过（退回村里，事项终止）"
        elif not needed:
            del self.fields["rejected"]
        if not can_merge:
            del self.fields["merge"]


class OpinionForm(forms.Form):
    text = forms.CharField(label="意见建议", widget=forms.Textarea(attrs={"rows": 3}))
    resident_name = forms.CharField(label="群众姓名（可不填）", required=False)
    channel = forms.ChoiceField(label="渠道", choices=Channel.choices)
    received_on = forms.DateField(label="收到日期", required=False, widget=DATE)
