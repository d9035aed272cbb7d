"""The weak-branch early warning (预警): per village in the user's scope, the signals that point at a weak
and lax branch. Signals are a registry: a later module (assessment, collective income) adds one with
`@register_signal` here or in its own module, and the page, the export and the API show it.

Most signals read the findings of existing checks (dangjian.core.findings) rather than re-implementing
them; the rest are one aggregate query each. A finding on an org below a village (a party group) counts
for the village. The whole warning is a fixed number of queries for any scope."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from dangjian.core.dates import add_months
from dangjian.core.findings import CHECKS
from dangjian.core.rules import rule_values
from dangjian.members.records.common import Counties
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import PATH_SEGMENT, Org

from . import rules as R

VILLAGE_KINDS = (OrgKind.BRANCH, OrgKind.COMMUNITY)
SEGMENT = PATH_SEGMENT + 1


class Villages:
    """The villages the user may see, and the village an org (or a path) lies in."""

    def __init__(self, user: Any) -> None:
        rows = (
            Org.objects.restrict(user, "view")
            .filter(kind__in=VILLAGE_KINDS, archived_at__isnull=True)
            .values_list("pk", "name", "path")
        )
        self.by_path: dict[str, int] = {}
        self.info: dict[int, tuple[str, str]] = {}
        for pk, name, path in rows:
            self.by_path[path] = pk
            self.info[pk] = (name, path)
        self._paths: dict[int, str] = {}

    def of_path(self, path: str) -> int | None:
        for n in range(SEGMENT + 1, len(path) + 1, SEGMENT):
            hit = self.by_path.get(path[:n])
            if hit is not None:
                return hit
        return None

    def of_orgs(self, org_ids: set[int]) -> dict[int, int]:
        """org id → village id, one query for the orgs that are not villages themselves."""
        found = {pk: pk for pk in org_ids if pk in self.info}
        rest = org_ids - set(found)
        if rest:
            for pk, path in Org.objects.filter(pk__in=rest).values_list("pk", "path"):
                village = self.of_path(path)
                if village is not None:
                    found[pk] = village
        return found


Collect = Callable[[Any, datetime.date, Villages], dict[int, list[str]]]


@dataclass(frozen=True)
class Signal:
    code: str
    title: str
    rule: Any
    collect: Collect


SIGNALS: dict[str, Signal] = {}


def register_signal(code: str, title: str, rule: Any) -> Callable[[Collect], Collect]:
    def wrap(fn: Collect) -> Collect:
        SIGNALS[code] = Signal(code, title, rule, fn)
        return fn

    return wrap


def from_check(code: str, title: str, rule: Any, check: str) -> None:
    """A signal that is the findings of an existing check, mapped to villages."""

    def collect(user: Any, today: datetime.date, villages: Villages) -> dict[int, list[str]]:
        found = list(CHECKS[check].run(user, today)) if check in CHECKS else []
        where = villages.of_orgs({f.org_id for f in found})
        out: dict[int, list[str]] = defaultdict(list)
        for f in found:
            if f.org_id in where and f.severity != "due_soon":
                out[where[f.org_id]].append(f"{f.subject}：{f.message}")
        return out

    SIGNALS[code] = Signal(code, title, rule, collect)


from_check("secretary_vacant", "书记出缺", R.SECRETARY_VACANT, "villages.secretary_vacant")
from_check("meetings_unmet", "组织生活未开展", R.MEETINGS_UNMET, "meetings.unmet")
from_check("no_admission", "长期未发展党员", R.NO_ADMISSION, "development.no_admission")


@register_signal("low_satisfaction", "群众满意率低", R.LOW_SATISFACTION)
def low_satisfaction(user: Any, today: datetime.date, villages: Villages) -> dict[int, list[str]]:
    """Closed cases of the village in the last 12 months with a satisfaction call: (满意 + 基本满意) / all
    below the county's threshold (60%: exactly 60% is not a signal)."""
    from dangjian.cases.models import Case

    months = int(R.SATISFACTION_MONTHS.value)
    start = add_months(today, -months)
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    rows = (
        Case.objects.restrict(user)
        .filter(state="closed", closed_at__gte=since, satisfaction__isnull=False)
        .values("org__path")
        .annotate(total=Count("pk"), ok=Count("pk", filter=Q(satisfaction__gte=2)))
        .order_by()
    )
    per_village: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        village = villages.of_path(row["org__path"])
        if village is not None:
            per_village[village][0] += row["total"]
            per_village[village][1] += row["ok"]
    if not per_village:
        return {}
    counties = Counties()
    county_of = {v: counties.of(villages.info[v][1]) for v in per_village}
    limits = rule_values(R.LOW_SATISFACTION.code, set(county_of.values()))
    out = {}
    for village, (total, ok) in per_village.items():
        limit = float(limits[county_of[village]])
        if ok * 100 < limit * total:
            out[village] = [
                f"近{months}个月办结案件{total}件，满意和基本满意{ok}件，"
                f"满意率{ok * 100 / total:.1f}%，低于{limit:g}%"
            ]
    return out


