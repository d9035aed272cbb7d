"""Filters shared by the office's list pages, their Excel exports and the API."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable

import django_filters
from django import forms
from django.db.models import Q

from dangjian.members.forms import DateInput

from . import selectors
from .choices import SelectionRoute, SelectionStatus
from .models import ContactLeader, ContactLeaderVisit, ContactPoint, Duty, FieldVisit, Post, StaffSelection
from .weeks import parse_week


def _township_options(user, model) -> list[tuple[str, str]]:
    return [("", "全部")] + [(str(t.pk), t.name) for t in selectors.townships(user, "view", model)]


def _staff_options(user, model) -> list[tuple[str, str]]:
    return [("", "全部")] + [(str(pk), label) for pk, label in selectors.staff_choices(user, "view", model)]


def _branch_options(user, model) -> list[tuple[str, str]]:
    return [("", "全部")] + [(str(pk), label) for pk, label in selectors.branch_choices(user, "view", model)]


class ScopedOptions(django_filters.FilterSet):
    """Select widgets whose options are read only when a page renders them, never for the API."""

    lazy_options: dict[str, Callable] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        for name, options in self.lazy_options.items():
            self.filters[name].extra["widget"] = forms.Select(
                choices=functools.partial(options, user, self._meta.model)
            )


class PostFilter(ScopedOptions):
    township = django_filters.NumberFilter(field_name="org_id", label="乡镇")
    archived = django_filters.BooleanFilter(
        field_name="archived_at", lookup_expr="isnull", exclude=True, label="已撤销"
    )
    lazy_options = {"township": _township_options}

    class Meta:
        model = Post
        fields = ["township", "kind", "archived"]


class DutyFilter(django_filters.FilterSet):
    post = django_filters.NumberFilter(field_name="post_id", label="岗位")
    township = django_filters.NumberFilter(field_name="org_id", label="乡镇")

    class Meta:
        model = Duty
        fields = ["post", "township"]


class SelectionFilter(ScopedOptions):
    q = django_filters.CharFilter(field_name="candidate_name", lookup_expr="icontains", label="候选人")
    township = django_filters.NumberFilter(field_name="org_id", label="乡镇")
    route = django_filters.ChoiceFilter(choices=SelectionRoute.choices, label="产生方式")
    status = django_filters.ChoiceFilter(choices=SelectionStatus.choices, label="状态")
    lazy_options = {"township": _township_options}

    class Meta:
        model = StaffSelection
        fields = ["q", "township", "route", "status"]


class ContactPointFilter(ScopedOptions):
    township = django_filters.NumberFilter(field_name="township_id", label="乡镇")
    staff = django_filters.NumberFilter(field_name="staff_id", label="联系人")
    org = django_filters.NumberFilter(field_name="org_id", label="党支部")
    current = django_filters.BooleanFilter(field_name="until", lookup_expr="isnull", label="仍在联系")
    lazy_options = {"township": _township_options, "staff": _staff_options, "org": _branch_options}

    class Meta:
        model = ContactPoint
        fields = ["township", "staff", "org", "current"]


class LeaderFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度")
    county = django_filters.NumberFilter(field_name="org_id", label="县（区）")

    class Meta:
        model = ContactLeader
        fields = ["year", "county"]


class LeaderVisitFilter(django_filters.FilterSet):
    leader = django_filters.NumberFilter(field_name="leader_id", label="包联领导")
    org = django_filters.NumberFilter(field_name="org_id", label="村")
    since = django_filters.DateFilter(field_name="visited_on", lookup_expr="gte", label="起始日期")
    until = django_filters.DateFilter(field_name="visited_on", lookup_expr="lte", label="截止日期")

    class Meta:
        model = ContactLeaderVisit
        fields = ["leader", "org", "since", "until"]


class FieldVisitFilter(ScopedOptions):
    township = django_filters.NumberFilter(field_name="township_id", label="乡镇")
    staff = django_filters.NumberFilter(field_name="staff_id", label="工作人员")
    org = django_filters.NumberFilter(field_name="org_id", label="村（社区）")
    since = django_filters.DateFilter(
        field_name="visited_on", lookup_expr="gte", label="起始日期", widget=DateInput()
    )
    until = django_filters.DateFilter(
        field_name="visited_on", lookup_expr="lte", label="截止日期", widget=DateInput()
    )
    week = django_filters.CharFilter(
        method="filter_week", label="周（如 2026-W48）", widget=forms.TextInput(attrs={"type": "week"})
    )
    needs_follow_up = django_filters.BooleanFilter(label="需跟进")
    q = django_filters.CharFilter(method="filter_q", label="搜索（工作内容、发现的问题）")
    lazy_options = {"township": _township_options, "staff": _staff_options, "org": _branch_options}

    class Meta:
        model = FieldVisit
        fields = ["township", "staff", "org", "since", "until", "week", "needs_follow_up", "q"]

    def filter_week(self, queryset, name, value):
        monday = parse_week(value)
        if monday is None:
            return queryset.none()
        return queryset.filter(visited_on__gte=monday, visited_on__lte=monday + datetime.timedelta(days=6))

    def filter_q(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(purpose__icontains=text) | Q(found__icontains=text) | Q(follow_up__icontains=text)
        )
