import json

import django_tables2 as tables
from django.utils.html import format_html_join

from .models import AuditEvent


def _fmt(data: dict) -> str:
    return "；".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items())


class AuditEventTable(tables.Table):
    created_at = tables.DateTimeColumn(format="Y-m-d H:i:s", verbose_name="时间")
    actor_name = tables.Column(verbose_name="操作人")
    action = tables.Column(verbose_name="操作")
    object_repr = tables.Column(verbose_name="对象")
    org = tables.Column(verbose_name="所属组织", order_by=("org__path",))
    change = tables.Column(empty_values=(), verbose_name="修改前 → 修改后", orderable=False)
    note = tables.Column(verbose_name="说明")

    class Meta:
        model = AuditEvent
        fields = ["created_at", "actor_name", "action", "object_repr", "org", "change", "note"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        order_by = "-created_at"

    def render_action(self, record):
        return record.get_action_display()

    def value_action(self, record):
        return record.get_action_display()

    def render_change(self, record):
        keys = sorted(record.before.keys() | record.after.keys())
        if not keys:
            return "—"
        return format_html_join(
            "",
            '<div><code>{}</code>: <span class="text-danger">{}</span> → '
            '<span class="text-success">{}</span></div>',
            (
                (
                    k,
                    json.dumps(record.before.get(k), ensure_ascii=False),
                    json.dumps(record.after.get(k), ensure_ascii=False),
                )
                for k in keys
            ),
        )

    def value_change(self, record):
        return f"{_fmt(record.before)} → {_fmt(record.after)}"
