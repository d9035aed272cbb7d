"""Meetings of every kind, who was expected and who came, and the files that prove it.

`held_on` is the meeting's date in Asia/Shanghai, stored beside `held_at` by the services, so the
compliance engine groups by period with plain indexed date ranges (a meeting at 23:59 on 31 March
belongs to the first quarter whatever the server's zone)."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.roles import ALL_ROLES, WORKERS, Role
from dangjian.core.scope import ScopedManager, ScopeSpec

from .choices import AppraisalGrade, Attendance, FileKind, MeetingKind, MeetingStatus, SignInMethod

MEETING_POLICY = {
    "view": ALL_ROLES - {Role.DEPT_LIAISON},
    "add": WORKERS,
    "change": WORKERS,
    "approve": WORKERS,  # the service also checks the approver is the secretary of the meeting's org
}


class Meeting(models.Model):
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="meetings", verbose_name="组织"
    )
    kind = models.CharField("会议类型", max_length=30, choices=MeetingKind.choices, db_index=True)
    topic = models.CharField("主题", max_length=200)
    place = models.CharField("地点", max_length=100, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED, db_index=True
    )
    planned_at = models.DateTimeField("计划时间")
    held_at = models.DateTimeField("实际召开时间", null=True, blank=True)
    held_on = models.DateField("召开日期", null=True, blank=True, editable=False)
    online = models.BooleanField("线上会议", default=False)
    online_link = models.CharField("线上会议号或链接", max_length=200, blank=True)
    host = models.CharField("主持人", max_length=30, blank=True)
    recorder = models.CharField("记录人", max_length=30, blank=True)
    agenda = models.TextField("议程", blank=True)
    minutes = models.TextField("会议记录", blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="记录审定人",
    )
    minutes_approved_at = models.DateTimeField("记录审定时间", null=True, blank=True)
    guided_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="guided_meetings", verbose_name="列席指导"
    )
    guide_note = models.TextField("列席指导意见", blank=True)
    signin_code = models.CharField("签到码", max_length=12, blank=True)
    signin_opens_at = models.DateTimeField("签到开始时间", null=True, blank=True)
    signin_expires_at = models.DateTimeField("签到码有效期至", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登记人"
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MEETING_POLICY)
    audit_fields = [
        "org_id",
        "kind",
        "topic",
        "place",
        "status",
        "planned_at",
        "held_at",
        "online",
        "online_link",
        "host",
        "recorder",
        "agenda",
        "minutes",
        "minutes_approved_by_id",
        "guide_note",
        "cancel_reason",
    ]

    class Meta:
        ordering = ["-planned_at", "-id"]
        indexes = [
            models.Index(fields=["org", "kind", "held_on"], name="meeting_org_kind_held_idx"),
            models.Index(fields=["kind", "held_on"], name="meeting_kind_held_idx"),
            models.Index(fields=["status", "held_on"], name="meeting_status_held_idx"),
        ]
        verbose_name = verbose_name_plural = "会议"

    def __str__(self) -> str:
        return f"{self.org.name if self.org_id else ''} {self.get_kind_display()}：{self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("meeting-detail", args=[self.pk])


class MeetingAttendance(models.Model):
    """One expected attendee: a member of the roster, or a user (office staff at an office meeting)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name="会议"
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name="党员",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_attendances",
        verbose_name="工作人员",
    )
    name = models.CharField("姓名", max_length=30)
    status = models.CharField(
        "出席情况", max_length=20, choices=Attendance.choices, default=Attendance.EXPECTED, db_index=True
    )
    reason = models.CharField("缺席或请假原因", max_length=200, blank=True)
    signed_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    signin_method = models.CharField("签到方式", max_length=20, choices=SignInMethod.choices, blank=True)
    grade = models.CharField("评议等次", max_length=20, choices=AppraisalGrade.choices, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="meeting__org__path", policy=MEETING_POLICY)
    audit_fields = [
        "meeting_id",
        "member_id",
        "user_id",
        "name",
        "status",
        "reason",
        "signin_method",
        "grade",
    ]

    class Meta:
        ordering = ["meeting_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=models.Q(member__isnull=False),
                name="attendance_member_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="attendance_user_once",
            ),
            models.CheckConstraint(
                condition=models.Q(member__isnull=False) | models.Q(user__isnull=False),
                name="attendance_member_or_user",
            ),
        ]
        indexes = [models.Index(fields=["member", "meeting"], name="attendance_member_idx")]
        verbose_name = verbose_name_plural = "参会记录"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_status_display()}）"


class MeetingFile(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="files", verbose_name="会议")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="组织")
    kind = models.CharField("类别", max_length=20, choices=FileKind.choices, default=FileKind.PHOTO)
    file = models.FileField("文件", upload_to="meetings/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MEETING_POLICY)
    audit_fields = ["meeting_id", "kind", "name"]

    class Meta:
        ordering = ["meeting_id", "id"]
        verbose_name = verbose_name_plural = "会议材料"

    def __str__(self) -> str:
        return self.name
