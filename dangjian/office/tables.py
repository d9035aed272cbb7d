"""The office's list tables, shared by the pages and their Excel exports."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from dangjian.orgs.tables import TABLE_ATTRS

from .models import ContactPoint, FieldVisit, StaffSelection
from .weeks import days_text


class SelectionTable(tables.Table):
    candidate_name = tables.Column(verbose_name="候选人", linkify=True)
    org = tables.Column(verbose_name="乡镇", order_by=("org__path",))
    source = tables.Column(verbose_name="人员来源")
    route = tables.Column(verbose_name="产生方式")
    status = tables.Column(verbose_name="状态")
    appointed_post = tables.Column(verbose_name="任用岗位", accessor="appointed_post__name", default="—")
    created_at = tables.DateTimeColumn(format="Y-m-d", verbose_name="登记日期")

    class Meta:
        model = StaffSelection
        fields = ["candidate_name", "org", "source", "route", "status", "appointed_post", "created_at"]
        attrs = TABLE_ATTRS | {"data-testid": "selections"}
        empty_text = "暂无人员选拔记录。"

    def render_status(self, record, value):
        css = {"refused": "status-red", "appointed": "status-green", "approved": "status-green"}.get(
            record.status, ""
        )
        return format_html('<span class="{}">{}</span>', css, value)


class ContactPointTable(tables.Table):
    org = tables.Column(verbose_name="联系党支部", order_by=("org__path",))
    township = tables.Column(verbose_name="乡镇", order_by=("township__path",))
    staff = tables.Column(verbose_name="联系人", order_by=("staff__name_pinyin",))
    since = tables.DateColumn(format="Y-m-d", verbose_name="起始日期")
    until = tables.DateColumn(format="Y-m-d", verbose_name="结束日期", default="仍在联系")
    note = tables.Column(verbose_name="说明", default="")

    class Meta:
        model = ContactPoint
        fields = ["org", "township", "staff", "since", "until", "note"]
        attrs = TABLE_ATTRS | {"data-testid": "contact-points"}
        empty_text = "暂无联系点记录。"


class FieldVisitTable(tables.Table):
    visited_on = tables.DateColumn(format="Y-m-d", verbose_name="日期", linkify=True)
    staff = tables.Column(verbose_name="工作人员", order_by=("staff__name_pinyin",))
    org = tables.Column(verbose_name="村（社区）", order_by=("org__path",))
    township = tables.Column(verbose_name="乡镇", order_by=("township__path",))
    half_days = tables.Column(verbose_name="时长")
    purpose = tables.Column(verbose_name="工作内容")
    found = tables.Column(verbose_name="发现的问题", default="")
    follow_up = tables.Column(verbose_name="后续措施", default="")
    needs_follow_up = tables.BooleanColumn(verbose_name="需跟进", yesno="是,否")

    class Meta:
        model = FieldVisit
        fields = [
            "visited_on",
            "staff",
            "org",
            "township",
            "half_days",
            "purpose",
            "found",
            "follow_up",
            "needs_follow_up",
        ]
        attrs = TABLE_ATTRS | {"data-testid": "field-visits"}
        empty_text = "没有符合条件的到村工作记录。"

    def render_half_days(self, record):
        return f"{record.get_half_days_display()}（{days_text(record.half_days)}天）"

    def value_half_days(self, record):
        return record.half_days / 2

    def render_found(self, value):
        return value if len(value) <= 40 else value[:40] + "…"
