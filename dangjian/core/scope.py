"""The one scoping layer: every read that serves a user goes through `.restrict(user, action)`.

A model opts in by declaring `scope = ScopeSpec(path=..., policy={action: roles})`, where `path`
is the lookup to the materialised org path (`"path"` on Org itself, `"org__path"` elsewhere).
A user sees rows whose path starts with the path of an org where they hold a role that the
policy allows for the action. Outside scope is indistinguishable from absent (404).

Two roles are not tree-shaped where a model says so: a grid leader sees the rows of their own grids
(`grid`, the lookup to the row's grid id) and a department liaison the rows routed to their
department (`department`, the lookup to a department id, possibly through a to-many relation).
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

GRID_LEADER, DEPT_LIAISON = "grid_leader", "dept_liaison"


@dataclass(frozen=True)
class ScopeSpec:
    path: str
    policy: dict[str, frozenset[str]] = field(default_factory=dict)
    grid: str | None = None
    department: str | None = None
    # Rows held on an ancestor of the user's orgs are visible too (a county's categories to its townships).
    up: bool = False

    def roles_for(self, action: str) -> frozenset[str]:
        return self.policy.get(action, frozenset())

    def tree_roles(self, action: str) -> frozenset[str]:
        """Roles of the action that read the tree; the others read grids or departments."""
        return self.roles_for(action) - self.side_roles()

    def side_roles(self) -> frozenset[str]:
        roles = set()
        if self.grid:
            roles.add(GRID_LEADER)
        if self.department:
            roles.add(DEPT_LIAISON)
        return frozenset(roles)


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


def side_ids(user: User) -> tuple[frozenset[int], frozenset[int]]:
    """(grid ids, department ids) the user answers for as grid leader or department liaison."""
    cached = getattr(user, "_side_ids", None)
    if cached is None:
        from dangjian.accounts.models import RoleAssignment
        from dangjian.orgs.models import Grid

        rows = RoleAssignment.objects.filter(
            user_id=user.pk, org__archived_at__isnull=True, role__in=(GRID_LEADER, DEPT_LIAISON)
        ).values_list("role", "grid_id", "department_id")
        grids = {g for r, g, _ in rows if r == GRID_LEADER and g}
        if any(r == GRID_LEADER for r, _, _ in rows):
            grids |= set(Grid.objects.filter(leader_id=user.pk).values_list("pk", flat=True))
        departments = {d for r, _, d in rows if r == DEPT_LIAISON and d}
        cached = (frozenset(grids), frozenset(departments))
        user._side_ids = cached
    return cached


def side_q(model: type[models.Model], spec: ScopeSpec, roles: frozenset[str], user: User) -> Q | None:
    """Rows the user reaches as grid leader or department liaison, or None if neither applies."""
    grids, departments = side_ids(user)
    q: Q | None = None
    if spec.grid and GRID_LEADER in roles and grids:
        q = Q(**{f"{spec.grid}__in": grids})
    if spec.department and DEPT_LIAISON in roles and departments:
        routed = Q(
            pk__in=model._default_manager.filter(**{f"{spec.department}__in": departments}).values("pk")
        )
        q = routed if q is None else q | routed
    return q


def scope_prefixes(user: User, roles: Iterable[str]) -> list[str]:
    """The minimal set of path prefixes where the user holds one of `roles`."""
    wanted = set(roles)
    paths = sorted({p for r, p in role_paths(user) if r in wanted})
    minimal: list[str] = []
    for p in paths:
        if not any(p.startswith(m) for m in minimal):
            minimal.append(p)
    return minimal


def ancestor_paths(user: User, roles: Iterable[str]) -> list[str]:
    """Paths of the strict ancestors of the orgs where the user holds one of `roles`."""
    wanted = set(roles)
    out: set[str] = set()
    for r, p in role_paths(user):
        if r in wanted:
            parts = [s for s in p.strip("/").split("/") if s]
            out.update("/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts)))
    return sorted(out)


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
        prefixes = scope_prefixes(user, spec.tree_roles(action))
        side = side_q(self.model, spec, spec.roles_for(action), user) if spec.side_roles() else None
        if not prefixes and side is None and not spec.up:
            return self.none()
        q = path_q(spec.path, prefixes) if prefixes else Q(pk__in=[])
        if spec.up:
            q |= Q(**{f"{spec.path}__in": ancestor_paths(user, spec.tree_roles(action))})
        return self.filter(q | side if side is not None else q)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def can(user: Any, action: str, obj: models.Model) -> bool:
    """Whether `user` may do `action` on `obj` (an in-memory check on the object's org path)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    spec: ScopeSpec = type(obj).scope
    path = object_path(obj)
    prefixes = scope_prefixes(user, spec.tree_roles(action))
    if path is not None and any(path.startswith(p) for p in prefixes):
        return True
    if path is not None and spec.up and path in ancestor_paths(user, spec.tree_roles(action)):
        return True
    roles = spec.roles_for(action)
    grids, departments = side_ids(user) if spec.side_roles() else (frozenset(), frozenset())
    if spec.grid and GRID_LEADER in roles and grids:
        grid = lookup_value(obj, spec.grid)
        if getattr(grid, "pk", grid) in grids:
            return True
    if spec.department and DEPT_LIAISON in roles and departments and obj.pk is not None:
        return (
            type(obj)._default_manager.filter(pk=obj.pk, **{f"{spec.department}__in": departments}).exists()
        )
    return False


def object_path(obj: models.Model) -> str | None:
    return lookup_value(obj, type(obj).scope.path)


def lookup_value(obj: models.Model, lookup: str) -> Any:
    value: Any = obj
    for part in lookup.split("__"):
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
