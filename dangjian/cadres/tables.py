"""Tables of the cadres lists and their Excel export."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from dangjian.orgs.tables import TABLE_ATTRS

from .models import AssessmentResult, Coaching, Mentorship, PayBatch, PayLine, ReserveCadre


def _link(record, text):
    return format_html('<a href="{}">{}</a>', record.get_absolute_url(), text)


class ReserveTable(tables.Table):
    org = tables.Column(verbose_name="村（社区）", order_by=("org__path",))
    name = tables.Column(verbose_name="姓名")
    gender = tables.Column(verbose_name="性别")
    age = tables.Column(verbose_name="年龄", accessor="birth_date", order_by=("-birth_date",))
    education = tables.Column(verbose_name="学历")
    political_status = tables.Column(verbose_name="政治面貌")
    skills = tables.Column(verbose_name="特长/技能")
    entered_on = tables.DateColumn(format="Y-m-d", verbose_name="入库日期")
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = ReserveCadre
        fields = [
            "org",
            "name",
            "gender",
            "age",
            "education",
            "political_status",
            "skills",
            "entered_on",
            "status",
        ]
        attrs = TABLE_ATTRS
        order_by = "org"

    def render_org(self, record):
        return record.org.name

    value_org = render_org

    def render_name(self, record, value):
        return _link(record, value)

    def value_name(self, value):
        return value

    def render_age(self, record):
        return record.age

    value_age = render_age


class MentorshipTable(tables.Table):
    org = tables.Column(verbose_name="村（社区）", order_by=("org__path",))
    reserve = tables.Column(verbose_name="后备干部", order_by=("reserve__name",))
    mentor_name = tables.Column(verbose_name="导师")
    mentor_title = tables.Column(verbose_name="导师职务")
    started_on = tables.DateColumn(format="Y-m-d", verbose_name="开始日期")
    activity_count = tables.Column(verbose_name="帮带活动", orderable=True)
    evaluation_count = tables.Column(verbose_name="评价", orderable=True)

    class Meta:
        model = Mentorship
        fields = [
            "org",
            "reserve",
            "mentor_name",
            "mentor_title",
            "started_on",
            "activity_count",
            "evaluation_count",
        ]
        attrs = TABLE_ATTRS
        order_by = "org"

    def render_org(self, record):
        return record.org.name

    value_org = render_org

    def render_reserve(self, record):
        return _link(record, record.reserve.name)

    def value_reserve(self, record):
        return record.reserve.name


class CoachingTable(tables.Table):
    org = tables.Column(verbose_name="村（社区）", order_by=("org__path",))
    coachee_name = tables.Column(verbose_name="辅导对象")
    coach_name = tables.Column(verbose_name="辅导人")
    coach_title = tables.Column(verbose_name="辅导人职务")
    started_on = tables.DateColumn(format="Y-m-d", verbose_name="开始日期")
    session_count = tables.Column(verbose_name="辅导次数", orderable=True)

    class Meta:
        model = Coaching
        fields = ["org", "coachee_name", "coach_name", "coach_title", "started_on", "session_count"]
        attrs = TABLE_ATTRS
        order_by = "org"

    def render_org(self, record):
        return record.org.name

    value_org = render_org

    def render_coachee_name(self, record, value):
        return _link(record, value)

    def value_coachee_name(self, value):
        return value


class PayBatchTable(tables.Table):
    township = tables.Column(verbose_name="乡镇", order_by=("township__path",))
    month = tables.DateColumn(format="Y-m", verbose_name="月份")
    status = tables.Column(verbose_name="状态")
    line_count = tables.Column(verbose_name="人数")
    total = tables.Column(verbose_name="合计（元）")
    approved_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="审核时间")

    class Meta:
        model = PayBatch
        fields = ["township", "month", "status", "line_count", "total", "approved_at"]
        attrs = TABLE_ATTRS
        order_by = "-month"

    def render_township(self, record):
        return _link(record, record.township.name)

    def value_township(self, record):
        return record.township.name

    def render_status(self, record, value):
        css = "status-green" if record.is_approved else "status-amber"
        return format_html('<span class="{}">{}</span>', css, value)

    def value_status(self, record):
        return record.get_status_display()

    def render_total(self, value):
        return f"{value:,.2f}"


class PayLineTable(tables.Table):
    month = tables.DateColumn(format="Y-m", verbose_name="月份", accessor="batch__month")
    org = tables.Column(verbose_name="村（社区）", order_by=("org__path",))
    name = tables.Column(verbose_name="姓名")
    posts = tables.Column(verbose_name="职务")
    base = tables.Column(verbose_name="基本报酬")
    allowance = tables.Column(verbose_name="“一肩挑”补贴")
    performance = tables.Column(verbose_name="绩效报酬")
    amount = tables.Column(verbose_name="金额")
    summary = tables.Column(verbose_name="摘要")

    class Meta:
        model = PayLine
        fields = ["month", "org", "name", "posts", "base", "allowance", "performance", "amount", "summary"]
        attrs = TABLE_ATTRS
        order_by = "-month"

    def render_org(self, record):
        return record.org.name

    value_org = render_org


class AssessmentTable(tables.Table):
    org = tables.Column(verbose_name="村（社区）", order_by=("org__path",))
    name = tables.Column(verbose_name="姓名")
    year = tables.Column(verbose_name="年度")
    grade = tables.Column(verbose_name="等次")
    score = tables.Column(verbose_name="得分")
    evidence = tables.Column(verbose_name="依据")

    class Meta:
        model = AssessmentResult
        fields = ["org", "name", "year", "grade", "score", "evidence"]
        attrs = TABLE_ATTRS
        order_by = "-year"

    def render_org(self, record):
        return record.org.name

    value_org = render_org
