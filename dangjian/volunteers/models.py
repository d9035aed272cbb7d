"""Party-member volunteer teams (党员志愿服务队) and emergency teams (党员突击队, e.g. the flood-season
commando team 汛期党员突击队) of a township or village; who is enrolled; call-outs (出动: holiday duty at a
scenic area, flood watch, activities of a civilisation practice station) and who turned up for how long.

Every row carries the team's org as `org`, so the scope layer reads it by path without a join."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dangjian.core.scope import ScopedManager, ScopeSpec
from dangjian.villages.models import VILLAGE_POLICY

from .choices import CallOutKind, TeamKind


class Team(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所属组织")
    name = models.CharField("队名", max_length=60)
    kind = models.CharField("类型", max_length=20, choices=TeamKind.choices)
    focus = models.CharField("服务内容", max_length=200, blank=True)
    leader_name = models.CharField("队长", max_length=40, blank=True)
    founded_on = models.DateField("组建日期")
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = ["org_id", "name", "kind", "focus", "leader_name", "founded_on"]

    class Meta:
        ordering = ["org_id", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="volunteers_team_name_unique")]
        verbose_name = verbose_name_plural = "志愿服务队"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteer-team-detail", args=[self.pk])


class TeamMember(models.Model):
    """A party member (from the roster) or a named resident enrolled in a team."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members", verbose_name="队伍")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所属组织")
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_rows",
        verbose_name="党员",
    )
    name = models.CharField("姓名", max_length=40)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    joined_on = models.DateField("入队日期")
    left_on = models.DateField("离队日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = ["team_id", "member_id", "name", "joined_on", "left_on"]
    audit_masked = ["phone"]

    class Meta:
        ordering = ["team_id", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "member"],
                condition=Q(member__isnull=False, left_on__isnull=True),
                name="volunteers_member_once",
            )
        ]
        indexes = [models.Index(fields=["team", "left_on"], name="volunteers_member_team_idx")]
        verbose_name = verbose_name_plural = "队员"

    def __str__(self) -> str:
        return f"{self.name}（{self.team.name if self.team_id else ''}）"

    def get_absolute_url(self) -> str:
        return reverse("volunteer-team-detail", args=[self.team_id])


class CallOut(models.Model):
    """One call-out of a team: when, where, what for; the members called and who turned up."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="callouts", verbose_name="队伍")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所属组织")
    kind = models.CharField("类别", max_length=20, choices=CallOutKind.choices)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=120)
    task = models.CharField("任务", max_length=300)
    practice_station = models.CharField(
        "新时代文明实践站", max_length=60, blank=True, help_text="文明实践活动记在哪个实践所（站）"
    )
    note = models.CharField("情况说明", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="发起人"
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = ["team_id", "kind", "starts_at", "ends_at", "place", "task", "practice_station", "note"]

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="volunteers_callout_span"
            )
        ]
        indexes = [models.Index(fields=["team", "starts_at"], name="volunteers_callout_team_idx")]
        verbose_name = verbose_name_plural = "出动记录"

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at) if self.starts_at else None
        return f"{self.team.name if self.team_id else ''} {local:%Y-%m-%d} {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("volunteer-callout-detail", args=[self.pk])

    @property
    def duration_hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class Attendance(models.Model):
    """One team member on one call-out: called or not, turned up or not, hours served."""

    callout = models.ForeignKey(
        CallOut, on_delete=models.CASCADE, related_name="attendance", verbose_name="出动"
    )
    team_member = models.ForeignKey(
        TeamMember, on_delete=models.PROTECT, related_name="attendance", verbose_name="队员"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所属组织")
    called = models.BooleanField("被点名出动", default=True)
    present = models.BooleanField("到岗", default=False)
    hours = models.DecimalField("服务时长（小时）", max_digits=5, decimal_places=1, default=0)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = ["callout_id", "team_member_id", "called", "present", "hours"]

    class Meta:
        ordering = ["callout_id", "team_member_id"]
        constraints = [
            models.UniqueConstraint(fields=["callout", "team_member"], name="volunteers_attendance_once"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="volunteers_hours_positive"),
        ]
        verbose_name = verbose_name_plural = "出动到岗"

    def __str__(self) -> str:
        return f"{self.team_member.name if self.team_member_id else ''} {self.hours}小时"
