"""Every URL declares its scope; the role x route matrix test reads these declarations.

A route without a declaration fails that test, so a new page or endpoint cannot ship unscoped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["public", "user", "list", "object"]


@dataclass(frozen=True)
class RouteScope:
    """kind: public (anyone), user (the signed-in user's own things), list (a scoped list of
    `model`), object (one `model` row named by URL kwarg `kwarg`)."""

    kind: Kind
    model: Any = None
    kwarg: str = "pk"
    exports: bool = False


def scoped(kind: Kind, model: Any = None, kwarg: str = "pk", exports: bool = False) -> Callable:
    def mark(view: Callable) -> Callable:
        view.route_scope = RouteScope(kind, model, kwarg, exports)  # type: ignore[attr-defined]
        return view

    return mark


def route_scope_of(callback: Any) -> RouteScope | None:
    for holder in (
        callback,
        getattr(callback, "view_class", None),
        getattr(callback, "cls", None),
    ):
        scope = getattr(holder, "route_scope", None)
        if scope is not None:
            return scope
    return None
