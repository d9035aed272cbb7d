import django_filters
from django.db.models import Q

from .choices import OrgKind
from .models import Department, Grid, Org


def name_search(queryset, name, value):
    """Name, full pinyin or initials: a clerk types 大辛庄, daxinzhuang or dxz."""
    value = value.strip()
    if not value:
        return queryset
    low = value.lower().replace(" ", "")
    return queryset.filter(
        Q(name__icontains=value)
        | Q(name_pinyin__contains=low)
        | Q(name_initials__contains=low)
        | Q(code__iexact=value)
    )


class OrgFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label="搜索（名称、拼音、首字母、编码）")
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, label="类型")
    parent = django_filters.NumberFilter(field_name="parent_id", label="上级组织编号")
    within = django_filters.NumberFilter(method="filter_within", label="所属组织编号（含下级）")
    archived = django_filters.BooleanFilter(method="filter_archived", label="已归档")

    class Meta:
        model = Org
        fields = ["search", "kind", "parent", "within", "archived"]

    def filter_search(self, queryset, name, value):
        return name_search(queryset, name, value)

    def filter_within(self, queryset, name, value):
        root = Org.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(path__startswith=root) if root else queryset.none()

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=not value)


class DepartmentFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="搜索")
    county = django_filters.NumberFilter(field_name="county_id", label="县编号")

    class Meta:
        model = Department
        fields = ["search", "county"]


class GridFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label="搜索")
    org = django_filters.NumberFilter(field_name="org_id", label="所属组织编号")

    class Meta:
        model = Grid
        fields = ["search", "org"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(leader_name__icontains=value) | Q(org__name__icontains=value)
        )
