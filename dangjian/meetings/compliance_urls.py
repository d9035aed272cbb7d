"""Pages of the compliance engine and the calendar, included by meetings/urls.py."""

from django.urls import path

from . import compliance_views

urlpatterns: list = [
    path("compliance/", compliance_views.compliance_page, name="meeting-compliance"),
    path("calendar/", compliance_views.calendar_page, name="meeting-calendar"),
]
