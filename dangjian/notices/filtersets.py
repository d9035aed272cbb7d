"""Filters of the notice, receipt, push and training lists, shared by the pages, their Excel exports
and the API."""

from __future__ import annotations

import functools
import unicodedata

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone

from dangjian.members.forms import DATE_FORMATS, DateInput

from . import selectors
from .choices import Audience, ReceiptStatus, TrainingKind
from .models import Notice, NoticeReceipt, StudyPush, StudyReceipt, Training


def _org_options(user) -> list[tuple[str, str]]:
    return [("", "全部")] + [(str(pk), label) for pk, label in selectors.org_choices(user)]


def _text(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def _date(label: str, field: str, lookup: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name=field, lookup_expr=lookup, label=label, widget=DateInput(), input_formats=DATE_FORMATS
    )


class OrgSubtreeMixin:
    """An `org` filter over a subtree; the org list is read only when a page renders the form."""

    org_lookup = "org__path"

    def _org_widget(self) -> None:
        user = getattr(self.request, "user", None)
        self.filters["org"].extra["widget"] = forms.Select(choices=functools.partial(_org_options, user))

    def filter_org(self, queryset, name, value):
        path = selectors.subtree_path(getattr(self.request, "user", None), value)
        return queryset.filter(**{f"{self.org_lookup}__startswith": path}) if path else queryset.none()


class NoticeFilter(OrgSubtreeMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（标题）")
    org = django_filters.NumberFilter(method="filter_org", label="发文组织（含下级）")
    sent_from = _date("发送日期从", "sent_at__date", "gte")
    sent_to = _date("发送日期至", "sent_at__date", "lte")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="有逾期未签收")
    ordering = django_filters.OrderingFilter(
        fields=(("sent_at", "sent_at"), ("sign_by", "sign_by"), ("title", "title")),
        field_labels={"sent_at": "发送时间", "sign_by": "签阅期限", "title": "标题"},
        label="排序",
    )

    class Meta:
        model = Notice
        fields = ["q", "org", "sent_from", "sent_to", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._org_widget()

    def filter_q(self, queryset, name, value):
        text = _text(value)
        return queryset.filter(title__icontains=text) if text else queryset

    def filter_overdue(self, queryset, name, value):
        late = Q(sign_by__lt=selectors.overdue_before(timezone.localdate()), signed__lt=F("total"))
        return queryset.filter(late) if value else queryset.exclude(late)


class ReceiptFilter(OrgSubtreeMixin, django_filters.FilterSet):
    notice = django_filters.NumberFilter(field_name="notice_id", label="通知编号")
    q = django_filters.CharFilter(method="filter_q", label="搜索（接收人、通知标题）")
    org = django_filters.NumberFilter(method="filter_org", label="接收人所在组织（含下级）")
    status = django_filters.ChoiceFilter(
        choices=ReceiptStatus.choices, method="filter_status", label="签阅情况"
    )

    class Meta:
        model = NoticeReceipt
        fields = ["notice", "q", "org", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._org_widget()

    def filter_q(self, queryset, name, value):
        text = _text(value)
        if not text:
            return queryset
        low = text.lower().replace(" ", "")
        return queryset.filter(
            Q(user__real_name__icontains=text)
            | Q(user__name_pinyin__startswith=low)
            | Q(user__name_initials__startswith=low)
            | Q(notice__title__icontains=text)
        )

    def filter_status(self, queryset, name, value):
        if value == ReceiptStatus.SIGNED:
            return queryset.filter(signed_at__isnull=False)
        if value == ReceiptStatus.READ:
            return queryset.filter(signed_at__isnull=True, read_at__isnull=False)
        if value == ReceiptStatus.UNREAD:
            return queryset.filter(read_at__isnull=True)
        return queryset.filter(
            signed_at__isnull=True, notice__sign_by__lt=selectors.overdue_before(timezone.localdate())
        )


class StudyPushFilter(OrgSubtreeMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（标题）")
    org = django_filters.NumberFilter(method="filter_org", label="推送组织（含下级）")
    audience = django_filters.ChoiceFilter(choices=Audience.choices, label="推送对象")
    sent_from = _date("推送日期从", "sent_at__date", "gte")
    sent_to = _date("推送日期至", "sent_at__date", "lte")
    ordering = django_filters.OrderingFilter(
        fields=(("sent_at", "sent_at"), ("title", "title")),
        field_labels={"sent_at": "推送时间", "title": "标题"},
        label="排序",
    )

    class Meta:
        model = StudyPush
        fields = ["q", "org", "audience", "sent_from", "sent_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._org_widget()

    def filter_q(self, queryset, name, value):
        text = _text(value)
        return queryset.filter(title__icontains=text) if text else queryset


class StudyReceiptFilter(OrgSubtreeMixin, django_filters.FilterSet):
    push = django_filters.NumberFilter(field_name="push_id", label="学习推送编号")
    q = django_filters.CharFilter(method="filter_q", label="搜索（姓名、拼音、首字母）")
    org = django_filters.NumberFilter(method="filter_org", label="党支部（含下级）")
    read = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", exclude=True, label="已阅读"
    )
    mobile = django_filters.BooleanFilter(field_name="member__is_mobile", label="流动党员")

    class Meta:
        model = StudyReceipt
        fields = ["push", "q", "org", "read", "mobile"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._org_widget()

    def filter_q(self, queryset, name, value):
        text = _text(value)
        if not text:
            return queryset
        low = text.lower().replace(" ", "")
        return queryset.filter(
            Q(member__person__name__icontains=text)
            | Q(member__person__name_pinyin__startswith=low)
            | Q(member__person__name_initials__startswith=low)
        )


class TrainingFilter(OrgSubtreeMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（主题、组织者）")
    org = django_filters.NumberFilter(method="filter_org", label="举办组织（含下级）")
    kind = django_filters.ChoiceFilter(choices=TrainingKind.choices, label="类型")
    online = django_filters.BooleanFilter(field_name="online", label="线上")
    start_from = _date("日期从", "start_on", "gte")
    start_to = _date("日期至", "start_on", "lte")
    ordering = django_filters.OrderingFilter(
        fields=(("start_on", "start_on"), ("hours", "hours"), ("title", "title")),
        field_labels={"start_on": "日期", "hours": "学时", "title": "主题"},
        label="排序",
    )

    class Meta:
        model = Training
        fields = ["q", "org", "kind", "online", "start_from", "start_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._org_widget()

    def filter_q(self, queryset, name, value):
        text = _text(value)
        return queryset.filter(Q(title__icontains=text) | Q(organiser__icontains=text)) if text else queryset
