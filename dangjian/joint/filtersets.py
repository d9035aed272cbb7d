import django_filters
from django.db.models import Q


class JointBranchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索总支、乡镇或书记")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(parent__name__icontains=value) | Q(secretary_name__icontains=value)
        )


class JointPostFilter(django_filters.FilterSet):
    org = django_filters.NumberFilter(field_name="org_id", label="联村党总支编号")
    kind = django_filters.CharFilter(field_name="kind", label="职务")
    current = django_filters.BooleanFilter(field_name="until", lookup_expr="isnull", label="现任")
