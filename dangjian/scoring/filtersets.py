import django_filters

from .choices import AwardKind, Level, Method


class ResultFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="org__name", lookup_expr="icontains", label="搜索单位")
    period = django_filters.CharFilter(label="考核期（2026-11 或 2026）")
    level = django_filters.ChoiceFilter(choices=Level.choices, label="层级", empty_label="全部")
    county = django_filters.NumberFilter(
        field_name="county_id", label="县", widget=django_filters.widgets.forms.HiddenInput
    )
    group = django_filters.NumberFilter(
        field_name="group_id", label="排名范围", widget=django_filters.widgets.forms.HiddenInput
    )


class ScoreFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="org__name", lookup_expr="icontains", label="搜索单位")
    period = django_filters.CharFilter(label="考核期")
    method = django_filters.ChoiceFilter(choices=Method.choices, label="评分方式", empty_label="全部")
    indicator__code = django_filters.CharFilter(label="指标编码")


class IndicatorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="搜索指标")
    level = django_filters.ChoiceFilter(choices=Level.choices, label="考核对象", empty_label="全部")
    method = django_filters.ChoiceFilter(choices=Method.choices, label="评分方式", empty_label="全部")
    indicator_set__year = django_filters.NumberFilter(label="年度")


class AwardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="org__name", lookup_expr="icontains", label="搜索单位")
    year = django_filters.NumberFilter(label="年度")
    kind = django_filters.ChoiceFilter(choices=AwardKind.choices, label="类别", empty_label="全部")


class ScorecardFilter(django_filters.FilterSet):
    period = django_filters.CharFilter(label="考核期")
