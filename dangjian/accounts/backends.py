"""Authentication: demo accounts log in only while demo logins are enabled (DEBUG by default)."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class PlatformBackend(ModelBackend):
    def user_can_authenticate(self, user):
        if getattr(user, "is_demo", False) and not settings.DEMO_LOGINS_ENABLED:
            return False
        return super().user_can_authenticate(user)


class PlatformTokenAuthentication(TokenAuthentication):
    """API tokens obey the same rule: a demo account's token stops working when demo logins are off."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if not PlatformBackend().user_can_authenticate(user):
            raise exceptions.AuthenticationFailed("该账号当前不能登录。")
        return user, token
