"""The preferences form: parsing only; the rules are in services.save_preferences."""

from __future__ import annotations

from django import forms

from .models import Kind

MUTABLE_KINDS = [(k, label) for k, label in Kind.choices if k != Kind.DIGEST]


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label="电子邮件", required=False)
    sms = forms.BooleanField(label="短信", required=False)
    wechat = forms.BooleanField(label="微信", required=False)
    digest = forms.BooleanField(
        label="每日汇总",
        required=False,
        help_text="开启后，邮件、短信、微信不再逐条发送，每天在设定时刻发一份汇总；站内消息照常即时出现。",
    )
    digest_hour = forms.TypedChoiceField(
        label="汇总发送时刻",
        coerce=int,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        initial=8,
    )
    muted_kinds = forms.MultipleChoiceField(
        label="不接收这些类型的提醒",
        required=False,
        choices=MUTABLE_KINDS,
        widget=forms.CheckboxSelectMultiple,
    )
