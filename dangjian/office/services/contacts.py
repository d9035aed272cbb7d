"""定点联系: each office staff member looks after at least one branch, and every branch of the township
has someone looking after it (001). A contact point is opened and ended, never edited, so the
coverage of any past day can be read back."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.scope import require
from dangjian.orgs.models import Org

from ..models import ContactPoint
from .common import BRANCH_KINDS, Errors, is_staff_of, township_of


@transaction.atomic
def assign_contact(
    actor: User,
    branch: Org,
    staff: User | None,
    since: datetime.date | None = None,
    *,
    township: Org | None = None,
    note: str = "",
    demo_source: str = "",
    today: datetime.date | None = None,
) -> ContactPoint:
    """Make `staff` the contact of `branch` from `since` (today by default). When the page names the
    township it is working on, a branch of another township is refused."""
    today = today or timezone.localdate()
    since = since or today
    require(actor, "add", ContactPoint(org=branch))
    e = Errors()
    branch_township = township_of(branch)
    if branch.kind not in BRANCH_KINDS or branch.archived_at is not None:
        e.add("联系点只能是村（社区）党支部。", "branch")
    elif branch_township is None:
        e.add("该党支部不在任何乡镇之下。", "branch")
    elif township is not None and branch_township.pk != township.pk:
        e.add(f"“{branch.name}”不是{township.name}的党支部。", "branch")
    if staff is None:
        e.add("请选择联系人。", "staff")
    elif branch_township is not None and not is_staff_of(staff, branch_township):
        e.add(
            f"“{staff.display_name}”不是{branch_township.name}党建办的工作人员，不能作为该支部的联系人。",
            "staff",
        )
    elif ContactPoint.objects.filter(org=branch, staff=staff, until__isnull=True).exists():
        e.add(f"“{staff.display_name}”已是{branch.name}的联系人。", "staff")
    e.date(since, label="起始日期", field="since", today=today)
    note = e.text(note, label="说明", field="note", limit=200)
    e.raise_any()
    point = ContactPoint.objects.create(
        org=branch,
        township=branch_township,
        staff=staff,
        since=since,
        note=note,
        demo_source=demo_source,
        created_by=actor,
    )
    audit.record(actor, "office.contact_assign", point, org=branch, after=audit.snapshot(point))
    return point


@transaction.atomic
def end_contact(
    actor: User,
    point: ContactPoint,
    until: datetime.date | None = None,
    *,
    today: datetime.date | None = None,
) -> ContactPoint:
    """End a contact point: from `until` (today by default) the staff member no longer looks after it."""
    today = today or timezone.localdate()
    until = until or today
    point = ContactPoint.objects.select_for_update().select_related("org", "staff").get(pk=point.pk)
    require(actor, "change", point)
    e = Errors()
    if point.until is not None:
        e.add(f"该联系点已于{point.until:%Y-%m-%d}结束。")
    e.date(until, label="结束日期", field="until", today=today, not_before=(point.since, "起始日期"))
    e.raise_any()
    before = audit.snapshot(point)
    point.until = until
    point.save(update_fields=["until"])
    audit.record(
        actor, "office.contact_end", point, org=point.org, before=before, after=audit.snapshot(point)
    )
    return point
