"""The one scoping layer: every read that serves a user goes through `.restrict(user, action)`.

A model opts in by declaring `scope = ScopeSpec(path=..., policy={action: roles})`, where `path`
is the lookup to the materialised org path (`"path"` on Org itself, `"org__path"` elsewhere).
A user sees rows whose path starts with the path of an org where they hold a role that the
policy allows for the action. Outside scope is indistinguishable from absent (404).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.http import Http404

from .errors import ActionDenied, NotInScope

if TYPE_CHECKING:
    from dangjian.accounts.models import User


@dataclass(frozen=True)
class ScopeSpec:
    path: str
    policy: dict[str, frozenset[str]] = field(default_factory=dict)

    def roles_for(self, action: str) -> frozenset[str]:
        return self.policy.get(action, frozenset())


def role_paths(user: User) -> list[tuple[str, str]]:
    """(role, org path) pairs held by the user, loaded once per user object."""
    cached = getattr(user, "_role_paths", None)
    if cached is None:
        from dangjian.accounts.models import RoleAssignment

        cached = list(
            RoleAssignment.objects.filter(user_id=user.pk, org__archived_at__isnull=True).values_list(
                "role", "org__path"
            )
        )
        user._role_paths = cached
    return cached


def scope_prefixes(user: User, roles: Iterable[str]) -> list[str]:
    """The minimal set of path prefixes where the user holds one of `roles`."""
    wanted = set(roles)
    paths = sorted({p for r, p in role_paths(user) if r in wanted})
    minimal: list[str] = []
    for p in paths:
        if not any(p.startswith(m) for m in minimal):
            minimal.append(p)
    return minimal


def path_q(lookup: str, prefixes: list[str]) -> Q:
    q = Q()
    for p in prefixes:
        q |= Q(**{f"{lookup}__startswith": p})
    return q


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = "view") -> ScopedQuerySet:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        spec: ScopeSpec = self.model.scope
        prefixes = scope_prefixes(user, spec.roles_for(action))
        if not prefixes:
            return self.none()
        return self.filter(path_q(spec.path, prefixes))


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def can(user: Any, action: str, obj: models.Model) -> bool:
    """Whether `user` may do `action` on `obj` (an in-memory check on the object's org path)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    path = object_path(obj)
    prefixes = scope_prefixes(user, type(obj).scope.roles_for(action))
    return path is not None and any(path.startswith(p) for p in prefixes)


def object_path(obj: models.Model) -> str | None:
    value: Any = obj
    for part in type(obj).scope.path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def require(user: Any, action: str, obj: models.Model) -> None:
    """Raise NotInScope if the user cannot even see `obj`, ActionDenied if they may not act on it."""
    if not can(user, "view", obj):
        raise NotInScope
    if action != "view" and not can(user, action, obj):
        raise ActionDenied


def get_scoped_or_404(model: type[models.Model], user: Any, action: str = "view", **lookup: Any) -> Any:
    try:
        return model.objects.restrict(user, action).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到") from exc


def visible_or_404(queryset: models.QuerySet, user: Any, **lookup: Any) -> Any:
    """Fetch from an already-built queryset restricted for viewing; outside scope is a 404."""
    try:
        return queryset.restrict(user, "view").get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到") from exc
