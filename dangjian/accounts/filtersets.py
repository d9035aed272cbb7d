import django_filters
from django.db.models import Q

from dangjian.core.roles import Role

from .models import User


class UserFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label="搜索（姓名、拼音、用户名）")
    role = django_filters.ChoiceFilter(
        choices=Role.choices, field_name="roles__role", label="角色", distinct=True
    )
    is_active = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = User
        fields = ["search", "role", "is_active"]

    def filter_search(self, queryset, name, value):
        low = value.lower().strip()
        return queryset.filter(
            Q(real_name__icontains=value)
            | Q(username__icontains=value)
            | Q(name_pinyin__contains=low)
            | Q(name_initials__contains=low)
        )
