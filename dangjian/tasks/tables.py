"""Tables of the task pages, shared by the pages and their Excel exports. Red: past due and not done;
amber: due within the county's warning window (rule tasks.due_soon_days); green: done."""

from __future__ import annotations

import datetime

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from dangjian.core.models import RuleOverride
from dangjian.core.rules import REGISTRY
from dangjian.orgs.tables import TABLE_ATTRS

from . import rules as R
from .choices import AssignmentState, TargetKind
from .models import Assignment, TaskList


def warn_days_by_county(today: datetime.date) -> dict[int | None, int]:
    """Every county's warning window that differs from the default (one query), default under None."""
    rule = REGISTRY[R.DUE_SOON_DAYS.code]
    rows = RuleOverride.objects.filter(code=rule.code, effective_from__lte=today).values_list(
        "county_id", "value"
    )
    return {None: int(rule.value)} | {county: int(value) for county, value in rows}


def due_status(a: Assignment, today: datetime.date, warn: dict[int | None, int]) -> tuple[str, str]:
    """(label, css class) of an assignment's due date."""
    if a.state == AssignmentState.DONE:
        return "已完成", "status-green"
    if a.due < today:
        return f"逾期{(today - a.due).days}天", "status-red fw-semibold"
    if (a.due - today).days <= warn.get(a.county_id, warn[None]):
        return "即将到期", "status-amber fw-semibold"
    return "", ""


def num(value) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def bar(percent: int, late: bool = False) -> str:
    css = "bg-success" if percent >= 100 else ("bg-danger" if late else "bg-primary")
    return format_html(
        '<div class="progress" style="min-width:5rem;height:1.1rem" role="progressbar" '
        'aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100">'
        '<div class="progress-bar {}" style="width:{}%">{}%</div></div>',
        percent,
        css,
        percent,
        percent,
    )


class TaskListTable(tables.Table):
    title = tables.Column(verbose_name="标题", linkify=True)
    org = tables.Column(verbose_name="下达组织", order_by=("org__path",))
    kind = tables.Column(verbose_name="类型")
    period_start = tables.DateColumn(format="Y-m-d", verbose_name="期间开始")
    period_end = tables.DateColumn(format="Y-m-d", verbose_name="期间结束")
    n_tasks = tables.Column(verbose_name="任务数")
    n_assignments = tables.Column(verbose_name="承办数")
    issued_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="下达时间")

    class Meta:
        model = TaskList
        fields = [
            "title",
            "org",
            "kind",
            "period_start",
            "period_end",
            "n_tasks",
            "n_assignments",
            "issued_at",
        ]
        attrs = TABLE_ATTRS | {"data-testid": "task-lists"}
        empty_text = "没有符合条件的任务清单。"


class AssignmentTable(tables.Table):
    task = tables.Column(
        verbose_name="任务", linkify=lambda record: record.get_absolute_url(), order_by=("task__title",)
    )
    task_list = tables.Column(accessor="task__task_list__title", verbose_name="清单", orderable=False)
    org = tables.Column(verbose_name="承办组织", order_by=("org__path",))
    due = tables.DateColumn(format="Y-m-d", verbose_name="完成期限")
    status = tables.Column(verbose_name="期限情况", empty_values=(), orderable=False)
    target = tables.Column(accessor="target_amount", verbose_name="目标")
    done = tables.Column(accessor="done_amount", verbose_name="完成")
    progress = tables.Column(verbose_name="进度", empty_values=(), orderable=False)
    state = tables.Column(verbose_name="状态")
    last_report_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="最近报告")

    class Meta:
        model = Assignment
        fields = [
            "task",
            "task_list",
            "org",
            "due",
            "status",
            "target",
            "done",
            "progress",
            "state",
            "last_report_at",
        ]
        attrs = TABLE_ATTRS | {"data-testid": "assignments"}
        empty_text = "没有符合条件的承办任务。"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.warn = warn_days_by_county(self.today)

    def _unit(self, record) -> str:
        return "项" if record.task.target_kind == TargetKind.CHECKLIST else record.task.unit

    def render_target(self, value, record):
        return f"{num(value)}{self._unit(record)}"

    def render_done(self, value, record):
        return f"{num(value)}{self._unit(record)}"

    def value_target(self, value):
        return float(value)

    def value_done(self, value):
        return float(value)

    def render_status(self, record):
        label, css = due_status(record, self.today, self.warn)
        return format_html('<span class="{}">{}</span>', css, label) if label else ""

    def value_status(self, record):
        return due_status(record, self.today, self.warn)[0]

    def render_progress(self, record):
        return bar(record.percent, record.due < self.today and record.state != AssignmentState.DONE)

    def value_progress(self, record):
        return f"{record.percent}%"

    def render_state(self, value, record):
        return f"{value}（已分解）" if record.relayed else value

    def value_state(self, value, record):
        return self.render_state(value, record)


class MyAssignmentTable(AssignmentTable):
    act = tables.Column(verbose_name="操作", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(AssignmentTable.Meta):
        fields = [*AssignmentTable.Meta.fields, "act"]
        attrs = TABLE_ATTRS | {"data-testid": "my-assignments"}
        empty_text = "本单位暂无承办任务。"

    def render_act(self, record):
        if record.relayed:
            return format_html(
                '<a class="btn btn-sm btn-outline-secondary" href="{}">查看</a>', record.get_absolute_url()
            )
        return format_html(
            '<a class="btn btn-sm btn-primary" href="{}">报告</a>',
            reverse("assignment-report", args=[record.pk]),
        )
