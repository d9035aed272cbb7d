"""The list of joint branches and its Excel export."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from dangjian.orgs.models import Org
from dangjian.orgs.tables import TABLE_ATTRS


class JointBranchTable(tables.Table):
    name = tables.Column(verbose_name="联村党总支", order_by=("path",))
    township = tables.Column(verbose_name="乡镇", accessor="parent__name", order_by=("parent__path",))
    secretary_name = tables.Column(verbose_name="书记", default="（空缺）")
    deputy_count = tables.Column(verbose_name="副书记（人）")
    village_count = tables.Column(verbose_name="村数（委员）")

    class Meta:
        model = Org
        fields = ["name", "township", "secretary_name", "deputy_count", "village_count"]
        attrs = TABLE_ATTRS
        order_by = "name"

    def render_name(self, record, value):
        return format_html('<a href="{}">{}</a>', reverse("joint-org", args=[record.pk]), value)

    def value_name(self, value):
        return value
