import django_filters
from django.db.models import Q

from dangjian.orgs.models import Org

from .choices import AssetKind, AssetUse, Band, ContractUse, IncomeKind


class IncomeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="org__name", lookup_expr="icontains", label="搜索村名")
    year = django_filters.NumberFilter(label="年度")
    band = django_filters.ChoiceFilter(choices=Band.choices, label="收入档次", empty_label="全部")
    kind = django_filters.ChoiceFilter(
        method="by_kind", choices=IncomeKind.choices, label="含收入来源", empty_label="全部"
    )
    within = django_filters.NumberFilter(method="by_within", label="组织编号（含下级）")
    min_total = django_filters.NumberFilter(field_name="total", lookup_expr="gte", label="收入不低于（元）")

    def by_kind(self, queryset, name, value):
        return queryset.filter(lines__kind=value).distinct()

    def by_within(self, queryset, name, value):
        path = Org.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(org__path__startswith=path) if path else queryset.none()


class NoIncomeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="搜索村名")
    year = django_filters.NumberFilter(method="keep", label="年度")
    within = django_filters.NumberFilter(method="by_within", label="组织编号（含下级）")

    def keep(self, queryset, name, value):
        return queryset

    def by_within(self, queryset, name, value):
        path = Org.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(path__startswith=path) if path else queryset.none()


class AssetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索资产、村名、位置")
    kind = django_filters.ChoiceFilter(choices=AssetKind.choices, label="类别", empty_label="全部")
    use = django_filters.ChoiceFilter(choices=AssetUse.choices, label="现状用途", empty_label="全部")
    org = django_filters.NumberFilter(field_name="org_id", label="村（社区）编号")
    within = django_filters.NumberFilter(method="by_within", label="组织编号（含下级）")
    expiring = django_filters.BooleanFilter(label="有90天内到期的合同")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(org__name__icontains=value) | Q(location__icontains=value)
        )

    def by_within(self, queryset, name, value):
        path = Org.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(org__path__startswith=path) if path else queryset.none()


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索对方、资产")
    asset = django_filters.NumberFilter(field_name="asset_id", label="资产编号")
    org = django_filters.NumberFilter(field_name="org_id", label="村（社区）编号")
    use = django_filters.ChoiceFilter(choices=ContractUse.choices, label="方式", empty_label="全部")
    expiring = django_filters.BooleanFilter(label="90天内到期")

    def search(self, queryset, name, value):
        return queryset.filter(Q(counterparty__icontains=value) | Q(asset__name__icontains=value))
