"""Findings of the office app (registered with dangjian.core.findings).

Each check is a fixed handful of aggregate queries over what the user may see, whatever the number
of branches, staff or visits: branches without a contact, staff without a branch (001), and staff
short of field days in the last complete week (Monday–Sunday, Asia/Shanghai)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode

from dangjian.core.findings import Finding, register_check
from dangjian.core.rules import rule_values

from . import rules as R
from .models import ContactPoint
from .selectors import BRANCH_KINDS, CountyIndex, active_q, office_orgs, short_weeks, staff_roles, townships
from .services.common import cite
from .weeks import days_text, last_complete_week, week_param

AREA = "党建办"


def _coverage_url(township_id: int | None, anchor: str = "") -> str:
    url = reverse("office-coverage")
    return f"{url}?township={township_id}{anchor}" if township_id else url


class TownshipIndex:
    """Which township each org path lies in, from the townships already read."""

    def __init__(self, towns: list[tuple[int, str, str]]) -> None:
        self.by_path = {path: (pk, name) for pk, path, name in towns}
        self.lengths = sorted({len(p) for p in self.by_path})

    def of(self, path: str) -> tuple[int, str] | tuple[None, str]:
        return next((self.by_path[path[:n]] for n in self.lengths if path[:n] in self.by_path), (None, ""))


@register_check("office.branch_without_contact", "党支部没有定点联系人", AREA)
def branch_without_contact(user: Any, today: datetime.date) -> list[Finding]:
    """Branches and communities in scope with fewer contacts in force than their county requires."""
    counties = CountyIndex()
    counted = (
        ContactPoint.objects.filter(active_q(today), org=OuterRef("pk"))
        .order_by()
        .values("org")
        .annotate(c=Count("pk"))
        .values("c")
    )
    rows = list(
        office_orgs(user)
        .filter(kind__in=BRANCH_KINDS)
        .annotate(contacts=Coalesce(Subquery(counted, output_field=IntegerField()), 0))
        .order_by("path")
        .values_list("pk", "name", "path", "contacts")
    )
    if not rows:
        return []
    towns = TownshipIndex(list(townships(user).values_list("pk", "path", "name")))
    need = rule_values(R.BRANCH_MIN_CONTACTS.code, {counties.of(path) for _, _, path, _ in rows})
    findings = []
    for pk, name, path, contacts in rows:
        required = int(need[counties.of(path)])
        if contacts >= required:
            continue
        town_id, town_name = towns.of(path)
        findings.append(
            Finding(
                rule=R.BRANCH_MIN_CONTACTS.code,
                org_id=pk,
                org_name=name,
                subject=name,
                message=f"{town_name}党建办尚无工作人员定点联系该支部{cite(R.BRANCH_MIN_CONTACTS)}。"
                if contacts == 0
                else f"定点联系人{contacts}名，少于{required}名{cite(R.BRANCH_MIN_CONTACTS)}。",
                severity="overdue",
                url=_coverage_url(town_id, f"#branch-{pk}"),
            )
        )
    return findings


@register_check("office.staff_without_branch", "党建办工作人员没有支部联系点", AREA)
def staff_without_branch(user: Any, today: datetime.date) -> list[Finding]:
    """Office staff of the townships in scope holding fewer contact points than the county requires."""
    towns = list(townships(user).values_list("pk", "path", "name"))
    if not towns:
        return []
    counties = CountyIndex()
    town_county = {pk: counties.of(path) for pk, path, _ in towns}
    names = {pk: name for pk, _, name in towns}
    need = rule_values(R.STAFF_MIN_BRANCHES.code, set(town_county.values()))
    held = (
        ContactPoint.objects.filter(active_q(today), staff=OuterRef("user_id"), township=OuterRef("org_id"))
        .order_by()
        .values("staff")
        .annotate(c=Count("pk"))
        .values("c")
    )
    rows = staff_roles(list(names)).annotate(held=Coalesce(Subquery(held, output_field=IntegerField()), 0))
    findings = []
    for ra in rows:
        required = int(need[town_county[ra.org_id]])
        if ra.held >= required:
            continue
        findings.append(
            Finding(
                rule=R.STAFF_MIN_BRANCHES.code,
                org_id=ra.org_id,
                org_name=names[ra.org_id],
                subject=ra.user.display_name,
                message=f"尚未确定支部联系点{cite(R.STAFF_MIN_BRANCHES)}。"
                if ra.held == 0
                else f"联系{ra.held}个支部，少于{required}个{cite(R.STAFF_MIN_BRANCHES)}。",
                severity="overdue",
                url=_coverage_url(ra.org_id, f"#staff-{ra.user_id}"),
            )
        )
    return findings


@register_check("office.field_days_short", "党建办工作人员每周到村不足", AREA)
def field_days_short(user: Any, today: datetime.date) -> list[Finding]:
    """Staff with fewer days in the villages than the rule in the last complete week."""
    monday, sunday = last_complete_week(today)
    findings = []
    for row in short_weeks(user, monday):
        query = urlencode({"staff": row["user_id"], "week": week_param(monday)})
        findings.append(
            Finding(
                rule=R.FIELD_DAYS.code,
                org_id=row["township_id"],
                org_name=row["township"],
                subject=row["name"],
                message=f"上周（{monday:%Y-%m-%d}至{sunday:%Y-%m-%d}）到村工作{days_text(row['half_days'])}天，"
                f"少于每周{days_text(int(row['required'] * 2))}天{cite(R.FIELD_DAYS)}。",
                severity="overdue",
                due_on=sunday,
                url=f"{reverse('office-field-visits')}?{query}",
            )
        )
    return findings
