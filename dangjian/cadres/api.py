"""REST endpoints of the pool, mentoring, choosing from the pool, coaching and pay: reads through the scope
layer and the pages' FilterSets, writes through services.py (same refusals, same Chinese messages).
Rows outside scope answer 404."""

from __future__ import annotations

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangjian.accounts.models import User
from dangjian.core.api import validated
from dangjian.core.excel import xlsx_response
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404
from dangjian.members.choices import Education, Gender
from dangjian.members.models import Person
from dangjian.orgs.models import Org
from dangjian.villages.models import Committee, Post, PostKind

from . import selectors, services
from .choices import ActivityKind, AssessmentGrade, Grade, PoliticalStatus
from .filtersets import CoachingFilter, MentorshipFilter, PayBatchFilter, ReserveFilter
from .models import (
    Coaching,
    CoachingSession,
    MentorActivity,
    MentorEvaluation,
    Mentorship,
    PayBatch,
    PayLine,
    PayScheme,
    PoolSelection,
    ReserveCadre,
)


class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "head", "options"]


def _scoped(model, request, pk):
    return get_scoped_or_404(model, request.user, "view", pk=pk)


def _optional(model, request, pk):
    return None if pk is None else _scoped(model, request, pk)


# --- serializers -------------------------------------------------------------------------------------


class ReserveSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    age = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReserveCadre
        fields = [
            "id", "org", "org_name", "person", "name", "gender", "birth_date", "age", "education", "skills",
            "political_status", "entered_on", "status", "left_on", "left_reason",
        ]  # fmt: skip


class ReserveInSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    person = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True, default="")
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    education = serializers.ChoiceField(choices=Education.choices)
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    political_status = serializers.ChoiceField(choices=PoliticalStatus.choices)
    entered_on = serializers.DateField()


class ReserveLeaveSerializer(serializers.Serializer):
    left_on = serializers.DateField()
    reason = serializers.CharField(max_length=100)


class ReserveChooseSerializer(serializers.Serializer):
    committee = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PostKind.choices, default=PostKind.SECRETARY)
    decided_on = serializers.DateField()
    decided_by = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    basis = serializers.CharField(max_length=300)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    considered = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class PoolSelectionSerializer(serializers.ModelSerializer):
    reserve_name = serializers.CharField(source="reserve.name", read_only=True)
    post_name = serializers.CharField(source="post.__str__", read_only=True)
    considered_names = serializers.SlugRelatedField(
        source="considered", slug_field="name", many=True, read_only=True
    )

    class Meta:
        model = PoolSelection
        fields = [
            "id", "org", "reserve", "reserve_name", "post", "post_name", "decided_on", "decided_by", "basis",
            "note", "considered", "considered_names",
        ]  # fmt: skip


class MentorActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = MentorActivity
        fields = ["id", "kind", "held_on", "note"]


class MentorEvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = MentorEvaluation
        fields = ["id", "evaluated_on", "grade", "comment", "evaluator"]


class MentorshipSerializer(serializers.ModelSerializer):
    reserve_name = serializers.CharField(source="reserve.name", read_only=True)
    activities = MentorActivitySerializer(many=True, read_only=True)
    evaluations = MentorEvaluationSerializer(many=True, read_only=True)

    class Meta:
        model = Mentorship
        fields = [
            "id", "org", "reserve", "reserve_name", "mentor_post", "mentor_user", "mentor_name",
            "mentor_title", "started_on", "activities", "evaluations",
        ]  # fmt: skip


class MentorshipInSerializer(serializers.Serializer):
    reserve = serializers.IntegerField()
    mentor_post = serializers.IntegerField(required=False, allow_null=True, default=None)
    mentor_user = serializers.IntegerField(required=False, allow_null=True, default=None)
    started_on = serializers.DateField()


class MentorActivityInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    held_on = serializers.DateField()
    note = serializers.CharField(max_length=500)


