"""Notices with read-sign (签阅), study pushes with read receipts, and trainings with attendance.

A notice is sent by a user from an org to the users holding a role in that org's subtree; each gets
a receipt (read when opened, signed when they press 签收). A study push goes to party members on the
roll, who have no logins: each receipt carries an unguessable token for a public read link.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from dangjian.core.roles import ALL_ROLES, WORKERS, Role
from dangjian.core.scope import ScopedManager, ScopedQuerySet, ScopeSpec, path_q, scope_prefixes
from dangjian.members.models import MEMBER_READERS

from .choices import Audience, TrainingKind

# Department liaisons see only the notices addressed to them (their receipts), never an org's notices.
NOTICE_READERS: frozenset[str] = ALL_ROLES - {Role.DEPT_LIAISON}
NOTICE_POLICY = {"view": NOTICE_READERS, "add": WORKERS}
# Pushes and trainings name party members, so they follow the roster's readers.
STUDY_POLICY = {"view": MEMBER_READERS, "add": WORKERS, "change": WORKERS}


def _active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


class NoticeQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view"):
        """The notices of the orgs in the user's scope, and, to read, every notice addressed to them."""
        if not _active(user) or user.is_superuser or action != "view":
            return super().restrict(user, action)
        own = Q(pk__in=NoticeReceipt.objects.filter(user_id=user.pk).values("notice_id"))
        prefixes = scope_prefixes(user, self.model.scope.roles_for(action))
        return self.filter(path_q("org__path", prefixes) | own if prefixes else own)


class ReceiptQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view"):
        """Receipts of recipients in the user's scope, and the user's own."""
        if not _active(user) or user.is_superuser or action != "view":
            return super().restrict(user, action)
        own = Q(user_id=user.pk)
        prefixes = scope_prefixes(user, self.model.scope.roles_for(action))
        return self.filter(path_q("org__path", prefixes) | own if prefixes else own)


class AttachmentQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view"):
        """A file is visible with the notice or push it belongs to."""
        if not _active(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(notice__in=Notice.objects.restrict(user, action).values("pk"))
            | Q(push__in=StudyPush.objects.restrict(user, action).values("pk"))
        )


class Notice(models.Model):
    """A notice from an org to its subtree (optionally only to orgs of some kinds), to be signed."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="notices", verbose_name="发文组织"
    )
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文", blank=True)
    kinds = models.JSONField("发送到的组织类型", default=list, blank=True, help_text="为空表示全部下级")
    sign_by = models.DateField("签阅期限", null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField("发送时间", db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发送人",
    )
    recipient_count = models.PositiveIntegerField("接收人数", default=0)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)

    objects = models.Manager.from_queryset(NoticeQuerySet)()
    scope = ScopeSpec(path="org__path", policy=NOTICE_POLICY)
    audit_fields = ["org_id", "title", "kinds", "sign_by", "sent_at", "recipient_count"]

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["org", "sent_at"], name="notice_org_sent_idx")]
        verbose_name = verbose_name_plural = "通知"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notice-detail", args=[self.pk])


class NoticeReceipt(models.Model):
    """One recipient of a notice. Its org is the recipient's (so a township sees its villages' receipts)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts", verbose_name="通知")
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="接收人所在组织"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notice_receipts",
        verbose_name="接收人",
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True, db_index=True)
    reply = models.CharField("签收意见", max_length=500, blank=True)

    objects = models.Manager.from_queryset(ReceiptQuerySet)()
    scope = ScopeSpec(path="org__path", policy={"view": NOTICE_READERS})
    audit_fields = ["read_at", "signed_at", "reply"]

    class Meta:
        ordering = ["notice_id", "org__path", "user_id"]
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_receipt_once")]
        indexes = [
            models.Index(fields=["user", "signed_at"], name="notice_receipt_user_idx"),
            models.Index(fields=["org", "signed_at"], name="notice_receipt_org_idx"),
        ]
        verbose_name = verbose_name_plural = "通知签阅"

    def __str__(self) -> str:
        return f"{self.user.display_name} · {self.notice.title}"


