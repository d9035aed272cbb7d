import django_filters
from django.db.models import Q

from .choices import CallOutKind, TeamKind


class TeamFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索队名、组织或服务内容")
    kind = django_filters.ChoiceFilter(choices=TeamKind.choices, label="类型")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(org__name__icontains=value) | Q(focus__icontains=value)
        )


class CallOutFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索队名、地点、任务或实践站")
    kind = django_filters.ChoiceFilter(choices=CallOutKind.choices, label="类别")
    team = django_filters.NumberFilter(field_name="team_id", label="队伍编号")
    since = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label="起始日期")
    until = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label="截止日期")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(team__name__icontains=value)
            | Q(place__icontains=value)
            | Q(task__icontains=value)
            | Q(practice_station__icontains=value)
        )


class TeamMemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索姓名、队名或组织")
    kind = django_filters.ChoiceFilter(field_name="team__kind", choices=TeamKind.choices, label="队伍类型")
    is_member = django_filters.BooleanFilter(
        field_name="member", lookup_expr="isnull", exclude=True, label="是否党员"
    )
    active = django_filters.BooleanFilter(field_name="left_on", lookup_expr="isnull", label="在队")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(team__name__icontains=value) | Q(org__name__icontains=value)
        )
