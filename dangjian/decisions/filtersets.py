"""The filters of the decisions list, shared by the page, its Excel export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from .models import Decision, MeetingKind, State


class DecisionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（事项、村名）")
    state = django_filters.ChoiceFilter(choices=State.choices, label="下一步", empty_label="全部")
    meeting_kind = django_filters.ChoiceFilter(
        choices=MeetingKind.choices, label="决议会议", empty_label="全部"
    )
    opened_from = django_filters.DateFilter(field_name="opened_on", lookup_expr="gte", label="登记日期起")
    opened_to = django_filters.DateFilter(field_name="opened_on", lookup_expr="lte", label="登记日期止")

    class Meta:
        model = Decision
        fields = ["q", "state", "meeting_kind", "opened_from", "opened_to"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(org__name__icontains=value))
