"""Scoped reads of the notices app: lists with their counts in one query, per-org summaries, the
inbox, and the per-member study record. Counts of receipts only ever count recipients in the
reader's own scope (plus the reader's own receipt)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from dangjian.core.scope import path_q, scope_prefixes
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import rules as R
from .models import (
    NOTICE_READERS,
    STUDY_POLICY,
    Notice,
    NoticeReceipt,
    StudyPush,
    StudyReceipt,
    Training,
    TrainingAttendance,
)


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def mask_name(name: str) -> str:
    """张三根 → 张*根, 张三 → 张*: enough for members to know the link is theirs, no more."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def overdue_before(today: datetime.date) -> datetime.date:
    """A receipt is overdue when unsigned and its notice's sign-by date is before this day (the day of
    the sign-by date itself is still in time)."""
    return today - datetime.timedelta(days=int(R.SIGN_GRACE_DAYS.value))


def is_overdue(sign_by: datetime.date | None, today: datetime.date) -> bool:
    return sign_by is not None and sign_by < overdue_before(today)


# --- orgs to send from and to filter by ---------------------------------------------------------------


def sendable_orgs(user: Any, model: Any) -> QuerySet[Org]:
    """Open orgs (no party groups) where the user's role may send notices, push or record trainings."""
    qs = Org.objects.filter(archived_at__isnull=True).exclude(kind=OrgKind.GROUP).order_by("path")
    if not _active(user):
        return qs.none()
    if user.is_superuser:
        return qs
    prefixes = scope_prefixes(user, model.scope.roles_for("add"))
    return qs.filter(path_q("path", prefixes)) if prefixes else qs.none()


def org_choices(user: Any, limit: int = 500) -> list[tuple[int, str]]:
    """Orgs to filter by (a subtree each), indented by depth."""
    orgs = list(
        Org.objects.restrict(user)
        .filter(archived_at__isnull=True)
        .exclude(kind=OrgKind.GROUP)
        .order_by("path")
        .values_list("pk", "name", "depth")[:limit]
    )
    top = min((d for _, _, d in orgs), default=0)
    return [(pk, "\u3000" * (depth - top) + name) for pk, name, depth in orgs]


def subtree_path(user: Any, org_id: Any) -> str | None:
    """The path of an org the user may see, or None (a filter by it then shows nothing)."""
    try:
        pk = int(org_id)
    except (TypeError, ValueError):
        return None
    return Org.objects.restrict(user).filter(pk=pk).values_list("path", flat=True).first()


def _in_scope(user: Any, roles: Iterable[str], prefix: str, own: str | None = None) -> Q:
    """Rows (reached through `prefix`) whose org is in the user's scope for `roles`, or the user's own."""
    if user.is_superuser:
        return Q()
    prefixes = scope_prefixes(user, roles)
    q = path_q(f"{prefix}org__path", prefixes) if prefixes else Q(pk__in=[])
    if own:
        q |= Q(**{f"{prefix}{own}": user.pk})
    return q


# --- notices -----------------------------------------------------------------------------------------


def notices(user: Any) -> QuerySet[Notice]:
    """The notices the user may see, with the counts of receipts the user may see."""
    mine = _in_scope(user, NOTICE_READERS, "receipts__", own="user_id") if _active(user) else Q()
    return (
        Notice.objects.restrict(user)
        .select_related("org", "sent_by")
        .annotate(
            total=Count("receipts", filter=mine),
            read=Count("receipts", filter=mine & Q(receipts__read_at__isnull=False)),
            signed=Count("receipts", filter=mine & Q(receipts__signed_at__isnull=False)),
        )
        .order_by("-sent_at", "-pk")
    )


def receipts(user: Any) -> QuerySet[NoticeReceipt]:
    return NoticeReceipt.objects.restrict(user).select_related("notice", "org", "user")


def inbox(user: Any) -> QuerySet[NoticeReceipt]:
    """The user's own receipts: unsigned first, then newest."""
    return (
        NoticeReceipt.objects.filter(user_id=user.pk)
        .select_related("notice__org", "notice__sent_by")
        .order_by(F("signed_at").asc(nulls_first=True), "-notice__sent_at", "-pk")
    )


