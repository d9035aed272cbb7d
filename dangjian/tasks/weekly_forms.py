"""Forms and filters of the weekly-cycle pages (the filters are shared with the API and the Excel exports).
Forms only shape input: the rules and their Chinese messages are weekly.py's and services.py's."""

from __future__ import annotations

import datetime
import functools
import unicodedata

import django_filters
from django import forms
from django.db.models import F, Q

from dangjian.members.forms import DATE_FORMATS, DateInput
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import weekly_rules as WR
from .choices import CompilationState, TargetKind
from .models import Assignment, Compilation, WeeklyCycle

TEXTAREA = forms.Textarea(attrs={"rows": 3})
WEEKDAY_CHOICES = [(i, name) for i, name in enumerate(WR.WEEKDAYS)]


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class IssueForm(forms.Form):
    township = OrgChoiceField(queryset=Org.objects.none(), label="乡镇（街道）", empty_label="请选择")
    week_start = forms.DateField(
        label="周一（本周开始日期）", widget=DateInput(), input_formats=DATE_FORMATS, help_text="须为周一"
    )
    note = forms.CharField(label="说明", max_length=2000, required=False, widget=TEXTAREA)

    def __init__(self, *args, townships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships if townships is not None else Org.objects.none()


class TaskRowForm(forms.Form):
    """One task of the week; a row left blank is skipped."""

    title = forms.CharField(label="任务", max_length=200, required=False)
    description = forms.CharField(label="要求", max_length=3000, required=False, widget=TEXTAREA)
    target_kind = forms.ChoiceField(label="指标类型", choices=TargetKind.choices, initial=TargetKind.NUMBER)
    target_value = forms.DecimalField(
        label="每村目标值", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    unit = forms.CharField(label="单位", max_length=20, required=False, help_text="如：户、次、人、米")
    checklist = forms.CharField(
        label="清单事项", required=False, widget=TEXTAREA, help_text="清单类任务填写，每行一项"
    )
    key = forms.BooleanField(label="重点任务", required=False)

    def cleaned_task(self) -> dict | None:
        data = getattr(self, "cleaned_data", None) or {}
        if not (data.get("title") or "").strip() and not (data.get("description") or "").strip():
            return None
        return {
            "title": data.get("title", ""),
            "description": data.get("description", ""),
            "target_kind": data.get("target_kind") or TargetKind.NUMBER,
            "target_value": data.get("target_value"),
            "unit": data.get("unit", ""),
            "checklist": [x.strip() for x in (data.get("checklist") or "").splitlines() if x.strip()],
            "key": bool(data.get("key")),
        }


TaskFormSet = forms.formset_factory(TaskRowForm, extra=3, max_num=30, validate_max=True)


class CompilationForm(forms.Form):
    body = forms.CharField(
        label="汇总报告", max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 14})
    )


class SettingsForm(forms.Form):
    report_weekday = forms.TypedChoiceField(
        label="村级汇报日（每周）",
        choices=WEEKDAY_CHOICES,
        coerce=int,
        help_text="村党组织向工作站汇报的期限",
    )
    compile_weekday = forms.TypedChoiceField(
        label="工作站汇总上报日（每周）",
        choices=WEEKDAY_CHOICES,
        coerce=int,
        help_text="工作站汇总向乡镇上报的期限，不早于村级汇报日",
    )
    cadence_weeks = forms.IntegerField(
        label="间隔周数", min_value=1, max_value=WR.CADENCE_MAX, help_text="1 为每周一次，2 为隔周一次"
    )
    source = forms.CharField(label="依据", max_length=200, required=False, help_text="如：县委组织部通知文号")


# --- filters --------------------------------------------------------------------------------------


