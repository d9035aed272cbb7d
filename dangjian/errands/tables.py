"""Tables of the errands lists and their Excel exports."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from dangjian.orgs.models import Org
from dangjian.orgs.tables import TABLE_ATTRS

from .models import Diary, ErrandService, ServiceCentre, ServiceSession


def days_text(days: int) -> str:
    return "当场办结" if days == 0 else f"{days}个工作日"


def _status(archived_at) -> str:
    return "已停用" if archived_at else "在用"


class ServiceTable(tables.Table):
    name = tables.Column(verbose_name="事项名称", linkify=("errand-service-edit", [tables.A("pk")]))
    category = tables.Column(verbose_name="类别")
    township = tables.Column(accessor="org__name", verbose_name="乡镇（街道）", order_by=("org__path",))
    documents = tables.Column(verbose_name="所需材料", orderable=False, default="—")
    promised_days = tables.Column(verbose_name="承诺时限")
    handled_by = tables.Column(verbose_name="承办科室（部门）", default="—")
    published = tables.BooleanColumn(verbose_name="公开", yesno="已公开,未公开")
    status = tables.Column(accessor="archived_at", verbose_name="状态", empty_values=())
    sort_order = tables.Column(verbose_name="排序")

    class Meta:
        model = ErrandService
        fields = [
            "name",
            "category",
            "township",
            "documents",
            "promised_days",
            "handled_by",
            "published",
            "status",
            "sort_order",
        ]
        sequence = fields
        attrs = TABLE_ATTRS | {"data-testid": "services"}
        order_by = ("township", "sort_order")
        empty_text = "没有符合条件的代办事项。"

    def value_documents(self, record):
        return "；".join(record.document_list)

    def render_documents(self, record):
        items = record.document_list
        return "、".join(items) if items else "—"

    def render_promised_days(self, value):
        return days_text(value)

    def value_promised_days(self, value):
        return value

    def render_status(self, value):
        return format_html(
            '<span class="{}">{}</span>', "text-muted" if value else "status-green", _status(value)
        )

    def value_status(self, value):
        return _status(value)

    def value_published(self, value):
        return "已公开" if value else "未公开"


class CentreTable(tables.Table):
    name = tables.Column(verbose_name="名称", linkify=("service-centre-edit", [tables.A("pk")]))
    township = tables.Column(accessor="org__name", verbose_name="乡镇（街道）", order_by=("org__path",))
    place = tables.Column(verbose_name="地点", default="—")
    phone = tables.Column(verbose_name="联系电话", default="—")
    month_half_days = tables.Column(accessor="n_month", verbose_name="本月半天数")
    status = tables.Column(accessor="archived_at", verbose_name="状态", empty_values=())

    class Meta:
        model = ServiceCentre
        fields = ["name", "township", "place", "phone", "month_half_days", "status"]
        sequence = fields
        attrs = TABLE_ATTRS | {"data-testid": "centres"}
        empty_text = "没有符合条件的便民服务中心。"

    def render_status(self, value):
        return format_html(
            '<span class="{}">{}</span>', "text-muted" if value else "status-green", _status(value)
        )

    def value_status(self, value):
        return _status(value)


class SessionTable(tables.Table):
    date = tables.DateColumn(
        format="Y-m-d", verbose_name="日期", linkify=("service-session-edit", [tables.A("pk")])
    )
    half = tables.Column(verbose_name="时段")
    centre = tables.Column(accessor="centre__name", verbose_name="便民服务中心", order_by=("centre__name",))
    township = tables.Column(accessor="org__name", verbose_name="乡镇（街道）", order_by=("org__path",))
    sections = tables.Column(verbose_name="下村科室（部门）", orderable=False)
    note = tables.Column(verbose_name="说明", default="—")
    served = tables.Column(verbose_name="服务群众人次", default="—")

    class Meta:
        model = ServiceSession
        fields = ["date", "half", "centre", "township", "sections", "note", "served"]
        sequence = fields
        attrs = TABLE_ATTRS | {"data-testid": "sessions"}
        order_by = ("-date",)
        empty_text = "没有符合条件的便民服务安排。"

    def render_sections(self, value):
        return "、".join(value) if value else "—"

    def value_sections(self, value):
        return "、".join(value or [])


class DiaryTable(tables.Table):
    written_on = tables.DateColumn(format="Y-m-d", verbose_name="日期", linkify=True)
    village = tables.Column(accessor="org__name", verbose_name="村（社区）", order_by=("org__path",))
    author = tables.Column(
        accessor="author__real_name", verbose_name="记录人", order_by=("author__real_name",)
    )
    visited = tables.Column(verbose_name="走访对象", default="—")
    content = tables.Column(verbose_name="民情记录")
    n_cases = tables.Column(verbose_name="已转案件")

    class Meta:
        model = Diary
        fields = ["written_on", "village", "author", "visited", "content", "n_cases"]
        sequence = fields
        attrs = TABLE_ATTRS | {"data-testid": "diaries"}
        empty_text = "没有符合条件的民情日记。"

    def render_author(self, record):
        return record.author.display_name

    def value_author(self, record):
        return record.author.display_name

    def render_content(self, value):
        return value if len(value) <= 40 else f"{value[:40]}……"

    def render_n_cases(self, value):
        return format_html('<span class="status-green">{}件</span>', value) if value else "—"


class CardTable(tables.Table):
    name = tables.Column(verbose_name="连心卡", order_by=("name_initials",))
    kind = tables.Column(verbose_name="类型")
    township = tables.Column(empty_values=(), verbose_name="乡镇（街道）", order_by=("path",))
    staff = tables.Column(accessor="n_staff", verbose_name="在任人员")
    print_links = tables.Column(
        empty_values=(), verbose_name="打印", orderable=False, exclude_from_export=True
    )

    class Meta:
        model = Org
        fields = ["name", "kind", "township", "staff"]
        sequence = [*fields, "print_links"]
        attrs = TABLE_ATTRS | {"data-testid": "cards"}
        order_by = ("township",)
        empty_text = "范围内没有党建工作站或乡镇。"

    def render_kind(self, record):
        return "工作站连心卡" if record.kind == "station" else "乡镇连心卡（未设工作站）"

    def value_kind(self, record):
        return self.render_kind(record)

    def _township(self, record) -> str:
        return record.name if record.kind == "township" else record.parent.name

    def render_township(self, record):
        return self._township(record)

    def value_township(self, record):
        return self._township(record)

    def render_print_links(self, record):
        url = reverse("contact-card", args=[record.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">A6 单张</a> · '
            '<a href="{}?paper=a4" target="_blank" rel="noopener">A4 四联</a>',
            url,
            url,
        )
