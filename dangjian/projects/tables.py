"""The project ledger table and its Excel export (项目台账)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from dangjian.orgs.tables import TABLE_ATTRS

from .models import Project
from .selectors import gap


def yuan(value) -> str:
    return f"{value:,.2f}" if value is not None else ""


class ProjectTable(tables.Table):
    title = tables.Column(verbose_name="项目名称")
    org = tables.Column(verbose_name="实施单位", order_by=("org__path",))
    township = tables.Column(verbose_name="乡镇", order_by=("township__path",))
    kind = tables.Column(verbose_name="类别")
    year = tables.Column(verbose_name="年度")
    status = tables.Column(verbose_name="状态")
    budget = tables.Column(verbose_name="预算（元）", attrs={"td": {"class": "text-end"}})
    funded = tables.Column(verbose_name="已落实资金（元）", attrs={"td": {"class": "text-end"}})
    gap = tables.Column(verbose_name="资金缺口（元）", empty_values=(), orderable=False)
    progress = tables.Column(verbose_name="进度", empty_values=(), orderable=False)
    planned_end = tables.DateColumn(format="Y-m-d", verbose_name="计划完工")

    class Meta:
        model = Project
        fields = [
            "title",
            "org",
            "township",
            "kind",
            "year",
            "status",
            "budget",
            "funded",
            "gap",
            "progress",
            "planned_end",
        ]
        attrs = TABLE_ATTRS
        order_by = ("-year",)

    def render_title(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.title)

    def value_title(self, record):
        return record.title

    def render_org(self, record):
        return record.org.name

    def render_township(self, record):
        return record.township.name if record.township else "—"

    def value_township(self, record):
        return record.township.name if record.township else ""

    def render_status(self, record):
        colour = {"completed": "status-green", "suspended": "status-red"}.get(record.status, "")
        return format_html('<span class="{}">{}</span>', colour, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()

    def render_budget(self, value):
        return yuan(value)

    def value_budget(self, value):
        return value

    def render_funded(self, value):
        return yuan(value)

    def value_funded(self, value):
        return value

    def render_gap(self, record):
        missing = gap(record.budget, record.funded)
        if not missing:
            return "—"
        return format_html('<span class="status-red">{}</span>', yuan(missing))

    def value_gap(self, record):
        return gap(record.budget, record.funded)

    def render_progress(self, record):
        return f"{record.progress_from(record.ms_done, record.ms_total)}%"

    value_progress = render_progress
