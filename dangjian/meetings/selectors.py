"""Scoped reads of meeting records for the pages and the API: lists with their counts in one query,
the orgs a user may plan meetings for, and a meeting's history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from dangjian.accounts.models import User
from dangjian.core.models import AuditEvent
from dangjian.core.scope import path_q, scope_prefixes
from dangjian.members.models import Member
from dangjian.orgs.models import Org

from . import services
from .choices import KINDS_BY_ORG_KIND, Attendance, MeetingKind
from .models import Meeting, MeetingAttendance

CHOICE_LIMIT = 500


def meetings(user: Any, action: str = "view") -> QuerySet[Meeting]:
    """Meetings in scope with their attendance counted (one query for any number of rows)."""
    return (
        Meeting.objects.restrict(user, action)
        .select_related("org")
        .annotate(
            expected_count=Count("attendances", distinct=True),
            present_count=Count(
                "attendances", filter=Q(attendances__status=Attendance.PRESENT), distinct=True
            ),
        )
        .order_by("-planned_at", "-pk")  # GROUP BY drops Meta.ordering
    )


def attendances(user: Any) -> QuerySet[MeetingAttendance]:
    return MeetingAttendance.objects.restrict(user).select_related("meeting__org", "member", "user")


def meeting_orgs(user: Any, action: str = "add") -> QuerySet[Org]:
    """Open orgs that hold meetings where the user may `action` meetings."""
    qs = Org.objects.filter(kind__in=list(KINDS_BY_ORG_KIND), archived_at__isnull=True).order_by("path")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    prefixes = scope_prefixes(user, Meeting.scope.roles_for(action))
    return qs.filter(path_q("path", prefixes)) if prefixes else qs.none()


def indented(orgs: QuerySet[Org], limit: int = CHOICE_LIMIT) -> list[tuple[int, str]]:
    rows = list(orgs.values_list("pk", "name", "depth")[:limit])
    top = min((d for _, _, d in rows), default=0)
    return [(pk, "\u3000" * (depth - top) + name) for pk, name, depth in rows]


def org_choices(user: Any) -> list[tuple[int, str]]:
    """Orgs to filter the lists by (a subtree each), indented by depth."""
    return indented(meeting_orgs(user, "view"))


def subtree_path(user: Any, org_id: Any) -> str | None:
    """The path of an org the user may see, or None (a filter by it then shows nothing)."""
    try:
        pk = int(org_id)
    except (TypeError, ValueError):
        return None
    return Org.objects.restrict(user).filter(pk=pk).values_list("path", flat=True).first()


def kinds_by_org(orgs: list[Org]) -> dict[str, list[str]]:
    """For the plan form's script: which kinds each offered org may hold."""
    return {str(o.pk): sorted(KINDS_BY_ORG_KIND.get(o.kind, ())) for o in orgs}


def guide_choices(orgs: list[Org]) -> QuerySet[User]:
    """People from a township office or county above any of `orgs` (the service checks the exact org)."""
    above = {pk for o in orgs for pk in o.ancestor_ids()} | {o.pk for o in orgs}
    towns = Org.objects.filter(pk__in=above, kind__in=services.GUIDE_ORG_KINDS)
    return (
        User.objects.filter(is_active=True, roles__org__in=towns, roles__role__in=services.GUIDE_ROLES)
        .distinct()
        .order_by("real_name", "pk")
    )


def addable_members(meeting: Meeting) -> QuerySet[Member]:
    taken = meeting.attendances.exclude(member=None).values("member_id")
    return (
        services.eligible_members(meeting.org)
        .exclude(pk__in=taken)
        .select_related("person")
        .order_by("person__name_pinyin", "pk")
    )


def addable_users(meeting: Meeting) -> QuerySet[User]:
    taken = meeting.attendances.exclude(user=None).values("user_id")
    return services.eligible_users(meeting.org).exclude(pk__in=taken).order_by("real_name", "pk")


@dataclass
class Headcount:
    expected: int
    present: int
    absent: int
    excused: int
    unrecorded: int

    @property
    def rate(self) -> int | None:
        """出席率: present among those expected, in per cent."""
        return round(100 * self.present / self.expected) if self.expected else None


def headcount(rows: list[MeetingAttendance]) -> Headcount:
    by = {s: sum(1 for r in rows if r.status == s) for s in Attendance.values}
    return Headcount(
        len(rows),
        by[Attendance.PRESENT],
        by[Attendance.ABSENT],
        by[Attendance.EXCUSED],
        by[Attendance.EXPECTED],
    )


def attendance_rows(meeting: Meeting) -> list[MeetingAttendance]:
    return list(meeting.attendances.select_related("member__person", "user").order_by("pk"))


def history(user: Any, meeting: Meeting, limit: int = 50) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.restrict(user).filter(
        object_type="meetings.meeting", object_id=str(meeting.pk)
    )[:limit]


def is_appraisal(meeting: Meeting) -> bool:
    return meeting.kind == MeetingKind.APPRAISAL
