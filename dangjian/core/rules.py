"""The rules registry: each rule the system checks is data with its source, in one place.

Apps declare their rules in their own `rules.py` with `register(Rule(...))`; a county may store its
own value as a RuleOverride where the rule is local practice rather than national text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    value: Any
    unit: str
    source: str
    article: str = ""
    version: str = "1"
    effective_from: datetime.date = datetime.date(2000, 1, 1)
    confidence: str = "H"  # H, M, L as in shared/domain/rules.md
    scope: str = "national"  # national, provincial, local
    overridable: bool = False


REGISTRY: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    REGISTRY[rule.code] = rule
    return rule


def rule_value(code: str, county: Any = None) -> Any:
    """The value in force for `county` (an Org of kind county), else the registered default."""
    rule = REGISTRY[code]
    if county is not None and rule.overridable:
        from .models import RuleOverride

        override = (
            RuleOverride.objects.filter(county=county, code=code, effective_from__lte=timezone.localdate())
            .values_list("value", flat=True)
            .first()
        )
        if override is not None:
            return override
    return rule.value


def rule_values(code: str, county_ids: Iterable[int | None]) -> dict[int | None, Any]:
    """Values in force for many counties at once (one query), keyed by county id."""
    rule = REGISTRY[code]
    ids = set(county_ids)
    values: dict[int | None, Any] = {pk: rule.value for pk in ids} | {None: rule.value}
    if rule.overridable and ids - {None}:
        from .models import RuleOverride

        for county_id, value in RuleOverride.objects.filter(
            code=code, county_id__in=ids - {None}, effective_from__lte=timezone.localdate()
        ).values_list("county_id", "value"):
            values[county_id] = value
    return values


def all_rules() -> list[Rule]:
    return sorted(REGISTRY.values(), key=lambda r: r.code)
