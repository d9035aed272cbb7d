"""Scoped reads of the scoring app: rankings, an org's drill-down and the honours drawn from results.
Each is a fixed handful of queries whatever the number of orgs."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from dangjian.core.rules import rule_value
from dangjian.orgs.models import Org

from . import rules as R
from .choices import RANKED, AwardKind, Level
from .models import Award, Indicator, IndicatorSet, Result, Score, Scorecard


def sets(user: Any) -> QuerySet[IndicatorSet]:
    return IndicatorSet.objects.restrict(user).select_related("county")


def results(user: Any) -> QuerySet[Result]:
    return Result.objects.restrict(user).select_related("org", "group")


def scores(user: Any) -> QuerySet[Score]:
    return Score.objects.restrict(user).select_related("org", "indicator")


def indicators(user: Any) -> QuerySet[Indicator]:
    return Indicator.objects.restrict(user).select_related("indicator_set")


def awards(user: Any) -> QuerySet[Award]:
    return Award.objects.restrict(user).select_related("org")


def scorecards(user: Any) -> QuerySet[Scorecard]:
    return Scorecard.objects.restrict(user).annotate(reads_n=Count("reads")).order_by("-period", "county_id")


def county_of(org: Org) -> int | None:
    """The id of the county `org` lies in (from its path; the county may be the org itself)."""
    ids = [*org.ancestor_ids(), org.pk]
    return Org.objects.filter(pk__in=ids, kind="county").values_list("pk", flat=True).first()


def latest_period(county_id: int | None, today: datetime.date | None = None) -> str:
    """The latest month with results in the county (this month's if computed), else last month."""
    today = today or timezone.localdate()
    key = (
        Result.objects.filter(county_id=county_id, period__contains="-", period__lte=f"{today:%Y-%m}")
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if key:
        return key
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return f"{first:%Y-%m}"


def ranking(user: Any, org: Org, period: str) -> list[Result]:
    """The ranked children of `org` for the period: a county's townships, a township's stations (or its
    branches where it has no stations), a station's branches."""
    level = child_level(org)
    if level is None:
        return []
    qs = results(user).filter(period=period, level=level, org__path__startswith=org.path).exclude(org=org)
    return sorted(qs, key=lambda r: (-r.score, r.org.path))


def child_level(org: Org) -> str | None:
    if org.kind in ("province", "city", "county"):
        return Level.TOWNSHIP
    if org.kind == "township":
        return Level.STATION
    if org.kind in ("station", "joint_branch"):
        return Level.BRANCH
    return None


@dataclass
class Finding:
    indicator: str
    org_name: str
    text: str
    url: str


@dataclass
class Drilldown:
    org: Org
    period: str
    indicator_set: IndicatorSet | None
    result: Result | None
    own: list[Score]
    children: list[Result]
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    shortfall: dict[str, int] = field(default_factory=dict)
    periods: list[str] = field(default_factory=list)


FINDINGS_LIMIT = 200


def drilldown(user: Any, org: Org, period: str) -> Drilldown:
    """What makes an org's score: its result and rank, its own indicators (formula, value, note and the
    records behind each), its children ranked, and every record below it that cost points."""
    county_id = county_of(org)
    year = int(period[:4])
    s = IndicatorSet.objects.restrict(user).filter(county_id=county_id, year=year).first()
    result = results(user).filter(org=org, period=period).first()
    own = list(scores(user).filter(org=org, period=period).order_by("indicator__sort_order"))
    children = ranking(user, org, period)
    below = (
        scores(user)
        .filter(org__path__startswith=org.path, period=period)
        .exclude(details=[])
        .order_by("indicator__sort_order", "org__path")
        .values_list("indicator__name", "org__name", "details")
    )
    found: dict[str, list[Finding]] = defaultdict(list)
    shortfall: dict[str, int] = defaultdict(int)
    for name, org_name, details in below:
        for d in details:
            shortfall[name] += 1
            if len(found[name]) < FINDINGS_LIMIT:
                found[name].append(Finding(name, org_name, d.get("text", ""), d.get("url", "")))
    periods = list(
        Result.objects.filter(org=org).order_by("-period").values_list("period", flat=True).distinct()[:24]
    )
    return Drilldown(org, period, s, result, own, children, dict(found), dict(shortfall), periods)


@dataclass
class Recommendation:
    kind: str
    label: str
    result: Result


def honours(indicator_set: IndicatorSet) -> list[Recommendation]:
    """Annual recommendations drawn from the year's results: the top share of each level (branches →
    两优一先 先进基层党组织, stations → 示范站 candidates, townships → 优秀等次)."""
    share = Decimal(str(rule_value(R.HONOUR_SHARE.code, indicator_set.county))) / 100
    rows = list(
        Result.objects.filter(indicator_set=indicator_set, period=str(indicator_set.year))
        .select_related("org", "group")
        .order_by("level", "-score", "org__path")
    )
    by_level: dict[str, list[Result]] = defaultdict(list)
    for r in rows:
        by_level[r.level].append(r)
    kinds = {
        Level.BRANCH: (AwardKind.TWO_EXCELLENT, "两优一先：先进基层党组织"),
        Level.STATION: (AwardKind.MODEL_STATION, "党建示范站候选"),
        Level.TOWNSHIP: (AwardKind.EXCELLENT_GRADE, "年度考核优秀等次"),
    }
    out = []
    for level in RANKED:
        ranked = by_level.get(level, [])
        take = max(1, int(len(ranked) * share)) if ranked else 0
        if level == Level.STATION:
            take = max(take, int(rule_value(R.MODEL_STATIONS.code, indicator_set.county)))
        kind, label = kinds[level]
        out.extend(Recommendation(kind, label, r) for r in ranked[:take])
    return out
