"""Tables of the weekly-cycle lists and their Excel exports."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from dangjian.orgs.tables import TABLE_ATTRS

from . import weekly as W
from . import weekly_rules as WR
from .choices import CompilationState
from .models import Assignment, Compilation, WeeklyCycle


def _day(value) -> str:
    return f"{value:%Y-%m-%d}（{WR.weekday_name(value.weekday())}）" if value else "—"


def _red(n: int) -> str:
    return format_html('<span class="{}">{}</span>', "status-red fw-semibold" if n else "text-muted", n)


class WeekTable(tables.Table):
    week_start = tables.DateColumn(format="Y-m-d", verbose_name="周（周一）", linkify=True)
    township = tables.Column(accessor="org__name", verbose_name="乡镇（街道）", order_by=("org__path",))
    report_due = tables.Column(verbose_name="村级汇报期限")
    compile_due = tables.Column(verbose_name="工作站上报期限")
    n_tasks = tables.Column(verbose_name="任务数")
    n_stations = tables.Column(verbose_name="工作站数")
    n_submitted = tables.Column(verbose_name="已上报汇总")
    n_late = tables.Column(verbose_name="逾期上报")
    n_missing = tables.Column(verbose_name="村逾期未报（项）")

    class Meta:
        model = WeeklyCycle
        fields = [
            "week_start",
            "township",
            "report_due",
            "compile_due",
            "n_tasks",
            "n_stations",
            "n_submitted",
            "n_late",
            "n_missing",
        ]
        sequence = fields
        attrs = TABLE_ATTRS | {"data-testid": "weeks"}
        order_by = ("-week_start",)
        empty_text = "还没有下发周任务。"

    def render_report_due(self, value):
        return _day(value)

    def render_compile_due(self, value):
        return _day(value)

    def value_report_due(self, value):
        return value

    def value_compile_due(self, value):
        return value

    def render_n_late(self, value):
        return _red(value)

    def render_n_missing(self, value):
        return _red(value)


def _compilation_state(record: Compilation) -> tuple[str, str]:
    if record.state == CompilationState.SUBMITTED:
        return ("逾期上报", "status-red") if record.late else ("按期上报", "status-green")
    if timezone.localdate() > record.cycle.compile_due:
        return "草稿，逾期未上报", "status-red"
    return "草稿未上报", "status-amber"


class CompilationTable(tables.Table):
    station = tables.Column(
        accessor="org__name",
        verbose_name="工作站",
        order_by=("org__path",),
        linkify=lambda record: record.get_absolute_url(),
    )
    township = tables.Column(
        accessor="cycle__org__name", verbose_name="乡镇（街道）", order_by=("cycle__org__path",)
    )
    week = tables.DateColumn(accessor="cycle__week_start", format="Y-m-d", verbose_name="周（周一）")
    compile_due = tables.Column(accessor="cycle__compile_due", verbose_name="上报期限")
    state = tables.Column(verbose_name="状态", empty_values=())
    submitted_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="上报时间", default="—")
    submitted_by = tables.Column(accessor="submitted_by__real_name", verbose_name="上报人", default="—")

    class Meta:
        model = Compilation
        fields = ["station", "township", "week", "compile_due", "state", "submitted_at", "submitted_by"]
        sequence = fields
        attrs = TABLE_ATTRS | {"data-testid": "compilations"}
        order_by = ("-week",)
        empty_text = "没有符合条件的工作站周汇总。"

    def render_compile_due(self, value):
        return _day(value)

    def value_compile_due(self, value):
        return value

    def render_state(self, record):
        label, css = _compilation_state(record)
        return format_html('<span class="{}">{}</span>', css, label)

    def value_state(self, record):
        return _compilation_state(record)[0]


class WeeklyAssignmentTable(tables.Table):
    village = tables.Column(accessor="org__name", verbose_name="村（社区）", order_by=("org__path",))
    station = tables.Column(accessor="parent__org__name", verbose_name="工作站", default="—")
    task = tables.Column(accessor="task__title", verbose_name="任务", order_by=("task__title",))
    week = tables.DateColumn(accessor="task__task_list__cycle__week_start", format="Y-m-d", verbose_name="周")
    due = tables.Column(verbose_name="汇报期限")
    progress = tables.Column(verbose_name="完成", empty_values=(), orderable=False)
    state = tables.Column(verbose_name="汇报情况", empty_values=(), orderable=False)
    act = tables.Column(verbose_name="操作", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        model = Assignment
        fields = ["village", "station", "task", "week", "due", "progress", "state", "act"]
        sequence = fields
        attrs = TABLE_ATTRS | {"data-testid": "weekly-assignments"}
        order_by = ("-week",)
        empty_text = "没有符合条件的周任务。"

    def render_due(self, value):
        return _day(value)

    def value_due(self, value):
        return value

    def _state(self, record) -> str:
        return W.village_state(
            record.first_report_at, record.task.task_list.cycle.report_due, timezone.localdate()
        )

    def render_progress(self, record):
        unit = "项" if record.task.target_kind == "checklist" else record.task.unit
        return f"{W.num(record.done_amount)}/{W.num(record.target_amount)}{unit}"

    def value_progress(self, record):
        return self.render_progress(record)

    def render_state(self, record):
        s = self._state(record)
        return format_html('<span class="{}">{}</span>', W.STATE_CLASS[s], W.VILLAGE_LABELS[s])

    def value_state(self, record):
        return W.VILLAGE_LABELS[self._state(record)]

    def render_act(self, record):
        url = W.safe_url("assignment-detail", record.pk)
        if not url:
            return "—"
        label = "补报" if record.first_report_at is None and self._state(record) == W.MISSING else "报告"
        if record.first_report_at is not None:
            label = "查看/更新"
        return format_html('<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>', url, label)
