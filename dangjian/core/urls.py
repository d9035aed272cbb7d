from django.urls import path

from . import views

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots, name="robots"),
    path("rules/", views.rules_page, name="rules"),
    path("audit/", views.AuditEventListView.as_view(), name="audit-list"),
    path("findings/", views.findings_page, name="findings"),
]