class MentorEvaluationInSerializer(serializers.Serializer):
    evaluated_on = serializers.DateField()
    grade = serializers.ChoiceField(choices=Grade.choices)
    comment = serializers.CharField(max_length=500)
    evaluator = serializers.CharField(max_length=60)


class CoachingSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoachingSession
        fields = ["id", "held_on", "topic", "note"]


class CoachingSerializer(serializers.ModelSerializer):
    sessions = CoachingSessionSerializer(many=True, read_only=True)

    class Meta:
        model = Coaching
        fields = [
            "id", "org", "post", "coachee_name", "coach_name", "coach_title", "started_on", "selection",
            "sessions",
        ]  # fmt: skip


class CoachingInSerializer(serializers.Serializer):
    post = serializers.IntegerField()
    coach_name = serializers.CharField(max_length=40)
    coach_title = serializers.CharField(max_length=60, default="乡镇党建办主任")
    started_on = serializers.DateField()
    selection = serializers.IntegerField(required=False, allow_null=True, default=None)


class CoachingSessionInSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    topic = serializers.CharField(max_length=100)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PaySchemeSerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = PayScheme
        fields = [
            "id", "county", "county_name", "base_pay", "dual_allowance", "coefficients", "performance_months",
            "performance_month", "source", "updated_on",
        ]  # fmt: skip


class PaySchemeInSerializer(serializers.Serializer):
    county = serializers.IntegerField()
    base_pay = serializers.DictField(child=serializers.DecimalField(max_digits=9, decimal_places=2))
    dual_allowance = serializers.DecimalField(max_digits=9, decimal_places=2)
    coefficients = serializers.DictField(child=serializers.DecimalField(max_digits=4, decimal_places=2))
    performance_months = serializers.IntegerField()
    performance_month = serializers.IntegerField(default=1)
    source = serializers.CharField(max_length=300)


class PayLineSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = PayLine
        fields = [
            "id", "org", "org_name", "name", "posts", "base", "allowance", "performance", "amount",
            "account_no", "summary",
        ]  # fmt: skip


class PayBatchSerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)

    class Meta:
        model = PayBatch
        fields = ["id", "township", "township_name", "month", "status", "line_count", "total", "approved_at"]


class PayBatchGenerateSerializer(serializers.Serializer):
    township = serializers.IntegerField()
    month = serializers.DateField(help_text="该月任一日，如 2026-11-01")


class AssessmentInSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    name = serializers.CharField(max_length=40)
    year = serializers.IntegerField()
    grade = serializers.ChoiceField(choices=AssessmentGrade.choices)
    score = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, default=None
    )
    evidence = serializers.CharField(max_length=300)


# --- viewsets ----------------------------------------------------------------------------------------


