"""Yuan with thousands separators and two decimals, as people read money (12,345.60)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    return "" if value is None else f"{Decimal(value):,.2f}"
