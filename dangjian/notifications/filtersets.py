"""Filters of the notification centre and the delivery log, shared by the pages, the export and the API."""

from __future__ import annotations

import unicodedata

import django_filters
from django.db.models import Q

from dangjian.members.forms import DATE_FORMATS, DateInput

from .models import Channel, Delivery, DeliveryState, Kind, Notification


def _text(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


class NotificationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label="类型", empty_label="全部类型")
    unread = django_filters.BooleanFilter(method="filter_unread", label="只看未读")

    class Meta:
        model = Notification
        fields = ["kind", "unread"]

    def filter_unread(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=value)


class DeliveryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（接收人、标题）")
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label="渠道", empty_label="全部渠道")
    state = django_filters.ChoiceFilter(choices=DeliveryState.choices, label="状态", empty_label="全部状态")
    kind = django_filters.ChoiceFilter(
        field_name="notification__kind", choices=Kind.choices, label="类型", empty_label="全部类型"
    )
    since = django_filters.DateFilter(
        field_name="created_at__date",
        lookup_expr="gte",
        label="登记日期起",
        widget=DateInput(),
        input_formats=DATE_FORMATS,
    )
    until = django_filters.DateFilter(
        field_name="created_at__date",
        lookup_expr="lte",
        label="登记日期止",
        widget=DateInput(),
        input_formats=DATE_FORMATS,
    )

    class Meta:
        model = Delivery
        fields = ["q", "channel", "state", "kind", "since", "until"]

    def filter_q(self, queryset, name, value):
        text = _text(value)
        if not text:
            return queryset
        return queryset.filter(
            Q(notification__user__real_name__icontains=text)
            | Q(notification__user__username__icontains=text)
            | Q(notification__title__icontains=text)
        )
