import django_filters
from django.db.models import Q

from .models import CommitteeKind, PostKind, current_holder_q, vacancy_q


class CommitteeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索村名")
    kind = django_filters.ChoiceFilter(choices=CommitteeKind.choices, label="班子")
    due_before = django_filters.DateFilter(
        field_name="next_election_on", lookup_expr="lte", label="换届日期不晚于"
    )
    has_vacancy = django_filters.BooleanFilter(method="vacant", label="有空缺")

    def search(self, queryset, name, value):
        return queryset.filter(org__name__icontains=value)

    def vacant(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(vacancies__gt=0) if value else queryset.filter(vacancies=0)


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索姓名或村名")
    committee__kind = django_filters.ChoiceFilter(choices=CommitteeKind.choices, label="班子")
    kind = django_filters.ChoiceFilter(choices=PostKind.choices, label="职务")
    state = django_filters.ChoiceFilter(
        method="by_state",
        choices=[("current", "现任"), ("vacant", "空缺"), ("ended", "已离任")],
        label="状态",
    )

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(org__name__icontains=value))

    def by_state(self, queryset, name, value):
        if value == "current":
            return queryset.filter(current_holder_q())
        if value == "vacant":
            return queryset.filter(vacancy_q())
        return queryset.filter(until__isnull=False)
