"""Tables of the liaison lists and their Excel export."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from dangjian.orgs.tables import TABLE_ATTRS

from .models import Consultation, Contact, Deputy


def _link(url: str, text) -> str:
    return format_html('<a href="{}">{}</a>', url, text)


class DeputyTable(tables.Table):
    name = tables.Column(verbose_name="姓名")
    kind = tables.Column(verbose_name="类别")
    level = tables.Column(verbose_name="层级")
    org = tables.Column(verbose_name="联络站", order_by=("org__path",))
    unit = tables.Column(verbose_name="工作单位及职务")
    term_start = tables.DateColumn(format="Y-m-d", verbose_name="任期开始")
    term_end = tables.DateColumn(format="Y-m-d", verbose_name="任期届满")
    contacts_year = tables.Column(verbose_name="本年联系次数")
    meetings_year = tables.Column(verbose_name="本年参加协商议事")
    last_contact = tables.DateColumn(format="Y-m-d", verbose_name="最近联系")

    class Meta:
        model = Deputy
        fields = [
            "name", "kind", "level", "org", "unit", "term_start", "term_end", "contacts_year",
            "meetings_year", "last_contact",
        ]  # fmt: skip
        attrs = TABLE_ATTRS
        order_by = "org"

    def render_name(self, record, value):
        return _link(record.get_absolute_url(), value)

    def value_name(self, value):
        return value

    def render_org(self, record):
        return _link(reverse("liaison-station", args=[record.org_id]), record.org.name)

    def value_org(self, record):
        return record.org.name


class ContactTable(tables.Table):
    contacted_on = tables.DateColumn(format="Y-m-d", verbose_name="日期")
    deputy = tables.Column(verbose_name="代表委员", order_by=("deputy__name",))
    kind = tables.Column(verbose_name="类别", accessor="deputy__kind", order_by=("deputy__kind",))
    target = tables.Column(
        verbose_name="联系对象", accessor="branch", order_by=("branch__name", "resident_name")
    )
    way = tables.Column(verbose_name="方式")
    topic = tables.Column(verbose_name="事由")
    outcome = tables.Column(verbose_name="结果")
    case_ref = tables.Column(verbose_name="问题台账编号")

    class Meta:
        model = Contact
        fields = ["contacted_on", "deputy", "kind", "target", "way", "topic", "outcome", "case_ref"]
        attrs = TABLE_ATTRS
        order_by = "-contacted_on"

    def render_deputy(self, record):
        return _link(record.deputy.get_absolute_url(), record.deputy.name)

    def value_deputy(self, record):
        return record.deputy.name

    def render_kind(self, record):
        return record.deputy.get_kind_display()

    value_kind = render_kind

    def render_target(self, record):
        parts = [record.branch.name if record.branch_id else "", record.resident_name]
        return "、".join(p for p in parts if p)

    value_target = render_target


class ConsultationTable(tables.Table):
    held_on = tables.DateColumn(format="Y-m-d", verbose_name="日期")
    org = tables.Column(verbose_name="联络站", order_by=("org__path",))
    topic = tables.Column(verbose_name="议题")
    attendee_count = tables.Column(verbose_name="参会代表委员")
    result = tables.Column(verbose_name="协商结果")

    class Meta:
        model = Consultation
        fields = ["held_on", "org", "topic", "attendee_count", "result"]
        attrs = TABLE_ATTRS
        order_by = "-held_on"

    def render_topic(self, record, value):
        return _link(record.get_absolute_url(), value)

    def value_topic(self, value):
        return value

    def render_org(self, record):
        return record.org.name

    value_org = render_org