class StudyPush(models.Model):
    """Study content pushed to the members of a subtree (or only its mobile members)."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="study_pushes", verbose_name="推送组织"
    )
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容", blank=True)
    link = models.URLField("学习链接", max_length=500, blank=True)
    audience = models.CharField("推送对象", max_length=20, choices=Audience.choices, default=Audience.ALL)
    sent_at = models.DateTimeField("推送时间", db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="推送人",
    )
    recipient_count = models.PositiveIntegerField("推送人数", default=0)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=STUDY_POLICY)
    audit_fields = ["org_id", "title", "link", "audience", "sent_at", "recipient_count"]

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["org", "sent_at"], name="studypush_org_sent_idx")]
        verbose_name = verbose_name_plural = "学习推送"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("study-push-detail", args=[self.pk])


class StudyReceipt(models.Model):
    """One member a push went to, with the token of their read link."""

    push = models.ForeignKey(
        StudyPush, on_delete=models.CASCADE, related_name="receipts", verbose_name="学习推送"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所在党支部")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="study_receipts", verbose_name="党员"
    )
    token = models.CharField("阅读凭证", max_length=40, unique=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=STUDY_POLICY)

    class Meta:
        ordering = ["push_id", "org__path", "member_id"]
        constraints = [models.UniqueConstraint(fields=["push", "member"], name="study_receipt_once")]
        indexes = [models.Index(fields=["org", "read_at"], name="study_receipt_org_idx")]
        verbose_name = verbose_name_plural = "学习推送阅读记录"

    def __str__(self) -> str:
        return f"{self.member.person.name} · {self.push.title}"

    def get_absolute_url(self) -> str:
        return reverse("study-read", args=[self.token])


class Attachment(models.Model):
    """A file sent with a notice or a push (PDF, docx, xlsx or an image, checked on upload)."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="发文组织")
    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, null=True, blank=True, related_name="files", verbose_name="通知"
    )
    push = models.ForeignKey(
        StudyPush,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name="学习推送",
    )
    file = models.FileField("文件", upload_to="notices/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = models.Manager.from_queryset(AttachmentQuerySet)()
    scope = ScopeSpec(path="org__path", policy=NOTICE_POLICY)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice__isnull=False, push__isnull=True)
                | Q(notice__isnull=True, push__isnull=False),
                name="attachment_has_one_owner",
            )
        ]
        verbose_name = verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("notice-file", args=[self.pk])


class Training(models.Model):
    """A training, lecture or online seminar (线上研讨) held by an org, with hours per attendee."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="trainings", verbose_name="举办组织"
    )
    title = models.CharField("主题", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=TrainingKind.choices)
    start_on = models.DateField("开始日期", db_index=True)
    end_on = models.DateField("结束日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    online = models.BooleanField("线上", default=False)
    place = models.CharField("地点", max_length=100, blank=True)
    organiser = models.CharField("组织者", max_length=60, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=STUDY_POLICY)
    audit_fields = [
        "org_id",
        "title",
        "kind",
        "start_on",
        "end_on",
        "hours",
        "online",
        "place",
        "organiser",
        "note",
    ]

    class Meta:
        ordering = ["-start_on", "-pk"]
        indexes = [models.Index(fields=["org", "start_on"], name="training_org_start_idx")]
        verbose_name = verbose_name_plural = "培训"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training-detail", args=[self.pk])

    @property
    def days(self) -> int:
        return (self.end_on - self.start_on).days + 1


class TrainingAttendance(models.Model):
    """Whether one member of the roll (or one user) attended, and the hours credited to them."""

    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="attendance", verbose_name="培训"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="举办组织")
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_attendance",
        verbose_name="党员",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_attendance",
        verbose_name="用户",
    )
    name = models.CharField("姓名", max_length=40)
    attendee_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所在组织"
    )
    present = models.BooleanField("出席", default=True)
    hours = models.DecimalField("计入学时", max_digits=5, decimal_places=1, default=0)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=STUDY_POLICY)
    audit_fields = ["member_id", "user_id", "present", "hours", "note"]

    class Meta:
        ordering = ["training_id", "attendee_org__path", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, user__isnull=True)
                | Q(member__isnull=True, user__isnull=False),
                name="training_att_member_or_user",
            ),
            models.UniqueConstraint(
                fields=["training", "member"],
                condition=Q(member__isnull=False),
                name="training_att_member_once",
            ),
            models.UniqueConstraint(
                fields=["training", "user"], condition=Q(user__isnull=False), name="training_att_user_once"
            ),
        ]
        indexes = [models.Index(fields=["member", "present"], name="training_att_member_idx")]
        verbose_name = verbose_name_plural = "培训出勤"

    def __str__(self) -> str:
        return f"{self.name} · {self.training.title}"
