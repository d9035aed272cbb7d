from rest_framework import serializers

from .choices import OrgKind
from .models import Department, Grid, Org


class OrgSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    archived = serializers.BooleanField(source="is_archived", read_only=True)

    class Meta:
        model = Org
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "code",
            "parent",
            "path",
            "depth",
            "sort_order",
            "archived",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OrgCreateSerializer(serializers.Serializer):
    parent = serializers.IntegerField(help_text="上级组织编号")
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    code = serializers.CharField(max_length=200, required=False, allow_blank=True, allow_null=True)
    sort_order = serializers.IntegerField(required=False, default=0)
    confirm = serializers.BooleanField(
        required=False, default=False, help_text="工作站超出村数上限等提醒：确认后仍然保存"
    )


class OrgUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    code = serializers.CharField(max_length=200, required=False, allow_blank=True, allow_null=True)
    sort_order = serializers.IntegerField(required=False)


class OrgMoveSerializer(serializers.Serializer):
    parent = serializers.IntegerField(help_text="新的上级组织编号")
    confirm = serializers.BooleanField(required=False, default=False)


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "code", "county", "phone", "archived_at"]
        read_only_fields = fields


class GridSerializer(serializers.ModelSerializer):
    class Meta:
        model = Grid
        fields = ["id", "name", "code", "org", "leader", "leader_name", "households", "archived_at"]
        read_only_fields = fields
