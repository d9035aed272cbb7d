"""The case list and its Excel export: milestone dates, the next step and its deadline in colour."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from . import rules as R
from . import selectors
from .models import DevelopmentCase

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle", "data-testid": "cases"}
STATE_CLASS = {
    "overdue": "status-red fw-semibold",
    "due_soon": "status-amber fw-semibold",
    "ok": "status-green",
}


class CaseTable(tables.Table):
    name = tables.Column(
        accessor="person__name", verbose_name="姓名", order_by=("person__name_pinyin",), linkify=True
    )
    org = tables.Column(verbose_name="党支部", order_by=("org__path",))
    stage = tables.Column(verbose_name="阶段")
    status = tables.Column(verbose_name="状态")
    next_step = tables.Column(verbose_name="下一步", orderable=False)
    next_earliest = tables.DateColumn(format="Y-m-d", verbose_name="最早可办")
    next_due = tables.DateColumn(format="Y-m-d", verbose_name="办理期限")
    applied_on = tables.DateColumn(format="Y-m-d", verbose_name="申请日期")

    class Meta:
        model = DevelopmentCase
        fields = ["name", "org", "stage", "status", "next_step", "next_earliest", "next_due", "applied_on"]
        attrs = TABLE_ATTRS
        empty_text = "没有符合条件的发展党员档案。"

    def __init__(self, *args, window: selectors.CountyRule | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.window = window or selectors.CountyRule(int(R.DUE_SOON_DAYS.value))

    def render_next_step(self, record):
        return R.step_title(record.rule_version, record.next_step) if record.next_step else "—"

    def value_next_step(self, record):
        return R.step_title(record.rule_version, record.next_step) if record.next_step else ""

    def render_next_due(self, record, value):
        if value is None:
            return "—"
        if record.status not in selectors.ACTIVE:
            return value.isoformat()
        state = selectors.due_state(value, self.today, self.window.for_path(record.org.path))
        label = {"overdue": "（已逾期）", "due_soon": "（即将到期）"}.get(state, "")
        return format_html(
            '<span class="{}">{}{}</span>', STATE_CLASS.get(state, ""), value.isoformat(), label
        )


class CaseExportTable(CaseTable):
    """The export adds every milestone date, so the sheet is the development ledger (发展党员台账)."""

    rule_version = tables.Column(verbose_name="适用细则版本")
    activist_on = tables.DateColumn(format="Y-m-d", verbose_name="确定为积极分子")
    candidate_on = tables.DateColumn(format="Y-m-d", verbose_name="确定为发展对象")
    admitted_on = tables.DateColumn(format="Y-m-d", verbose_name="支部大会接收")
    approved_on = tables.DateColumn(format="Y-m-d", verbose_name="上级党委审批")
    probation_ends_on = tables.DateColumn(format="Y-m-d", verbose_name="预备期满")
    full_on = tables.DateColumn(format="Y-m-d", verbose_name="转正日期")
    stopped_reason = tables.Column(verbose_name="终止原因")

    class Meta(CaseTable.Meta):
        fields = [
            "name",
            "org",
            "status",
            "stage",
            "rule_version",
            "applied_on",
            "activist_on",
            "candidate_on",
            "admitted_on",
            "approved_on",
            "probation_ends_on",
            "full_on",
            "next_step",
            "next_earliest",
            "next_due",
            "stopped_reason",
        ]
        sequence = fields
