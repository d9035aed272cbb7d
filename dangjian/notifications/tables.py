"""The delivery log table, shared by the page and its Excel export."""

from __future__ import annotations

import django_tables2 as tables

from dangjian.orgs.tables import TABLE_ATTRS

from .models import Delivery, DeliveryState

DATETIME = "Y-m-d H:i:s"
STATE_CSS = {DeliveryState.SENT: "status-green", DeliveryState.FAILED: "status-red fw-semibold"}


class DeliveryTable(tables.Table):
    created_at = tables.DateTimeColumn(format=DATETIME, verbose_name="登记时间")
    user = tables.Column(
        accessor="notification__user", verbose_name="接收人", order_by=("notification__user__real_name",)
    )
    title = tables.Column(accessor="notification__title", verbose_name="消息")
    kind = tables.Column(accessor="notification__kind", verbose_name="类型")
    channel = tables.Column(verbose_name="渠道")
    address = tables.Column(verbose_name="发送地址")
    state = tables.Column(verbose_name="状态")
    attempts = tables.Column(verbose_name="尝试次数")
    sent_at = tables.DateTimeColumn(format=DATETIME, verbose_name="发送时间")
    detail = tables.Column(verbose_name="说明")

    class Meta:
        model = Delivery
        fields = [
            "created_at",
            "user",
            "title",
            "kind",
            "channel",
            "address",
            "state",
            "attempts",
            "sent_at",
            "detail",
        ]
        attrs = TABLE_ATTRS | {"data-testid": "deliveries"}
        empty_text = "没有符合条件的发送记录。"

    def render_kind(self, record):
        return record.notification.get_kind_display()

    def value_kind(self, record):
        return record.notification.get_kind_display()

    def render_channel(self, record):
        return record.get_channel_display()

    def value_channel(self, record):
        return record.get_channel_display()

    def render_state(self, record):
        from django.utils.html import format_html

        return format_html(
            '<span class="{}">{}</span>', STATE_CSS.get(record.state, ""), record.get_state_display()
        )

    def value_state(self, record):
        return record.get_state_display()
