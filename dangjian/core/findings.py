"""Compliance findings: what each check says is late, missing or wrong, for dashboards, reminders
and scores to read. Each app's `checks.py` registers its checks; a check is a set-based query
over the rows the user may see, never a Python loop per row against the database."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


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
    # False for checks that only warn ("due_soon", "info"): readers of red findings alone skip running them.
    red: bool = True


CHECKS: dict[str, Check] = {}


def register_check(code: str, title: str, area: str, *, red: bool = True) -> Callable:
    def wrap(fn: Callable[[Any, datetime.date], Iterable[Finding]]) -> Callable:
        CHECKS[code] = Check(code, title, area, fn, red)
        return fn

    return wrap


def red_checks() -> list[str]:
    """Codes of the checks that can report something overdue."""
    return sorted(code for code, check in CHECKS.items() if check.red)


def findings_for(user: Any, today: datetime.date, codes: Iterable[str] | None = None) -> list[Finding]:
    """All findings the user may see: each check reads through the scope layer itself."""
    wanted = set(codes) if codes else None
    result: list[Finding] = []
    for code, check in sorted(CHECKS.items()):
        if wanted is None or code in wanted:
            found = list(check.run(user, today))
            for f in found:  # tagging in place: a copy of each of a county's ~30,000 findings cost 0.2 s
                object.__setattr__(f, "check", code)
            result += found
    return result


def pk_url(name: str, pk: Any) -> str:
    """reverse(name, args=[pk]) with the pattern reversed once: a county's checks link thousands of rows."""
    head, tail = _pk_pattern(name, settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    return f"{head}{pk}{tail}"


@functools.lru_cache(maxsize=256)
def _pk_pattern(name: str, root: str, urlconf: str | None, prefix: str) -> tuple[str, str]:
    marker = "2147483647"
    head, tail = reverse(name, urlconf=urlconf, args=[marker]).split(marker, 1)
    return head, tail
