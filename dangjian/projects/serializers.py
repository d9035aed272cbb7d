from __future__ import annotations

from rest_framework import serializers

from .choices import FileKind, ProgressMode, ProjectKind, ProjectStatus, SourceKind
from .models import FundingSource, Milestone, Outcome, Project, ProjectFile, Unit
from .selectors import gap


class ProjUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name", "measures"]


class ProjSourceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = FundingSource
        fields = ["id", "kind", "kind_label", "name", "amount"]


class ProjMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "sort_order", "title", "due", "done_on"]


class ProjOutcomeSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Outcome
        fields = ["id", "measure", "quantity", "unit", "unit_name", "recorded_on", "note"]


class ProjFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectFile
        fields = ["id", "kind", "name", "uploaded_at"]


class ProjProjectSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    funded = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    gap = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "org",
            "org_name",
            "township",
            "county",
            "title",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "year",
            "budget",
            "funded",
            "gap",
            "progress",
            "progress_mode",
            "start_on",
            "planned_end",
            "finished_on",
            "decision",
        ]

    def get_gap(self, obj) -> str:
        return f"{gap(obj.budget, obj.funded):.2f}"

    def get_progress(self, obj) -> int:
        return obj.progress_from(obj.ms_done, obj.ms_total)


class ProjProjectDetailSerializer(ProjProjectSerializer):
    villages = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    sources = ProjSourceSerializer(many=True, read_only=True)
    milestones = ProjMilestoneSerializer(many=True, read_only=True)
    outcomes = ProjOutcomeSerializer(many=True, read_only=True)
    files = ProjFileSerializer(many=True, read_only=True)

    class Meta(ProjProjectSerializer.Meta):
        fields = [
            *ProjProjectSerializer.Meta.fields,
            "description",
            "reported_progress",
            "villages",
            "sources",
            "milestones",
            "outcomes",
            "files",
        ]


class ProjSourceWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class ProjProjectWriteSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    title = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=ProjectKind.choices)
    year = serializers.IntegerField()
    budget = serializers.DecimalField(max_digits=14, decimal_places=2)
    description = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")
    start_on = serializers.DateField(required=False, allow_null=True, default=None)
    planned_end = serializers.DateField(required=False, allow_null=True, default=None)
    progress_mode = serializers.ChoiceField(
        choices=ProgressMode.choices, required=False, default=ProgressMode.MILESTONES
    )
    villages = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    decision = serializers.IntegerField(required=False, allow_null=True, default=None)
    sources = ProjSourceWriteSerializer(many=True, required=False, default=list)


class ProjProjectUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120, required=False)
    kind = serializers.ChoiceField(choices=ProjectKind.choices, required=False)
    year = serializers.IntegerField(required=False)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    description = serializers.CharField(max_length=3000, required=False, allow_blank=True)
    start_on = serializers.DateField(required=False, allow_null=True)
    planned_end = serializers.DateField(required=False, allow_null=True)
    progress_mode = serializers.ChoiceField(choices=ProgressMode.choices, required=False)
    villages = serializers.ListField(child=serializers.IntegerField(), required=False)
    decision = serializers.IntegerField(required=False, allow_null=True)


class ProjMilestoneWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    due = serializers.DateField()


class ProjMilestoneDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True, default=None)


class ProjOutcomeWriteSerializer(serializers.Serializer):
    measure = serializers.CharField(max_length=60)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=2)
    unit = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="计量单位 id（必填）"
    )
    recorded_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ProjStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProjectStatus.choices)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ProjProgressSerializer(serializers.Serializer):
    percent = serializers.IntegerField()


class ProjFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="jpg、png、webp、pdf、docx、xlsx")
    kind = serializers.ChoiceField(choices=FileKind.choices, required=False, default=FileKind.PHOTO)


class ProjRollupSerializer(serializers.Serializer):
    org_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    projects = serializers.IntegerField()
    budget = serializers.DecimalField(max_digits=16, decimal_places=2)
    funded = serializers.DecimalField(max_digits=16, decimal_places=2)
    gap = serializers.DecimalField(max_digits=16, decimal_places=2)
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_kind = serializers.DictField(child=serializers.IntegerField())
    outcomes = serializers.DictField(child=serializers.DecimalField(max_digits=16, decimal_places=2))
