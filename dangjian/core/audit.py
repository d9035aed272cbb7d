"""The audit trail: who did what to which object, when, and the values before and after."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from .models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model | None, fields: list[str] | None = None) -> dict[str, Any]:
    """The audited fields of `obj` as JSON-ready values. Models may list `audit_fields` and
    `audit_masked` (values replaced by a marker so the trail never stores personal data)."""
    if obj is None:
        return {}
    names = (
        fields
        or getattr(obj, "audit_fields", None)
        or [f.attname for f in obj._meta.concrete_fields if not f.primary_key]
    )
    masked = set(getattr(obj, "audit_masked", ()))
    data: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name, None)
        data[name] = "(已隐藏)" if name in masked and value else _plain(value)
    return data


def record(
    actor: Any,
    action: str,
    obj: models.Model | None,
    *,
    org: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Write one audit row; call inside the service's transaction so it commits with the change."""
    changed_before, changed_after = before or {}, after or {}
    if before is not None and after is not None:
        keys = [k for k in after.keys() | before.keys() if before.get(k) != after.get(k)]
        changed_before = {k: before.get(k) for k in sorted(keys)}
        changed_after = {k: after.get(k) for k in sorted(keys)}
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(getattr(actor, "display_name", "") or getattr(actor, "username", "") or "系统")
        if actor
        else "系统",
        org=org,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        before=changed_before,
        after=changed_after,
        note=note,
    )
