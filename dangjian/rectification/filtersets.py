import django_filters

from .choices import CaseStatus


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="org__name", lookup_expr="icontains", label="搜索村名")
    year = django_filters.NumberFilter(label="年度")
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label="状态", empty_label="全部")


class ScreeningFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度")
