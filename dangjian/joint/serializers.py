from __future__ import annotations

from rest_framework import serializers

from .choices import PostKind
from .models import JointPost


class JointPostSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    villages = serializers.SerializerMethodField()

    class Meta:
        model = JointPost
        fields = [
            "id", "org", "org_name", "kind", "kind_label", "name", "title", "phone", "villages", "since",
            "until", "end_reason",
        ]  # fmt: skip

    def get_villages(self, obj) -> list[dict]:
        return [{"id": v.pk, "name": v.name} for v in obj.villages.all()]


class JointPostInSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="联村党总支编号")
    kind = serializers.ChoiceField(choices=PostKind.choices)
    name = serializers.CharField(max_length=30)
    title = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    since = serializers.DateField()
    villages = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class JointPostEndSerializer(serializers.Serializer):
    until = serializers.DateField()
    reason = serializers.CharField(max_length=100)


class JointMemberSerializer(serializers.Serializer):
    village = serializers.IntegerField()
    village_name = serializers.CharField()
    name = serializers.CharField(help_text="村党支部书记；空缺时为空")
    since = serializers.DateField(allow_null=True)


class JointPowerSerializer(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField(allow_null=True)
    on = serializers.BooleanField(allow_null=True, help_text="县级规则是否开启；无专门流程的为空")
    where = serializers.CharField()


class JointBranchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    township = serializers.CharField()
    secretary = JointPostSerializer(allow_null=True)
    deputies = JointPostSerializer(many=True)
    members = JointMemberSerializer(many=True)
    powers = JointPowerSerializer(many=True)