class ReserveViewSet(ReadOnly):
    """村级后备干部库."""

    serializer_class = ReserveSerializer
    filterset_class = ReserveFilter
    route_scope = RouteScope("list", model=ReserveCadre)

    def get_queryset(self):
        return selectors.reserves(self.request.user).order_by("org__path", "entered_on", "pk")

    @extend_schema(request=ReserveInSerializer, responses={201: ReserveSerializer})
    def create(self, request):
        data = validated(ReserveInSerializer, request.data)
        org = _scoped(Org, request, data.pop("org"))
        data["person"] = _optional(Person, request, data.pop("person", None))
        reserve = services.add_reserve(request.user, org, **data)
        return Response(ReserveSerializer(reserve).data, status=201)

    @extend_schema(request=ReserveLeaveSerializer, responses=ReserveSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        reserve = _scoped(ReserveCadre, request, pk)
        data = validated(ReserveLeaveSerializer, request.data)
        return Response(ReserveSerializer(services.leave_pool(request.user, reserve, **data)).data)

    @extend_schema(request=ReserveChooseSerializer, responses={201: PoolSelectionSerializer})
    @action(detail=True, methods=["post"])
    def choose(self, request, pk=None):
        """Choose this reserve cadre for a post (appointed through the two-committee service)."""
        reserve = _scoped(ReserveCadre, request, pk)
        data = validated(ReserveChooseSerializer, request.data)
        committee = _scoped(Committee, request, data.pop("committee"))
        ids = data.pop("considered")
        considered = list(ReserveCadre.objects.restrict(request.user).filter(pk__in=ids))
        if len(considered) != len(set(ids)):
            raise Http404("未找到")
        selection = services.choose_from_pool(
            request.user, reserve, committee, data.pop("kind"), considered=considered, **data
        )
        return Response(PoolSelectionSerializer(selection).data, status=201)


class SelectionViewSet(ReadOnly):
    """后备库选任记录 (the decision trail)."""

    serializer_class = PoolSelectionSerializer
    filterset_fields = ["org", "reserve"]
    route_scope = RouteScope("list", model=PoolSelection)
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return (
            PoolSelection.objects.restrict(self.request.user)
            .select_related("reserve", "post", "post__org")
            .prefetch_related("considered")
            .order_by("-decided_on", "pk")
        )


class MentorshipViewSet(ReadOnly):
    """导师帮带 with activities and evaluations."""

    serializer_class = MentorshipSerializer
    filterset_class = MentorshipFilter
    route_scope = RouteScope("list", model=Mentorship)

    def get_queryset(self):
        return (
            Mentorship.objects.restrict(self.request.user)
            .select_related("reserve")
            .prefetch_related("activities", "evaluations")
            .order_by("org__path", "-started_on", "pk")
        )

    @extend_schema(request=MentorshipInSerializer, responses={201: MentorshipSerializer})
    def create(self, request):
        data = validated(MentorshipInSerializer, request.data)
        reserve = _scoped(ReserveCadre, request, data.pop("reserve"))
        post = _optional(Post, request, data.pop("mentor_post"))
        user_id = data.pop("mentor_user")
        mentor = None if user_id is None else User.objects.filter(pk=user_id).first()
        if user_id is not None and mentor is None:
            raise Http404("未找到")
        m = services.start_mentorship(request.user, reserve, mentor_post=post, mentor_user=mentor, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=m.pk)).data, status=201)

    @extend_schema(request=MentorActivityInSerializer, responses={201: MentorActivitySerializer})
    @action(detail=True, methods=["post"])
    def activities(self, request, pk=None):
        m = _scoped(Mentorship, request, pk)
        row = services.add_activity(request.user, m, **validated(MentorActivityInSerializer, request.data))
        return Response(MentorActivitySerializer(row).data, status=201)

    @extend_schema(request=MentorEvaluationInSerializer, responses={201: MentorEvaluationSerializer})
    @action(detail=True, methods=["post"])
    def evaluations(self, request, pk=None):
        m = _scoped(Mentorship, request, pk)
        row = services.evaluate(request.user, m, **validated(MentorEvaluationInSerializer, request.data))
        return Response(MentorEvaluationSerializer(row).data, status=201)


class CoachingViewSet(ReadOnly):
    """“一对一”辅导 with its sessions."""

    serializer_class = CoachingSerializer
    filterset_class = CoachingFilter
    route_scope = RouteScope("list", model=Coaching)

    def get_queryset(self):
        return (
            Coaching.objects.restrict(self.request.user)
            .prefetch_related("sessions")
            .order_by("-started_on", "pk")
        )

    @extend_schema(request=CoachingInSerializer, responses={201: CoachingSerializer})
    def create(self, request):
        data = validated(CoachingInSerializer, request.data)
        post = _scoped(Post, request, data.pop("post"))
        data["selection"] = _optional(PoolSelection, request, data.pop("selection"))
        coaching = services.start_coaching(request.user, post, **data)
        return Response(CoachingSerializer(coaching).data, status=201)

    @extend_schema(request=CoachingSessionInSerializer, responses={201: CoachingSessionSerializer})
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        coaching = _scoped(Coaching, request, pk)
        row = services.add_coaching_session(
            request.user, coaching, **validated(CoachingSessionInSerializer, request.data)
        )
        return Response(CoachingSessionSerializer(row).data, status=201)


