"""The roster's filters, shared by the page, its Excel export and the API."""

from __future__ import annotations

import re
import unicodedata

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from dangjian.core.dates import add_years
from dangjian.orgs.models import Org

from .choices import AGE_BANDS, ON_ROLL, Education, Gender, MemberStatus, Standing
from .models import Member

ON_ROLL_VALUE = "on_roll"
ALL_VALUE = "all"
STANDING_CHOICES = [(ON_ROLL_VALUE, "在册（正常和停止党籍）"), (ALL_VALUE, "全部"), *Standing.choices]
ID_TAIL_RE = re.compile(r"^\d{3,5}[\dX]$")
ALL = "全部"


class YesNoSelect(forms.NullBooleanSelect):
    def __init__(self):
        super().__init__()
        self.choices = [("", ALL), ("true", "是"), ("false", "否")]


def birth_range(band: str, today=None) -> Q:
    """Age is never stored: a band becomes a range of birth dates counted back from today."""
    today = today or timezone.localdate()
    low, high, _ = AGE_BANDS[band]
    q = Q()
    if low is not None:
        q &= Q(person__birth_date__lte=add_years(today, -low))
    if high is not None:
        q &= Q(person__birth_date__gt=add_years(today, -high))
    return q


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（姓名、拼音、首字母、身份证后几位）")
    # The page links here from an org (`?org=`); the API takes the id. Not typed by hand, so hidden.
    org = django_filters.NumberFilter(
        method="filter_org", label="所在组织编号（含下级）", widget=forms.HiddenInput
    )
    status = django_filters.ChoiceFilter(choices=MemberStatus.choices, label="党员类别", empty_label=ALL)
    gender = django_filters.ChoiceFilter(
        field_name="person__gender", choices=Gender.choices, label="性别", empty_label=ALL
    )
    age = django_filters.ChoiceFilter(
        method="filter_age",
        choices=[(k, v[2]) for k, v in AGE_BANDS.items()],
        label="年龄段",
        empty_label=ALL,
    )
    education = django_filters.ChoiceFilter(
        field_name="person__education", choices=Education.choices, label="学历", empty_label=ALL
    )
    mobile = django_filters.BooleanFilter(field_name="is_mobile", label="流动党员", widget=YesNoSelect)
    lost = django_filters.BooleanFilter(method="filter_lost", label="失联党员", widget=YesNoSelect)
    standing = django_filters.ChoiceFilter(
        method="filter_standing", choices=STANDING_CHOICES, label="党籍状态", empty_label=None
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("person__name_pinyin", "name"),
            ("org__path", "org"),
            ("joined_on", "joined_on"),
            ("person__birth_date", "birth_date"),
        ),
        field_labels={
            "person__name_pinyin": "姓名",
            "org__path": "所在党支部",
            "joined_on": "入党时间",
            "person__birth_date": "出生日期",
        },
        label="排序",
        empty_label="默认（按组织、姓名）",
    )

    class Meta:
        model = Member
        fields = ["q", "org", "status", "gender", "age", "education", "mobile", "lost", "standing"]

    def __init__(self, data=None, *args, **kwargs):
        # The roster shows members on the roll unless asked otherwise, in the page and the API alike.
        if data is None or not data.get("standing"):
            data = data.copy() if data is not None else {}
            data["standing"] = ON_ROLL_VALUE
        super().__init__(data, *args, **kwargs)

    def filter_q(self, queryset, name, value):
        text = unicodedata.normalize("NFKC", value).strip()
        if not text:
            return queryset
        low = text.lower().replace(" ", "")
        q = (
            Q(person__name__icontains=text)
            | Q(person__name_pinyin__startswith=low)
            | Q(person__name_initials__startswith=low)
        )
        if ID_TAIL_RE.match(text.upper()):
            q |= Q(person__id_tail__endswith=text.upper())
        return queryset.filter(q)

    def filter_org(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        path = Org.objects.restrict(user, "view").filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(org__path__startswith=path) if path else queryset.none()

    def filter_age(self, queryset, name, value):
        return queryset.filter(birth_range(value))

    def filter_lost(self, queryset, name, value):
        return queryset.filter(lost_contact_since__isnull=not value)

    def filter_standing(self, queryset, name, value):
        if value == ALL_VALUE:
            return queryset
        if value == ON_ROLL_VALUE:
            return queryset.filter(standing__in=ON_ROLL)
        return queryset.filter(standing=value)
