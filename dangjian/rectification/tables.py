"""Tables of the rectification pages and their Excel export (整顿台账, the warning list)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from dangjian.orgs.tables import TABLE_ATTRS

from .models import RectificationCase, Screening


class CaseTable(tables.Table):
    org = tables.Column(verbose_name="村（社区）", order_by=("org__path",))
    township = tables.Column(verbose_name="乡镇", order_by=("township__path",))
    year = tables.Column(verbose_name="年度")
    status = tables.Column(verbose_name="状态")
    identified_on = tables.DateColumn(format="Y-m-d", verbose_name="认定日期")
    deadline = tables.DateColumn(
        format="Y-m-d", verbose_name="方案时限", accessor="plan__deadline", orderable=False
    )
    items = tables.Column(verbose_name="整顿事项")
    closed_items = tables.Column(verbose_name="已销号")
    progress = tables.Column(verbose_name="进度", empty_values=(), orderable=False)
    supports_n = tables.Column(verbose_name="四个一")
    accepted_on = tables.DateColumn(format="Y-m-d", verbose_name="验收通过")
    recheck_due = tables.DateColumn(format="Y-m-d", verbose_name="复查日期")

    class Meta:
        model = RectificationCase
        fields = [
            "org",
            "township",
            "year",
            "status",
            "identified_on",
            "deadline",
            "items",
            "closed_items",
            "progress",
            "supports_n",
            "accepted_on",
            "recheck_due",
        ]
        attrs = TABLE_ATTRS
        order_by = "-year"

    def render_org(self, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("rectification-detail", args=[record.pk]), record.org.name
        )

    def value_org(self, record):
        return record.org.name

    def render_status(self, record):
        red = "status-red fw-semibold" if record.labelled else ""
        return format_html('<span class="{}">{}</span>', red, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()

    def render_progress(self, record):
        return f"{round(record.closed_items * 100 / record.items)}%" if record.items else "—"

    value_progress = render_progress


class ScreeningTable(tables.Table):
    county = tables.Column(verbose_name="县", order_by=("county__path",))
    year = tables.Column(verbose_name="年度")
    quota_percent = tables.Column(verbose_name="倒排比例（%）")
    confirmed_on = tables.DateColumn(format="Y-m-d", verbose_name="确认日期")

    class Meta:
        model = Screening
        fields = ["county", "year", "quota_percent", "confirmed_on"]
        attrs = TABLE_ATTRS

    def render_year(self, record):
        return format_html('<a href="{}">{}年度</a>', record.get_absolute_url(), record.year)


class WarningTable(tables.Table):
    name = tables.Column(verbose_name="村（社区）", order_by=("path",))
    township = tables.Column(verbose_name="乡镇")
    count = tables.Column(verbose_name="信号数")
    titles = tables.Column(verbose_name="预警信号", orderable=False)
    details = tables.Column(verbose_name="依据", orderable=False, empty_values=())
    status = tables.Column(verbose_name="本年整顿状态", empty_values=())

    class Meta:
        attrs = TABLE_ATTRS
        order_by = "-count"

    def render_details(self, record):
        return "；".join(m for ms in record["signals"].values() for m in ms)[:600]

    value_details = render_details

    def render_status(self, record):
        if not record["case_id"]:
            return format_html(
                '<a class="btn btn-sm btn-outline-danger" href="{}?org={}">列入排查</a>',
                reverse("rectification-new"),
                record["org_id"],
            )
        return format_html(
            '<a href="{}">{}</a>', reverse("rectification-detail", args=[record["case_id"]]), record["status"]
        )

    def value_status(self, record):
        return record["status"] or "未列入"
