"""Filters of the errands lists, shared by the pages, their Excel exports and the API. Options that
need the database (townships, categories, centres) are read only when a page renders them."""

from __future__ import annotations

import functools
import unicodedata

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from dangjian.orgs.models import Org

from . import selectors as S
from .models import Diary, ErrandService, ServiceCentre, ServiceSession


def _normal(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def _townships(user, model) -> list[tuple[str, str]]:
    return [("", "全部")] + list(S.townships(user, "view", model).values_list("pk", "name"))


def _categories(user) -> list[tuple[str, str]]:
    names = (
        ErrandService.objects.restrict(user)
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )
    return [("", "全部")] + [(n, n) for n in names]


def _centres(user) -> list[tuple[str, str]]:
    rows = (
        ServiceCentre.objects.restrict(user)
        .order_by("org__path", "name")
        .values_list("pk", "org__name", "name")
    )
    return [("", "全部")] + [(str(pk), f"{town} · {name}") for pk, town, name in rows]


def _select(filterset, name: str, options) -> None:
    filterset.filters[name].extra["widget"] = forms.Select(choices=options)


class TownshipChoice(django_filters.FilterSet):
    """A `township` filter listing the townships where the user may see `township_model`."""

    township_model = ErrandService
    township = django_filters.NumberFilter(field_name="org_id", label="乡镇（街道）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        _select(self, "township", functools.partial(_townships, user, self.township_model))


STATUS = [("active", "在用"), ("archived", "已停用")]


def _status(queryset, value):
    if value == "active":
        return queryset.filter(archived_at__isnull=True)
    if value == "archived":
        return queryset.filter(archived_at__isnull=False)
    return queryset


class ServiceFilter(TownshipChoice):
    q = django_filters.CharFilter(method="filter_q", label="搜索（事项、材料、承办科室）")
    category = django_filters.CharFilter(field_name="category", label="类别")
    published = django_filters.BooleanFilter(
        label="公开", widget=forms.Select(choices=[("", "全部"), ("true", "已公开"), ("false", "未公开")])
    )
    status = django_filters.ChoiceFilter(
        method="filter_status", choices=STATUS, label="状态", empty_label="全部"
    )

    class Meta:
        model = ErrandService
        fields = ["q", "township", "category", "published", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _select(self, "category", functools.partial(_categories, getattr(self.request, "user", None)))

    def filter_q(self, queryset, name, value):
        text = _normal(value)
        return queryset.filter(
            Q(name__icontains=text) | Q(documents__icontains=text) | Q(handled_by__icontains=text)
        )

    def filter_status(self, queryset, name, value):
        return _status(queryset, value)


class CentreFilter(TownshipChoice):
    township_model = ServiceCentre
    q = django_filters.CharFilter(method="filter_q", label="搜索（名称、地点）")
    status = django_filters.ChoiceFilter(
        method="filter_status", choices=STATUS, label="状态", empty_label="全部"
    )

    class Meta:
        model = ServiceCentre
        fields = ["q", "township", "status"]

    def filter_q(self, queryset, name, value):
        text = _normal(value)
        return queryset.filter(Q(name__icontains=text) | Q(place__icontains=text))

    def filter_status(self, queryset, name, value):
        return _status(queryset, value)


class SessionFilter(TownshipChoice):
    township_model = ServiceSession
    centre = django_filters.NumberFilter(field_name="centre_id", label="便民服务中心")
    since = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="起始日期")
    until = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="截止日期")
    half = django_filters.ChoiceFilter(choices=ServiceSession.Half.choices, label="时段", empty_label="全部")
    q = django_filters.CharFilter(method="filter_q", label="搜索（科室、说明）")

    class Meta:
        model = ServiceSession
        fields = ["township", "centre", "since", "until", "half", "q"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _select(self, "centre", functools.partial(_centres, getattr(self.request, "user", None)))

    def filter_q(self, queryset, name, value):
        """Sections are a JSON list stored as written (models.UnicodeJSONEncoder), so a text match on
        it finds a section by name on SQLite and PostgreSQL alike."""
        text = _normal(value)
        return queryset.filter(Q(note__icontains=text) | Q(sections__icontains=text))


class DiaryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（内容、走访对象、村名）")
    whose = django_filters.ChoiceFilter(
        method="filter_whose",
        choices=[("mine", "我记的")],
        label="范围",
        empty_label="我范围内的全部",
    )
    village = django_filters.NumberFilter(method="filter_village", label="村（社区）（含下级）")
    since = django_filters.DateFilter(field_name="written_on", lookup_expr="gte", label="起始日期")
    until = django_filters.DateFilter(field_name="written_on", lookup_expr="lte", label="截止日期")
    has_cases = django_filters.BooleanFilter(
        method="filter_has_cases",
        label="已转案件",
        widget=forms.Select(choices=[("", "全部"), ("true", "已转"), ("false", "未转")]),
    )

    class Meta:
        model = Diary
        fields = ["q", "whose", "village", "since", "until", "has_cases"]

    def filter_q(self, queryset, name, value):
        text = _normal(value)
        return queryset.filter(
            Q(content__icontains=text) | Q(visited__icontains=text) | Q(org__name__icontains=text)
        )

    def filter_whose(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return queryset.filter(author_id=getattr(user, "pk", None)) if value == "mine" else queryset

    def filter_village(self, queryset, name, value):
        path = Org.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(org__path__startswith=path) if path else queryset.none()

    def filter_has_cases(self, queryset, name, value):
        if value is None:
            return queryset
        case = Diary._meta.get_field("cases").related_model
        linked = Exists(case.objects.filter(diary=OuterRef("pk")))
        return queryset.filter(linked if value else ~linked)


class CardFilter(django_filters.FilterSet):
    """Filters of the contact-card list (stations, and townships that have none)."""

    q = django_filters.CharFilter(method="filter_q", label="搜索（站名、乡镇、拼音首字母）")
    org = django_filters.NumberFilter(method="filter_org", label="组织（含下级）", widget=forms.HiddenInput)

    class Meta:
        model = Org
        fields = ["q", "org"]

    def filter_q(self, queryset, name, value):
        text = _normal(value)
        return queryset.filter(
            Q(name__icontains=text)
            | Q(parent__name__icontains=text)
            | Q(name_initials__startswith=text.lower().replace(" ", ""))
        )

    def filter_org(self, queryset, name, value):
        path = Org.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(path__startswith=path) if path else queryset.none()
