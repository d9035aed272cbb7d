"""Compliance findings: what each check says is late, missing or wrong, for dashboards, reminders
and scores to read. Each app's `checks.py` registers its checks; a check is a set-based query
over the rows the user may see, never a Python loop per row against the database."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Finding:
    rule: str  # the rule code in the registry (dangjian.core.rules), so its source can be shown
    org_id: int
    org_name: str
    subject: str  # who or what the finding is about, as people read it
    message: str  # what is wrong, in Chinese
    severity: str  # "overdue" (red), "due_soon" (amber), "info"
    due_on: datetime.date | None = None
    url: str = ""  # the evidence: the record to open
    check: str = ""  # the check that produced it (filled in by findings_for)


@dataclass(frozen=True)
class Check:
    code: str
    title: str
    area: str
    run: Callable[[Any, datetime.date], Iterable[Finding]]


CHECKS: dict[str, Check] = {}


def register_check(code: str, title: str, area: str) -> Callable:
    def wrap(fn: Callable[[Any, datetime.date], Iterable[Finding]]) -> Callable:
        CHECKS[code] = Check(code, title, area, fn)
        return fn

    return wrap


def findings_for(user: Any, today: datetime.date, codes: Iterable[str] | None = None) -> list[Finding]:
    """All findings the user may see: each check reads through the scope layer itself."""
    wanted = set(codes) if codes else None
    result: list[Finding] = []
    for code, check in sorted(CHECKS.items()):
        if wanted is None or code in wanted:
            result.extend(replace(f, check=code) for f in check.run(user, today))
    return result
