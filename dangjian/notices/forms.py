"""Forms of the notices app. They only shape input: the rules and their Chinese messages are
services.py's, and the views put each message beside its field."""

from __future__ import annotations

from django import forms

from dangjian.members.forms import DATE_FORMATS, DateInput
from dangjian.orgs.choices import OrgKind

from .choices import ATTACHMENT_MAX_MB, Audience, TrainingKind

# Kinds a notice may be addressed to (party groups hold no roles).
NOTICE_KINDS = [
    (k, OrgKind(k).label)
    for k in (
        OrgKind.COUNTY,
        OrgKind.TOWNSHIP,
        OrgKind.STATION,
        OrgKind.JOINT_BRANCH,
        OrgKind.BRANCH,
        OrgKind.COMMUNITY,
    )
]
FILES_HELP = f"可多选；PDF、Word（docx）、Excel（xlsx）或图片，每个不超过{ATTACHMENT_MAX_MB}MB。"


class OrgChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_kind_display()}）"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.gif,.webp"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [f for f in (single(d, initial) for d in items if d) if f]


class _OrgForm(forms.Form):
    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        first = list(orgs[:2]) if orgs is not None else []
        if len(first) == 1:
            self.fields["org"].initial = first[0].pk


class NoticeForm(_OrgForm):
    org = OrgChoice(label="发文组织", queryset=None, empty_label="请选择")
    title = forms.CharField(label="标题", max_length=100)
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    kinds = forms.MultipleChoiceField(
        label="只发送给这些类型的组织",
        choices=NOTICE_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示发送给本组织及全部下级组织的所有任职人员。",
    )
    sign_by = forms.DateField(
        label="签阅期限",
        required=False,
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        help_text="期限当日签收不算逾期。",
    )
    files = MultipleFileField(label="附件", help_text=FILES_HELP)


class SignForm(forms.Form):
    reply = forms.CharField(
        label="签收意见（可不填）", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class StudyPushForm(_OrgForm):
    org = OrgChoice(label="推送组织", queryset=None, empty_label="请选择")
    audience = forms.ChoiceField(
        label="推送对象", choices=Audience.choices, initial=Audience.ALL, widget=forms.RadioSelect
    )
    title = forms.CharField(label="标题", max_length=100)
    body = forms.CharField(label="学习内容", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    link = forms.CharField(label="学习链接（可不填）", required=False, max_length=500)
    files = MultipleFileField(label="附件", help_text=FILES_HELP)


class TrainingForm(_OrgForm):
    org = OrgChoice(label="举办组织", queryset=None, empty_label="请选择")
    title = forms.CharField(label="主题", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=[("", "请选择"), *TrainingKind.choices])
    start_on = forms.DateField(label="开始日期", widget=DateInput(), input_formats=DATE_FORMATS)
    end_on = forms.DateField(
        label="结束日期",
        required=False,
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        help_text="一天的培训可不填",
    )
    hours = forms.DecimalField(label="学时", max_digits=5, decimal_places=1)
    online = forms.BooleanField(label="线上（线上研讨、网上学习）", required=False)
    place = forms.CharField(label="地点", required=False, max_length=100)
    organiser = forms.CharField(label="组织者", required=False, max_length=60, help_text="不填为举办组织")
    note = forms.CharField(
        label="说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
