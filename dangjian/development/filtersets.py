"""Filters of the case list, shared by the page, its Excel export and the API."""

from __future__ import annotations

import functools
import unicodedata

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from . import selectors
from .models import CaseStatus, CaseStep, DevelopmentCase, Stage


def _org_options(user) -> list[tuple[str, str]]:
    return [("", "全部")] + [(str(pk), label) for pk, label in selectors.org_choices(user)]


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（姓名、拼音、首字母）")
    org = django_filters.NumberFilter(method="filter_org", label="组织（含下级）")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label="阶段")
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label="状态")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="已逾期")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("person__name_pinyin", "name"),
            ("org__path", "org"),
            ("applied_on", "applied_on"),
            ("next_due", "next_due"),
            ("stage", "stage"),
        ),
        field_labels={
            "person__name_pinyin": "姓名",
            "org__path": "党支部",
            "applied_on": "申请日期",
            "next_due": "办理期限",
            "stage": "阶段",
        },
        label="排序",
    )

    class Meta:
        model = DevelopmentCase
        fields = ["q", "org", "stage", "status", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        # The org list is read only when a page renders the form, never for the API.
        self.filters["org"].extra["widget"] = forms.Select(choices=functools.partial(_org_options, user))

    def filter_q(self, queryset, name, value):
        text = unicodedata.normalize("NFKC", value).strip()
        if not text:
            return queryset
        low = text.lower().replace(" ", "")
        return queryset.filter(
            Q(person__name__icontains=text)
            | Q(person__name_pinyin__startswith=low)
            | Q(person__name_initials__startswith=low)
        )

    def filter_org(self, queryset, name, value):
        path = selectors.subtree_path(getattr(self.request, "user", None), value)
        return queryset.filter(org__path__startswith=path) if path else queryset.none()

    def filter_overdue(self, queryset, name, value):
        late = Q(status__in=selectors.ACTIVE, next_due__lt=timezone.localdate())
        return queryset.filter(late if value else ~late)


class StepFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id", label="发展党员档案编号")
    code = django_filters.CharFilter(field_name="code", label="步骤代码")
    current = django_filters.BooleanFilter(
        field_name="superseded_by", lookup_expr="isnull", label="仅有效记录（未被更正）"
    )

    class Meta:
        model = CaseStep
        fields = ["case", "code", "current"]
