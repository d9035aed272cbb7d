"""Forms of the 3+X pages: parse input only; the services validate and write."""

from __future__ import annotations

import datetime
import re

from django import forms

from dangjian.orgs.models import Department

from . import selectors

MONTH_RE = re.compile(r"^\s*(\d{4})\s*[-/年.]\s*(\d{1,2})\s*月?\s*$")


def parse_month(text: str | None) -> datetime.date | None:
    """`2026-11`, `2026/11`, `2026年11月` → 2026-11-01; anything else None."""
    m = MONTH_RE.match(text or "")
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"})

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError("月份格式应为 2026-11。")
        return month


class ReviewForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="组织", empty_label="请选择县或乡镇")
    month = MonthField(label="月份")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = selectors.review_orgs(user)
        self.fields["org"].error_messages["invalid_choice"] = "所选组织不存在或不在您的管辖范围内。"


class NotesForm(forms.Form):
    praise_note = forms.CharField(label="表扬意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    rectification_note = forms.CharField(
        label="整改要求", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_tasks_text = forms.CharField(
        label="下月主要任务（补充，每行一项）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TopicForm(forms.Form):
    title = forms.CharField(label="专题", required=False)
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), label="邀请部门", required=False, empty_label="（不邀请）"
    )
    agenda = forms.CharField(label="议程", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label="研讨纪要", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sort_order = forms.IntegerField(label="排序", required=False, min_value=0, max_value=9999)

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        if review is not None:
            self.fields["department"].queryset = Department.objects.filter(
                county_id=review.county_id, archived_at__isnull=True
            )
        self.fields["department"].error_messages["invalid_choice"] = "邀请部门须为本县的县直部门。"


class PublishForm(forms.Form):
    sign_by = forms.DateField(
        label="签阅期限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        help_text="不填按规则默认天数",
    )
