"""Findings of the case engine (registered with dangjian.core.findings): cases past their deadline or
about to be, whistles no one has answered in time, and problems not supervised for more than the
county's supervision interval. Each check is one query through the scope layer."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q

from dangjian.core.findings import Finding, pk_url, register_check
from dangjian.core.rules import rule_values
from dangjian.members.records.common import cite

from . import rules as R
from .choices import CaseKind
from .kinds import KINDS
from .selectors import answer_late_q, due_soon_q, overdue_q, running_q

AREA = "问题台账、代办与吹哨"
FIELDS = (
    "pk",
    "kind",
    "state",
    "title",
    "receipt_no",
    "org_id",
    "org__name",
    "deadline",
    "answer_due",
    "opened_on",
    "last_supervised_on",
    "county_id",
)
DEADLINE_RULE = {
    CaseKind.PROBLEM: R.PROBLEM_DEADLINE_DAYS,
    CaseKind.ERRAND: R.ERRAND_PROMISE,
    CaseKind.WHISTLE: R.WHISTLE_SOLVE_DAYS,
    CaseKind.RECTIFICATION: R.PROBLEM_DEADLINE_DAYS,
}


def _rows(user: Any, q: Q):
    from .models import Case

    return Case.objects.restrict(user).filter(q).order_by("deadline", "pk").values(*FIELDS)


def _finding(row: dict, rule, message: str, severity: str, due: datetime.date | None) -> Finding:
    return Finding(
        rule=rule.code,
        org_id=row["org_id"],
        org_name=row["org__name"],
        subject=f"{KINDS[row['kind']].label} {row['receipt_no']} {row['title']}",
        message=message,
        severity=severity,
        due_on=due,
        url=pk_url("case-detail", row["pk"]),
    )


@register_check("cases.overdue", "案件逾期未办结", AREA)
def overdue(user: Any, today: datetime.date) -> list[Finding]:
    found = []
    for row in _rows(user, overdue_q(today)):
        rule = DEADLINE_RULE[row["kind"]]
        late = (today - row["deadline"]).days
        state = KINDS[row["kind"]].states[row["state"]]
        found.append(
            _finding(
                row,
                rule,
                f"已逾期{late}天（时限{row['deadline']:%Y-%m-%d}，当前“{state}”）{cite(rule)}。",
                "overdue",
                row["deadline"],
            )
        )
    return found


def per_county(base, rule, build) -> tuple[Q, dict]:
    """OR of `build(county_id, value)` over the counties of `base`, each with its own rule value."""
    counties = list(base.order_by().values_list("county_id", flat=True).distinct())
    values = rule_values(rule.code, counties)
    q = Q(pk__in=[])
    for county_id in counties:
        q |= Q(county_id=county_id) & build(int(values[county_id]))
    return q, values


@register_check("cases.due_soon", "案件即将到期", AREA, red=False)
def due_soon(user: Any, today: datetime.date) -> list[Finding]:
    from .models import Case

    base = Case.objects.restrict(user).filter(running_q(), deadline__gte=today)
    q, _ = per_county(base, R.WARN_DAYS, lambda days: due_soon_q(today, days))
    found = []
    for row in base.filter(q).order_by("deadline", "pk").values(*FIELDS):
        rule = DEADLINE_RULE[row["kind"]]
        left = (row["deadline"] - today).days
        when = "今天到期" if left == 0 else f"还有{left}天到期"
        found.append(
            _finding(
                row,
                rule,
                f"{when}（时限{row['deadline']:%Y-%m-%d}）{cite(rule)}。",
                "due_soon",
                row["deadline"],
            )
        )
    return found


@register_check("cases.answer_late", "网格吹哨超时未报到", AREA)
def answer_late(user: Any, today: datetime.date) -> list[Finding]:
    rule = R.WHISTLE_ANSWER_DAYS
    found = []
    for row in _rows(user, answer_late_q(today)):
        late = (today - row["answer_due"]).days
        found.append(
            _finding(
                row,
                rule,
                f"吹哨后超过响应时限{late}天仍无部门报到或村（社区）承接{cite(rule)}。",
                "overdue",
                row["answer_due"],
            )
        )
    return found


@register_check("cases.unsupervised", "问题超过督办周期未督办", AREA)
def unsupervised(user: Any, today: datetime.date) -> list[Finding]:
    """A problem still being rectified with no supervision for more than the county's interval (15 days):
    day 15 is in time, day 16 is a finding. The clock starts at opening until the first supervision."""
    from .models import Case

    rule = R.SUPERVISION_DAYS
    base = Case.objects.restrict(user).filter(running_q(), kind=CaseKind.PROBLEM)

    def stale(days: int) -> Q:
        limit = today - datetime.timedelta(days=days)
        return Q(last_supervised_on__lt=limit) | Q(last_supervised_on__isnull=True, opened_on__lt=limit)

    q, intervals = per_county(base, rule, stale)
    found = []
    for row in base.filter(q).order_by("last_supervised_on", "opened_on", "pk").values(*FIELDS):
        last = row["last_supervised_on"] or row["opened_on"]
        since = "立项" if row["last_supervised_on"] is None else "上次督办"
        days = (today - last).days
        due = last + datetime.timedelta(days=int(intervals[row["county_id"]]))
        found.append(
            _finding(row, rule, f"自{since}（{last:%Y-%m-%d}）已{days}天未督办{cite(rule)}。", "overdue", due)
        )
    return found
