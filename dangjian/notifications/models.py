"""Notifications, their deliveries and each user's preferences.

A Notification is one message to one user (the in-app channel); its `key` names the reminder it came
from ("case:12:due:2026-12-05"), unique per user, so `send_reminders` may run any number of times and
never creates the same reminder twice. A Delivery is one channel's attempt to send it (email, SMS,
WeChat, and the in-app row itself): the delivery log that proves what was sent to whom and when.
A user sees only their own notifications and preferences; a county admin reads the delivery log of
the users who hold a role in the county's subtree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.roles import Role
from dangjian.core.scope import ScopedQuerySet, ScopeSpec, path_q, scope_prefixes


class Kind(models.TextChoices):
    TASK = "task", "任务"
    WEEKLY = "weekly", "两下两上"
    CASE = "case", "案件时限"
    ACCEPTANCE = "acceptance", "待验收销号"
    SUPERVISION = "supervision", "督办"
    DEVELOPMENT = "development", "发展党员"
    MEETING = "meeting", "组织生活"
    DIGEST = "digest", "每日汇总"
    OTHER = "other", "其他"


class Channel(models.TextChoices):
    INAPP = "inapp", "站内消息"
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"
    WECHAT = "wechat", "微信"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "待发送"
    HELD = "held", "待并入每日汇总"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


# Who reads other users' delivery logs (their subtree's): the county's organisation department.
LOG_READERS: frozenset[str] = frozenset({Role.COUNTY_ADMIN})


def _active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


class NotificationQuerySet(ScopedQuerySet):
    def restrict(self, user, action="view"):
        """A notification is its recipient's alone (superusers included)."""
        if not _active(user):
            return self.none()
        return self.filter(user_id=user.pk)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="接收人",
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", max_length=4000, blank=True)
    url = models.CharField("办理链接", max_length=300, blank=True)
    key = models.CharField("提醒标识", max_length=120)
    due = models.DateField("期限", null=True, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    # Set once the notification's Delivery rows exist (so a re-run does not look at it again).
    fanned_out_at = models.DateTimeField("已分发", null=True, blank=True, db_index=True)

    objects = models.Manager.from_queryset(NotificationQuerySet)()
    scope = ScopeSpec(path="", policy={})

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        verbose_name = verbose_name_plural = "消息"

    def __str__(self) -> str:
        return self.title


class DeliveryQuerySet(ScopedQuerySet):
    def restrict(self, user, action="view"):
        """Own deliveries, and a county admin's: those of every user holding a role in the subtree."""
        if not _active(user):
            return self.none()
        if user.is_superuser:
            return self
        own = Q(notification__user_id=user.pk)
        prefixes = scope_prefixes(user, LOG_READERS)
        if not prefixes:
            return self.filter(own)
        from dangjian.accounts.models import RoleAssignment

        held = RoleAssignment.objects.filter(path_q("org__path", prefixes)).values("user_id")
        return self.filter(own | Q(notification__user_id__in=held))


class Delivery(models.Model):
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name="消息"
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    state = models.CharField(
        "状态", max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING, db_index=True
    )
    address = models.CharField("发送地址", max_length=120, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    detail = models.CharField("说明", max_length=300, blank=True)
    # A run claims a row until this moment before sending it, so two overlapping runs never send it
    # twice; after a failure it is the earliest time of the next try.
    locked_until = models.DateTimeField(null=True, blank=True)
    # The idempotency key handed to the channel: stored by the first claim and kept for every retry, so
    # a gateway that accepted the message before the run died (and before "sent" was saved) answers the
    # re-send with the original message instead of sending it again.
    send_key = models.CharField("发送流水号", max_length=32, blank=True, default="", editable=False)
    # For a notification held for the daily digest: the digest that carried it.
    digest = models.ForeignKey(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digested",
        verbose_name="每日汇总",
    )

    objects = models.Manager.from_queryset(DeliveryQuerySet)()
    scope = ScopeSpec(path="", policy={"view": LOG_READERS})

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")
        ]
        indexes = [models.Index(fields=["state", "locked_until"], name="delivery_state_lock")]
        verbose_name = verbose_name_plural = "发送记录"

    def __str__(self) -> str:
        n = self.notification
        return f"{n.user} · {self.get_channel_display()} · {n.title}"


EXTERNAL = (Channel.EMAIL, Channel.SMS, Channel.WECHAT)


class LoggedMessage(models.Model):
    """What the log-only SMS and WeChat backends "sent" (no gateway configured), one row per send key:
    they remember keys like a real gateway, so a message re-sent with the same key is logged once."""

    key = models.CharField("发送流水号", max_length=64, unique=True)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    address = models.CharField("发送地址", max_length=120)
    text = models.TextField("内容")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "未配置网关时记录的消息"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}"


class PreferenceQuerySet(ScopedQuerySet):
    def restrict(self, user, action="view"):
        if not _active(user):
            return self.none()
        return self.filter(user_id=user.pk)


class Preference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name="用户",
    )
    email = models.BooleanField("电子邮件", default=True)
    sms = models.BooleanField("短信", default=False)
    wechat = models.BooleanField("微信", default=False)
    digest = models.BooleanField(
        "每日汇总", default=False, help_text="开启后，邮件、短信、微信每天只在设定时刻发一次汇总"
    )
    digest_hour = models.PositiveSmallIntegerField("汇总发送时刻（时）", default=8)
    muted_kinds = models.JSONField("不接收的提醒类型", default=list, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = models.Manager.from_queryset(PreferenceQuerySet)()
    scope = ScopeSpec(path="", policy={})
    audit_fields = ["email", "sms", "wechat", "digest", "digest_hour", "muted_kinds"]

    class Meta:
        verbose_name = verbose_name_plural = "提醒设置"

    def __str__(self) -> str:
        return f"{self.user}的提醒设置"

    def channels(self) -> list[str]:
        return [c for c in EXTERNAL if getattr(self, c)]


def default_preference(user_id: int) -> Preference:
    """What a user who never saved settings gets: in-app and email (when they have an address)."""
    return Preference(user_id=user_id)
