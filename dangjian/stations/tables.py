"""Tables of the stations lists and their Excel exports; gaps are shown in red."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from dangjian.orgs.models import Org
from dangjian.orgs.tables import TABLE_ATTRS

from . import rules as R
from . import selectors as S
from .choices import ChecklistItem, System
from .models import (
    ResearchAppraisal,
    ResearchPlan,
    ResearchRound,
    ServiceHalfDay,
    StationInspection,
    StationStaff,
)


def _mark(ok: bool, text: str):
    return format_html('<span class="{}">{}</span>', "status-green" if ok else "status-red fw-semibold", text)


class StationTable(tables.Table):
    name = tables.Column(
        verbose_name="党建工作站", order_by=("name_initials",), linkify=("station-detail", [tables.A("pk")])
    )
    township = tables.Column(
        accessor="parent__name", verbose_name="乡镇（街道）", order_by=("parent__path", "path")
    )
    chief = tables.Column(accessor="chief_name", verbose_name="站长", default="—")
    staff = tables.Column(
        empty_values=(), verbose_name="人员（现有/规定）", order_by=("n_deputies", "n_workers")
    )
    checklist = tables.Column(accessor="n_checklist", verbose_name="六个到位")
    systems = tables.Column(accessor="n_systems", verbose_name="8项制度")
    inspected = tables.Column(accessor="n_inspected", verbose_name="本月督查村数")
    last_half_day = tables.DateColumn(format="Y-m-d", verbose_name="最近便民服务", default="—")
    rounds = tables.Column(accessor="n_rounds", verbose_name="今年集中调研")

    class Meta:
        model = Org
        fields = [
            "name",
            "township",
            "chief",
            "staff",
            "checklist",
            "systems",
            "inspected",
            "last_half_day",
            "rounds",
        ]
        sequence = fields
        attrs = TABLE_ATTRS | {"data-testid": "stations"}
        order_by = "township"
        empty_text = "没有符合条件的党建工作站。"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.rules = S.StaffRules(self.today)
        codes = [R.RESEARCH_ROUNDS_PER_YEAR.code, R.RESEARCH_WARN_MONTH.code]
        self.research = S.county_rules(codes, self.today)

    def _staff(self, record) -> tuple[bool, str]:
        rule = self.rules.for_path(record.path)
        total = record.n_chiefs + record.n_deputies + record.n_workers
        ok = not rule.gaps(record.n_chiefs, record.n_deputies, record.n_workers)
        return (
            ok,
            f"{total}名（站长{record.n_chiefs}、副站长{record.n_deputies}、专职{record.n_workers}；应{rule.total()}名）",
        )

    def render_staff(self, record):
        return _mark(*self._staff(record))

    def value_staff(self, record):
        return self._staff(record)[1]

    def render_checklist(self, value):
        return _mark(value == len(ChecklistItem.values), f"{value}/{len(ChecklistItem.values)}")

    def value_checklist(self, value):
        return f"{value}/{len(ChecklistItem.values)}"

    def render_systems(self, value):
        return _mark(value == len(System.values), f"{value}/{len(System.values)}")

    def value_systems(self, value):
        return f"{value}/{len(System.values)}"

    def render_inspected(self, record, value):
        """The month is still running: short of every branch is amber, not red."""
        text = f"{value}/{record.n_branches}"
        return format_html(
            '<span class="{}">{}</span>',
            "status-green" if value >= record.n_branches else "status-amber",
            text,
        )

    def value_inspected(self, record, value):
        return f"{value}/{record.n_branches}"

    def render_rounds(self, record, value):
        needed = self.research[R.RESEARCH_ROUNDS_PER_YEAR.code].for_path(record.path)
        warn = self.research[R.RESEARCH_WARN_MONTH.code].for_path(record.path)
        if value >= needed:
            return format_html('<span class="status-green">{}次</span>', value)
        css = "status-amber fw-semibold" if self.today.month >= warn else ""
        return format_html('<span class="{}">{}次（应不少于{}次）</span>', css, value, needed)

    def value_rounds(self, value):
        return value


class StaffTable(tables.Table):
    name = tables.Column(verbose_name="姓名")
    post = tables.Column(verbose_name="职务")
    station = tables.Column(
        accessor="org__name",
        verbose_name="党建工作站",
        order_by=("org__path",),
        linkify=("station-detail", [tables.A("org_id")]),
    )
    township = tables.Column(
        accessor="org__parent__name", verbose_name="乡镇（街道）", order_by=("org__path",)
    )
    title = tables.Column(verbose_name="本职", default="—")
    phone = tables.Column(accessor="phone_masked", verbose_name="联系电话", orderable=False, default="—")
    since = tables.DateColumn(format="Y-m-d", verbose_name="任职日期")
    until = tables.DateColumn(format="Y-m-d", verbose_name="离任日期", default="在任")

    class Meta:
        model = StationStaff
        fields = ["name", "post", "station", "township", "title", "phone", "since", "until"]
        sequence = fields
        attrs = TABLE_ATTRS | {"data-testid": "staff"}
        empty_text = "没有符合条件的工作站人员。"


class InspectionTable(tables.Table):
    inspected_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="督查时间")
    station = tables.Column(accessor="org__name", verbose_name="党建工作站", order_by=("org__path",))
    branch = tables.Column(accessor="branch__name", verbose_name="督查对象", order_by=("branch__path",))
    inspectors = tables.Column(verbose_name="督查人员")
    items_checked = tables.Column(verbose_name="督查内容")
    problems = tables.Column(verbose_name="发现问题", default="—")
    needs_follow_up = tables.BooleanColumn(verbose_name="需跟踪整改", yesno="是,否")

    class Meta:
        model = StationInspection
        fields = [
            "inspected_at",
            "station",
            "branch",
            "inspectors",
            "items_checked",
            "problems",
            "needs_follow_up",
        ]
        sequence = fields
        attrs = TABLE_ATTRS | {"data-testid": "inspections"}
        empty_text = "没有符合条件的督查记录。"

    def value_inspected_at(self, value):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"

    def render_needs_follow_up(self, value):
        return mark_safe('<span class="status-red">是</span>') if value else "否"  # noqa: S308 (a constant)

    def value_needs_follow_up(self, value):
        return "是" if value else "否"


class HalfDayTable(tables.Table):
    held_on = tables.DateColumn(format="Y-m-d", verbose_name="日期")
    session = tables.Column(verbose_name="时段")
    station = tables.Column(accessor="org__name", verbose_name="党建工作站", order_by=("org__path",))
    place = tables.Column(verbose_name="地点")
    staff_on_duty = tables.Column(verbose_name="值班人员")
    residents_served = tables.Column(verbose_name="接待群众（人次）")
    matters = tables.Column(verbose_name="办理事项", default="—")

    class Meta:
        model = ServiceHalfDay
        fields = ["held_on", "session", "station", "place", "staff_on_duty", "residents_served", "matters"]
        sequence = fields
        attrs = TABLE_ATTRS | {"data-testid": "half-days"}
        empty_text = "没有符合条件的便民服务记录。"


class RoundTable(tables.Table):
    station = tables.Column(accessor="org__name", verbose_name="党建工作站", order_by=("org__path",))
    topic = tables.Column(verbose_name="调研课题", linkify=True)
    started_on = tables.DateColumn(format="Y-m-d", verbose_name="开始日期")
    ended_on = tables.DateColumn(format="Y-m-d", verbose_name="结束日期")
    villages = tables.Column(empty_values=(), verbose_name="走访村", orderable=False)
    participants = tables.Column(verbose_name="参加人员")
    report = tables.Column(empty_values=(), verbose_name="调研报告", orderable=False)

    class Meta:
        model = ResearchRound
        fields = ["station", "topic", "started_on", "ended_on", "villages", "participants", "report"]
        sequence = fields
        attrs = TABLE_ATTRS | {"data-testid": "rounds"}
        empty_text = "没有符合条件的专项调研。"

    def value_villages(self, record):
        return "、".join(v.name for v in record.villages.all())

    def render_villages(self, record):
        return self.value_villages(record) or "—"

    def _report(self, record):
        return getattr(record, "report", None)

    def value_report(self, record):
        report = self._report(record)
        return f"《{report.title}》{report.submitted_on:%Y-%m-%d}" if report else "未提交"

    def render_report(self, record):
        report = self._report(record)
        if report is None:
            return format_html('<span class="status-red">未提交</span>')
        return format_html("《{}》", report.title)


class PlanTable(tables.Table):
    township = tables.Column(accessor="org__name", verbose_name="乡镇（街道）", order_by=("org__path",))
    year = tables.Column(verbose_name="年度")
    topics = tables.Column(verbose_name="调研课题")
    schedule = tables.Column(verbose_name="时间安排", default="—")

    class Meta:
        model = ResearchPlan
        fields = ["township", "year", "topics", "schedule"]
        attrs = TABLE_ATTRS | {"data-testid": "plans"}
        empty_text = "没有专项调研计划。"


class AppraisalTable(tables.Table):
    township = tables.Column(accessor="org__name", verbose_name="乡镇（街道）", order_by=("org__path",))
    year = tables.Column(verbose_name="评比年度")
    held_on = tables.DateColumn(format="Y-m-d", verbose_name="召开日期", linkify=True)
    reviewers = tables.Column(verbose_name="评审人员")
    n_scores = tables.Column(verbose_name="已评报告（份）")

    class Meta:
        model = ResearchAppraisal
        fields = ["township", "year", "held_on", "reviewers", "n_scores"]
        attrs = TABLE_ATTRS | {"data-testid": "appraisals"}
        empty_text = "没有调研成果评比会记录。"
