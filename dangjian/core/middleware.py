"""Turns domain errors that escape a view into clear 4xx pages instead of a 500; keeps idle sessions
sliding without a database write on every page."""

import time

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from .errors import ActionDenied, DomainError, NotInScope


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotInScope):
            raise Http404("未找到")
        if isinstance(exception, ActionDenied):
            return render(
                request, "core/error.html", {"status": 403, "message": exception.message}, status=403
            )
        if isinstance(exception, DomainError):
            return render(
                request, "core/error.html", {"status": 400, "message": exception.message}, status=400
            )
        return None


_now = time.time


class IdleSessionMiddleware:
    """Sessions end SESSION_COOKIE_AGE after the last request (30 idle minutes), as Django's
    SESSION_SAVE_EVERY_REQUEST would do, but the expiry is pushed forward at most once every
    SESSION_REFRESH_SECONDS: saving it on every page cost a write and a commit (up to 30 ms of waiting on
    the disk) per page view. A session thus ends between 29 and 30 minutes after its last request."""

    KEY = "_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.modified:
            now = int(_now())
            last = session.get(self.KEY, 0)  # loads it; a cookie whose session is gone loses its key
            if session.session_key and now - last >= settings.SESSION_REFRESH_SECONDS:
                session[self.KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return response


def session_refreshed_at_login(sender, request, user, **kwargs) -> None:
    """Signing in saves the session with a fresh expiry: the minute starts there."""
    session = getattr(request, "session", None)
    if session is not None:
        session[IdleSessionMiddleware.KEY] = int(_now())
