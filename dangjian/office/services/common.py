"""What the office services share: the township an org lies in, the township's office, and who
counts as its staff."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.models import RoleAssignment
from dangjian.core import audit
from dangjian.core.roles import Role
from dangjian.core.rules import Rule
from dangjian.members.records.common import Errors
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Office, Org

BRANCH_KINDS = (OrgKind.BRANCH, OrgKind.COMMUNITY)

__all__ = ["BRANCH_KINDS", "Errors", "cite", "ensure_office", "holds_role_on", "is_staff_of", "township_of"]


def cite(rule: Rule) -> str:
    article = f" {rule.article}" if rule.article else ""
    return f"（依据：{rule.source}{article}）"


def township_of(org: Org | None) -> Org | None:
    """The township an org lies in (itself if it is one)."""
    if org is None:
        return None
    if org.kind == OrgKind.TOWNSHIP:
        return org
    ids = org.ancestor_ids()
    return Org.objects.filter(pk__in=ids, kind=OrgKind.TOWNSHIP).first() if ids else None


def is_staff_of(user: Any, township: Org) -> bool:
    """Whether `user` is an active member of the township office (holds township_staff on it)."""
    return (
        user is not None
        and getattr(user, "is_active", False)
        and RoleAssignment.objects.filter(user=user, org=township, role=Role.TOWNSHIP_STAFF).exists()
    )


def holds_role_on(user: Any, township: Org) -> bool:
    """Whether `user` holds any role on the township itself (who may hold one of its office's posts)."""
    return (
        user is not None
        and getattr(user, "is_active", False)
        and RoleAssignment.objects.filter(user=user, org=township).exists()
    )


def ensure_office(actor: Any, township: Org) -> Office:
    """The township's office; set up on first use (one per township), with an audit row."""
    office = Office.objects.filter(township=township).first()
    if office is None:
        office = Office.objects.create(township=township, name=f"{township.name}党建办")
        audit.record(actor, "office.office_create", office, org=township, after=audit.snapshot(office))
    return office
