"""Compliance findings of the two committees (set-based: one query per check over the committees the
user may see, whatever the number of villages)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, DateField, Exists, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from dangjian.core.dates import add_months
from dangjian.core.findings import Finding, register_check
from dangjian.core.rules import rule_values
from dangjian.members.choices import Gender
from dangjian.members.records.common import cite, cutoff

from . import rules as R
from .models import MEMBER_POSTS, Committee, CommitteeKind, Post, PostKind, current_holder_q, vacancy_q
from .selectors import latest_q

AREA = "村“两委”班子"


def _url(org_id: int) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("village-detail", args=[org_id])
    except NoReverseMatch:
        return ""


def _current(user: Any, today: datetime.date, kind: str | None = None):
    qs = Committee.objects.restrict(user).filter(latest_q(), term_start__lte=today)
    return qs.filter(kind=kind) if kind else qs


def _finding(row: dict, rule, subject: str, message: str, severity: str, due=None) -> Finding:
    return Finding(
        rule=rule.code,
        org_id=row["org_id"],
        org_name=row["org__name"],
        subject=subject,
        message=message,
        severity=severity,
        due_on=due,
        url=_url(row["org_id"]),
    )


def _per_county(base, rule, build) -> tuple[Q, dict]:
    counties = list(base.order_by().values_list("county_id", flat=True).distinct())
    values = rule_values(rule.code, counties)
    q = Q(pk__in=[])
    for county_id in counties:
        q |= Q(county_id=county_id) & build(int(values[county_id]))
    return q, values


@register_check("villages.secretary_vacant", "村党组织书记空缺超过3个月", AREA)
def secretary_vacant(user: Any, today: datetime.date) -> list[Finding]:
    holder = Post.objects.filter(committee_id=OuterRef("pk"), kind=PostKind.SECRETARY).filter(
        current_holder_q()
    )
    opened = (
        Post.objects.filter(committee_id=OuterRef("pk"), kind=PostKind.SECRETARY)
        .filter(vacancy_q())
        .order_by()
        .values("committee_id")
        .annotate(first=Min("vacant_since"))
        .values("first")
    )
    base = (
        _current(user, today, CommitteeKind.BRANCH)
        .filter(~Exists(holder))
        .annotate(vacant_from=Coalesce(Subquery(opened, output_field=DateField()), F("term_start")))
    )
    # "More than N months": vacant since D is a finding from the day after D + N calendar months.
    yesterday = today - datetime.timedelta(days=1)
    q, values = _per_county(
        base, R.SECRETARY_VACANT_MONTHS, lambda n: Q(vacant_from__lte=cutoff(yesterday, n))
    )
    found = []
    for row in (
        base.filter(q)
        .order_by("vacant_from", "pk")
        .values("pk", "org_id", "org__name", "county_id", "vacant_from")
    ):
        months = values[row["county_id"]]
        found.append(
            _finding(
                row,
                R.SECRETARY_VACANT_MONTHS,
                f"{row['org__name']}党组织书记",
                f"书记自{row['vacant_from']:%Y-%m-%d}起空缺，已超过{months}个月"
                f"{cite(R.SECRETARY_VACANT_MONTHS)}。",
                "overdue",
                row["vacant_from"],
            )
        )
    return found


def _members_q() -> Q:
    return Q(posts__kind__in=MEMBER_POSTS, posts__until__isnull=True) & ~Q(posts__name="")


@register_check("villages.no_woman_member", "村民委员会没有妇女成员", AREA)
def no_woman_member(user: Any, today: datetime.date) -> list[Finding]:
    woman = Post.objects.filter(
        committee_id=OuterRef("pk"), kind__in=MEMBER_POSTS, gender=Gender.FEMALE
    ).filter(current_holder_q())
    rows = _current(user, today, CommitteeKind.VILLAGERS).filter(~Exists(woman))
    return [
        _finding(
            row,
            R.VC_WOMAN,
            f"{row['org__name']}村民委员会",
            f"村民委员会成员中没有妇女成员{cite(R.VC_WOMAN)}。",
            "overdue",
        )
        for row in rows.order_by("org__path", "pk").values("pk", "org_id", "org__name")
    ]


@register_check("villages.committee_size", "村民委员会人数不在3至7人之间", AREA)
def committee_size(user: Any, today: datetime.date) -> list[Finding]:
    low, high = R.VC_MIN.value, R.VC_MAX.value
    rows = (
        _current(user, today, CommitteeKind.VILLAGERS)
        .annotate(size=Count("posts", filter=_members_q()))
        .filter(Q(size__lt=low) | Q(size__gt=high))
    )
    return [
        _finding(
            row,
            R.VC_MIN if row["size"] < low else R.VC_MAX,
            f"{row['org__name']}村民委员会",
            f"村民委员会现有{row['size']}人，应为{low}至{high}人{cite(R.VC_MIN)}。",
            "overdue",
        )
        for row in rows.order_by("org__path", "pk").values("pk", "org_id", "org__name", "size")
    ]


@register_check("villages.term_ending", "村“两委”即将换届或换届逾期", AREA)
def term_ending(user: Any, today: datetime.date) -> list[Finding]:
    base = _current(user, today)
    q, _ = _per_county(base, R.ELECTION_WARN_MONTHS, lambda n: Q(next_election_on__lte=add_months(today, n)))
    found = []
    for row in (
        base.filter(q)
        .order_by("next_election_on", "pk")
        .values("pk", "org_id", "org__name", "kind", "next_election_on")
    ):
        label = CommitteeKind(row["kind"]).label
        due = row["next_election_on"]
        late = due < today
        message = (
            f"换届日期{due:%Y-%m-%d}已过，尚未登记新一届班子{cite(R.TERM_YEARS)}。"
            if late
            else f"应于{due:%Y-%m-%d}换届，还有{(due - today).days}天，请做好换届准备{cite(R.TERM_YEARS)}。"
        )
        found.append(
            _finding(
                row,
                R.TERM_YEARS,
                f"{row['org__name']}{label}",
                message,
                "overdue" if late else "due_soon",
                due,
            )
        )
    return found


DUTY_AREA = "村干部坐班值班"
DUTY_DAYS = 28  # the check reads the last four weeks, today included


@register_check("villages.duty_gaps", "村干部坐班值班有缺口（近四周）", DUTY_AREA)
def duty_gaps(user: Any, today: datetime.date) -> list[Finding]:
    """One finding per village and kind of gap: no rota, uncovered working days, slots whose cadre has
    left, absences."""
    from django.urls import NoReverseMatch, reverse

    from .duty import GapKind, gaps

    start = today - datetime.timedelta(days=DUTY_DAYS - 1)
    grouped: dict[tuple[int, str], list] = {}
    for gap in gaps(user, start, today, today=today):
        grouped.setdefault((gap.org_id, gap.kind), []).append(gap)
    found = []
    for (org_id, kind), rows in sorted(grouped.items(), key=lambda kv: (kv[1][0].org_name, kv[0][1])):
        first = rows[0]
        try:
            url = reverse("village-duty", args=[org_id])
        except NoReverseMatch:
            url = ""
        days = sorted({g.date for g in rows})
        message = (
            first.detail
            if kind == GapKind.NO_ROTA
            else (
                f"近四周{GapKind(kind).label}{len(rows)}次（{', '.join(f'{d:%m-%d}' for d in days[:5])}"
                f"{'等' if len(days) > 5 else ''}）{cite(R.DUTY_PER_WORKDAY)}。"
            )
        )
        found.append(
            Finding(
                rule=R.DUTY_PER_WORKDAY.code,
                org_id=org_id,
                org_name=first.org_name,
                subject=f"{first.org_name}坐班值班",
                message=message,
                severity="overdue" if kind != GapKind.ABSENT else "due_soon",
                due_on=days[0] if days else None,
                url=url,
            )
        )
    return found
