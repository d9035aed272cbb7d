"""Pages of the scoring app: rankings with the change from last month, an org's score drill-down (the
records behind every indicator), the indicator sets and their actions (compute, manual score, roll-up
method, annual result, scorecard, model stations, honours, export to pay), the published scorecards with
read-sign, and the honours list. Views are thin: every write is a service."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_GET

from dangjian.core.errors import DomainError
from dangjian.core.excel import xlsx_response
from dangjian.core.routes import scoped
from dangjian.core.scope import can, get_scoped_or_404, scope_prefixes
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.orgs.models import Org

from . import forms as F
from . import selectors, services
from .choices import LEVEL_KINDS, Level
from .filtersets import AwardFilter, IndicatorFilter, ResultFilter, ScorecardFilter, ScoreFilter
from .models import COUNTY, Award, Indicator, IndicatorSet, Result, Score, Scorecard, ScorecardRead
from .tables import AwardTable, IndicatorTable, ResultTable, ScorecardTable, ScoreTable, change_text

PERIOD = re.compile(r"^\d{4}(-\d{2})?$")


def _form_error(form, exc: DomainError) -> None:
    for err in getattr(exc, "errors", None) or [exc]:
        form.add_error(err.field if err.field in form.fields else None, err.message)


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


# --- lists ----------------------------------------------------------------------------------------------


class ResultListView(ScopedListView):
    model = Result
    table_class = ResultTable
    filterset_class = ResultFilter
    template_name = "scoring/list.html"
    title = "考核排名"
    export_name = "考核排名"

    def base_queryset(self):
        return Result.objects.select_related("org", "group")


class ScoreListView(ScopedListView):
    model = Score
    table_class = ScoreTable
    filterset_class = ScoreFilter
    template_name = "scoring/list.html"
    title = "指标得分"

    def base_queryset(self):
        return Score.objects.select_related("org", "indicator")


class IndicatorListView(ScopedListView):
    model = Indicator
    table_class = IndicatorTable
    filterset_class = IndicatorFilter
    template_name = "scoring/list.html"
    title = "考核指标"

    def base_queryset(self):
        return Indicator.objects.select_related("indicator_set")


class AwardListView(ScopedListView):
    model = Award
    table_class = AwardTable
    filterset_class = AwardFilter
    template_name = "scoring/list.html"
    title = "奖惩与评优"

    def base_queryset(self):
        return Award.objects.select_related("org")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_award"] = bool(scope_prefixes(self.request.user, COUNTY))
        return ctx


class ScorecardListView(ScopedListView):
    model = Scorecard
    table_class = ScorecardTable
    filterset_class = ScorecardFilter
    template_name = "scoring/list.html"
    title = "晾晒成绩单"

    def get_queryset(self):
        return selectors.scorecards(self.request.user)


class SetListView(ScopedListView):
    model = IndicatorSet
    template_name = "scoring/sets.html"
    title = "考核指标体系"
    filterset_fields = ["year"]

    def get_table_class(self):
        from django_tables2 import tables

        return tables.table_factory(IndicatorSet, fields=["title", "year", "total", "rollup"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = bool(scope_prefixes(self.request.user, COUNTY))
        return ctx


# --- the drill-down --------------------------------------------------------------------------------------


@scoped("object", Org)
@login_required
@require_GET
def org_scores(request, pk: int):
    """The stable drill-down of an org's score for a period: /scoring/org/<id>/?period=2026-11."""
    org = get_scoped_or_404(Org, request.user, "view", pk=pk)
    period = request.GET.get("period", "")
    if not PERIOD.match(period):
        period = selectors.latest_period(selectors.county_of(org))
    d = selectors.drilldown(request.user, org, period)
    return render(
        request,
        "scoring/org.html",
        {
            "title": f"{org.name} {period} 考核得分",
            "d": d,
            "change": change_text(d.result.change) if d.result else "",
        },
    )


# --- indicator sets --------------------------------------------------------------------------------------


def _counties(user):
    return Org.objects.restrict(user, "view").filter(kind="county", pk__in=_admin_counties(user))


def _admin_counties(user):
    if user.is_superuser:
        return Org.objects.filter(kind="county").values("pk")
    prefixes = scope_prefixes(user, COUNTY)
    from dangjian.core.scope import path_q

    return Org.objects.filter(path_q("path", prefixes), kind="county").values("pk") if prefixes else []


def _template_rows(county: Org, year: int) -> list[dict]:
    previous = IndicatorSet.objects.filter(county=county, year__lt=year).order_by("-year").first()
    if previous is not None:
        return [
            {
                f: getattr(i, f)
                for f in ("code", "name", "level", "cadence", "weight", "target", "computation", "formula")
            }
            for i in previous.indicators.all()
        ]
    from .demo import standard_indicators

    return standard_indicators()


