"""Scoped reads of the tree that pages and the API share (a fixed number of queries each)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.db.models.functions import Substr

from dangjian.core.roles import ALL_ROLES
from dangjian.core.scope import scope_prefixes

from .choices import ALLOWED_CHILDREN, OrgKind
from .models import PATH_SEGMENT, Org


def scope_roots(user: Any) -> list[Org]:
    """The top orgs of the user's scope (where their roles sit), or the real roots for a superuser."""
    if user.is_superuser:
        return list(Org.objects.filter(parent__isnull=True).order_by("sort_order", "name"))
    return list(Org.objects.filter(path__in=scope_prefixes(user, ALL_ROLES)).order_by("path"))


def children_with_counts(user: Any, node: Org, include_archived: bool = False) -> list[Org]:
    """Children of `node` in scope, each with `.counts` {kind: n} over its whole active subtree."""
    children_qs = Org.objects.restrict(user).filter(parent=node)
    if not include_archived:
        children_qs = children_qs.filter(archived_at__isnull=True)
    children = list(children_qs.order_by("sort_order", "name"))
    if not children:
        return children
    prefix_len = len(node.path) + PATH_SEGMENT + 1
    rows = (
        Org.objects.restrict(user)
        .filter(path__startswith=node.path, depth__gt=node.depth + 1, archived_at__isnull=True)
        .annotate(prefix=Substr("path", 1, prefix_len))
        .values("prefix", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["prefix"], {})[row["kind"]] = row["n"]
    for child in children:
        c = counts.get(child.path, {})
        child.counts = [(OrgKind(k).label, c[k]) for k in OrgKind.values if c.get(k)]
    return children


def subtree_counts(user: Any, node: Org) -> list[tuple[str, int]]:
    rows = dict(
        Org.objects.restrict(user)
        .filter(path__startswith=node.path, depth__gt=node.depth, archived_at__isnull=True)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return [(OrgKind(k).label, rows[k]) for k in OrgKind.values if rows.get(k)]


def visible_ancestors(user: Any, node: Org) -> list[Org]:
    ids = node.ancestor_ids()
    if not ids:
        return []
    found = {o.pk: o for o in Org.objects.restrict(user).filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def parent_candidates(user: Any, org: Org, q: str = "", limit: int = 300) -> list[Org]:
    """Orgs the user may move `org` under: the right kind, in scope, not inside `org` itself."""
    from .filtersets import name_search

    kinds = [k for k, allowed in ALLOWED_CHILDREN.items() if k and org.kind in allowed]
    qs = (
        Org.objects.restrict(user, "move")
        .filter(kind__in=kinds, archived_at__isnull=True)
        .exclude(path__startswith=org.path)
        .exclude(pk=org.parent_id)
    )
    if q:
        qs = name_search(qs, "search", q)
    return list(qs.select_related("parent").order_by("path")[:limit])
