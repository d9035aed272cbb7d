"""API shapes of the case engine. A resident's phone is masked unless the reader owns the case or is
the township office or county; lists carry no resident data at all. Inputs are only shaped here: the
rules and their Chinese messages are services.py's."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .choices import CaseKind, Priority, Source
from .kinds import KINDS
from .models import Case, CaseEvent, CaseFile, CaseRoute, Category
from .tables import deadline_status, warn_days_by_county
from .views import allowed, sees_resident_phone

TRANSITION_CODES = sorted(
    {t.code for spec in KINDS.values() for t in spec.transitions if t.code not in ("route", "answer")}
)
FILES = {"required": False, "default": list, "help_text": "佐证材料（multipart 上传，可多个）"}


def _name(user) -> str:
    return user.display_name if user else ""


class CaseItemSerializer(serializers.ModelSerializer):
    """A row of the case list: no resident name or phone."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="state_label", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    township_name = serializers.SerializerMethodField()
    category_name = serializers.SerializerMethodField()
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    grid_name = serializers.SerializerMethodField()
    owner_name = serializers.SerializerMethodField()
    deadline_status = serializers.SerializerMethodField(
        help_text="overdue 已逾期 / soon 即将到期 / on_time 按期办结 / late 逾期办结 / 空"
    )
    departments = serializers.SerializerMethodField(help_text="派单部门（牵头在前）")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "receipt_no",
            "kind",
            "kind_display",
            "state",
            "state_display",
            "title",
            "org",
            "org_name",
            "township",
            "township_name",
            "category",
            "category_name",
            "source",
            "source_display",
            "priority",
            "level",
            "level_display",
            "grid",
            "grid_name",
            "place",
            "owner",
            "owner_name",
            "acceptor",
            "opened_on",
            "answer_due",
            "deadline",
            "deadline_status",
            "done_at",
            "accepted_at",
            "closed_at",
            "last_supervised_on",
            "reopen_count",
            "escalated_on",
            "published_at",
            "departments",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_township_name(self, obj):
        return obj.township.name if obj.township_id else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_category_name(self, obj):
        return obj.category.name if obj.category_id else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_grid_name(self, obj):
        return obj.grid.name if obj.grid_id else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_owner_name(self, obj):
        return _name(obj.owner) if obj.owner_id else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_deadline_status(self, obj):
        warn = self.context.get("warn")
        if warn is None:
            today = timezone.localdate()
            warn = self.context["warn"] = (today, warn_days_by_county(today))
        return deadline_status(obj, *warn)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_departments(self, obj):
        return [r.department.name for r in obj.routes.all()]

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, obj):
        return obj.get_absolute_url()


class CaseRouteSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    decided_by_name = serializers.SerializerMethodField()

    class Meta:
        model = CaseRoute
        fields = [
            "id",
            "department",
            "department_name",
            "lead",
            "state",
            "state_display",
            "routed_at",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "reason",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_decided_by_name(self, obj):
        return _name(obj.decided_by) if obj.decided_by_id else ""


class CasePersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class CaseItemDetailSerializer(CaseItemSerializer):
    """One case with its text, people, routes and what the reader may do now (`actions`)."""

    resident_phone = serializers.SerializerMethodField(
        help_text="责任人、乡镇党建办和县委组织部看到完整号码，其他人脱敏"
    )
    co_owners = CasePersonSerializer(many=True, read_only=True)
    acceptor_name = serializers.SerializerMethodField()
    service_name = serializers.SerializerMethodField()
    satisfaction_display = serializers.CharField(source="get_satisfaction_display", read_only=True)
    routes = CaseRouteSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField(
        help_text="您现在可以办理的动作：办理动作代码（transition 的 code）及 route、decide、supervise、"
        "note、handover、reopen、escalate、publish、unpublish、satisfaction、edit"
    )

    class Meta(CaseItemSerializer.Meta):
        fields = [
            *CaseItemSerializer.Meta.fields,
            "description",
            "measures",
            "responsibility",
            "co_owners",
            "acceptor_name",
            "resident_name",
            "resident_phone",
            "service",
            "service_name",
            "field_visit",
            "inspection",
            "diary",
            "public_title",
            "public_result",
            "satisfaction",
            "satisfaction_display",
            "satisfaction_note",
            "routes",
            "version",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_resident_phone(self, obj):
        request = self.context.get("request")
        if request is not None and sees_resident_phone(request.user, obj):
            return obj.resident_phone
        return obj.resident_phone_masked

    @extend_schema_field(OpenApiTypes.STR)
    def get_acceptor_name(self, obj):
        return _name(obj.acceptor) if obj.acceptor_id else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_service_name(self, obj):
        return obj.service.name if obj.service_id else ""

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, obj):
        request = self.context.get("request")
        if request is None:
            return []
        may = allowed(request.user, obj, list(obj.routes.all()))
        codes = [t.code for t in may.pop("transitions")]
        return codes + [k for k, v in may.items() if v]


class CaseFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CaseFile
        fields = ["id", "name", "size", "uploaded_at", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, obj):
        return reverse("case-file", args=[obj.pk])


class CaseEventSerializer(serializers.ModelSerializer):
    type_display = serializers.CharField(source="get_type_display", read_only=True)
    label = serializers.CharField(read_only=True)
    receipt_no = serializers.CharField(source="case.receipt_no", read_only=True)
    files = CaseFileSerializer(many=True, read_only=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "case",
            "receipt_no",
            "type",
            "type_display",
            "label",
            "transition",
            "from_state",
            "to_state",
            "actor",
            "actor_name",
            "at",
            "note",
            "files",
        ]
        read_only_fields = fields


class CaseCategorySerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    department_names = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = [
            "id",
            "county",
            "county_name",
            "kind",
            "kind_display",
            "name",
            "deadline_days",
            "answer_days",
            "solve_days",
            "departments",
            "department_names",
            "archived_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_department_names(self, obj):
        return [d.name for d in obj.departments.all()]


# --- inputs -----------------------------------------------------------------------------------------


def _id(help_text: str, required: bool = False):
    return serializers.IntegerField(required=required, allow_null=True, default=None, help_text=help_text)


def _text(max_length: int, help_text: str = ""):
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", help_text=help_text
    )


class CaseOpenSerializer(serializers.Serializer):
    """Problem: org, owner (and the rest); errand: org (a village), service, resident_name; whistle:
    grid (the org follows the grid). Unknown or out-of-scope ids answer 404 (orgs, grids, linked records)
    or 400 beside the field (people, categories, services)."""

    kind = serializers.ChoiceField(choices=CaseKind.choices)
    org = _id("所属组织编号（网格吹哨可不填，取网格所在组织）")
    grid = _id("网格编号（网格吹哨必填）")
    category = _id("类别编号")
    source = serializers.ChoiceField(
        choices=Source.choices, required=False, help_text="来源（不填用该类型的第一个来源）"
    )
    title = _text(100, "标题（代办不填时用事项名称）")
    description = _text(3000)
    measures = _text(3000)
    responsibility = _text(2000)
    owner = _id("责任人（用户编号）；问题台账必填，代办默认登记人")
    co_owners = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    acceptor = _id("验收人（用户编号），不能是责任人或协办人")
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, default=Priority.NORMAL)
    place = _text(120)
    resident_name = _text(30, "群众姓名（代办必填）")
    resident_phone = _text(20)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    service = _id("代办事项编号（代办必填，须是本乡镇目录中的事项）")
    field_visit = _id("来源：到村工作记录编号")
    inspection = _id("来源：工作站督查记录编号")
    diary = _id("来源：民情日记编号")
    files = serializers.ListField(child=serializers.FileField(), **FILES)


class CaseTransitionSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=TRANSITION_CODES, help_text="办理动作代码，见 kinds.py")
    note = _text(2000, "说明（报告办结、验收不通过等须填写）")
    deadline = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="承诺办结时限（promise）"
    )
    version = _id("读取案件时的 version；案件已被他人办理时拒绝")
    files = serializers.ListField(child=serializers.FileField(), **FILES)


class CaseRouteInputSerializer(serializers.Serializer):
    departments = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="部门编号；不填用类别的默认部门",
    )
    lead = _id("牵头部门编号（默认第一个）")
    acceptor = _id("验收人（用户编号，默认派单人）")
    note = _text(2000)
    version = _id("读取案件时的 version")


class CaseDecideSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true 报到，false 退回")
    reason = _text(300, "退回理由（退回时必填）")
    version = _id("读取案件时的 version")


class CaseNoteSerializer(serializers.Serializer):
    note = _text(2000)
    files = serializers.ListField(child=serializers.FileField(), **FILES)


class CaseHandoverSerializer(serializers.Serializer):
    to = serializers.IntegerField(help_text="新责任人（用户编号）")
    note = _text(2000)


class CaseReasonSerializer(serializers.Serializer):
    reason = _text(2000)
    version = _id("读取案件时的 version")


class CaseEscalateSerializer(serializers.Serializer):
    note = _text(2000)


class CasePublishSerializer(serializers.Serializer):
    public_title = _text(100, "公开标题（不填用案件标题）")
    public_result = _text(300)


class CaseUnpublishSerializer(serializers.Serializer):
    reason = _text(300)


class CaseSatisfactionSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="3 满意，2 基本满意，1 不满意")
    note = _text(300)


class CaseCategoryInputSerializer(serializers.Serializer):
    county = serializers.IntegerField(help_text="县编号")
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    name = serializers.CharField(max_length=40)
    deadline_days = serializers.IntegerField(required=False, allow_null=True, default=None)
    answer_days = serializers.IntegerField(required=False, allow_null=True, default=None)
    solve_days = serializers.IntegerField(required=False, allow_null=True, default=None)
    departments = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class CaseCategoryUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=40, required=False)
    deadline_days = serializers.IntegerField(required=False, allow_null=True)
    answer_days = serializers.IntegerField(required=False, allow_null=True)
    solve_days = serializers.IntegerField(required=False, allow_null=True)
    departments = serializers.ListField(child=serializers.IntegerField(), required=False)
