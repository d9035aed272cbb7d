"""Tables of the scoring pages and their Excel export (rankings, scores, indicators, honours)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from dangjian.orgs.tables import TABLE_ATTRS

from .models import Award, Indicator, Result, Score, Scorecard


def change_text(change: int | None) -> str:
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "持平"


class ResultTable(tables.Table):
    rank = tables.Column(verbose_name="排名")
    org = tables.Column(verbose_name="单位", order_by=("org__path",))
    level = tables.Column(verbose_name="层级")
    group = tables.Column(verbose_name="排名范围", order_by=("group__path",))
    period = tables.Column(verbose_name="考核期")
    score = tables.Column(verbose_name="综合得分")
    own = tables.Column(verbose_name="本级得分")
    change = tables.Column(verbose_name="较上月", empty_values=(), orderable=False)
    peers = tables.Column(verbose_name="参评数")
    note = tables.Column(verbose_name="情况说明", orderable=False)

    class Meta:
        model = Result
        fields = ["rank", "org", "level", "group", "period", "score", "own", "change", "peers", "note"]
        order_by = ("period", "level", "group", "rank")
        attrs = TABLE_ATTRS

    def render_org(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.org.name)

    def render_change(self, record):
        text = change_text(record.change)
        colour = (
            "text-success" if (record.change or 0) > 0 else "text-danger" if (record.change or 0) < 0 else ""
        )
        return format_html('<span class="{}">{}</span>', colour, text)

    def value_change(self, record):
        return change_text(record.change)

    def value_org(self, record):
        return record.org.name


class ScoreTable(tables.Table):
    org = tables.Column(verbose_name="单位", order_by=("org__path",))
    period = tables.Column(verbose_name="考核期")
    indicator = tables.Column(verbose_name="指标", order_by=("indicator__code",))
    value = tables.Column(verbose_name="完成值（%）")
    points = tables.Column(verbose_name="得分")
    weight = tables.Column(verbose_name="权重", accessor="indicator__weight", orderable=False)
    method = tables.Column(verbose_name="评分方式")
    note = tables.Column(verbose_name="说明", orderable=False)
    evidence = tables.Column(verbose_name="评分依据", orderable=False)

    class Meta:
        model = Score
        fields = ["org", "period", "indicator", "value", "points", "weight", "method", "note", "evidence"]
        attrs = TABLE_ATTRS

    def render_org(self, record):
        return format_html(
            '<a href="{}?period={}">{}</a>', _org_url(record.org_id), record.period, record.org.name
        )

    def value_org(self, record):
        return record.org.name


def _org_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("scoring-org", args=[pk])


class IndicatorTable(tables.Table):
    indicator_set = tables.Column(verbose_name="指标体系")
    code = tables.Column(verbose_name="编码")
    name = tables.Column(verbose_name="指标")
    level = tables.Column(verbose_name="考核对象")
    cadence = tables.Column(verbose_name="周期")
    weight = tables.Column(verbose_name="权重")
    target = tables.Column(verbose_name="目标值（%）")
    method = tables.Column(verbose_name="评分方式")
    computation = tables.Column(verbose_name="计算函数")
    formula = tables.Column(verbose_name="计分公式", orderable=False)

    class Meta:
        model = Indicator
        fields = [
            "indicator_set",
            "code",
            "name",
            "level",
            "cadence",
            "weight",
            "target",
            "method",
            "computation",
            "formula",
        ]
        attrs = TABLE_ATTRS


class AwardTable(tables.Table):
    year = tables.Column(verbose_name="年度")
    org = tables.Column(verbose_name="单位", order_by=("org__path",))
    person_name = tables.Column(verbose_name="个人")
    kind = tables.Column(verbose_name="类别")
    nature = tables.Column(verbose_name="性质")
    amount = tables.Column(verbose_name="奖励金额（元）")
    reason = tables.Column(verbose_name="事由和依据", orderable=False)
    awarded_on = tables.DateColumn(format="Y-m-d", verbose_name="日期")

    class Meta:
        model = Award
        fields = ["year", "org", "person_name", "kind", "nature", "amount", "reason", "awarded_on"]
        attrs = TABLE_ATTRS

    def render_amount(self, value):
        return f"{value:,.2f}"


class ScorecardTable(tables.Table):
    title = tables.Column(verbose_name="成绩单", linkify=True)
    period = tables.Column(verbose_name="考核期")
    published_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="晾晒时间")
    reads_n = tables.Column(verbose_name="已阅知人数")

    class Meta:
        model = Scorecard
        fields = ["title", "period", "published_at", "reads_n"]
        attrs = TABLE_ATTRS
