from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse

from dangjian.orgs.tables import TABLE_ATTRS

from .models import Decision


class DecisionTable(tables.Table):
    title = tables.Column(
        verbose_name="事项", linkify=lambda record: reverse("decision-detail", args=[record.pk])
    )
    org = tables.Column(verbose_name="村（社区）", order_by=("org__path",))
    meeting_kind = tables.Column(verbose_name="决议会议")
    state = tables.Column(verbose_name="下一步")
    opinions = tables.Column(verbose_name="群众意见", empty_values=(), order_by=("opinion_count",))
    opened_on = tables.DateColumn(format="Y-m-d", verbose_name="登记日期")

    class Meta:
        model = Decision
        fields = ["title", "org", "meeting_kind", "state", "opinions", "opened_on"]
        attrs = TABLE_ATTRS | {"data-testid": "decisions"}
        empty_text = "还没有四议两公开事项。"

    def render_state(self, record):
        return record.get_state_display()

    def render_opinions(self, record):
        return record.opinion_count

    def value_opinions(self, record):
        return record.opinion_count
