"""The bell in the top bar: `{% load notifications %}{% notification_bell %}` shows the signed-in user's
unread count (one COUNT query on an indexed column) and links to the notification centre."""

from django import template

from ..models import Notification

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
    return {"unread": unread, "label": "99+" if unread > 99 else str(unread)}


@register.inclusion_tag("notifications/_my_week.html", takes_context=True)
def my_week_panel(context, week=None):
    """Render the "my week" partial from a context value (the workbench passes `my_week`)."""
    return {
        "my_week": week if week is not None else context.get("my_week"),
        "request": context.get("request"),
    }