def _normal(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def _townships(user) -> list[tuple[str, str]]:
    rows = (
        Org.objects.restrict(user)
        .filter(kind=OrgKind.TOWNSHIP, archived_at__isnull=True)
        .order_by("path")
        .values_list("pk", "name")[:1000]
    )
    return [("", "全部")] + [(str(pk), name) for pk, name in rows]


def _select(filterset, name: str, options) -> None:
    filterset.filters[name].extra["widget"] = forms.Select(choices=options)


class WeekFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（乡镇、任务）")
    township = django_filters.NumberFilter(field_name="org_id", label="乡镇（街道）")
    week = django_filters.DateFilter(method="filter_week", label="所在周（任一日期）", widget=DateInput())
    since = django_filters.DateFilter(
        field_name="week_start", lookup_expr="gte", label="起始周", widget=DateInput()
    )
    until = django_filters.DateFilter(
        field_name="week_start", lookup_expr="lte", label="截止周", widget=DateInput()
    )

    class Meta:
        model = WeeklyCycle
        fields = ["q", "township", "week", "since", "until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _select(self, "township", functools.partial(_townships, getattr(self.request, "user", None)))

    def filter_q(self, queryset, name, value):
        text = _normal(value)
        return queryset.filter(
            Q(org__name__icontains=text) | Q(task_list__tasks__title__icontains=text)
        ).distinct()

    def filter_week(self, queryset, name, value):
        return queryset.filter(week_start__lte=value, week_start__gte=value - datetime.timedelta(6))


COMPILATION_STATES = [
    ("draft", "草稿未上报"),
    ("submitted", "按期上报"),
    ("late", "逾期上报"),
]


class CompilationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（工作站、内容）")
    township = django_filters.NumberFilter(field_name="cycle__org_id", label="乡镇（街道）")
    week = django_filters.DateFilter(method="filter_week", label="所在周（任一日期）", widget=DateInput())
    state = django_filters.ChoiceFilter(
        method="filter_state", choices=COMPILATION_STATES, label="状态", empty_label="全部"
    )

    class Meta:
        model = Compilation
        fields = ["q", "township", "week", "state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _select(self, "township", functools.partial(_townships, getattr(self.request, "user", None)))

    def filter_q(self, queryset, name, value):
        text = _normal(value)
        return queryset.filter(Q(org__name__icontains=text) | Q(body__icontains=text))

    def filter_week(self, queryset, name, value):
        return queryset.filter(
            cycle__week_start__lte=value, cycle__week_start__gte=value - datetime.timedelta(6)
        )

    def filter_state(self, queryset, name, value):
        if value == "draft":
            return queryset.filter(state=CompilationState.DRAFT)
        if value == "late":
            return queryset.filter(state=CompilationState.SUBMITTED, late=True)
        return queryset.filter(state=CompilationState.SUBMITTED, late=False)


VILLAGE_STATES = [
    ("pending", "未报（未到期）"),
    ("missing", "逾期未报"),
    ("late", "逾期报"),
    ("reported", "按期已报"),
]
CYCLE = "task__task_list__cycle"


class WeeklyAssignmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（村、任务）")
    week = django_filters.DateFilter(method="filter_week", label="所在周（任一日期）", widget=DateInput())
    state = django_filters.ChoiceFilter(
        method="filter_state", choices=VILLAGE_STATES, label="汇报情况", empty_label="全部"
    )

    class Meta:
        model = Assignment
        fields = ["q", "week", "state"]

    def filter_q(self, queryset, name, value):
        text = _normal(value)
        return queryset.filter(Q(org__name__icontains=text) | Q(task__title__icontains=text))

    def filter_week(self, queryset, name, value):
        return queryset.filter(
            **{
                f"{CYCLE}__week_start__lte": value,
                f"{CYCLE}__week_start__gte": value - datetime.timedelta(6),
            }
        )

    def filter_state(self, queryset, name, value):
        from django.utils import timezone

        today = timezone.localdate()
        due = F(f"{CYCLE}__report_due")
        if value == "pending":
            return queryset.filter(first_report_at__isnull=True, **{f"{CYCLE}__report_due__gte": today})
        if value == "missing":
            return queryset.filter(first_report_at__isnull=True, **{f"{CYCLE}__report_due__lt": today})
        if value == "late":
            return queryset.filter(first_report_at__date__gt=due)
        return queryset.filter(first_report_at__date__lte=due)