def receipts_by_org(user: Any, notice: Notice, today: datetime.date) -> list[dict[str, Any]]:
    """Per recipient org in the user's scope: recipients, read, signed, unsigned, and whether the unsigned
    are past the sign-by date (one aggregate query)."""
    rows = list(
        NoticeReceipt.objects.restrict(user)
        .filter(notice=notice)
        .values("org_id", "org__name", "org__path")
        .annotate(
            total=Count("id"),
            read=Count("id", filter=Q(read_at__isnull=False)),
            signed=Count("id", filter=Q(signed_at__isnull=False)),
        )
        .order_by("org__path")
    )
    late = is_overdue(notice.sign_by, today)
    for row in rows:
        row["unsigned"] = row["total"] - row["signed"]
        row["overdue"] = late and row["unsigned"] > 0
    return rows


def unsigned_overdue(user: Any, today: datetime.date) -> QuerySet[NoticeReceipt]:
    """Receipts in the user's scope (or their own) unsigned after their notice's sign-by date."""
    return (
        NoticeReceipt.objects.restrict(user)
        .filter(signed_at__isnull=True, notice__sign_by__lt=overdue_before(today))
        .select_related("notice", "org", "user")
        .order_by("notice__sign_by", "org__path", "pk")
    )


# --- study pushes ------------------------------------------------------------------------------------


def pushes(user: Any) -> QuerySet[StudyPush]:
    mine = _in_scope(user, STUDY_POLICY["view"], "receipts__") if _active(user) else Q()
    return (
        StudyPush.objects.restrict(user)
        .select_related("org", "sent_by")
        .annotate(
            total=Count("receipts", filter=mine),
            read=Count("receipts", filter=mine & Q(receipts__read_at__isnull=False)),
        )
        .order_by("-sent_at", "-pk")
    )


def study_receipts(user: Any) -> QuerySet[StudyReceipt]:
    return StudyReceipt.objects.restrict(user).select_related("push", "org", "member__person")


def study_by_org(user: Any, push: StudyPush) -> list[dict[str, Any]]:
    rows = list(
        StudyReceipt.objects.restrict(user)
        .filter(push=push)
        .values("org_id", "org__name", "org__path")
        .annotate(total=Count("id"), read=Count("id", filter=Q(read_at__isnull=False)))
        .order_by("org__path")
    )
    for row in rows:
        row["unread"] = row["total"] - row["read"]
    return rows


# --- trainings and the study record ------------------------------------------------------------------


def trainings(user: Any) -> QuerySet[Training]:
    return (
        Training.objects.restrict(user)
        .select_related("org")
        .annotate(
            attendees=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__present=True)),
        )
        .order_by("-start_on", "-pk")
    )


def _year(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def hours_for_members(member_ids: Iterable[int], year: int) -> dict[int, Decimal]:
    """Training hours credited to each member in `year` (by the training's start date), one query;
    members with none are absent from the result. Callers pass members they may see."""
    start, end = _year(year)
    rows = (
        TrainingAttendance.objects.filter(
            member_id__in=list(member_ids), present=True, training__start_on__range=(start, end)
        )
        .values("member_id")
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    return {r["member_id"]: r["hours"] for r in rows}


def study_record(member: Member, year: int) -> dict[str, Any]:
    """What the member page shows of a member's study in `year`: hours against the yearly target,
    the trainings attended, and the study pushes read."""
    start, end = _year(year)
    attended = list(
        TrainingAttendance.objects.filter(member=member, training__start_on__range=(start, end))
        .select_related("training")
        .order_by("-training__start_on")
    )
    pushed = StudyReceipt.objects.filter(member=member, push__sent_at__date__range=(start, end)).aggregate(
        total=Count("id"), read=Count("id", filter=Q(read_at__isnull=False))
    )
    hours = sum((a.hours for a in attended if a.present), Decimal(0))
    target = Decimal(R.MEMBER_STUDY_HOURS.value)
    return {
        "year": year,
        "hours": hours,
        "target": target,
        "met": hours >= target,
        "attended": attended,
        "pushed": pushed,
        "rule": R.MEMBER_STUDY_HOURS,
    }
