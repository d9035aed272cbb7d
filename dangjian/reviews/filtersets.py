"""The filters of the analyses list, shared by the page, its Excel export and the API."""

from __future__ import annotations

import functools

import django_filters
from django import forms

from . import selectors
from .forms import parse_month
from .models import MonthlyReview, ReviewState, ReviewTopic


def _org_options(user) -> list[tuple[str, str]]:
    return [("", "全部")] + [(str(o.pk), o.name) for o in selectors.viewable_orgs(user).only("pk", "name")]


class ReviewFilter(django_filters.FilterSet):
    org = django_filters.NumberFilter(method="filter_org", label="组织（含下级）")
    month = django_filters.CharFilter(method="filter_month", label="月份（如 2026-11）")
    state = django_filters.ChoiceFilter(choices=ReviewState.choices, label="状态", empty_label="全部")

    class Meta:
        model = MonthlyReview
        fields = ["org", "month", "state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["org"].extra["widget"] = forms.Select(choices=functools.partial(_org_options, user))

    def filter_org(self, queryset, name, value):
        org = selectors.viewable_orgs(getattr(self.request, "user", None)).filter(pk=value).first()
        return queryset.filter(org__path__startswith=org.path) if org else queryset.none()

    def filter_month(self, queryset, name, value):
        month = parse_month(value)
        return queryset.filter(month=month) if month else queryset.none()


class TopicFilter(django_filters.FilterSet):
    review = django_filters.NumberFilter(field_name="review_id", label="月度分析")

    class Meta:
        model = ReviewTopic
        fields = ["review"]
