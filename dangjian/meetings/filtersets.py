"""Filters of the meeting and attendance lists, shared by the pages, their exports and the API."""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from . import selectors
from .choices import Attendance, MeetingKind, MeetingStatus
from .models import Meeting, MeetingAttendance

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _org_options(user) -> list[tuple[str, str]]:
    return [("", "全部")] + [(str(pk), label) for pk, label in selectors.org_choices(user)]


def _start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def on_or_after(prefix: str, day: datetime.date) -> Q:
    """Held meetings by the day they were held, the others by their planned day (Asia/Shanghai)."""
    return Q(**{f"{prefix}held_on__gte": day}) | Q(
        **{f"{prefix}held_on__isnull": True, f"{prefix}planned_at__gte": _start(day)}
    )


def on_or_before(prefix: str, day: datetime.date) -> Q:
    nxt = _start(day + datetime.timedelta(days=1))
    return Q(**{f"{prefix}held_on__lte": day}) | Q(
        **{f"{prefix}held_on__isnull": True, f"{prefix}planned_at__lt": nxt}
    )


def month_bounds(value: str) -> tuple[datetime.date, datetime.date] | None:
    m = MONTH.match((value or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    first = datetime.date(int(m.group(1)), int(m.group(2)), 1)
    nxt = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, nxt - datetime.timedelta(days=1)


class DateInput(forms.DateInput):
    input_type = "date"


class MonthInput(forms.TextInput):
    input_type = "month"


class _Dated(django_filters.FilterSet):
    """Org subtree, date range and month, on the meeting (`prefix` = the path to it)."""

    prefix_to_meeting = ""
    org = django_filters.NumberFilter(method="filter_org", label="组织（含下级）")
    date_from = django_filters.DateFilter(method="filter_from", label="开始日期", widget=DateInput())
    date_to = django_filters.DateFilter(method="filter_to", label="结束日期", widget=DateInput())
    month = django_filters.CharFilter(method="filter_month", label="月份", widget=MonthInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        # The org list is read only when a page renders the form, never for the API.
        self.filters["org"].extra["widget"] = forms.Select(choices=functools.partial(_org_options, user))

    def filter_org(self, queryset, name, value):
        path = selectors.subtree_path(getattr(self.request, "user", None), value)
        if not path:
            return queryset.none()
        return queryset.filter(**{f"{self.prefix_to_meeting}org__path__startswith": path})

    def filter_from(self, queryset, name, value):
        return queryset.filter(on_or_after(self.prefix_to_meeting, value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(on_or_before(self.prefix_to_meeting, value))

    def filter_month(self, queryset, name, value):
        bounds = month_bounds(value)
        if bounds is None:
            return queryset.none() if value.strip() else queryset
        p = self.prefix_to_meeting
        return queryset.filter(on_or_after(p, bounds[0])).filter(on_or_before(p, bounds[1]))


class MeetingFilter(_Dated):
    q = django_filters.CharFilter(method="filter_q", label="搜索（主题、地点）")
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label="会议类型")
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label="状态")
    ordering = django_filters.OrderingFilter(
        fields=(("planned_at", "planned_at"), ("held_on", "held_on"), ("org__path", "org"), ("kind", "kind")),
        field_labels={
            "planned_at": "计划时间",
            "held_on": "召开日期",
            "org__path": "组织",
            "kind": "会议类型",
        },
        label="排序",
    )

    class Meta:
        model = Meeting
        fields = ["q", "org", "kind", "status", "date_from", "date_to", "month"]

    def filter_q(self, queryset, name, value):
        text = unicodedata.normalize("NFKC", value).strip()
        if not text:
            return queryset
        return queryset.filter(Q(topic__icontains=text) | Q(place__icontains=text))


class AttendanceFilter(_Dated):
    prefix_to_meeting = "meeting__"
    q = django_filters.CharFilter(method="filter_q", label="搜索（姓名、会议主题）")
    meeting = django_filters.NumberFilter(field_name="meeting_id", label="会议编号")
    member = django_filters.NumberFilter(field_name="member_id", label="党员编号")
    kind = django_filters.ChoiceFilter(
        field_name="meeting__kind", choices=MeetingKind.choices, label="会议类型"
    )
    status = django_filters.ChoiceFilter(choices=Attendance.choices, label="出席情况")
    ordering = django_filters.OrderingFilter(
        fields=(("meeting__planned_at", "date"), ("name", "name"), ("meeting__org__path", "org")),
        field_labels={"meeting__planned_at": "日期", "name": "姓名", "meeting__org__path": "组织"},
        label="排序",
    )

    class Meta:
        model = MeetingAttendance
        fields = ["q", "org", "kind", "status", "date_from", "date_to", "month", "meeting", "member"]

    def filter_q(self, queryset, name, value):
        text = unicodedata.normalize("NFKC", value).strip()
        if not text:
            return queryset
        return queryset.filter(Q(name__icontains=text) | Q(meeting__topic__icontains=text))
