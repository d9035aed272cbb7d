"""The navigation and the signed-in user's scope, available to every page."""

from django.conf import settings


def shell(request):
    return {"DEMO_MODE": settings.DEMO_LOGINS_ENABLED, "SITE_NAME": "乡镇党建办工作平台"}
