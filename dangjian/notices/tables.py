"""Tables of the notices app, shared by the pages and their Excel exports. Unsigned receipts past the
sign-by date are red."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from dangjian.orgs.choices import OrgKind
from dangjian.orgs.tables import TABLE_ATTRS

from . import selectors
from .models import Notice, NoticeReceipt, StudyPush, StudyReceipt, Training

DATETIME = "Y-m-d H:i"


def kinds_text(kinds: list[str]) -> str:
    return "、".join(OrgKind(k).label for k in kinds if k in OrgKind.values) if kinds else "全部下级"


def receipt_status(receipt: NoticeReceipt, today) -> tuple[str, str]:
    """(label, css class) of a receipt: signed green, past the sign-by date red."""
    if receipt.signed_at:
        return "已签收", "status-green"
    if selectors.is_overdue(receipt.notice.sign_by, today):
        return ("逾期未签（已读）" if receipt.read_at else "逾期未签（未读）"), "status-red fw-semibold"
    return ("已读未签" if receipt.read_at else "未读"), ""


class NoticeTable(tables.Table):
    title = tables.Column(verbose_name="标题", linkify=True)
    org = tables.Column(verbose_name="发文组织", order_by=("org__path",))
    kinds = tables.Column(verbose_name="发送范围", orderable=False)
    sent_at = tables.DateTimeColumn(format=DATETIME, verbose_name="发送时间")
    sign_by = tables.DateColumn(format="Y-m-d", verbose_name="签阅期限")
    total = tables.Column(verbose_name="接收人数")
    read = tables.Column(verbose_name="已读")
    signed = tables.Column(verbose_name="已签收")
    unsigned = tables.Column(verbose_name="未签收", empty_values=(), orderable=False)

    class Meta:
        model = Notice
        fields = ["title", "org", "kinds", "sent_at", "sign_by", "total", "read", "signed", "unsigned"]
        attrs = TABLE_ATTRS | {"data-testid": "notices"}
        empty_text = "没有符合条件的通知。"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_kinds(self, value):
        return kinds_text(value)

    def value_kinds(self, value):
        return kinds_text(value)

    def value_unsigned(self, record):
        return record.total - record.signed

    def render_unsigned(self, record):
        left = record.total - record.signed
        if left and selectors.is_overdue(record.sign_by, self.today):
            return format_html('<span class="status-red fw-semibold">{}（逾期）</span>', left)
        return left


class NoticeReceiptTable(tables.Table):
    notice = tables.Column(verbose_name="通知", linkify=lambda record: record.notice.get_absolute_url())
    user = tables.Column(verbose_name="接收人", order_by=("user__name_pinyin",))
    role = tables.Column(verbose_name="角色")
    org = tables.Column(verbose_name="所在组织", order_by=("org__path",))
    status = tables.Column(verbose_name="签阅情况", empty_values=(), orderable=False)
    read_at = tables.DateTimeColumn(format=DATETIME, verbose_name="阅读时间")
    signed_at = tables.DateTimeColumn(format=DATETIME, verbose_name="签收时间")
    reply = tables.Column(verbose_name="签收意见")

    class Meta:
        model = NoticeReceipt
        fields = ["notice", "user", "role", "org", "status", "read_at", "signed_at", "reply"]
        attrs = TABLE_ATTRS | {"data-testid": "receipts"}
        empty_text = "没有符合条件的签阅记录。"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_user(self, value):
        return value.display_name

    def value_user(self, value):
        return value.display_name

    def render_status(self, record):
        label, css = receipt_status(record, self.today)
        return format_html('<span class="{}">{}</span>', css, label)

    def value_status(self, record):
        return receipt_status(record, self.today)[0]


class StudyPushTable(tables.Table):
    title = tables.Column(verbose_name="标题", linkify=True)
    org = tables.Column(verbose_name="推送组织", order_by=("org__path",))
    audience = tables.Column(verbose_name="推送对象")
    sent_at = tables.DateTimeColumn(format=DATETIME, verbose_name="推送时间")
    total = tables.Column(verbose_name="推送人数")
    read = tables.Column(verbose_name="已阅读")
    rate = tables.Column(verbose_name="阅读率", empty_values=(), orderable=False)

    class Meta:
        model = StudyPush
        fields = ["title", "org", "audience", "sent_at", "total", "read", "rate"]
        attrs = TABLE_ATTRS | {"data-testid": "pushes"}
        empty_text = "没有符合条件的学习推送。"

    def render_rate(self, record):
        return f"{record.read * 100 // record.total}%" if record.total else "—"

    def value_rate(self, record):
        return self.render_rate(record)


class StudyReceiptTable(tables.Table):
    """The read list of a push; its export is the list of read links to send by SMS or WeChat."""

    member = tables.Column(
        verbose_name="党员", accessor="member__person__name", order_by=("member__person__name_pinyin",)
    )
    org = tables.Column(verbose_name="党支部", order_by=("org__path",))
    mobile = tables.BooleanColumn(verbose_name="流动党员", accessor="member__is_mobile", yesno="是,否")
    push = tables.Column(verbose_name="学习推送", linkify=lambda record: record.push.get_absolute_url())
    read_at = tables.DateTimeColumn(format=DATETIME, verbose_name="阅读时间", default="未读")
    link = tables.Column(verbose_name="阅读链接", empty_values=(), orderable=False)

    base_url = ""

    class Meta:
        model = StudyReceipt
        fields = ["member", "org", "mobile", "push", "read_at", "link"]
        attrs = TABLE_ATTRS | {"data-testid": "study-receipts"}
        empty_text = "没有符合条件的阅读记录。"

    def value_link(self, record):
        return self.base_url + record.get_absolute_url()

    def render_link(self, record):
        url = self.value_link(record)
        return format_html(
            '<a class="small font-monospace" href="{}" target="_blank" rel="noopener">{}</a>', url, url
        )


class TrainingTable(tables.Table):
    title = tables.Column(verbose_name="主题", linkify=True)
    org = tables.Column(verbose_name="举办组织", order_by=("org__path",))
    kind = tables.Column(verbose_name="类型")
    start_on = tables.DateColumn(format="Y-m-d", verbose_name="开始日期")
    end_on = tables.DateColumn(format="Y-m-d", verbose_name="结束日期")
    hours = tables.Column(verbose_name="学时")
    online = tables.BooleanColumn(verbose_name="线上", yesno="线上,线下")
    place = tables.Column(verbose_name="地点")
    organiser = tables.Column(verbose_name="组织者")
    present = tables.Column(verbose_name="出席人数")
    attendees = tables.Column(verbose_name="登记人数")

    class Meta:
        model = Training
        fields = [
            "title",
            "org",
            "kind",
            "start_on",
            "end_on",
            "hours",
            "online",
            "place",
            "organiser",
            "present",
            "attendees",
        ]
        attrs = TABLE_ATTRS | {"data-testid": "trainings"}
        empty_text = "没有符合条件的培训。"
