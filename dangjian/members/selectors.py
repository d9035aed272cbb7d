"""Scoped reads of the roster: what a user may see, and where they may add or import members."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dangjian.core.models import AuditEvent
from dangjian.core.scope import path_q, scope_prefixes
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from .models import PII_READERS, Member
from .services.roster import MEMBER_ORG_KINDS


def roster(user: Any, action: str = "view") -> QuerySet[Member]:
    """Members the user may `action`, with what a roster row shows, in one query."""
    return Member.objects.restrict(user, action).select_related("person", "org", "group")


def member_orgs(user: Any, action: str) -> QuerySet[Org]:
    """Open branches and communities where the user may `action` members. The member policy decides,
    not the org policy: a village secretary may add members to her branch but not add orgs to it."""
    qs = Org.objects.filter(kind__in=MEMBER_ORG_KINDS, archived_at__isnull=True).order_by("path")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    prefixes = scope_prefixes(user, Member.scope.roles_for(action))
    return qs.filter(path_q("path", prefixes)) if prefixes else qs.none()


def groups_of(orgs: QuerySet[Org] | list[Org]) -> QuerySet[Org]:
    return Org.objects.filter(kind=OrgKind.GROUP, parent__in=orgs, archived_at__isnull=True).order_by(
        "parent__path", "sort_order", "name"
    )


def pii_root(user: Any) -> Org | None:
    """The top org where the user may see full ID numbers, to file a PII export's audit event under."""
    prefixes = scope_prefixes(user, PII_READERS)
    return Org.objects.filter(path=prefixes[0]).first() if prefixes else None


def may_see_pii(user: Any) -> bool:
    return bool(user.is_superuser or scope_prefixes(user, PII_READERS))


def member_history(user: Any, member: Member, limit: int = 20) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.restrict(user).filter(object_type="members.member", object_id=str(member.pk))[
        :limit
    ]
