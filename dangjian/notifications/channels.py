"""Channels behind one interface: `address(user)` says where a message would go (None: nowhere, the
delivery fails with the reason), `send(user, notification, address, key)` sends it and returns the
detail written to the delivery log, or raises. `key` is the delivery's idempotency key (Delivery.send_key):
the same for every try of one delivery, never shared by two.

In-app is the Notification itself. Email goes through Django's mail (settings.EMAIL_BACKEND), the key
in its Message-ID. SMS and WeChat call a gateway backend named by settings (NOTIFY_SMS_BACKEND,
NOTIFY_WECHAT_BACKEND: dotted paths of classes with `send(to, text, key) -> str`); a backend must treat
a key it has accepted before as already sent and answer with the original result, which is what makes
a run killed between the gateway's acceptance and "sent" being saved send nothing twice. The default
backends only log the message (once per key, remembered in LoggedMessage), so nothing is lost until a
gateway is configured and the log shows exactly what would have gone out.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.utils.module_loading import import_string

from .models import Channel, LoggedMessage

log = logging.getLogger("dangjian.notifications")


class NotConfigured(Exception):
    pass


def _site_url() -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/")


def text_of(notification: Any, limit: int | None = None) -> str:
    parts = [notification.title]
    if notification.body:
        parts.append(notification.body)
    if notification.url:
        parts.append(f"办理：{_site_url()}{notification.url}")
    text = "\n".join(parts)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


class BaseChannel:
    code = ""
    label = ""

    def address(self, user: Any) -> str | None:
        return ""

    def missing(self) -> str:
        return "无发送地址"

    def send(self, user: Any, notification: Any, address: str, key: str) -> str:
        raise NotImplementedError


class InAppChannel(BaseChannel):
    code, label = Channel.INAPP, "站内消息"

    def send(self, user, notification, address, key):
        return "已进入消息中心"


class EmailChannel(BaseChannel):
    code, label = Channel.EMAIL, "电子邮件"

    def address(self, user):
        return user.email or None

    def missing(self):
        return "未填写电子邮箱"

    def send(self, user, notification, address, key):
        # SMTP has no idempotency key; a re-sent mail at least carries the same Message-ID, which mail
        # clients use to fold duplicates into one.
        EmailMessage(
            f"【{getattr(settings, 'NOTIFY_SUBJECT_PREFIX', '党建工作平台')}】{notification.title}",
            text_of(notification),
            getattr(settings, "DEFAULT_FROM_EMAIL", None),
            [address],
            headers={"Message-ID": f"<{key}@{DNS_NAME}>"},
        ).send(fail_silently=False)
        return f"已发送至 {address}"


class LogBackend:
    """A gateway until one is configured: writes each message to the log, once per key."""

    channel = ""
    label = ""

    def send(self, to: str, text: str, key: str) -> str:
        _, new = LoggedMessage.objects.get_or_create(
            key=key, defaults={"channel": self.channel, "address": to[:120], "text": text}
        )
        if new:
            log.info("%s（未配置网关）→ %s：%s", self.label, to, text)
        return f"未配置{self.label}网关，已记录"


class LogSmsBackend(LogBackend):
    channel, label = Channel.SMS, "短信"


class LogWechatBackend(LogBackend):
    channel, label = Channel.WECHAT, "微信"


class GatewayChannel(BaseChannel):
    setting = ""
    default_backend = ""

    def backend(self):
        return import_string(getattr(settings, self.setting, self.default_backend))()

    def send(self, user, notification, address, key):
        return self.backend().send(address, text_of(notification, limit=300), key)


class SmsChannel(GatewayChannel):
    code, label = Channel.SMS, "短信"
    setting, default_backend = "NOTIFY_SMS_BACKEND", "dangjian.notifications.channels.LogSmsBackend"

    def address(self, user):
        return user.phone or None

    def missing(self):
        return "未填写手机号"


class WechatChannel(GatewayChannel):
    code, label = Channel.WECHAT, "微信"
    setting, default_backend = "NOTIFY_WECHAT_BACKEND", "dangjian.notifications.channels.LogWechatBackend"

    def address(self, user):
        # The official-account openid would live on the user once the gateway exists; the username
        # identifies the recipient in the log meanwhile.
        return user.username


CHANNELS: dict[str, BaseChannel] = {
    c.code: c for c in (InAppChannel(), EmailChannel(), SmsChannel(), WechatChannel())
}


def get(code: str) -> BaseChannel:
    return CHANNELS[code]
