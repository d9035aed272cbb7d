""" "My week" for the workbench: what is overdue, what falls due this week and what waits for the user
(case acceptances and sign-offs, development approvals, weekly reports to compile, task reports to make),
each with the page where the user acts. Built from the same sources as the reminders, read for this user
only through the scope layer: a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime
from typing import Any

from . import sources

SECTIONS = (
    (sources.OVERDUE, "已逾期", "danger"),
    (sources.DUE, "本周到期", "warning"),
    (sources.WAITING, "等我办理", "primary"),
)
LIMIT = 30  # per section on the page; the counts are complete


def my_week(user: Any, today: datetime.date, limit: int | None = LIMIT) -> dict[str, Any]:
    """{"week_start", "week_end", "sections": [{"code","label","css","items","count"}], "total"}.
    Each item: title, org (name), due, url, kind, state."""
    start = today - datetime.timedelta(days=today.weekday())
    end = start + datetime.timedelta(days=6)
    empty = {"week_start": start, "week_end": end, "sections": [], "total": 0}
    if user is None or not getattr(user, "is_authenticated", False):
        return empty
    ctx = sources.Context(today=today, user=user, since=None, ahead=None)
    items = sources.collect(ctx)
    far = datetime.date.max
    by_section: dict[str, list[dict[str, Any]]] = {code: [] for code, _, _ in SECTIONS}
    for i in sorted(items, key=lambda i: (i.due or far, i.title)):
        by_section[i.section].append(
            {
                "title": i.title,
                "org": i.org_name,
                "due": i.due,
                "url": i.url,
                "kind": i.kind,
                "state": i.state,
                "key": i.key,
            }
        )
    sections = [
        {
            "code": code,
            "label": label,
            "css": css,
            "items": by_section[code][:limit],
            "count": len(by_section[code]),
        }
        for code, label, css in SECTIONS
    ]
    return {"week_start": start, "week_end": end, "sections": sections, "total": len(items)}
