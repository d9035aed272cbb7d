from __future__ import annotations

import django_tables2 as tables

from dangjian.orgs.tables import TABLE_ATTRS

from .models import MonthlyReview


class ReviewTable(tables.Table):
    name = tables.Column(
        verbose_name="月度分析",
        empty_values=(),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("-month", "org__path"),
    )
    org = tables.Column(verbose_name="组织", order_by=("org__path",))
    month = tables.DateColumn(format="Y-m", verbose_name="月份")
    state = tables.Column(verbose_name="状态")
    topics = tables.Column(verbose_name="专题数", empty_values=(), orderable=False)
    published_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="发布时间")

    class Meta:
        model = MonthlyReview
        fields = ["name", "org", "month", "state", "topics", "published_at"]
        attrs = TABLE_ATTRS | {"data-testid": "reviews"}
        empty_text = "还没有月度分析。"

    def render_name(self, record):
        return str(record)

    def value_name(self, record):
        return str(record)

    def render_topics(self, record):
        return record.topic_count

    def value_topics(self, record):
        return record.topic_count
