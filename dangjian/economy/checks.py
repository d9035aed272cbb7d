"""Findings of the economy app: villages with no collective income last year (the year whose accounts are
closed), one query through villages_without_income. The rectification early warning, the scorecard and
the dashboards can read the same findings (check code `economy.no_income`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from dangjian.core.findings import Finding, register_check
from dangjian.members.records.common import cite

from . import rules as R
from .selectors import villages_without_income

AREA = "村集体经济"


@register_check("economy.no_income", "村集体经济无收入", AREA)
def no_income(user: Any, today: datetime.date) -> list[Finding]:
    year = today.year - 1
    found = []
    for pk, name, total in villages_without_income(user, year).values_list("pk", "name", "income_total"):
        what = "未登记年度集体经济收入" if total is None else "年度集体经济收入为0"
        found.append(
            Finding(
                rule=R.NO_INCOME.code,
                org_id=pk,
                org_name=name,
                subject=name,
                message=f"{year}年{what}{cite(R.NO_INCOME)}。",
                severity="overdue" if total is not None else "info",
                due_on=datetime.date(year, 12, 31),
                url=reverse("economy-village", args=[pk]),
            )
        )
    return found
