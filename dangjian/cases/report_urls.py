"""/cases/report/ (the monthly ledger) and /cases/departments/ (department answer and solution rates)."""

from django.urls import path

from . import report_views as V

urlpatterns = [
    path("report/", V.ledger_page, name="case-report"),
    path("departments/", V.department_page, name="case-department-rates"),
]
