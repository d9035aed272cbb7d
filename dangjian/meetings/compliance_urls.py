"""Pages of the compliance engine and the calendar, included by meetings/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
