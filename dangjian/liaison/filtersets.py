import django_filters
from django.db.models import Q
from django.utils import timezone

from .choices import ContactWay, DeputyKind, Level


class DeputyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索姓名、单位或联络站")
    kind = django_filters.ChoiceFilter(choices=DeputyKind.choices, label="类别")
    level = django_filters.ChoiceFilter(choices=Level.choices, label="层级")
    in_term = django_filters.BooleanFilter(method="filter_in_term", label="现任")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(unit__icontains=value) | Q(org__name__icontains=value)
        )

    def filter_in_term(self, queryset, name, value):
        today = timezone.localdate()
        current = Q(term_start__lte=today, term_end__gte=today)
        return queryset.filter(current) if value else queryset.exclude(current)


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索代表、支部、群众或事由")
    kind = django_filters.ChoiceFilter(field_name="deputy__kind", choices=DeputyKind.choices, label="类别")
    way = django_filters.ChoiceFilter(choices=ContactWay.choices, label="方式")
    deputy = django_filters.NumberFilter(field_name="deputy_id", label="代表编号")
    since = django_filters.DateFilter(field_name="contacted_on", lookup_expr="gte", label="起始日期")
    until = django_filters.DateFilter(field_name="contacted_on", lookup_expr="lte", label="截止日期")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(deputy__name__icontains=value)
            | Q(branch__name__icontains=value)
            | Q(resident_name__icontains=value)
            | Q(topic__icontains=value)
        )


class ConsultationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索议题、结果或联络站")
    since = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label="起始日期")
    until = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label="截止日期")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(topic__icontains=value) | Q(result__icontains=value) | Q(org__name__icontains=value)
        )
