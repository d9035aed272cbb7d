from django.urls import path

from . import views as V

urlpatterns = [
    path("", V.StationListView.as_view(), name="station-list"),
    path("<int:pk>/", V.StationDetailView.as_view(), name="station-detail"),
    path("<int:pk>/staff/new/", V.StaffAddView.as_view(), name="station-staff-add"),
    path("<int:pk>/checklist/", V.ChecklistView.as_view(), name="station-checklist"),
    path("<int:pk>/systems/", V.SystemView.as_view(), name="station-system"),
    path("<int:pk>/inspections/new/", V.InspectionAddView.as_view(), name="station-inspection-add"),
    path("<int:pk>/half-days/new/", V.HalfDayAddView.as_view(), name="station-half-day-add"),
    path("<int:pk>/research/new/", V.RoundAddView.as_view(), name="research-round-add"),
    path("staff/", V.StaffListView.as_view(), name="station-staff-list"),
    path("staff/<int:pk>/edit/", V.StaffEditView.as_view(), name="station-staff-edit"),
    path("staff/<int:pk>/end/", V.StaffEndView.as_view(), name="station-staff-end"),
    path("checklist/<int:pk>/evidence/", V.EvidenceView.as_view(), name="station-evidence"),
    path("inspections/", V.InspectionListView.as_view(), name="station-inspection-list"),
    path("half-days/", V.HalfDayListView.as_view(), name="station-half-day-list"),
    path("research/", V.RoundListView.as_view(), name="research-list"),
    path("research/<int:pk>/", V.RoundDetailView.as_view(), name="research-round"),
    path("research/<int:pk>/report/", V.ReportSubmitView.as_view(), name="research-report-submit"),
    path("research/reports/<int:pk>/file/", V.ReportFileView.as_view(), name="research-report-file"),
    path("research/plans/", V.PlanListView.as_view(), name="research-plan-list"),
    path("research/plans/new/", V.PlanAddView.as_view(), name="research-plan-add"),
    path("research/appraisals/", V.AppraisalListView.as_view(), name="research-appraisal-list"),
    path("research/appraisals/new/", V.AppraisalAddView.as_view(), name="research-appraisal-add"),
    path("research/appraisals/<int:pk>/", V.AppraisalDetailView.as_view(), name="research-appraisal"),
    path(
        "research/appraisals/<int:pk>/scores/",
        V.AppraisalScoreView.as_view(),
        name="research-appraisal-scores",
    ),
]
