import django_filters
from django.db.models import Q

from dangjian.orgs.models import Org

from .choices import ProjectKind, ProjectStatus

UNIT_KINDS = ("county", "township", "station", "joint_branch", "branch", "community")


def _orgs(request):
    if request is None:
        return Org.objects.none()
    return Org.objects.restrict(request.user).filter(kind__in=UNIT_KINDS, archived_at__isnull=True)


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索（项目、单位）")
    kind = django_filters.ChoiceFilter(choices=ProjectKind.choices, label="类别", empty_label="全部")
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label="状态", empty_label="全部")
    org = django_filters.ModelChoiceFilter(
        queryset=_orgs, method="within", label="单位（含下级）", empty_label="全部"
    )
    year = django_filters.NumberFilter(label="年度")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(org__name__icontains=value))

    def within(self, queryset, name, value):
        return queryset.filter(org__path__startswith=value.path) if value else queryset
