"""Tables of the funds pages and their Excel export; money in yuan with thousands separators."""

from __future__ import annotations

import django_tables2 as tables

from dangjian.orgs.tables import TABLE_ATTRS

from .models import Allocation, Disbursement, Fund


class MoneyColumn(tables.Column):
    def render(self, value):
        return f"{value:,.2f}"

    def value(self, value):
        return float(value)


class FundTable(tables.Table):
    name = tables.Column(verbose_name="资金名称", linkify=True)
    county = tables.Column(verbose_name="县", order_by=("county__path",))
    year = tables.Column(verbose_name="年度")
    purpose = tables.Column(verbose_name="用途")
    amount = MoneyColumn(verbose_name="总额（元）")
    allocated = MoneyColumn(verbose_name="已下达（元）")
    unallocated = MoneyColumn(verbose_name="县级未分配（元）")
    disbursed = MoneyColumn(verbose_name="已支出（元）")
    document = tables.Column(verbose_name="资金文件")

    class Meta:
        model = Fund
        fields = [
            "name",
            "county",
            "year",
            "purpose",
            "amount",
            "allocated",
            "unallocated",
            "disbursed",
            "document",
        ]
        attrs = TABLE_ATTRS
        order_by = "-year"


class AllocationTable(tables.Table):
    org = tables.Column(
        verbose_name="下达至", order_by=("org__path",), linkify=lambda record: record.get_absolute_url()
    )
    giver = tables.Column(
        verbose_name="来自", accessor="parent__org__name", default="县级直接下达", orderable=False
    )
    fund = tables.Column(verbose_name="资金", order_by=("fund__year", "fund__name"), linkify=True)
    purpose = tables.Column(verbose_name="用途", accessor="fund__purpose", order_by=("fund__purpose",))
    amount = MoneyColumn(verbose_name="下达（元）")
    reallocated = MoneyColumn(verbose_name="再分配（元）")
    disbursed = MoneyColumn(verbose_name="支出（元）")
    balance = MoneyColumn(verbose_name="余额（元）")
    on = tables.DateColumn(format="Y-m-d", verbose_name="下达日期")

    class Meta:
        model = Allocation
        fields = ["org", "giver", "fund", "purpose", "amount", "reallocated", "disbursed", "balance", "on"]
        attrs = TABLE_ATTRS
        order_by = "org"

    def render_purpose(self, record):
        return record.fund.get_purpose_display()

    value_purpose = render_purpose


class DisbursementTable(tables.Table):
    on = tables.DateColumn(format="Y-m-d", verbose_name="支出日期")
    org = tables.Column(
        verbose_name="单位",
        accessor="allocation__org__name",
        order_by=("allocation__org__path",),
        linkify=lambda record: record.allocation.get_absolute_url(),
    )
    fund = tables.Column(
        verbose_name="资金", accessor="allocation__fund", order_by=("allocation__fund__name",)
    )
    amount = MoneyColumn(verbose_name="金额（元）")
    spent_on = tables.Column(verbose_name="支出用途")
    payee = tables.Column(verbose_name="收款方")
    voucher = tables.Column(verbose_name="凭证号")

    class Meta:
        model = Disbursement
        fields = ["on", "org", "fund", "amount", "spent_on", "payee", "voucher"]
        attrs = TABLE_ATTRS
        order_by = "-on"
