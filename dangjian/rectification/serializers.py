from __future__ import annotations

from rest_framework import serializers

from .choices import Source, SupportKind, VisitItemKind
from .models import (
    CheckVisit,
    PlanItem,
    RectificationCase,
    RectificationPlan,
    Screening,
    ScreeningRow,
    Situation,
    StatusChange,
    Support,
    SupportVisit,
    VisitItem,
)


class RectStatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatusChange
        fields = ["id", "from_status", "to_status", "on", "by_name", "basis"]


class RectCaseSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    items = serializers.IntegerField(read_only=True, default=None)
    closed_items = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = RectificationCase
        fields = [
            "id",
            "org",
            "org_name",
            "township",
            "county",
            "year",
            "status",
            "status_label",
            "basis",
            "situations",
            "evidence",
            "identified_on",
            "accepted_on",
            "recheck_due",
            "closed_on",
            "opened_on",
            "items",
            "closed_items",
        ]


class RectCaseDetailSerializer(RectCaseSerializer):
    history = RectStatusChangeSerializer(source="changes", many=True, read_only=True)

    class Meta(RectCaseSerializer.Meta):
        fields = [*RectCaseSerializer.Meta.fields, "history"]


class RectCaseCreateSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    year = serializers.IntegerField()
    basis = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    source = serializers.ChoiceField(choices=Source.choices, required=False, default=Source.WARNING)


class RectIdentifySerializer(serializers.Serializer):
    situations = serializers.ListField(child=serializers.CharField(max_length=10), allow_empty=True)
    evidence = serializers.CharField(max_length=3000, allow_blank=True)
    on = serializers.DateField(required=False, allow_null=True)


class RectVerdictSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    basis = serializers.CharField(max_length=2000, allow_blank=True)
    on = serializers.DateField(required=False, allow_null=True)


class RectPlanSerializer(serializers.ModelSerializer):
    items_total = serializers.IntegerField(source="items_n", read_only=True, default=None)
    items_closed = serializers.IntegerField(source="closed_n", read_only=True, default=None)

    class Meta:
        model = RectificationPlan
        fields = [
            "id",
            "case",
            "targets",
            "responsible",
            "deadline",
            "measures",
            "expected_result",
            "approved_on",
            "items_total",
            "items_closed",
        ]


class RectPlanWriteSerializer(serializers.Serializer):
    targets = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    responsible = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    measures = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")
    expected_result = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    approved_on = serializers.DateField(required=False, allow_null=True, default=None)


class RectPlanItemSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="plan.case_id", read_only=True)
    receipt_no = serializers.CharField(source="item.receipt_no", read_only=True)
    title = serializers.CharField(source="item.title", read_only=True)
    state = serializers.CharField(source="item.state", read_only=True)
    state_label = serializers.CharField(source="item.state_label", read_only=True)
    deadline = serializers.DateField(source="item.deadline", read_only=True)

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "plan",
            "case",
            "item",
            "sort_order",
            "receipt_no",
            "title",
            "state",
            "state_label",
            "deadline",
        ]


class RectItemCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    measures = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")
    owner = serializers.IntegerField()
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class RectSupportVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportVisit
        fields = ["id", "support", "visited_on", "visitor", "activity"]


class RectSupportSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Support
        fields = ["id", "case", "kind", "kind_label", "name", "title", "contact_leader", "since"]


class RectSupportWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SupportKind.choices)
    name = serializers.CharField(max_length=60)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    since = serializers.DateField(required=False, allow_null=True, default=None)


class RectSupportVisitWriteSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    visitor = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    activity = serializers.CharField(max_length=500)


class RectCheckVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckVisit
        fields = ["id", "case", "visited_on", "visitors", "items", "findings"]


class RectCheckVisitWriteSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    visitors = serializers.CharField(max_length=200)
    items = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    findings = serializers.CharField(max_length=3000)


class RectScreeningRowSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = ScreeningRow
        fields = ["id", "org", "org_name", "rank", "score", "collective_income", "proposed", "confirmed"]


class RectScreeningSerializer(serializers.ModelSerializer):
    rows = RectScreeningRowSerializer(many=True, read_only=True)

    class Meta:
        model = Screening
        fields = ["id", "county", "year", "quota_percent", "confirmed_on", "rows"]


class RectScreeningCreateSerializer(serializers.Serializer):
    county = serializers.IntegerField()
    year = serializers.IntegerField()
    quota_percent = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True)


class RectScreeningRowWriteSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    rank = serializers.IntegerField(min_value=1)
    score = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True, default=None
    )
    collective_income = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )


class RectScreeningRowsSerializer(serializers.Serializer):
    rows = RectScreeningRowWriteSerializer(many=True)
    quota_percent = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True)


class RectConfirmSerializer(serializers.Serializer):
    orgs = serializers.ListField(child=serializers.IntegerField())


class RectSituationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Situation
        fields = ["id", "county", "title", "source", "sort_order"]


class RectVisitItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitItem
        fields = ["id", "county", "kind", "text", "sort_order"]


class RectVisitItemWriteSerializer(serializers.Serializer):
    county = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=VisitItemKind.choices)
    text = serializers.CharField(max_length=120)


class RectWarningSerializer(serializers.Serializer):
    org = serializers.IntegerField(source="org_id")
    name = serializers.CharField()
    township = serializers.CharField()
    signals = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    case = serializers.IntegerField(source="case_id", allow_null=True)
    status = serializers.CharField(help_text="本年度整顿状态（未列入为空）")
