"""Filters of the records lists, shared by the pages, their Excel exports and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from dangjian.core.scope import path_q, scope_prefixes
from dangjian.orgs.models import Org

from ..choices import DuesCategory, Standing, TransferKind, TransferStatus
from ..models import DuesPayment, Household, HouseholdLink, Member, MobileRecord, StandingDecision, Transfer
from ..rules import LOST_CONTACT_SUSPEND_MONTHS, SUSPENSION_REMOVE_YEARS
from .common import cutoff


def within(queryset, lookup: str, org_id) -> object:
    """Rows under the org `org_id` (itself included); an unknown id matches nothing."""
    root = Org.objects.filter(pk=org_id).values_list("path", flat=True).first()
    return queryset.filter(**{f"{lookup}__startswith": root}) if root else queryset.none()


def person_q(prefix: str, value: str) -> Q:
    """Name, full pinyin or initials: a clerk types 张三根, zhangsangen or zsg."""
    value = value.strip()
    low = value.lower().replace(" ", "")
    return (
        Q(**{f"{prefix}person__name__icontains": value})
        | Q(**{f"{prefix}person__name_pinyin__contains": low})
        | Q(**{f"{prefix}person__name_initials__contains": low})
    )


class OrgWithin(django_filters.NumberFilter):
    def __init__(self, lookup: str = "org__path", **kwargs):
        kwargs.setdefault("label", "所属组织编号（含下级）")
        super().__init__(method=lambda qs, name, value: within(qs, lookup, value), **kwargs)


class MobileRecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（姓名、外出地点）")
    state = django_filters.ChoiceFilter(
        method="filter_state", choices=[("open", "在外"), ("closed", "已返回")], label="状态"
    )
    fixed_place = django_filters.BooleanFilter(label="在外有相对固定处所")
    org = OrgWithin()

    class Meta:
        model = MobileRecord
        fields = ["q", "state", "fixed_place", "org"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(person_q("member__", value) | Q(destination__icontains=value.strip()))

    def filter_state(self, queryset, name, value):
        return queryset.filter(ended_on__isnull=value == "open")


class StandingDecisionFilter(django_filters.FilterSet):
    member = django_filters.NumberFilter(field_name="member_id", label="党员编号")
    kind = django_filters.ChoiceFilter(choices=StandingDecision.Kind.choices, label="决定")
    org = OrgWithin()

    class Meta:
        model = StandingDecision
        fields = ["member", "kind", "org"]


PROPOSALS = [("suspend", "建议停止党籍"), ("remove", "建议按自行脱党除名"), ("restorable", "可恢复党籍")]


class LostContactFilter(django_filters.FilterSet):
    """Members lost or suspended; `proposal` picks those a decision is due for, as the checks do."""

    q = django_filters.CharFilter(method="filter_q", label="搜索（姓名、拼音、首字母）")
    standing = django_filters.ChoiceFilter(
        choices=[(Standing.NORMAL, "失联（未停止党籍）"), (Standing.SUSPENDED, "停止党籍")], label="党籍状态"
    )
    proposal = django_filters.ChoiceFilter(method="filter_proposal", choices=PROPOSALS, label="建议")
    org = OrgWithin()

    class Meta:
        model = Member
        fields = ["q", "standing", "proposal", "org"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(person_q("", value))

    def filter_proposal(self, queryset, name, value):
        today = timezone.localdate()
        removal = cutoff(today, 12 * SUSPENSION_REMOVE_YEARS.value)
        if value == "suspend":
            return queryset.filter(
                standing=Standing.NORMAL,
                lost_contact_since__lte=cutoff(today, LOST_CONTACT_SUSPEND_MONTHS.value),
            )
        if value == "remove":
            return queryset.filter(standing=Standing.SUSPENDED, standing_since__lte=removal)
        return queryset.filter(standing=Standing.SUSPENDED, standing_since__gt=removal)


class TransferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（姓名、介绍信编号）")
    direction = django_filters.ChoiceFilter(
        method="filter_direction",
        choices=[("incoming", "转入本辖区"), ("outgoing", "从本辖区转出")],
        label="方向",
    )
    status = django_filters.ChoiceFilter(choices=TransferStatus.choices, label="状态")
    kind = django_filters.ChoiceFilter(choices=TransferKind.choices, label="转接类型")
    member = django_filters.NumberFilter(field_name="member_id", label="党员编号")

    class Meta:
        model = Transfer
        fields = ["q", "direction", "status", "kind", "member"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(person_q("member__", value) | Q(letter_no__iexact=value.strip()))

    def filter_direction(self, queryset, name, value):
        """Relative to the user: into the orgs they look after, or out of them."""
        user = self.request.user if self.request else None
        if user is not None and user.is_superuser:
            return (
                queryset.filter(to_org__isnull=False)
                if value == "incoming"
                else queryset.filter(from_org__isnull=False)
            )
        prefixes = scope_prefixes(user, Member.scope.roles_for("view")) if user else []
        if not prefixes:
            return queryset.none()
        inside_to, inside_from = path_q("to_org__path", prefixes), path_q("from_org__path", prefixes)
        if value == "incoming":
            return queryset.filter(inside_to).exclude(Q(from_org__isnull=False) & inside_from)
        return queryset.filter(inside_from).exclude(Q(to_org__isnull=False) & inside_to)


def open_link(household_ref: str = "pk"):
    return Exists(HouseholdLink.objects.filter(household=OuterRef(household_ref), ended_on__isnull=True))


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索（户主姓名、住址）")
    unlinked = django_filters.BooleanFilter(method="filter_unlinked", label="无联系党员的农户")
    org = OrgWithin()
    grid = django_filters.NumberFilter(field_name="grid_id", label="网格编号")

    class Meta:
        model = Household
        fields = ["q", "unlinked", "org", "grid"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(head_name__icontains=value) | Q(address__icontains=value))

    def filter_unlinked(self, queryset, name, value):
        return queryset.exclude(open_link()) if value else queryset.filter(open_link())


class HouseholdLinkFilter(django_filters.FilterSet):
    household = django_filters.NumberFilter(field_name="household_id", label="农户编号")
    member = django_filters.NumberFilter(field_name="member_id", label="党员编号")
    current = django_filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label="仍在联系")
    org = OrgWithin()

    class Meta:
        model = HouseholdLink
        fields = ["household", "member", "current", "org"]


class DuesPaymentFilter(django_filters.FilterSet):
    member = django_filters.NumberFilter(field_name="member_id", label="党员编号")
    month = django_filters.DateFilter(label="所属月份（该月1日）")
    since = django_filters.DateFilter(field_name="month", lookup_expr="gte", label="起始月份")
    until = django_filters.DateFilter(field_name="month", lookup_expr="lte", label="截止月份")
    org = OrgWithin()

    class Meta:
        model = DuesPayment
        fields = ["member", "month", "since", "until", "org"]


class DuesFilter(django_filters.FilterSet):
    """The dues page: one branch's (or the whole scope's) members for one month, paid or not. The month
    itself is read by the view, which annotates each member with that month's payment."""

    org = django_filters.ModelChoiceFilter(
        queryset=Org.objects.none(), method="filter_org", label="党支部", empty_label="（全部）"
    )
    month = django_filters.CharFilter(method="filter_month", label="月份（如 2026-11）")
    paid = django_filters.ChoiceFilter(
        method="filter_paid", choices=[("yes", "已交"), ("no", "未交")], label="交纳情况"
    )
    category = django_filters.ChoiceFilter(
        field_name="dues_category", choices=DuesCategory.choices, label="党费类别"
    )
    q = django_filters.CharFilter(method="filter_q", label="搜索（姓名、拼音、首字母）")

    class Meta:
        model = Member
        fields = ["org", "month", "paid", "category", "q"]

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        if branches is not None:
            self.filters["org"].queryset = branches
            self.form.fields["org"].queryset = branches

    def filter_org(self, queryset, name, value):
        return queryset.filter(org=value)

    def filter_month(self, queryset, name, value):
        return queryset  # the view annotates the month's payment; see DuesListView

    def filter_paid(self, queryset, name, value):
        return queryset.filter(paid_amount__isnull=value == "no")

    def filter_q(self, queryset, name, value):
        return queryset.filter(person_q("", value))