@scoped("list", IndicatorSet)
@login_required
def new_set(request):
    counties = _counties(request.user)
    if not counties.exists():
        raise PermissionDenied("只有县委组织部可以建立考核指标体系。")
    form = F.SetForm(request.POST or None, counties=counties, initial={"year": timezone.localdate().year})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                s = services.create_set(
                    request.user,
                    d["county"],
                    year=d["year"],
                    rollup=d["rollup"],
                    indicators=_template_rows(d["county"], d["year"]),
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "考核指标体系已建立，可调整指标和权重。")
                return redirect("scoring-set-indicators", pk=s.pk)
        status = 400
    return render(request, "scoring/form.html", {"title": "建立考核指标体系", "form": form}, status=status)


class SetView(ScopedObjectMixin, View):
    model = IndicatorSet

    def get(self, request, pk):
        s = self.object
        if request.GET.get("export") == "xlsx":
            rows = [
                [
                    i.code,
                    i.name,
                    i.get_level_display(),
                    i.get_cadence_display(),
                    i.weight,
                    i.target,
                    i.get_method_display(),
                    i.computation,
                    i.formula,
                ]
                for i in s.indicators.all()
            ]
            headers = [
                "编码",
                "指标",
                "考核对象",
                "周期",
                "权重",
                "目标值（%）",
                "评分方式",
                "计算函数",
                "计分公式",
            ]
            return xlsx_response(f"{s.title}-{_stamp()}.xlsx", "考核指标", headers, rows, title=s.title)
        user = request.user
        can_change = can(user, "change", s)
        can_score = services.manual_choices(user, s)[0].exists()
        return render(
            request,
            "scoring/set.html",
            {
                "title": s.title,
                "s": s,
                "indicators": list(s.indicators.all()),
                "periods": list(s.periods.all()),
                "scorecards": list(s.scorecards.all()),
                "can_change": can_change,
                "can_score": can_score,
                "period_form": F.PeriodForm(initial={"period": selectors.latest_period(s.county_id)}),
                "rollup_form": F.RollupForm(initial={"rollup": s.rollup}),
                "publish_form": F.PublishForm(initial={"period": selectors.latest_period(s.county_id)}),
            },
        )


class SetAction(ScopedObjectMixin, View):
    """A POST on an indicator set (compute a period, change the roll-up, close the year, publish the
    scorecard, export grades to pay): the service's refusal is shown on the set's page with a 400."""

    model = IndicatorSet
    action = "change"
    step = ""

    def get(self, request, pk):
        return redirect("scoring-set", pk=pk)

    def post(self, request, pk):
        s, data = self.object, request.POST
        try:
            if self.step == "compute":
                ap = services.compute(request.user, s, data.get("period"))
                messages.success(request, f"{ap.period}得分已计算，排名已更新。")
            elif self.step == "rollup":
                services.set_rollup(request.user, s, data.get("rollup", ""))
                messages.success(request, "汇总方法已修改，各期结果已重算。")
            elif self.step == "close":
                services.close_year(request.user, s)
                messages.success(request, f"{s.year}年度考核结果已确定。")
            elif self.step == "publish":
                card = services.publish_scorecard(
                    request.user, s, period=data.get("period"), comment=data.get("comment", "")
                )
                return redirect(card)
            elif self.step == "export-cadres":
                sent = services.export_to_cadres(request.user, s)
                messages.success(request, f"已向村干部报酬推送{sent}名书记的年度考核等次。")
        except DomainError as exc:
            return render(
                request,
                "core/error.html",
                {"title": "操作未完成", "message": exc.message, "back": s.get_absolute_url()},
                status=400,
            )
        return redirect(s)


class IndicatorsView(ScopedObjectMixin, View):
    """Edit the set's indicators as a whole: weights are checked together against the total."""

    model = IndicatorSet
    action = "change"

    def rows(self):
        return [
            {
                f: getattr(i, f)
                for f in ("code", "name", "level", "cadence", "weight", "target", "computation", "formula")
            }
            for i in self.object.indicators.all()
        ]

    def page(self, request, formset, status=200, error=""):
        return render(
            request,
            "scoring/indicators.html",
            {
                "title": f"{self.object.title}：指标和权重",
                "s": self.object,
                "formset": formset,
                "error": error,
            },
            status=status,
        )

    def get(self, request, pk):
        return self.page(request, F.IndicatorFormSet(initial=self.rows()))

    def post(self, request, pk):
        formset = F.IndicatorFormSet(request.POST)
        if not formset.is_valid():
            return self.page(request, formset, 400, "请检查填写的内容。")
        rows = [
            f.cleaned_data
            for f in formset.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and (f.cleaned_data.get("code") or f.cleaned_data.get("name"))
        ]
        try:
            services.replace_indicators(request.user, self.object, rows)
        except DomainError as exc:
            return self.page(request, formset, 400, exc.message)
        messages.success(request, "指标和权重已保存。")
        return redirect(self.object)


