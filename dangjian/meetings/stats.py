"""What dashboards, scores and the 3+X monthly pack read about organisational life: held-rate (obligations
met ÷ obligations due) and attendance-rate (present ÷ expected at held meetings) per org, rolled up the
tree, as plain dicts. One evaluation of the compliance engine per call, whatever the number of orgs.

`user_or_orgs` is a user (their top orgs, read through their scope) or orgs / org ids the caller has
already scoped (each org's whole subtree is counted).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from dangjian.orgs.models import Org

from .compliance import Compliance, OrgResult, Period, evaluate, scope_of


def as_period(period: Period | str | datetime.date | None, today: datetime.date) -> Period:
    """A Period, its key (2026-11, 2026-Q4, 2026), or a day (its month); this month by default."""
    if period is None:
        return Period.containing(today)
    if isinstance(period, Period):
        return period
    if isinstance(period, datetime.date):
        return Period.containing(period)
    return Period.parse(period)


def _evaluate(user_or_orgs: Any, period: Any, today: datetime.date | None) -> tuple[Compliance, list[int]]:
    today = today or timezone.localdate()
    p = as_period(period, today)
    if hasattr(user_or_orgs, "is_authenticated"):
        result = evaluate(scope_of(user_or_orgs), p, today, user=user_or_orgs)
        return result, list(result.roots)
    ids = [o.pk if isinstance(o, Org) else int(o) for o in _iterable(user_or_orgs)]
    paths = dict(Org.objects.filter(pk__in=ids).values_list("pk", "path"))
    prefixes = sorted(paths.values())
    minimal = [q for i, q in enumerate(prefixes) if not any(q.startswith(r) for r in prefixes[:i])]
    result = evaluate(minimal, p, today)
    return result, [pk for pk in ids if pk in result.orgs]


def _iterable(value: Any) -> Iterable:
    return value if isinstance(value, Iterable) and not isinstance(value, (str, bytes)) else [value]


def _rows(result: Compliance, ids: list[int], children: bool) -> list[OrgResult]:
    rows = []
    for pk in ids:
        rows.append(result.orgs[pk])
        if children:
            rows.extend(result.children(pk))
    return rows


def _base(org: OrgResult, period: Period) -> dict:
    return {
        "org_id": org.id,
        "name": org.name,
        "kind": org.kind,
        "parent_id": org.parent_id,
        "period": period.key,
    }


def held_rate(
    user_or_orgs: Any, period: Any = None, *, today: datetime.date | None = None, children: bool = False
) -> dict[int, dict]:
    """{org id: {org_id, name, kind, parent_id, period, due, met, held_rate, overdue, due_soon}} for the
    user's top orgs (or the given orgs), and their children with `children=True`."""
    result, ids = _evaluate(user_or_orgs, period, today)
    return {
        o.id: _base(o, result.period)
        | {
            "due": o.due,
            "met": o.met,
            "held_rate": o.held_rate,
            "overdue": sum(c.overdue for c in o.total.values()),
            "due_soon": sum(c.due_soon for c in o.total.values()),
        }
        for o in _rows(result, ids, children)
    }


def attendance_rate(
    user_or_orgs: Any, period: Any = None, *, today: datetime.date | None = None, children: bool = False
) -> dict[int, dict]:
    """{org id: {org_id, name, kind, parent_id, period, present, expected, attendance_rate}}."""
    result, ids = _evaluate(user_or_orgs, period, today)
    return {
        o.id: _base(o, result.period)
        | {"present": o.present, "expected": o.expected, "attendance_rate": o.attendance_rate}
        for o in _rows(result, ids, children)
    }


def by_rule(user_or_orgs: Any, period: Any = None, *, today: datetime.date | None = None) -> dict[int, dict]:
    """Per org, per rule code: {due, met, meetings, state} (the scorecard's line items)."""
    result, ids = _evaluate(user_or_orgs, period, today)
    return {
        o.id: {
            code: {"due": c.due, "met": c.met, "meetings": c.meetings, "state": c.state}
            for code, c in o.total.items()
        }
        for o in _rows(result, ids, False)
    }
