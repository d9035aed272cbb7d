from django import template
from django.utils.html import format_html_join

from dangjian.core.roles import Role

register = template.Library()


@register.simple_tag
def role_options(choices=None):
    """<option> tags for roles; all roles when no org-specific list is given."""
    items = choices or [(r.value, r.label) for r in Role]
    return format_html_join("", '<option value="{}">{}</option>', items)


@register.filter
def get_item(mapping, key):
    """`{{ rules|get_item:code }}`: a dict lookup by a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None
