"""This app's part of the two-county test world: one notification with its delivery for a user inside
county 甲 (the village secretary) and one for the admin of 外县, so the scope matrix has something to
hide on every notification and delivery route."""

from __future__ import annotations

from django.utils import timezone

from dangjian.core.roles import Role

from .models import Channel, Delivery, DeliveryState, Kind, Notification


def populate(world) -> None:
    now = timezone.now()
    world.notifications = {}
    for key, user, tag in (
        ("in", world.users[Role.VILLAGE_SECRETARY], "甲"),
        ("out", world.users["out_admin"], "外"),
    ):
        n = Notification.objects.create(
            user=user,
            kind=Kind.OTHER,
            title=f"{tag}测试提醒（{user.username}）",
            body=f"{tag}县测试消息",
            url="/",
            key=f"testing:{key}",
            fanned_out_at=now,
        )
        Delivery.objects.create(
            notification=n,
            channel=Channel.INAPP,
            state=DeliveryState.SENT,
            sent_at=now,
            detail="已进入消息中心",
        )
        world.notifications[key] = n
