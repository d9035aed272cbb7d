"""Template filters of the office pages: half days as days, a Monday as an HTML week value."""

import datetime

from django import template

from ..weeks import days_text, week_param

register = template.Library()


@register.filter
def days(half_days: int) -> str:
    return days_text(int(half_days or 0))


@register.filter
def iso_week(monday: datetime.date) -> str:
    return week_param(monday)
