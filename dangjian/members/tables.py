"""The roster table (花名册). Age and party age are worked out per row from today; ID numbers and phones
are masked on screen and in the ordinary export."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from .models import Member, mask_id, mask_phone

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle", "data-testid": "roster"}


class MemberTable(tables.Table):
    name = tables.Column(
        accessor="person__name", verbose_name="姓名", order_by=("person__name_pinyin",), linkify=True
    )
    gender = tables.Column(accessor="person__get_gender_display", verbose_name="性别", orderable=False)
    age = tables.Column(
        accessor="person__age", verbose_name="年龄", order_by=("-person__birth_date",), empty_values=()
    )
    org = tables.Column(verbose_name="所在党支部", order_by=("org__path",))
    status = tables.Column(verbose_name="党员类别")
    joined_on = tables.DateColumn(format="Y-m-d", verbose_name="入党时间")
    full_on = tables.DateColumn(format="Y-m-d", verbose_name="转正时间")
    party_age = tables.Column(verbose_name="党龄", order_by=("full_on",), empty_values=())
    id_number = tables.Column(accessor="person__id_number", verbose_name="身份证号", orderable=False)
    phone = tables.Column(accessor="person__phone", verbose_name="电话", orderable=False)
    education = tables.Column(accessor="person__get_education_display", verbose_name="学历", orderable=False)
    is_mobile = tables.BooleanColumn(verbose_name="流动", yesno="是,")
    lost_contact_since = tables.DateColumn(format="Y-m-d", verbose_name="失联")

    class Meta:
        model = Member
        fields = [
            "name",
            "gender",
            "age",
            "org",
            "status",
            "joined_on",
            "full_on",
            "party_age",
            "id_number",
            "phone",
            "education",
            "is_mobile",
            "lost_contact_since",
        ]
        attrs = TABLE_ATTRS
        empty_text = "没有符合条件的党员。"

    def render_name(self, record, value):
        if record.standing == "normal":
            return value
        return format_html(
            '{} <span class="badge text-bg-secondary">{}</span>', value, record.get_standing_display()
        )

    def value_name(self, record, value):
        return value

    def render_party_age(self, record):
        return record.party_age if record.party_age is not None else "—"

    def value_party_age(self, record):
        return record.party_age

    def render_id_number(self, value):
        return mask_id(value)

    def value_id_number(self, value):
        return mask_id(value)

    def render_phone(self, value):
        return mask_phone(value)

    def value_phone(self, value):
        return mask_phone(value)

    def value_is_mobile(self, value):
        return "是" if value else ""


class MemberPiiExportTable(MemberTable):
    """Only for `?export=xlsx&pii=1` by a role allowed to see full values; the view audits the export."""

    def value_id_number(self, value):
        return value or ""

    def value_phone(self, value):
        return value or ""
