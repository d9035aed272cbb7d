"""Filters of the case list, shared by the page, its Excel export and the API.

`view` is the tab people use (mine, overdue, waiting for my acceptance or sign-off, escalated, all);
the rest narrow it. Options are read only when a page renders, and only from the user's scope."""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata

import django_filters
from django import forms
from django.db.models import Case as When_
from django.db.models import F, IntegerField, Q, Value, When
from django.utils import timezone

from dangjian.core.errors import DomainError
from dangjian.core.scope import side_ids
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Department, Grid, Org

from . import selectors as S
from . import stats
from .choices import CaseKind, Level, Priority, Source
from .forms import categories_for
from .kinds import KINDS
from .models import Case, CaseRoute, Category
from .services import TOWNSHIP_KINDS, VILLAGE_KINDS

VIEWS = (
    ("all", "全部"),
    ("mine", "我负责的"),
    ("overdue", "已逾期"),
    ("acceptance", "待我验收"),
    ("signoff", "待我销号"),
    ("escalated", "已上报"),
)
FILTER_ORG_KINDS = (
    OrgKind.COUNTY,
    OrgKind.TOWNSHIP,
    OrgKind.STATION,
    OrgKind.JOINT_BRANCH,
    OrgKind.BRANCH,
    OrgKind.COMMUNITY,
)
MAX_ORG_OPTIONS = 500
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _normal(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def own_level():
    """The level of a case's own org (村级, 镇级, 县级), to tell an escalated case by its level."""
    return When_(
        When(org__kind__in=VILLAGE_KINDS, then=Value(Level.VILLAGE)),
        When(org__kind__in=TOWNSHIP_KINDS, then=Value(Level.TOWNSHIP)),
        default=Value(Level.COUNTY),
        output_field=IntegerField(),
    )


def state_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """States grouped by kind (`problem:open`); a bare state code (`closed`) matches every kind."""
    return [
        (spec.label, [(f"{kind}:{code}", label) for code, label in spec.states.items()])
        for kind, spec in KINDS.items()
    ]


def _org_options(user) -> list[tuple[str, str]]:
    rows = (
        Org.objects.restrict(user)
        .filter(kind__in=FILTER_ORG_KINDS, archived_at__isnull=True)
        .order_by("path")
        .values_list("pk", "name", "depth")[:MAX_ORG_OPTIONS]
    )
    top = min((d for _, _, d in rows), default=0)
    return [("", "全部")] + [(str(pk), f"{'　' * (d - top)}{name}") for pk, name, d in rows]


def _grid_options(user) -> list[tuple[str, str]]:
    grids = Grid.objects.restrict(user) | Grid.objects.filter(pk__in=side_ids(user)[0])
    rows = grids.order_by("org__path", "name").values_list("pk", "org__name", "name")[:MAX_ORG_OPTIONS]
    return [("", "全部")] + [(str(pk), f"{org} · {name}") for pk, org, name in rows]


def _department_options(user) -> list[tuple[str, str]]:
    rows = Department.objects.restrict(user) | Department.objects.filter(pk__in=side_ids(user)[1])
    return [("", "全部")] + [
        (str(pk), name) for pk, name in rows.order_by("county_id", "name").values_list("pk", "name")
    ]


def _category_options(user) -> list[tuple[str, str]]:
    rows = categories_for(user).values_list("pk", "kind", "name")
    return [("", "全部")] + [(str(pk), f"{KINDS[k].label} · {name}") for pk, k, name in rows]


class CaseFilter(django_filters.FilterSet):
    view = django_filters.ChoiceFilter(
        choices=VIEWS, method="filter_view", label="列表", empty_label=None, widget=forms.HiddenInput
    )
    q = django_filters.CharFilter(method="filter_q", label="搜索（受理编号、标题、地点）")
    kind = django_filters.ChoiceFilter(choices=CaseKind.choices, label="类型", empty_label="全部")
    state = django_filters.CharFilter(method="filter_state", label="状态")
    category = django_filters.NumberFilter(method="filter_category", label="类别")
    org = django_filters.NumberFilter(method="filter_org", label="组织（含下级）")
    grid = django_filters.NumberFilter(field_name="grid_id", label="网格")
    department = django_filters.NumberFilter(method="filter_department", label="派单部门")
    level = django_filters.ChoiceFilter(choices=Level.choices, label="办理层级", empty_label="全部")
    source = django_filters.ChoiceFilter(choices=Source.choices, label="来源", empty_label="全部")
    priority = django_filters.ChoiceFilter(choices=Priority.choices, label="紧急程度", empty_label="全部")
    month = django_filters.CharFilter(
        method="filter_month", label="立项月份", widget=forms.TextInput(attrs={"type": "month"})
    )
    published = django_filters.BooleanFilter(
        method="filter_published",
        label="已公开",
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]),
    )
    ledger = django_filters.CharFilter(
        method="filter_ledger",
        label="台账统计项",
        widget=forms.HiddenInput,
        help_text="月度台账的链接：<统计项>:<2026-10>",
    )

    class Meta:
        model = Case
        fields = [
            "view",
            "q",
            "kind",
            "state",
            "category",
            "org",
            "grid",
            "department",
            "level",
            "source",
            "priority",
            "month",
            "published",
            "ledger",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.today = timezone.localdate()
        widgets = {
            "state": forms.Select(choices=[("", "全部"), *state_choices()]),
            "category": forms.Select(choices=functools.partial(_category_options, user)),
            "org": forms.Select(choices=functools.partial(_org_options, user)),
            "grid": forms.Select(choices=functools.partial(_grid_options, user)),
            "department": forms.Select(choices=functools.partial(_department_options, user)),
        }
        for name, widget in widgets.items():
            self.filters[name].extra["widget"] = widget

    @property
    def user(self):
        return self.request.user

    def filter_view(self, queryset, name, value):
        user = self.user
        if value == "mine":
            return queryset.filter(
                Q(owner=user) | Q(pk__in=Case.co_owners.through.objects.filter(user=user).values("case_id"))
            )
        if value == "overdue":
            return queryset.filter(S.overdue_q(self.today))
        if value == "acceptance":
            return queryset.filter(S.waiting_acceptance_q(user))
        if value == "signoff":
            return queryset.filter(S.waiting_signoff_q(user))
        if value == "escalated":
            return queryset.alias(own_level=own_level()).filter(
                Q(escalated_on__isnull=False) | Q(level__gt=F("own_level"))
            )
        return queryset

    def filter_category(self, queryset, name, value):
        """`0` is the ledger report's 未分类."""
        return queryset.filter(category__isnull=True) if value == 0 else queryset.filter(category_id=value)

    def filter_ledger(self, queryset, name, value):
        """The cases behind a figure of the monthly ledger (stats.ledger_filter, the same definitions)."""
        try:
            return queryset.filter(stats.ledger_filter(value, self.today))
        except DomainError:
            return queryset.none()

    def filter_q(self, queryset, name, value):
        text = _normal(value)
        if not text:
            return queryset
        return queryset.filter(
            Q(receipt_no__iexact=text)
            | Q(receipt_no__icontains=text)
            | Q(title__icontains=text)
            | Q(place__icontains=text)
        )

    def filter_state(self, queryset, name, value):
        kind, _, state = value.rpartition(":")
        if kind:
            if kind not in KINDS or state not in KINDS[kind].states:
                return queryset.none()
            return queryset.filter(kind=kind, state=state)
        if not any(state in spec.states for spec in KINDS.values()):
            return queryset.none()
        return queryset.filter(state=state)

    def filter_org(self, queryset, name, value):
        path = Org.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(org__path__startswith=path) if path else queryset.none()

    def filter_department(self, queryset, name, value):
        return queryset.filter(pk__in=CaseRoute.objects.filter(department_id=value).values("case_id"))

    def filter_month(self, queryset, name, value):
        m = MONTH.match(_normal(value))
        if not m or not 1 <= int(m.group(2)) <= 12:
            return queryset.none()
        year, month = int(m.group(1)), int(m.group(2))
        first = datetime.date(year, month, 1)
        after = datetime.date(year + month // 12, month % 12 + 1, 1)
        return queryset.filter(opened_on__gte=first, opened_on__lt=after)

    def filter_published(self, queryset, name, value):
        return queryset.filter(published_at__isnull=not value)


class CategoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="类别名称")
    kind = django_filters.ChoiceFilter(choices=CaseKind.choices, label="类型", empty_label="全部")
    county = django_filters.NumberFilter(field_name="county_id", label="县")

    class Meta:
        model = Category
        fields = ["q", "kind", "county"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["county"].extra["widget"] = forms.Select(
            choices=functools.partial(_county_options, user)
        )


def _county_options(user) -> list[tuple[str, str]]:
    rows = Org.objects.restrict(user).filter(kind=OrgKind.COUNTY).values_list("pk", "name")
    return [("", "全部")] + [(str(pk), name) for pk, name in rows]
