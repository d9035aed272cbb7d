"""Tables of the volunteer lists and their Excel export."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from dangjian.orgs.tables import TABLE_ATTRS

from .models import CallOut, Team, TeamMember


def _hours(value) -> str:
    return f"{value:.1f}"


def _link(url: str, text) -> str:
    return format_html('<a href="{}">{}</a>', url, text)


class TeamTable(tables.Table):
    name = tables.Column(verbose_name="队名")
    org = tables.Column(verbose_name="所属组织", order_by=("org__path",))
    kind = tables.Column(verbose_name="类型")
    leader_name = tables.Column(verbose_name="队长")
    focus = tables.Column(verbose_name="服务内容")
    founded_on = tables.DateColumn(format="Y-m-d", verbose_name="组建日期")
    member_count = tables.Column(verbose_name="在队人数")
    callout_count = tables.Column(verbose_name="出动次数")
    total_hours = tables.Column(verbose_name="服务总时长（小时）")

    class Meta:
        model = Team
        fields = [
            "name", "org", "kind", "leader_name", "focus", "founded_on", "member_count", "callout_count",
            "total_hours",
        ]  # fmt: skip
        attrs = TABLE_ATTRS
        order_by = "org"

    def render_name(self, record, value):
        return _link(record.get_absolute_url(), value)

    def value_name(self, value):
        return value

    def render_org(self, record):
        return record.org.name

    value_org = render_org

    def render_total_hours(self, value):
        return _hours(value)

    def value_total_hours(self, value):
        return float(value)


class CallOutTable(tables.Table):
    starts_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="开始时间")
    ends_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="结束时间")
    team = tables.Column(verbose_name="队伍", order_by=("team__name",))
    kind = tables.Column(verbose_name="类别")
    place = tables.Column(verbose_name="地点")
    task = tables.Column(verbose_name="任务")
    practice_station = tables.Column(verbose_name="文明实践站")
    called_count = tables.Column(verbose_name="点名人数")
    present_count = tables.Column(verbose_name="到岗人数")
    total_hours = tables.Column(verbose_name="服务时长合计（小时）")

    class Meta:
        model = CallOut
        fields = [
            "starts_at", "ends_at", "team", "kind", "place", "task", "practice_station", "called_count",
            "present_count", "total_hours",
        ]  # fmt: skip
        attrs = TABLE_ATTRS
        order_by = "-starts_at"

    def render_starts_at(self, record):
        return _link(record.get_absolute_url(), f"{timezone.localtime(record.starts_at):%Y-%m-%d %H:%M}")

    def value_starts_at(self, record):
        return timezone.localtime(record.starts_at).replace(tzinfo=None)

    def value_ends_at(self, record):
        return timezone.localtime(record.ends_at).replace(tzinfo=None)

    def render_team(self, record):
        return record.team.name

    value_team = render_team

    def render_total_hours(self, value):
        return _hours(value)

    def value_total_hours(self, value):
        return float(value)


class TeamMemberTable(tables.Table):
    name = tables.Column(verbose_name="姓名")
    identity = tables.Column(verbose_name="身份", accessor="member_id", orderable=False)
    team = tables.Column(verbose_name="队伍", order_by=("team__name",))
    org = tables.Column(verbose_name="所属组织", order_by=("org__path",))
    joined_on = tables.DateColumn(format="Y-m-d", verbose_name="入队日期")
    left_on = tables.DateColumn(format="Y-m-d", verbose_name="离队日期")
    times = tables.Column(verbose_name="到岗次数")
    total_hours = tables.Column(verbose_name="服务时长合计（小时）")

    class Meta:
        model = TeamMember
        fields = ["name", "identity", "team", "org", "joined_on", "left_on", "times", "total_hours"]
        attrs = TABLE_ATTRS
        order_by = "-total_hours"

    def render_identity(self, record):
        return "党员" if record.member_id else "群众"

    value_identity = render_identity

    def render_team(self, record):
        return _link(record.team.get_absolute_url(), record.team.name)

    def value_team(self, record):
        return record.team.name

    def render_org(self, record):
        return record.org.name

    value_org = render_org

    def render_total_hours(self, value):
        return _hours(value)

    def value_total_hours(self, value):
        return float(value)