class ManualScoreView(ScopedObjectMixin, View):
    model = IndicatorSet

    def form(self, data=None):
        s = self.object
        indicators, orgs = services.manual_choices(self.request.user, s)
        return F.ManualScoreForm(
            data,
            indicators=indicators,
            orgs=orgs.order_by("path"),
            initial={"period": selectors.latest_period(s.county_id)},
        )

    def page(self, request, form, status=200):
        s = self.object
        return render(
            request,
            "scoring/form.html",
            {"title": f"{s.title}：人工评分", "form": form, "back": s.get_absolute_url()},
            status=status,
        )

    def get(self, request, pk):
        return self.page(request, self.form())

    def post(self, request, pk):
        form = self.form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                score = services.enter_score(
                    request.user,
                    d["indicator"],
                    d["org"],
                    period=d["period"],
                    value=d["value"],
                    evidence=d["evidence"],
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "评分已登记，排名已更新。")
                return redirect(f"{_org_url(score.org_id)}?period={score.period}")
        return self.page(request, form, 400)


def _org_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("scoring-org", args=[pk])


class HonoursView(ScopedObjectMixin, View):
    """Annual recommendations drawn from results, the model stations chosen, and their export."""

    model = IndicatorSet

    def stations(self):
        s = self.object
        return Org.objects.filter(
            path__startswith=s.county.path, kind__in=LEVEL_KINDS[Level.STATION]
        ).order_by("path")

    def page(self, request, form, status=200):
        s = self.object
        recs = selectors.honours(s)
        if request.GET.get("export") == "xlsx":
            rows = [
                [r.label, r.result.org.name, r.result.group.name, r.result.score, r.result.rank] for r in recs
            ]
            return xlsx_response(
                f"{s.year}年评优推荐-{_stamp()}.xlsx",
                "评优推荐",
                ["推荐类别", "单位", "排名范围", "年度得分", "排名"],
                rows,
            )
        awards = selectors.awards(request.user).filter(county=s.county, year=s.year)
        return render(
            request,
            "scoring/honours.html",
            {
                "title": f"{s.year}年评先评优",
                "s": s,
                "recs": recs,
                "awards": awards,
                "form": form,
                "can_change": can(request.user, "change", s),
            },
            status=status,
        )

    def get(self, request, pk):
        return self.page(request, F.ModelStationsForm(stations=self.stations()))

    def post(self, request, pk):
        if not can(request.user, "change", self.object):
            raise PermissionDenied("您的角色无权执行此操作。")
        form = F.ModelStationsForm(request.POST, stations=self.stations())
        if form.is_valid():
            try:
                services.choose_model_stations(request.user, self.object, list(form.cleaned_data["stations"]))
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "示范站已表彰，奖励已登记。")
                return redirect("scoring-honours", pk=pk)
        return self.page(request, form, 400)


# --- scorecards -----------------------------------------------------------------------------------------


class ScorecardView(ScopedObjectMixin, View):
    model = Scorecard

    def get(self, request, pk):
        card = self.object
        rows = list(
            Result.objects.restrict(request.user)
            .filter(indicator_set_id=card.indicator_set_id, period=card.period)
            .select_related("org", "group")
            .order_by("level", "group__path", "rank")
        )
        if request.GET.get("export") == "xlsx":
            data = [
                [
                    r.get_level_display(),
                    r.group.name,
                    r.rank,
                    r.org.name,
                    r.score,
                    change_text(r.change),
                    r.note,
                ]
                for r in rows
            ]
            headers = ["层级", "排名范围", "排名", "单位", "综合得分", "较上月", "情况说明"]
            return xlsx_response(f"{card.title}-{_stamp()}.xlsx", "成绩单", headers, data, title=card.title)
        reads = list(ScorecardRead.objects.filter(scorecard=card).select_related("user").order_by("read_at"))
        return render(
            request,
            "scoring/scorecard.html",
            {
                "title": card.title,
                "card": card,
                "rows": rows,
                "reads": reads,
                "has_read": any(r.user_id == request.user.pk for r in reads),
            },
        )


class ScorecardReadView(ScopedObjectMixin, View):
    model = Scorecard

    def get(self, request, pk):
        return redirect(self.object)

    def post(self, request, pk):
        services.sign_read(request.user, self.object)
        messages.success(request, "已签收阅知。")
        return redirect(self.object)


# --- awards ---------------------------------------------------------------------------------------------


@scoped("list", Award)
@login_required
def new_award(request):
    prefixes = scope_prefixes(request.user, COUNTY)
    if not prefixes and not request.user.is_superuser:
        raise PermissionDenied("只有县委组织部可以登记奖惩。")
    orgs = (
        Org.objects.restrict(request.user, "view")
        .filter(
            kind__in=("township", "station", "joint_branch", "branch", "community"), archived_at__isnull=True
        )
        .order_by("path")
    )
    if not request.user.is_superuser:
        from dangjian.core.scope import path_q

        orgs = orgs.filter(path_q("path", prefixes))
    form = F.AwardForm(request.POST or None, orgs=orgs, initial={"year": timezone.localdate().year})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.record_award(
                    request.user,
                    d["org"],
                    year=d["year"],
                    kind=d["kind"],
                    nature=d["nature"],
                    amount=d["amount"] or 0,
                    person_name=d["person_name"],
                    reason=d["reason"],
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "奖惩已登记。")
                return redirect("scoring-awards")
        status = 400
    return render(request, "scoring/form.html", {"title": "登记奖惩", "form": form}, status=status)
