"""The meeting list and the attendance list, shared by the pages and their Excel exports."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from dangjian.orgs.tables import TABLE_ATTRS

from .models import Meeting, MeetingAttendance

STATUS_CLASS = {"planned": "text-bg-light", "held": "text-bg-success", "cancelled": "text-bg-secondary"}


def _local(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


class MeetingTable(tables.Table):
    when = tables.Column(verbose_name="时间", accessor="planned_at", order_by=("planned_at",))
    org = tables.Column(verbose_name="组织", order_by=("org__path",))
    kind = tables.Column(verbose_name="类型")
    topic = tables.Column(verbose_name="主题", linkify=True)
    status = tables.Column(verbose_name="状态")
    headcount = tables.Column(verbose_name="出席/应到", accessor="present_count", orderable=False)
    minutes_state = tables.Column(verbose_name="会议记录", accessor="minutes_approved_at", orderable=False)

    class Meta:
        model = Meeting
        fields = ["when", "org", "kind", "topic", "status", "headcount", "minutes_state"]
        attrs = {**TABLE_ATTRS, "data-testid": "meetings"}
        empty_text = "没有符合条件的会议。"

    def render_when(self, record):
        return _local(record.held_at or record.planned_at)

    def value_when(self, record):
        return _local(record.held_at or record.planned_at)

    def render_status(self, record):
        return format_html(
            '<span class="badge {}">{}</span>',
            STATUS_CLASS.get(record.status, ""),
            record.get_status_display(),
        )

    def value_status(self, record):
        return record.get_status_display()

    def render_headcount(self, record):
        return f"{record.present_count}/{record.expected_count}"

    def value_headcount(self, record):
        return f"{record.present_count}/{record.expected_count}"

    def _minutes(self, record) -> str:
        if record.minutes_approved_at:
            return "已审定"
        return "待审定" if record.minutes else ("未填写" if record.status == "held" else "—")

    def render_minutes_state(self, record):
        return self._minutes(record)

    def value_minutes_state(self, record):
        return self._minutes(record)


class MeetingExportTable(MeetingTable):
    """The export is the meeting ledger: every recorded fact of each meeting in one row."""

    place = tables.Column(verbose_name="地点")
    online = tables.BooleanColumn(verbose_name="线上", yesno="是,否")
    host = tables.Column(verbose_name="主持人")
    recorder = tables.Column(verbose_name="记录人")
    cancel_reason = tables.Column(verbose_name="取消原因")
    demo_source = tables.Column(verbose_name="数据来源")

    class Meta(MeetingTable.Meta):
        fields = [
            "when",
            "org",
            "kind",
            "topic",
            "status",
            "place",
            "online",
            "host",
            "recorder",
            "headcount",
            "minutes_state",
            "cancel_reason",
            "demo_source",
        ]
        sequence = fields


class AttendanceTable(tables.Table):
    name = tables.Column(verbose_name="姓名")
    meeting = tables.Column(
        verbose_name="会议",
        accessor="meeting__topic",
        linkify=lambda record: record.meeting.get_absolute_url(),
    )
    org = tables.Column(verbose_name="组织", accessor="meeting__org__name", order_by=("meeting__org__path",))
    kind = tables.Column(verbose_name="会议类型", accessor="meeting__kind")
    date = tables.Column(
        verbose_name="日期", accessor="meeting__planned_at", order_by=("meeting__planned_at",)
    )
    status = tables.Column(verbose_name="出席情况")
    reason = tables.Column(verbose_name="缺席或请假原因")
    signin_method = tables.Column(verbose_name="签到方式")
    signed_in_at = tables.Column(verbose_name="签到时间")
    grade = tables.Column(verbose_name="评议等次")

    class Meta:
        model = MeetingAttendance
        fields = [
            "name",
            "meeting",
            "org",
            "kind",
            "date",
            "status",
            "reason",
            "signin_method",
            "signed_in_at",
            "grade",
        ]
        sequence = fields
        attrs = {**TABLE_ATTRS, "data-testid": "attendances"}
        empty_text = "没有符合条件的参会记录。"

    def render_kind(self, record):
        return record.meeting.get_kind_display()

    def value_kind(self, record):
        return record.meeting.get_kind_display()

    def render_date(self, record):
        m = record.meeting
        return f"{m.held_on:%Y-%m-%d}" if m.held_on else f"{timezone.localdate(m.planned_at):%Y-%m-%d}"

    def value_date(self, record):
        return self.render_date(record)

    def render_signed_in_at(self, value):
        return _local(value)

    def value_signed_in_at(self, value):
        return _local(value)
