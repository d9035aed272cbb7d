"""Tables of the records lists; the same columns go to the Excel export (buttons and boxes excepted)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from dangjian.orgs.tables import TABLE_ATTRS

from ..choices import TransferKind, TransferStatus
from ..models import Household, Member, MobileRecord, Transfer, mask_phone
from ..rules import MOBILE_TRANSFER_MONTHS
from .common import reached
from .selectors import proposal


def badge(text: str, colour: str) -> str:
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, text)


class MobileRecordTable(tables.Table):
    member = tables.Column(
        accessor="member__person__name",
        verbose_name="姓名",
        linkify=lambda record: reverse("mobile-detail", args=[record.pk]),
        order_by=("member__person__name_pinyin",),
    )
    org = tables.Column(accessor="org__name", verbose_name="所在党支部", order_by=("org__path",))
    destination = tables.Column(verbose_name="外出地点")
    since = tables.DateColumn(format="Y-m-d", verbose_name="外出日期")
    expected_until = tables.DateColumn(format="Y-m-d", verbose_name="预计返回")
    fixed_place = tables.BooleanColumn(verbose_name="相对固定处所", yesno="是,否")
    certificate_no = tables.Column(verbose_name="活动证编号")
    ended_on = tables.DateColumn(format="Y-m-d", verbose_name="返回日期")
    state = tables.Column(empty_values=(), verbose_name="状态", orderable=False)

    class Meta:
        model = MobileRecord
        fields = [
            "member",
            "org",
            "destination",
            "since",
            "expected_until",
            "fixed_place",
            "certificate_no",
            "ended_on",
            "state",
        ]
        attrs = TABLE_ATTRS
        order_by = "-since"

    @staticmethod
    def state_of(record: MobileRecord) -> tuple[str, str]:
        if record.ended_on:
            return "已返回", "secondary"
        if record.fixed_place and reached(record.since, timezone.localdate(), MOBILE_TRANSFER_MONTHS.value):
            return "应转移组织关系", "danger"
        return "在外", "info"

    def render_state(self, record):
        return badge(*self.state_of(record))

    def value_state(self, record):
        return self.state_of(record)[0]


class LostContactTable(tables.Table):
    name = tables.Column(
        accessor="person__name",
        verbose_name="姓名",
        linkify=lambda record: reverse("member-detail", args=[record.pk]),
        order_by=("person__name_pinyin",),
    )
    org = tables.Column(accessor="org__name", verbose_name="所在党支部", order_by=("org__path",))
    status = tables.Column(verbose_name="党员类别")
    lost_contact_since = tables.DateColumn(format="Y-m-d", verbose_name="失联日期")
    standing = tables.Column(verbose_name="党籍状态")
    standing_since = tables.DateColumn(format="Y-m-d", verbose_name="停止党籍日期")
    proposal = tables.Column(empty_values=(), verbose_name="建议", orderable=False)
    actions = tables.Column(empty_values=(), verbose_name="处置", orderable=False)

    class Meta:
        model = Member
        fields = [
            "name",
            "org",
            "status",
            "lost_contact_since",
            "standing",
            "standing_since",
            "proposal",
            "actions",
        ]
        attrs = TABLE_ATTRS
        order_by = "lost_contact_since"

    def render_standing_since(self, record, value):
        return f"{value:%Y-%m-%d}" if record.standing != "normal" else "—"

    def value_standing_since(self, record, value):
        return f"{value:%Y-%m-%d}" if value and record.standing != "normal" else ""

    def render_proposal(self, record):
        kind, text, _ = proposal(record, timezone.localdate())
        colour = {"suspend": "danger", "remove": "danger"}.get(kind, "secondary")
        return badge(text, colour) if text else "—"

    def value_proposal(self, record):
        return proposal(record, timezone.localdate())[1]

    def render_actions(self, record):
        kind, _, _ = proposal(record, timezone.localdate())
        url = reverse("member-standing", args=[record.pk])
        label = dict(SUGGESTED_ACTIONS).get(kind, "处置")
        return format_html(
            '<a class="btn btn-sm btn-outline-danger" href="{}?kind={}">{}</a>', url, kind, label
        )


SUGGESTED_ACTIONS = [
    ("suspend", "停止党籍"),
    ("remove", "除名"),
    ("restore", "恢复党籍"),
    ("found", "恢复联系"),
]


def org_or_outside(org, outside: str) -> str:
    return org.name if org is not None else (f"{outside}（系统外）" if outside else "—")


class TransferTable(tables.Table):
    member = tables.Column(
        accessor="member__person__name",
        verbose_name="姓名",
        linkify=lambda record: reverse("transfer-detail", args=[record.pk]),
        order_by=("member__person__name_pinyin",),
    )
    kind = tables.Column(verbose_name="转接类型")
    from_org = tables.Column(empty_values=(), verbose_name="转出党组织", order_by=("from_org__path",))
    to_org = tables.Column(empty_values=(), verbose_name="转入党组织", order_by=("to_org__path",))
    letter_no = tables.Column(verbose_name="介绍信编号")
    issued_on = tables.DateColumn(format="Y-m-d", verbose_name="开具日期")
    status = tables.Column(verbose_name="状态")
    received_on = tables.DateColumn(format="Y-m-d", verbose_name="接收日期")

    class Meta:
        model = Transfer
        fields = ["member", "kind", "from_org", "to_org", "letter_no", "issued_on", "status", "received_on"]
        attrs = TABLE_ATTRS
        order_by = "-issued_on"

    def render_from_org(self, record):
        return org_or_outside(
            record.from_org, record.outside_org_name if record.kind == TransferKind.IN else ""
        )

    def render_to_org(self, record):
        return org_or_outside(
            record.to_org, record.outside_org_name if record.kind == TransferKind.OUT else ""
        )

    def render_status(self, record, value):
        colour = {TransferStatus.PENDING: "warning", TransferStatus.RECEIVED: "success"}.get(
            record.status, "secondary"
        )
        return badge(value, colour)

    def value_status(self, record, value):
        return value


class HouseholdTable(tables.Table):
    head_name = tables.Column(verbose_name="户主", linkify=True)
    org = tables.Column(accessor="org__name", verbose_name="所属党支部", order_by=("org__path",))
    grid = tables.Column(accessor="grid__name", verbose_name="网格")
    address = tables.Column(verbose_name="住址")
    size = tables.Column(verbose_name="人口数")
    phone = tables.Column(verbose_name="联系电话")
    open_links = tables.Column(verbose_name="联系党员数")

    class Meta:
        model = Household
        fields = ["head_name", "org", "grid", "address", "size", "phone", "open_links"]
        attrs = TABLE_ATTRS
        order_by = "org"

    def render_phone(self, value):
        return mask_phone(value)

    def value_phone(self, value):
        return mask_phone(value)

    def render_open_links(self, value):
        return value if value else badge("无联系党员", "warning")

    def value_open_links(self, value):
        return value


class DuesTable(tables.Table):
    """`amount_for(member)` gives the month's amount due (see services.dues.DuesCalculator); `selectable`
    adds a box per unpaid member for the bulk form (`form` names that form, outside the table)."""

    select = tables.Column(empty_values=(), verbose_name="", orderable=False)
    name = tables.Column(
        accessor="person__name",
        verbose_name="姓名",
        linkify=lambda record: reverse("member-dues", args=[record.pk]),
        order_by=("person__name_pinyin",),
    )
    org = tables.Column(accessor="org__name", verbose_name="所在党支部", order_by=("org__path",))
    dues_category = tables.Column(verbose_name="党费类别")
    due = tables.Column(empty_values=(), verbose_name="应交（元）", orderable=False)
    paid_amount = tables.Column(empty_values=(), verbose_name="实交（元）")
    paid_on = tables.DateColumn(format="Y-m-d", verbose_name="交纳日期")

    class Meta:
        model = Member
        fields = ["select", "name", "org", "dues_category", "due", "paid_amount", "paid_on"]
        attrs = TABLE_ATTRS
        order_by = "org"

    def __init__(self, *args, amount_for: Callable[[Member], Decimal], selectable: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.amount_for = amount_for
        if not selectable:
            self.columns.hide("select")

    def render_select(self, record):
        if record.paid_amount is not None:
            return ""
        return format_html(
            '<input class="form-check-input" type="checkbox" name="member_ids" value="{}" '
            'form="dues-collect" aria-label="选择{}" checked>',
            record.pk,
            record.person.name,
        )

    def render_due(self, record):
        return self.amount_for(record)

    def value_due(self, record):
        return self.amount_for(record)

    def render_paid_amount(self, record, value):
        return value if value is not None else badge("未交", "danger")

    def value_paid_amount(self, record, value):
        return value if value is not None else "未交"
