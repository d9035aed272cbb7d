import django_filters
from django.db.models import Q

from dangjian.members.choices import Education

from .choices import BatchStatus, ReserveStatus


class ReserveFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索姓名、村名或特长")
    status = django_filters.ChoiceFilter(choices=ReserveStatus.choices, label="状态")
    education = django_filters.ChoiceFilter(choices=Education.choices, label="学历")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(org__name__icontains=value) | Q(skills__icontains=value)
        )


class MentorshipFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索后备干部、导师或村名")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reserve__name__icontains=value)
            | Q(mentor_name__icontains=value)
            | Q(org__name__icontains=value)
        )


class CoachingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索辅导对象、辅导人或村名")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(coachee_name__icontains=value) | Q(coach_name__icontains=value) | Q(org__name__icontains=value)
        )


class PayBatchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="township__name", lookup_expr="icontains", label="搜索乡镇")
    status = django_filters.ChoiceFilter(choices=BatchStatus.choices, label="状态")
    year = django_filters.NumberFilter(field_name="month__year", label="年度")


class PayLineFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索姓名或村名")
    year = django_filters.NumberFilter(field_name="batch__month__year", label="年度")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(org__name__icontains=value))


class AssessmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索姓名或村名")
    year = django_filters.NumberFilter(label="年度")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(org__name__icontains=value))
