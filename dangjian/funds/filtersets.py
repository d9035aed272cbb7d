import django_filters
from django.db.models import Q

from dangjian.orgs.models import Org

from .choices import Purpose


def _within(queryset, lookup: str, value):
    path = Org.objects.filter(pk=value).values_list("path", flat=True).first()
    return queryset.filter(**{f"{lookup}__startswith": path}) if path else queryset.none()


class FundFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索资金名称或文号")
    year = django_filters.NumberFilter(label="年度")
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices, label="用途", empty_label="全部")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(document__icontains=value))


class AllocationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索单位或资金")
    year = django_filters.NumberFilter(field_name="fund__year", label="年度")
    purpose = django_filters.ChoiceFilter(
        field_name="fund__purpose", choices=Purpose.choices, label="用途", empty_label="全部"
    )
    level = django_filters.ChoiceFilter(
        method="by_level",
        choices=(("township", "乡镇"), ("village", "村（社区）")),
        label="层级",
        empty_label="全部",
    )
    within = django_filters.NumberFilter(method="by_within", label="组织编号（含下级）")
    fund = django_filters.NumberFilter(label="资金编号")

    def search(self, queryset, name, value):
        return queryset.filter(Q(org__name__icontains=value) | Q(fund__name__icontains=value))

    def by_level(self, queryset, name, value):
        if value == "township":
            return queryset.filter(org__kind="township")
        return queryset.filter(org__kind__in=("branch", "community"))

    def by_within(self, queryset, name, value):
        return _within(queryset, "org__path", value)


class DisbursementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索用途、收款方或单位")
    year = django_filters.NumberFilter(field_name="allocation__fund__year", label="年度")
    purpose = django_filters.ChoiceFilter(
        field_name="allocation__fund__purpose", choices=Purpose.choices, label="资金用途", empty_label="全部"
    )
    since = django_filters.DateFilter(field_name="on", lookup_expr="gte", label="起始日期")
    until = django_filters.DateFilter(field_name="on", lookup_expr="lte", label="截止日期")
    within = django_filters.NumberFilter(method="by_within", label="组织编号（含下级）")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(spent_on__icontains=value)
            | Q(payee__icontains=value)
            | Q(allocation__org__name__icontains=value)
        )

    def by_within(self, queryset, name, value):
        return _within(queryset, "allocation__org__path", value)
