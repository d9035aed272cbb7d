"""Findings of the stations app (registered with dangjian.core.findings): staffing outside the
rule, a branch not inspected in the last closed half-month, a week without a service half-day, and
too few research rounds in a year. Each check is one or two queries through the scope layer."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from dangjian.core.findings import Finding, register_check
from dangjian.members.records.common import cite
from dangjian.orgs.models import Org

from . import rules as R
from . import selectors as S
from .models import ResearchRound, ServiceHalfDay, StationInspection

AREA = "党建工作站"
ALWAYS, NEVER = Q(pk__isnull=False), Q(pk__isnull=True)


def _count(qs) -> Coalesce:
    sub = qs.order_by().values("org").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def _station_url(org_id: int) -> str:
    return reverse("station-detail", args=[org_id])


@register_check("stations.staffing", "工作站人员配备不符合规定", AREA)
def staffing(user: Any, today: datetime.date) -> list[Finding]:
    rules = S.StaffRules(today)
    rows = S.with_staff_counts(S.stations(user), today).filter(rules.off_q()).select_related("parent")
    found = []
    for st in rows:
        rule = rules.for_path(st.path)
        gaps = rule.gaps(st.n_chiefs, st.n_deputies, st.n_workers)
        code = (
            R.CHIEFS
            if st.n_chiefs != rule.chiefs
            else R.DEPUTIES_MIN
            if st.n_deputies < rule.deputies[0]
            else R.DEPUTIES_MAX
            if st.n_deputies > rule.deputies[1]
            else R.WORKERS_MIN
            if st.n_workers < rule.workers[0]
            else R.WORKERS_MAX
        )
        found.append(
            Finding(
                rule=code.code,
                org_id=st.pk,
                org_name=st.name,
                subject=st.name,
                message=f"人员配备不符合规定：现有{'、'.join(gaps)}；应设{rule.text()}{cite(code)}。",
                severity="overdue",
                url=_station_url(st.pk),
            )
        )
    return found


@register_check("stations.inspection_missed", "工作站半月内未督查所辖村", AREA)
def inspection_missed(user: Any, today: datetime.date) -> list[Finding]:
    period = S.last_closed_half_month(today)
    rule = S.county_rules([R.INSPECTIONS_PER_HALF_MONTH.code], today)[R.INSPECTIONS_PER_HALF_MONTH.code]
    done = StationInspection.objects.filter(period.q("inspected_on"), branch=OuterRef("pk"))
    done = done.order_by().values("branch").annotate(n=Count("pk")).values("n")
    rows = (
        Org.objects.filter(
            kind__in=S.BRANCH_KINDS,
            archived_at__isnull=True,
            parent__in=S.stations(user, "view", StationInspection),
        )
        .annotate(n=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)))
        .filter(rule.q("path", lambda v: Q(n__lt=v)))
        .select_related("parent")
        .order_by("path")
    )
    return [
        Finding(
            rule=R.INSPECTIONS_PER_HALF_MONTH.code,
            org_id=b.parent_id,
            org_name=b.parent.name,
            subject=b.name,
            message=f"{period.label}“{b.parent.name}”对“{b.name}”督查讲评{b.n}次，"
            f"应至少{rule.for_path(b.path)}次{cite(R.INSPECTIONS_PER_HALF_MONTH)}。",
            severity="overdue",
            due_on=period.end,
            url=_station_url(b.parent_id),
        )
        for b in rows
    ]


@register_check("stations.service_half_day_missed", "工作站上周未开展集中便民服务", AREA)
def service_half_day_missed(user: Any, today: datetime.date) -> list[Finding]:
    week = S.last_complete_week(today)
    rule = S.county_rules([R.HALF_DAYS_PER_WEEK.code], today)[R.HALF_DAYS_PER_WEEK.code]
    held = ServiceHalfDay.objects.filter(week.q("held_on"), org=OuterRef("pk"))
    rows = (
        S.stations(user, "view", ServiceHalfDay)
        .annotate(n=_count(held))
        .filter(rule.q("path", lambda v: Q(n__lt=v)))
    )
    return [
        Finding(
            rule=R.HALF_DAYS_PER_WEEK.code,
            org_id=st.pk,
            org_name=st.name,
            subject=st.name,
            message=f"{week.label}集中便民服务{st.n}个半天，应至少{rule.for_path(st.path)}个"
            f"{cite(R.HALF_DAYS_PER_WEEK)}。",
            severity="overdue",
            due_on=week.end,
            url=_station_url(st.pk),
        )
        for st in rows
    ]


@register_check("stations.research_short", "工作站年度集中调研不足", AREA)
def research_short(user: Any, today: datetime.date) -> list[Finding]:
    """Overdue for the last closed year (stations that existed then); due soon from the warning month
    of the current year while a station still has too few rounds."""
    codes = [R.RESEARCH_ROUNDS_PER_YEAR.code, R.RESEARCH_WARN_MONTH.code]
    rules = S.county_rules(codes, today)
    need, warn = rules[codes[0]], rules[codes[1]]
    visible = S.stations(user, "view", ResearchRound)
    found = []
    for year, severity, extra in (
        (today.year - 1, "overdue", Q(created_at__date__lte=datetime.date(today.year - 1, 12, 31))),
        (today.year, "due_soon", warn.q("path", lambda m: ALWAYS if today.month >= m else NEVER)),
    ):
        period = S.year_of(year)
        held = ResearchRound.objects.filter(period.q("ended_on"), org=OuterRef("pk"))
        rows = visible.filter(extra).annotate(n=_count(held)).filter(need.q("path", lambda v: Q(n__lt=v)))
        for st in rows:
            wanted = need.for_path(st.path)
            state = "全年" if severity == "overdue" else "截至目前"
            found.append(
                Finding(
                    rule=R.RESEARCH_ROUNDS_PER_YEAR.code,
                    org_id=st.pk,
                    org_name=st.name,
                    subject=st.name,
                    message=f"{year}年{state}组织集中调研{st.n}次，应不少于{wanted}次"
                    f"{cite(R.RESEARCH_ROUNDS_PER_YEAR)}。",
                    severity=severity,
                    due_on=period.end,
                    url=f"{reverse('research-list')}?station={st.pk}&year={year}",
                )
            )
    return found
