"""Tables of the committee pages and their Excel export: red a vacant post, the secretary who is also
director marked 一肩挑."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from dangjian.orgs.tables import TABLE_ATTRS

from .models import Committee, Post


class CommitteeTable(tables.Table):
    org = tables.Column(verbose_name="村（社区）", order_by=("org__path",))
    kind = tables.Column(verbose_name="班子")
    term_start = tables.DateColumn(format="Y-m-d", verbose_name="任期开始")
    term_end = tables.DateColumn(format="Y-m-d", verbose_name="任期届满")
    next_election_on = tables.DateColumn(format="Y-m-d", verbose_name="下次换届")
    size = tables.Column(verbose_name="现任人数", orderable=True)
    vacancies = tables.Column(verbose_name="空缺", orderable=True)

    class Meta:
        model = Committee
        fields = ["org", "kind", "term_start", "term_end", "next_election_on", "size", "vacancies"]
        attrs = TABLE_ATTRS
        order_by = "org"

    def render_org(self, record):
        return format_html('<a href="{}">{}</a>', reverse("village-detail", args=[record.org_id]), record.org)

    def value_org(self, record):
        return record.org.name

    def render_vacancies(self, value):
        return format_html('<span class="status-red fw-semibold">{}</span>', value) if value else "0"


class PostTable(tables.Table):
    org = tables.Column(verbose_name="村（社区）", order_by=("org__path",))
    committee = tables.Column(verbose_name="班子", order_by=("committee__kind",))
    kind = tables.Column(verbose_name="职务")
    answers_for = tables.Column(verbose_name="分管/负责")
    name = tables.Column(verbose_name="姓名")
    gender = tables.Column(verbose_name="性别")
    since = tables.DateColumn(format="Y-m-d", verbose_name="任职日期")
    until = tables.DateColumn(format="Y-m-d", verbose_name="离任日期")
    vacant_since = tables.DateColumn(format="Y-m-d", verbose_name="空缺起始")

    class Meta:
        model = Post
        fields = [
            "org",
            "committee",
            "kind",
            "answers_for",
            "name",
            "gender",
            "since",
            "until",
            "vacant_since",
        ]
        attrs = TABLE_ATTRS
        order_by = "org"

    def render_committee(self, record):
        return record.committee.get_kind_display()

    value_committee = render_committee

    def render_org(self, record):
        return format_html('<a href="{}">{}</a>', reverse("village-detail", args=[record.org_id]), record.org)

    def value_org(self, record):
        return record.org.name

    def render_name(self, record, value):
        if record.is_vacant:
            return format_html('<span class="status-red fw-semibold">空缺</span>')
        return value

    def value_name(self, record, value):
        return value or "空缺"
