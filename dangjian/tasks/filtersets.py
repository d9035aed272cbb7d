"""Filters of the task pages, shared by the lists, their Excel exports and the API. The roll-up page's
figures link to the assignment list with these same filters (org subtree, month, task, status, leaf),
so every number opens the records behind it."""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from .choices import AssignmentState, ListKind
from .models import Assignment, TaskList, TaskReport

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
ORG_KINDS = (
    OrgKind.PROVINCE,
    OrgKind.CITY,
    OrgKind.COUNTY,
    OrgKind.TOWNSHIP,
    OrgKind.STATION,
    OrgKind.JOINT_BRANCH,
    OrgKind.BRANCH,
    OrgKind.COMMUNITY,
)
MAX_ORG_OPTIONS = 500
STATUS = (
    ("open", "未完成"),
    ("late", "已逾期"),
    ("soon", "7天内到期"),
    ("reported", "已报告（含已完成）"),
    ("pending", "未报告"),
    ("done", "已完成"),
)


def normal(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def parse_month(text: str | None) -> datetime.date | None:
    m = MONTH.match(normal(text or ""))
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def org_options(user) -> list[tuple[str, str]]:
    rows = (
        Org.objects.restrict(user)
        .filter(kind__in=ORG_KINDS, archived_at__isnull=True)
        .order_by("path")
        .values_list("pk", "name", "depth")[:MAX_ORG_OPTIONS]
    )
    top = min((d for _, _, d in rows), default=0)
    return [("", "全部")] + [(str(pk), f"{'　' * (d - top)}{name}") for pk, name, d in rows]


def _subtree(queryset, user, value, lookup: str):
    org = Org.objects.restrict(user).filter(pk=value).only("path").first()
    if org is None:
        return queryset.none()
    return queryset.filter(**{f"{lookup}__startswith": org.path})


MONTH_WIDGET = forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"})


class TaskListFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（标题、组织、任务）")
    org = django_filters.NumberFilter(method="filter_org", label="下达组织（含下级）")
    kind = django_filters.ChoiceFilter(choices=ListKind.choices, label="类型", empty_label="全部")
    month = django_filters.CharFilter(method="filter_month", label="月份", widget=MONTH_WIDGET)

    class Meta:
        model = TaskList
        fields = ["q", "org", "kind", "month"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["org"].extra["widget"] = forms.Select(choices=functools.partial(org_options, user))

    def filter_q(self, queryset, name, value):
        text = normal(value)
        if not text:
            return queryset
        return queryset.filter(
            Q(title__icontains=text)
            | Q(org__name__icontains=text)
            | Q(pk__in=TaskList.objects.filter(tasks__title__icontains=text).values("pk"))
        )

    def filter_org(self, queryset, name, value):
        return _subtree(queryset, self.request.user, value, "org__path")

    def filter_month(self, queryset, name, value):
        start = parse_month(value)
        if start is None:
            return queryset.none() if normal(value) else queryset
        nxt = (start + datetime.timedelta(days=32)).replace(day=1)
        return queryset.filter(period_start__gte=start, period_start__lt=nxt)


class AssignmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（任务、承办组织）")
    org = django_filters.NumberFilter(method="filter_org", label="承办组织（含下级）")
    status = django_filters.ChoiceFilter(
        choices=STATUS, method="filter_status", label="情况", empty_label="全部"
    )
    month = django_filters.CharFilter(method="filter_month", label="月度清单月份", widget=MONTH_WIDGET)
    task = django_filters.NumberFilter(field_name="task_id", label="任务", widget=forms.HiddenInput)
    task_list = django_filters.NumberFilter(
        field_name="task__task_list_id", label="清单", widget=forms.HiddenInput
    )
    key = django_filters.BooleanFilter(field_name="task__key", label="重点任务", widget=forms.HiddenInput)
    leaf = django_filters.BooleanFilter(method="filter_leaf", label="只看末级承办", widget=forms.HiddenInput)

    class Meta:
        model = Assignment
        fields = ["q", "org", "status", "month", "task", "task_list", "key", "leaf"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.today = timezone.localdate()
        self.filters["org"].extra["widget"] = forms.Select(choices=functools.partial(org_options, user))

    def filter_q(self, queryset, name, value):
        text = normal(value)
        if not text:
            return queryset
        return queryset.filter(Q(task__title__icontains=text) | Q(org__name__icontains=text))

    def filter_org(self, queryset, name, value):
        return _subtree(queryset, self.request.user, value, "org__path")

    def filter_leaf(self, queryset, name, value):
        return queryset.filter(relayed=not value) if value is not None else queryset

    def filter_month(self, queryset, name, value):
        start = parse_month(value)
        if start is None:
            return queryset.none() if normal(value) else queryset
        return queryset.filter(period_start=start, task__task_list__kind=ListKind.MONTHLY)

    def filter_status(self, queryset, name, value):
        today = self.today
        not_done = ~Q(state=AssignmentState.DONE)
        return queryset.filter(
            {
                "open": not_done,
                "late": not_done & Q(due__lt=today),
                "soon": not_done & Q(due__gte=today, due__lte=today + datetime.timedelta(days=7)),
                "reported": ~Q(state=AssignmentState.PENDING),
                "pending": Q(state=AssignmentState.PENDING),
                "done": Q(state=AssignmentState.DONE),
            }.get(value, Q())
        )


class TaskReportFilter(django_filters.FilterSet):
    assignment = django_filters.NumberFilter(field_name="assignment_id", label="承办")
    task = django_filters.NumberFilter(field_name="assignment__task_id", label="任务")
    org = django_filters.NumberFilter(method="filter_org", label="报告组织（含下级）")
    late = django_filters.BooleanFilter(field_name="late", label="逾期报告")

    class Meta:
        model = TaskReport
        fields = ["assignment", "task", "org", "late"]

    def filter_org(self, queryset, name, value):
        return _subtree(queryset, self.request.user, value, "org__path")
