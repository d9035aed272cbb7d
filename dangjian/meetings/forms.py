"""Forms of meeting records. They only shape input: the rules and their Chinese messages are
services.py's, and the views put each message beside its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.members.models import Member
from dangjian.orgs.models import Org

from .choices import AppraisalGrade, Attendance, FileKind, MeetingKind, SignInMethod
from .models import Meeting, MeetingAttendance
from .services import AttendanceEntry, MeetingData

DATETIME_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


def _when(label: str, **kw: Any) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DateTimeInput(), input_formats=DATETIME_FORMATS, **kw)


class OrgChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_kind_display()}）"


class UserChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        title = getattr(obj, "guide_title", "")
        return f"{obj.display_name}{f'（{title}）' if title else ''}"


class MeetingForm(forms.Form):
    org = OrgChoice(queryset=Org.objects.none(), label="召开会议的组织", empty_label="请选择")
    kind = forms.ChoiceField(label="会议类型", choices=[("", "请选择"), *MeetingKind.choices])
    topic = forms.CharField(label="会议主题", max_length=200)
    planned_at = _when("计划召开时间")
    place = forms.CharField(label="地点", max_length=100, required=False)
    online = forms.BooleanField(label="线上会议（流动党员可线上参加）", required=False)
    online_link = forms.CharField(label="线上会议号或链接", max_length=200, required=False)
    host = forms.CharField(label="主持人", max_length=30, required=False)
    recorder = forms.CharField(label="记录人", max_length=30, required=False)
    agenda = forms.CharField(label="议程", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    guided_by = UserChoices(
        queryset=User.objects.none(),
        label="列席指导（乡镇党建办、县级）",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, orgs=None, guides=None, fixed_org: Org | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_org is not None:
            del self.fields["org"]
        else:
            self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()
        self.fields["guided_by"].queryset = guides if guides is not None else User.objects.none()

    def meeting_data(self) -> MeetingData:
        d = self.cleaned_data
        return MeetingData(
            kind=d["kind"],
            topic=d["topic"],
            planned_at=d["planned_at"],
            place=d["place"],
            online=d["online"],
            online_link=d["online_link"],
            host=d["host"],
            recorder=d["recorder"],
            agenda=d["agenda"],
            guided_by=list(d["guided_by"]),
        )

    @staticmethod
    def initial_for(meeting: Meeting) -> dict[str, Any]:
        return {
            "kind": meeting.kind,
            "topic": meeting.topic,
            "planned_at": timezone.localtime(meeting.planned_at),
            "place": meeting.place,
            "online": meeting.online,
            "online_link": meeting.online_link,
            "host": meeting.host,
            "recorder": meeting.recorder,
            "agenda": meeting.agenda,
            "guided_by": list(meeting.guided_by.all()),
        }


class HeldForm(forms.Form):
    held_at = _when("实际召开时间", help_text="不能晚于当前时间")
    place = forms.CharField(label="地点", max_length=100, required=False)
    host = forms.CharField(label="主持人", max_length=30, required=False)
    recorder = forms.CharField(label="记录人", max_length=30, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label="取消原因", max_length=200)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label="会议记录", widget=forms.Textarea(attrs={"rows": 8}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label="撤销审定的原因", max_length=200)


class GuideForm(forms.Form):
    guided_by = UserChoices(
        queryset=User.objects.none(),
        label="列席指导人员",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guide_note = forms.CharField(
        label="列席指导意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, guides=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guided_by"].queryset = guides if guides is not None else User.objects.none()


class FileForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=FileKind.choices, initial=FileKind.PHOTO)
    file = forms.FileField(label="文件", help_text="jpg、png 图片或 pdf、docx、xlsx 文件，单个不超过10MB")


class SignInForm(forms.Form):
    code = forms.CharField(
        label="签到码",
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.person.name


class AddAttendeeForm(forms.Form):
    member = MemberChoice(queryset=Member.objects.none(), label="党员", required=False, empty_label="请选择")
    user = forms.ModelChoiceField(
        queryset=User.objects.none(), label="工作人员", required=False, empty_label="请选择"
    )

    def __init__(self, *args, members=None, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["member"]
        else:
            self.fields["member"].queryset = members
        if users is None:
            del self.fields["user"]
        else:
            self.fields["user"].queryset = users


# --- the attendance grid: one row of fields per expected attendee --------------------------------

STATUS_CHOICES = Attendance.choices
METHOD_CHOICES = [("", "—"), *SignInMethod.choices]
GRADE_CHOICES = [("", "—"), *AppraisalGrade.choices]


class GridRow:
    """One attendee's values as shown in the grid: the row's own, or what was posted."""

    def __init__(self, row: MeetingAttendance, data=None):
        self.row = row
        pk = row.pk
        if data is not None:
            self.status = data.get(f"status-{pk}", row.status)
            self.reason = data.get(f"reason-{pk}", "")
            self.method = data.get(f"method-{pk}", "")
            self.grade = data.get(f"grade-{pk}", "")
        else:
            self.status, self.reason = row.status, row.reason
            self.method, self.grade = row.signin_method, row.grade

    def entry(self) -> AttendanceEntry:
        return AttendanceEntry(
            attendance=self.row.pk,
            status=self.status,
            reason=self.reason,
            method=self.method,
            grade=self.grade,
        )


def grid(rows: list[MeetingAttendance], data=None) -> list[GridRow]:
    return [GridRow(r, data) for r in rows]
