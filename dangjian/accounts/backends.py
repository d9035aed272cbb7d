"""Authentication: demo accounts log in only while demo logins are enabled (DEBUG by default)."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PlatformBackend(ModelBackend):
    def user_can_authenticate(self, user):
        if getattr(user, "is_demo", False) and not settings.DEMO_LOGINS_ENABLED:
            return False
        return super().user_can_authenticate(user)
