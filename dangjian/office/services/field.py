"""到村工作: a staff member's full or half day in a village of their township, what they went for,
what they found and what follows. The week's tally against the ≥2 days rule is in selectors/checks."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.scope import require
from dangjian.orgs.models import Org

from ..choices import VisitLength
from ..models import FieldVisit
from ..weeks import days_text
from .common import BRANCH_KINDS, Errors, is_staff_of, township_of


@transaction.atomic
def record_field_visit(
    actor: User,
    staff: User | None,
    branch: Org,
    visited_on: datetime.date | None,
    half_days: int | None,
    purpose: str,
    *,
    found: str = "",
    follow_up: str = "",
    needs_follow_up: bool = False,
    demo_source: str = "",
    today: datetime.date | None = None,
) -> FieldVisit:
    """Log a day (or half day) a staff member spent in one of the township's villages."""
    today = today or timezone.localdate()
    require(actor, "add", FieldVisit(org=branch))
    e = Errors()
    township = township_of(branch)
    if branch.kind not in BRANCH_KINDS or branch.archived_at is not None:
        e.add("请选择到访的村（社区）党支部。", "org")
    elif township is None:
        e.add("该党支部不在任何乡镇之下。", "org")
    if staff is None:
        e.add("请选择工作人员。", "staff")
    elif township is not None and not is_staff_of(staff, township):
        e.add(f"“{staff.display_name}”不是{township.name}党建办的工作人员。", "staff")
    if half_days not in VisitLength.values:
        e.add("请选择时长（全天或半天）。", "half_days")
    e.date(visited_on, label="日期", field="visited_on", today=today)
    purpose = e.text(purpose, label="工作内容", field="purpose", limit=200, required=True)
    found = e.text(found, label="发现的问题", field="found", limit=1000)
    follow_up = e.text(follow_up, label="后续措施", field="follow_up", limit=500)
    if needs_follow_up and not found:
        e.add("标记“需跟进”时请填写发现的问题。", "found")
    if staff is not None and visited_on is not None and half_days in VisitLength.values:
        booked = (
            FieldVisit.objects.filter(staff=staff, visited_on=visited_on).aggregate(n=Sum("half_days"))["n"]
            or 0
        )
        if booked + half_days > VisitLength.FULL:
            e.add(
                f"“{staff.display_name}”{visited_on:%Y-%m-%d}已登记到村{days_text(booked)}天，同一天合计不能超过1天。",
                "half_days",
            )
    e.raise_any()
    visit = FieldVisit.objects.create(
        org=branch,
        township=township,
        staff=staff,
        visited_on=visited_on,
        half_days=half_days,
        purpose=purpose,
        found=found,
        follow_up=follow_up,
        needs_follow_up=needs_follow_up,
        demo_source=demo_source,
        recorded_by=actor,
    )
    audit.record(actor, "office.field_visit", visit, org=branch, after=audit.snapshot(visit))
    return visit
