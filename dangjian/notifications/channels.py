"""Channels behind one interface: `address(user)` says where a message would go (None: nowhere, the
delivery fails with the reason), `send(user, notification, address)` sends it and returns the detail
written to the delivery log, or raises.

In-app is the Notification itself. Email goes through Django's `send_mail` (settings.EMAIL_BACKEND).
SMS and WeChat call a gateway backend named by settings (NOTIFY_SMS_BACKEND, NOTIFY_WECHAT_BACKEND:
dotted paths of classes with `send(to, text) -> str`); the default backends only log the message,
so nothing is lost until a gateway is configured and the log shows exactly what would have gone out.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from .models import Channel

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

    def send(self, user: Any, notification: Any, address: str) -> str:
        raise NotImplementedError


class InAppChannel(BaseChannel):
    code, label = Channel.INAPP, "站内消息"

    def send(self, user, notification, address):
        return "已进入消息中心"


class EmailChannel(BaseChannel):
    code, label = Channel.EMAIL, "电子邮件"

    def address(self, user):
        return user.email or None

    def missing(self):
        return "未填写电子邮箱"

    def send(self, user, notification, address):
        send_mail(
            f"【{getattr(settings, 'NOTIFY_SUBJECT_PREFIX', '党建工作平台')}】{notification.title}",
            text_of(notification),
            getattr(settings, "DEFAULT_FROM_EMAIL", None),
            [address],
            fail_silently=False,
        )
        return f"已发送至 {address}"


class LogSmsBackend:
    """The SMS gateway until one is configured: writes the message to the log only."""

    def send(self, to: str, text: str) -> str:
        log.info("短信（未配置网关）→ %s：%s", to, text)
        return "未配置短信网关，已记录"


class LogWechatBackend:
    def send(self, to: str, text: str) -> str:
        log.info("微信（未配置网关）→ %s：%s", to, text)
        return "未配置微信网关，已记录"


class GatewayChannel(BaseChannel):
    setting = ""
    default_backend = ""

    def backend(self):
        return import_string(getattr(settings, self.setting, self.default_backend))()

    def send(self, user, notification, address):
        return self.backend().send(address, text_of(notification, limit=300))


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
