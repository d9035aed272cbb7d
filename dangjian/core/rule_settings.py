"""A county's own values for the rules that allow one (`Rule.overridable`): set by the county
organisation department, with the document that decided it, audited. Every check reads them through
`rule_value` / `rule_values`, so a value set here takes effect everywhere at once."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import audit
from .errors import ActionDenied, DomainError, NotInScope
from .models import RuleOverride
from .rules import REGISTRY, Rule
from .scope import can, role_paths

TRUE = {"1", "true", "on", "yes", "是", "开启"}
FALSE = {"0", "false", "off", "no", "否", "关闭", ""}


def overridable_rules() -> list[Rule]:
    return sorted((r for r in REGISTRY.values() if r.overridable), key=lambda r: r.code)


def parse_value(rule: Rule, raw: Any) -> Any:
    """`raw` (form text or JSON) as a value of the same shape as the rule's default."""
    default = rule.value
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(default, bool):
        if isinstance(text, bool):
            return text
        if str(text).lower() in TRUE:
            return True
        if str(text).lower() in FALSE:
            return False
        raise DomainError("请选择“是”或“否”。", "value")
    if isinstance(default, int | float):
        try:
            number = float(text) if isinstance(default, float) else int(str(text))
        except (TypeError, ValueError) as exc:
            raise DomainError(
                f"取值须为{'数字' if isinstance(default, float) else '整数'}（{rule.unit}）。", "value"
            ) from exc
        if number < 0:
            raise DomainError("取值不能为负数。", "value")
        return number
    if isinstance(default, list | tuple):
        if isinstance(text, str):
            parts = text.replace("／", "/").split("/") if "/" in text else None
            try:
                items = [int(p) for p in parts] if parts else json.loads(text)
            except (TypeError, ValueError) as exc:
                raise DomainError("取值格式应为“2/3”或 [2, 3]。", "value") from exc
        else:
            items = text
        if (
            not isinstance(items, list)
            or len(items) != len(default)
            or not all(isinstance(i, int) and i > 0 for i in items)
        ):
            raise DomainError(f"取值应为{len(default)}个正整数，如“2/3”。", "value")
        return items
    text = "" if text is None else str(text)
    if not text:
        raise DomainError("请填写取值。", "value")
    if _is_date(str(default)):
        try:
            datetime.date.fromisoformat(text)
        except ValueError as exc:
            raise DomainError("日期格式应为 2026-05-18。", "value") from exc
    return text


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def set_county_rule(
    actor: Any,
    county: Any,
    code: str,
    value: Any,
    *,
    source: str,
    effective_from: datetime.date | None = None,
) -> RuleOverride:
    """Set (or change) `county`'s own value of rule `code`. Only the county organisation department."""
    rule = REGISTRY.get(code)
    if rule is None or not rule.overridable:
        raise DomainError("该规则不能由县设置。", "code")
    if county is None or county.kind != "county":
        raise DomainError("请选择县（区）。", "county")
    if not can(actor, "change", RuleOverride(county=county)):
        if any(path.startswith(county.path) for _role, path in role_paths(actor)):
            raise ActionDenied("只有县委组织部管理员可以设置本县的规则取值。")
        raise NotInScope
    parsed = parse_value(rule, value)
    source = (source or "").strip()
    if not source:
        raise DomainError("请填写设定依据（如县委组织部文件名称和文号）。", "source")
    if len(source) > 200:
        raise DomainError("设定依据不能超过200字。", "source")
    effective_from = effective_from or timezone.localdate()
    with transaction.atomic():
        row = RuleOverride.objects.select_for_update().filter(county=county, code=code).first()
        before = (
            {"value": row.value, "source": row.source, "effective_from": str(row.effective_from)}
            if row
            else None
        )
        if row is None:
            row = RuleOverride(county=county, code=code)
        row.value, row.source, row.effective_from = parsed, source, effective_from
        row.save()
        audit.record(
            actor,
            "rule.override",
            row,
            org=county,
            before=before,
            after={"value": parsed, "source": source, "effective_from": str(effective_from)},
            note=f"{county.name}：{rule.title} = {parsed}",
        )
    return row
