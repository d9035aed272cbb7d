"""Turns domain errors that escape a view into clear 4xx pages instead of a 500."""

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
