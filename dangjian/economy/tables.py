"""Tables of the collective-income pages and their Excel export."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from dangjian.orgs.models import Org
from dangjian.orgs.tables import TABLE_ATTRS

from .choices import Band
from .models import Asset, Income


class IncomeTable(tables.Table):
    org = tables.Column(
        verbose_name="村（社区）", order_by=("org__path",), linkify=lambda record: record.get_absolute_url()
    )
    township = tables.Column(verbose_name="乡镇", order_by=("township__path",))
    year = tables.Column(verbose_name="年度")
    total = tables.Column(verbose_name="年收入（元）")
    wan = tables.Column(verbose_name="万元", accessor="total", orderable=False)
    band = tables.Column(verbose_name="档次")
    note = tables.Column(verbose_name="说明")

    class Meta:
        model = Income
        fields = ["org", "township", "year", "total", "wan", "band", "note"]
        attrs = TABLE_ATTRS
        order_by = "-total"

    def render_total(self, value):
        return f"{value:,.2f}"

    def value_total(self, value):
        return float(value)

    def render_wan(self, value):
        return f"{value / 10000:,.2f}"

    def value_wan(self, value):
        return round(float(value) / 10000, 2)

    def render_band(self, value):
        label = Band(value).label
        return (
            format_html('<span class="status-red fw-semibold">{}</span>', label)
            if value == Band.NONE
            else label
        )

    def value_band(self, value):
        return Band(value).label


class NoIncomeTable(tables.Table):
    name = tables.Column(verbose_name="村（社区）", order_by=("path",))
    income_total = tables.Column(verbose_name="情况", empty_values=(), orderable=False)

    class Meta:
        model = Org
        fields = ["name", "income_total"]
        attrs = TABLE_ATTRS
        order_by = "name"

    def render_name(self, record):
        return format_html('<a href="{}">{}</a>', reverse("economy-village", args=[record.pk]), record.name)

    def value_name(self, record):
        return record.name

    def render_income_total(self, value):
        text = "未登记" if value is None else "收入为0"
        return format_html('<span class="status-red">{}</span>', text)

    def value_income_total(self, value):
        return "未登记" if value is None else "收入为0"


class AssetTable(tables.Table):
    name = tables.Column(verbose_name="资产", linkify=lambda record: record.get_absolute_url())
    org = tables.Column(verbose_name="村（社区）", order_by=("org__path",))
    township = tables.Column(verbose_name="乡镇", order_by=("township__path",))
    kind = tables.Column(verbose_name="类别")
    quantity = tables.Column(verbose_name="数量")
    unit = tables.Column(verbose_name="单位")
    location = tables.Column(verbose_name="坐落位置")
    use = tables.Column(verbose_name="现状用途")
    contract_count = tables.Column(verbose_name="合同数")
    current_end = tables.Column(verbose_name="现合同到期", empty_values=())
    expiring = tables.Column(verbose_name="90天内到期", empty_values=())

    class Meta:
        model = Asset
        fields = ["name", "org", "township", "kind", "quantity", "unit", "location", "use", "contract_count",
                  "current_end", "expiring"]  # fmt: skip
        attrs = TABLE_ATTRS
        order_by = "org"

    def render_quantity(self, value):
        return f"{value:,.2f}".rstrip("0").rstrip(".")

    def value_quantity(self, value):
        return float(value)

    def render_current_end(self, value):
        return value.isoformat() if value else "—"

    def value_current_end(self, value):
        return value.isoformat() if value else ""

    def render_expiring(self, value):
        return format_html('<span class="status-red fw-semibold">{}</span>', "即将到期") if value else ""

    def value_expiring(self, value):
        return "即将到期" if value else ""
