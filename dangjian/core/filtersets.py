import django_filters
from django.db.models import Q

from .audit_labels import ACTION_LABELS
from .models import AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    action = django_filters.ChoiceFilter(choices=sorted(ACTION_LABELS.items()), label="操作")
    object_type = django_filters.CharFilter(label="对象类型")
    object_id = django_filters.CharFilter(label="对象编号")
    since = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="起始日期")
    until = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label="截止日期")

    class Meta:
        model = AuditEvent
        fields = ["q", "action", "object_type", "object_id", "since", "until"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(object_repr__icontains=value) | Q(actor_name__icontains=value) | Q(note__icontains=value)
        )