def _screening_rows(user: Any, today: datetime.date, villages: Villages):
    """The rows of each county's latest screening of this year or last."""
    from .models import ScreeningRow

    base = ScreeningRow.objects.restrict(user).filter(screening__year__gte=today.year - 1)
    latest = dict(
        base.values("screening__county_id")
        .annotate(y=Max("screening__year"))
        .values_list("screening__county_id", "y")
    )
    q = Q(pk__in=[])
    for county_id, year in latest.items():
        q |= Q(screening__county_id=county_id, screening__year=year)
    return base.filter(q)


@register_signal("bottom_rank", "年度考核排名末位", R.BOTTOM_RANK)
def bottom_rank(user: Any, today: datetime.date, villages: Villages) -> dict[int, list[str]]:
    rows = _screening_rows(user, today, villages).filter(proposed=True)
    out = {}
    for org_id, year, rank, quota in rows.values_list(
        "org_id", "screening__year", "rank", "screening__quota_percent"
    ):
        if org_id in villages.info:
            out[org_id] = [f"{year}年度考核排名第{rank}名，在倒排{quota}%之内"]
    return out


@register_signal("no_income", "无集体经济收入", R.NO_INCOME)
def no_income(user: Any, today: datetime.date, villages: Villages) -> dict[int, list[str]]:
    rows = _screening_rows(user, today, villages).filter(collective_income=0)
    return {
        org_id: [f"{year}年度村集体经济收入为0"]
        for org_id, year in rows.values_list("org_id", "screening__year")
        if org_id in villages.info
    }


@dataclass
class WarningRow:
    org_id: int
    name: str
    township: str
    path: str
    signals: dict[str, list[str]] = field(default_factory=dict)
    case_id: int | None = None
    status: str = ""

    @property
    def count(self) -> int:
        return len(self.signals)

    @property
    def titles(self) -> str:
        return "、".join(SIGNALS[c].title for c in self.signals)


def early_warning(
    user: Any, today: datetime.date | None = None, codes: list[str] | None = None
) -> list[WarningRow]:
    """Villages in the user's scope with at least one signal, most signals first."""
    from .models import RectificationCase

    today = today or timezone.localdate()
    villages = Villages(user)
    if not villages.info:
        return []
    found: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for code, signal in SIGNALS.items():
        if codes and code not in codes:
            continue
        for village, messages in signal.collect(user, today, villages).items():
            found[village][code] = messages
    if not found:
        return []
    prefixes = {
        p[:n] for v in found for p in [villages.info[v][1]] for n in range(SEGMENT + 1, len(p), SEGMENT)
    }
    townships = dict(Org.objects.filter(kind=OrgKind.TOWNSHIP, path__in=prefixes).values_list("path", "name"))
    cases = {
        org_id: (pk, status)
        for org_id, pk, status in RectificationCase.objects.filter(
            org_id__in=found, year=today.year
        ).values_list("org_id", "pk", "status")
    }
    rows = []
    for village, signals in found.items():
        name, path = villages.info[village]
        township = next(
            (townships[path[:n]] for n in range(SEGMENT + 1, len(path), SEGMENT) if path[:n] in townships), ""
        )
        pk, status = cases.get(village, (None, ""))
        rows.append(WarningRow(village, name, township, path, signals, pk, status))
    rows.sort(key=lambda r: (-r.count, r.path))
    return rows
