"""Filters of the stations lists, shared by the pages, their Excel exports and the API."""

from __future__ import annotations

import datetime
import functools
import unicodedata

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone

from dangjian.orgs.models import Org

from . import selectors as S
from .choices import ChecklistItem, Post, Session, System
from .models import (
    ResearchAppraisal,
    ResearchPlan,
    ResearchReport,
    ResearchRound,
    ServiceHalfDay,
    StationChecklist,
    StationInspection,
    StationStaff,
)


def _normal(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def _station_options(user, model) -> list[tuple[str, str]]:
    return [("", "全部")] + [
        (str(pk), f"{parent} · {name}")
        for pk, name, parent in S.stations(user, "view", model).values_list("pk", "name", "parent__name")
    ]


def _township_options(user) -> list[tuple[str, str]]:
    ids = S.stations(user).values("parent_id")
    return [("", "全部")] + list(Org.objects.filter(pk__in=ids).order_by("path").values_list("pk", "name"))


class StationChoice(django_filters.FilterSet):
    """A `station` filter whose options (stations the user may see) are read only when a page renders."""

    station_model = StationStaff
    station = django_filters.NumberFilter(field_name="org_id", label="党建工作站")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["station"].extra["widget"] = forms.Select(
            choices=functools.partial(_station_options, user, self.station_model)
        )


class StationFilter(django_filters.FilterSet):
    """Filters of the station list (over Org rows annotated by selectors.with_columns)."""

    q = django_filters.CharFilter(method="filter_q", label="搜索（站名、拼音首字母）")
    township = django_filters.NumberFilter(field_name="parent_id", label="乡镇（街道）")
    org = django_filters.NumberFilter(method="filter_org", label="组织（含下级）", widget=forms.HiddenInput)
    gap = django_filters.ChoiceFilter(
        method="filter_gap",
        label="缺项",
        empty_label="全部",
        choices=[
            ("any", "任一项不符合"),
            ("staff", "人员配备不符合规定"),
            ("checklist", "“六个到位”未全部到位"),
            ("systems", "8项制度未全部建立"),
            ("inspection", "本月尚有村未督查"),
        ],
    )

    class Meta:
        model = Org
        fields = ["q", "township", "org", "gap"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["township"].extra["widget"] = forms.Select(
            choices=functools.partial(_township_options, user)
        )

    def filter_q(self, queryset, name, value):
        text = _normal(value)
        if not text:
            return queryset
        return queryset.filter(
            Q(name__icontains=text)
            | Q(parent__name__icontains=text)
            | Q(name_initials__startswith=text.lower().replace(" ", ""))
        )

    def filter_org(self, queryset, name, value):
        org = Org.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(path__startswith=org) if org else queryset.none()

    def filter_gap(self, queryset, name, value):
        today = timezone.localdate()
        gaps = {
            "staff": S.StaffRules(today).off_q(),
            "checklist": Q(n_checklist__lt=len(ChecklistItem.values)),
            "systems": Q(n_systems__lt=len(System.values)),
            "inspection": Q(n_inspected__lt=F("n_branches")),
        }
        if value == "any":
            q = Q()
            for g in gaps.values():
                q |= g
            return queryset.filter(q)
        return queryset.filter(gaps[value]) if value in gaps else queryset


class StaffFilter(StationChoice):
    q = django_filters.CharFilter(method="filter_q", label="姓名")
    post = django_filters.ChoiceFilter(choices=Post.choices, label="职务", empty_label="全部")
    serving = django_filters.BooleanFilter(method="filter_serving", label="仅在任")

    class Meta:
        model = StationStaff
        fields = ["station", "q", "post", "serving"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(name__icontains=_normal(value))

    def filter_serving(self, queryset, name, value):
        q = S.active_staff_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)


class ChecklistFilter(StationChoice):
    met = django_filters.BooleanFilter(label="已到位")
    item = django_filters.ChoiceFilter(choices=ChecklistItem.choices, label="项目", empty_label="全部")

    class Meta:
        model = StationChecklist
        fields = ["station", "item", "met"]


class DateRange(django_filters.FilterSet):
    """`since`/`until` on the model's date field (`date_field`)."""

    date_field = ""
    since = django_filters.DateFilter(method="filter_since", label="起始日期")
    until = django_filters.DateFilter(method="filter_until", label="截止日期")

    def filter_since(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__gte": value})

    def filter_until(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__lte": value})


class InspectionFilter(StationChoice, DateRange):
    station_model = StationInspection
    date_field = "inspected_on"
    q = django_filters.CharFilter(method="filter_q", label="搜索（村名、督查人员、问题）")
    needs_follow_up = django_filters.BooleanFilter(label="需跟踪整改")

    class Meta:
        model = StationInspection
        fields = ["station", "q", "since", "until", "needs_follow_up"]

    def filter_q(self, queryset, name, value):
        text = _normal(value)
        return queryset.filter(
            Q(branch__name__icontains=text) | Q(inspectors__icontains=text) | Q(problems__icontains=text)
        )


class HalfDayFilter(StationChoice, DateRange):
    station_model = ServiceHalfDay
    date_field = "held_on"
    session = django_filters.ChoiceFilter(choices=Session.choices, label="时段", empty_label="全部")

    class Meta:
        model = ServiceHalfDay
        fields = ["station", "since", "until", "session"]


def _year_q(lookup: str, year: int) -> Q:
    return Q(**{f"{lookup}__gte": datetime.date(year, 1, 1), f"{lookup}__lte": datetime.date(year, 12, 31)})


class RoundFilter(StationChoice):
    station_model = ResearchRound
    year = django_filters.NumberFilter(method="filter_year", label="年度")
    q = django_filters.CharFilter(method="filter_q", label="搜索（课题）")
    reported = django_filters.BooleanFilter(
        field_name="report", lookup_expr="isnull", exclude=True, label="已交报告"
    )

    class Meta:
        model = ResearchRound
        fields = ["station", "year", "q", "reported"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(_year_q("ended_on", int(value))) if 1900 < value < 3000 else queryset.none()

    def filter_q(self, queryset, name, value):
        return queryset.filter(topic__icontains=_normal(value))


class ReportFilter(StationChoice):
    station_model = ResearchReport
    year = django_filters.NumberFilter(method="filter_year", label="年度")

    class Meta:
        model = ResearchReport
        fields = ["station", "year"]

    def filter_year(self, queryset, name, value):
        return (
            queryset.filter(_year_q("round__ended_on", int(value)))
            if 1900 < value < 3000
            else queryset.none()
        )


class TownshipYear(django_filters.FilterSet):
    township = django_filters.NumberFilter(field_name="org_id", label="乡镇（街道）")
    year = django_filters.NumberFilter(field_name="year", label="年度")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["township"].extra["widget"] = forms.Select(
            choices=functools.partial(_visible_townships, user)
        )


def _visible_townships(user) -> list[tuple[str, str]]:
    return [("", "全部")] + list(S.townships(user).values_list("pk", "name"))


class PlanFilter(TownshipYear):
    class Meta:
        model = ResearchPlan
        fields = ["township", "year"]


class AppraisalFilter(TownshipYear):
    class Meta:
        model = ResearchAppraisal
        fields = ["township", "year"]
