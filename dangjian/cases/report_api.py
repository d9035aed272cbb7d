"""Read-only REST endpoints of the reports: the monthly ledger (`case-reports`) and the department answer
and solution rates (`case-department-rates`), the same figures as the pages, from cases/stats.py."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope

from . import report_views, stats
from .models import Case


class OneObjectSchema(AutoSchema):
    """The answer is one object (the report), although the route is a router "list"."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class LedgerQuerySerializer(serializers.Serializer):
    org = serializers.IntegerField(required=False, help_text="县、乡镇或工作站的组织ID；不填为用户的最高一级")
    month = serializers.CharField(required=False, help_text="月份，如2026-10；不填为上月")


class LedgerCountsSerializer(serializers.Serializer):
    carried = serializers.IntegerField(help_text="上月结转：本月以前立项、月初尚未销号")
    opened = serializers.IntegerField(help_text="本月新增")
    closed = serializers.IntegerField(help_text="本月销号")
    closed_on_time = serializers.IntegerField(help_text="其中按期（报告办结日期不晚于办结时限）")
    closed_late = serializers.IntegerField(help_text="其中逾期")
    open_at_end = serializers.IntegerField(help_text="月末未销号")
    overdue_at_end = serializers.IntegerField(help_text="月末逾期：时限已过仍未报告办结")
    reopened = serializers.IntegerField(help_text="本月重新打开次数")
    escalated = serializers.IntegerField(help_text="本月上报升级次数")
    supervised = serializers.IntegerField(help_text="本月督办次数")
    published = serializers.IntegerField(help_text="本月公开")


class LedgerRowSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    category_id = serializers.IntegerField(allow_null=True)
    category = serializers.CharField()
    subtotal = serializers.BooleanField(help_text="该类型的小计行")
    counts = LedgerCountsSerializer()


class LedgerTownshipSerializer(serializers.Serializer):
    org_id = serializers.IntegerField(allow_null=True, help_text="乡镇ID；空为县本级")
    name = serializers.CharField()
    counts = LedgerCountsSerializer()


class LedgerOverdueSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    receipt_no = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    category = serializers.CharField(source="category.name", default="")
    org = serializers.CharField(source="org.name")
    owner = serializers.CharField(source="owner.display_name", default="")
    opened_on = serializers.DateField()
    deadline = serializers.DateField()
    state = serializers.CharField()
    state_label = serializers.CharField()


class LedgerOrgSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    kind = serializers.CharField()


class LedgerMonthSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    cutoff_day = serializers.DateField(help_text="“月末”各项的截止日：月末次日，本月未结束时为今天")
    running = serializers.BooleanField(help_text="本月尚未结束")


class LedgerSerializer(serializers.Serializer):
    org = LedgerOrgSerializer()
    month = LedgerMonthSerializer()
    rows = LedgerRowSerializer(many=True)
    total = LedgerCountsSerializer()
    org_rows = LedgerTownshipSerializer(many=True, help_text="县：各乡镇一行")
    overdue = LedgerOverdueSerializer(many=True, help_text=f"月末逾期案件（最多{stats.OVERDUE_LIMIT}件）")


class CaseReportViewSet(viewsets.GenericViewSet):
    """The monthly ledger of a county, township or station (?org=&month=). Outside scope the org is 404."""

    route_scope = RouteScope("list", model=Case)
    serializer_class = LedgerSerializer
    pagination_class = None
    schema = OneObjectSchema()
    filter_backends: list = []

    @extend_schema(parameters=[LedgerQuerySerializer], responses=LedgerSerializer)
    def list(self, request):
        today = timezone.localdate()
        org = report_views.pick_org(request.user, request.query_params.get("org"))
        if org is None:
            raise DomainError("您的管辖范围内没有县、乡镇或工作站，无法生成月度台账。", "org")
        month = stats.parse_month(request.query_params.get("month"), today)
        return Response(LedgerSerializer(stats.monthly_ledger(request.user, org, month, today=today)).data)


class DepartmentRateQuerySerializer(serializers.Serializer):
    county = serializers.IntegerField(required=False, help_text="县的组织ID；不填为用户所在的县")
    start = serializers.DateField(required=False, help_text="吹哨日期自（含），不填为上月第一天")
    end = serializers.DateField(required=False, help_text="吹哨日期至（含），不填为上月最后一天")


class DepartmentRateSerializer(serializers.Serializer):
    department_id = serializers.IntegerField(allow_null=True, help_text="部门ID；空为合计")
    name = serializers.CharField()
    routed = serializers.IntegerField(help_text="派单")
    answered = serializers.IntegerField(help_text="已报到")
    answered_on_time = serializers.IntegerField(help_text="在响应时限内报到")
    answer_due = serializers.IntegerField(help_text="应按时报到：已报到的和超过响应时限仍未报到的")
    answer_rate = serializers.FloatField(allow_null=True, help_text="按时报到率（%）")
    declined = serializers.IntegerField(help_text="退回")
    pending = serializers.IntegerField(help_text="待报到")
    solved = serializers.IntegerField(help_text="已报告办结")
    solved_on_time = serializers.IntegerField(help_text="在办结时限内报告办结")
    solve_due = serializers.IntegerField(help_text="应办结：已报到且已办结或已过办结时限的")
    solve_rate = serializers.FloatField(allow_null=True, help_text="按期办结率（%）")


class DepartmentRatesSerializer(serializers.Serializer):
    county = LedgerOrgSerializer()
    start = serializers.DateField()
    end = serializers.DateField()
    rows = DepartmentRateSerializer(many=True)
    total = DepartmentRateSerializer()


class DepartmentRateViewSet(viewsets.GenericViewSet):
    """Department answer and solution rates of a county over whistles raised in a period
    (?county=&start=&end=). A department liaison sees only their own department."""

    route_scope = RouteScope("list", model=Case)
    serializer_class = DepartmentRatesSerializer
    pagination_class = None
    schema = OneObjectSchema()
    filter_backends: list = []

    @extend_schema(parameters=[DepartmentRateQuerySerializer], responses=DepartmentRatesSerializer)
    def list(self, request):
        today = timezone.localdate()
        county = report_views.pick_county(request.user, request.query_params.get("county"))
        if county is None:
            raise DomainError("您的管辖范围内没有县，无法统计部门报到率。", "county")
        start, end = report_views.period_of(request.query_params, today)
        rates = stats.department_rates(request.user, county, start, end, today=today)
        return Response(DepartmentRatesSerializer(rates).data)


def register(router) -> None:
    """Add the report viewsets to the /api/v1/ router."""
    router.register("case-reports", CaseReportViewSet, basename="api-case-report")
    router.register("case-department-rates", DepartmentRateViewSet, basename="api-case-department-rate")