class SchemeViewSet(ReadOnly):
    """村干部报酬标准 per county (base pay per post kind, 一肩挑 allowance, performance formula)."""

    serializer_class = PaySchemeSerializer
    route_scope = RouteScope("list", model=PayScheme)

    def get_queryset(self):
        return PayScheme.objects.restrict(self.request.user).select_related("county").order_by("county__path")

    @extend_schema(request=PaySchemeInSerializer, responses={201: PaySchemeSerializer})
    def create(self, request):
        data = validated(PaySchemeInSerializer, request.data)
        county = _scoped(Org, request, data.pop("county"))
        return Response(
            PaySchemeSerializer(services.set_pay_scheme(request.user, county, **data)).data, status=201
        )


class BatchViewSet(ReadOnly):
    """村干部报酬发放批次: generate a month, review the lines, approve, export for the one-card system."""

    serializer_class = PayBatchSerializer
    filterset_class = PayBatchFilter
    route_scope = RouteScope("list", model=PayBatch)

    def get_queryset(self):
        return selectors.batches(self.request.user).order_by("-month", "township__path")

    @extend_schema(request=PayBatchGenerateSerializer, responses={201: PayBatchSerializer})
    @action(detail=False, methods=["post"])
    def generate(self, request):
        data = validated(PayBatchGenerateSerializer, request.data)
        township = _scoped(Org, request, data["township"])
        return Response(
            PayBatchSerializer(services.generate_batch(request.user, township, data["month"])).data,
            status=201,
        )

    @extend_schema(request=None, responses=PayBatchSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        batch = _scoped(PayBatch, request, pk)
        return Response(PayBatchSerializer(services.approve_batch(request.user, batch)).data)

    @extend_schema(responses=PayLineSerializer(many=True))
    @action(detail=True, methods=["get"])
    def lines(self, request, pk=None):
        batch = _scoped(PayBatch, request, pk)
        rows = PayLine.objects.restrict(request.user).filter(batch=batch).select_related("org").order_by("pk")
        return Response(PayLineSerializer(rows, many=True).data)

    @extend_schema(
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
                description="一卡通发放表"
            )
        }
    )  # noqa: E501
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        batch = _scoped(PayBatch, request, pk)
        rows = services.bank_rows(request.user, batch)
        headers = ["序号", "姓名", "身份证号", "一卡通账号", "金额", "摘要"]
        return xlsx_response(f"一卡通发放表-{batch.pk}.xlsx", "一卡通发放表", headers, rows, title=str(batch))

    @extend_schema(request=AssessmentInSerializer, responses={201: OpenApiResponse(description="已登记")})
    @action(detail=False, methods=["post"])
    def assessments(self, request):
        """Enter a cadre's annual assessment result (the performance pay reads it)."""
        data = validated(AssessmentInSerializer, request.data)
        org = _scoped(Org, request, data.pop("org"))
        result = services.record_assessment(request.user, org, **data)
        return Response(
            {"id": result.pk, "name": result.name, "year": result.year, "grade": result.grade}, status=201
        )


def register(router) -> None:
    """Register this app's endpoints on the /api/v1/ router."""
    router.register("reserve-cadres", ReserveViewSet, basename="api-reserve-cadre")
    router.register("pool-selections", SelectionViewSet, basename="api-pool-selection")
    router.register("mentorships", MentorshipViewSet, basename="api-mentorship")
    router.register("coachings", CoachingViewSet, basename="api-coaching")
    router.register("pay-schemes", SchemeViewSet, basename="api-pay-scheme")
    router.register("pay-batches", BatchViewSet, basename="api-pay-batch")
