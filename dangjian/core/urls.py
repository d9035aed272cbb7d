from django.urls import path

from . import rule_settings_views, views, workday_views

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots, name="robots"),
    path("rules/", views.rules_page, name="rules"),
    path("rules/county/", rule_settings_views.county_rules, name="county-rules"),
    path("rules/calendar/", workday_views.workday_calendar, name="workday-calendar"),
    path("rules/calendar/<int:pk>/delete/", workday_views.WorkdayRemoveView.as_view(), name="workday-remove"),
    path("audit/", views.AuditEventListView.as_view(), name="audit-list"),
    path("findings/", views.findings_page, name="findings"),
]
