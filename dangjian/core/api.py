"""Shared API pieces: pagination, error mapping, and the scoped viewset base."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ActionDenied, DomainError, NotInScope


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """Map domain errors to clear Chinese 4xx answers; never let them become a 500."""
    if isinstance(exc, NotInScope):
        exc = Http404()
    if isinstance(exc, Http404):
        return Response({"detail": "未找到。"}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, ActionDenied):
        return Response({"detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, PermissionDenied):
        return Response({"detail": "您没有执行该操作的权限。"}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        body = {"detail": exc.message, "code": exc.code}
        by_field: dict[str, list[str]] = {}
        for err in getattr(exc, "errors", None) or [exc]:
            if err.field:
                by_field.setdefault(err.field, []).append(err.message)
        body.update(by_field)
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(
            detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    return drf_exception_handler(exc, context)


def validated(serializer_class, data) -> dict:
    """The request body checked by `serializer_class`; a bad field answers 400 beside its name."""
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return dict(s.validated_data)


class ScopedViewSetMixin:
    """get_queryset reads only through `.restrict(user, action)`; writes call service functions."""

    scope_action_map = {
        "list": "view",
        "retrieve": "view",
        "create": "view",
        "update": "view",
        "partial_update": "view",
        "destroy": "view",
    }

    def base_queryset(self):
        return self.queryset

    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, "view")
