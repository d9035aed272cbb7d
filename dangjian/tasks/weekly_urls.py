from django.urls import path

from . import weekly_views as V

urlpatterns = [
    path("", V.WeekListView.as_view(), name="weekly-cycle-list"),
    path("mine/", V.MineView.as_view(), name="weekly-mine"),
    path("new/", V.IssueView.as_view(), name="weekly-issue"),
    path("<int:pk>/", V.CycleDetailView.as_view(), name="cycle-detail"),
    path("station/<int:pk>/", V.StationWeekView.as_view(), name="weekly-station"),
    path("station/<int:pk>/relay/", V.StationRelayView.as_view(), name="weekly-station-relay"),
    path("station/<int:pk>/draft/", V.StationDraftView.as_view(), name="weekly-station-draft"),
    path("compilations/", V.CompilationListView.as_view(), name="compilation-list"),
    path("compilations/<int:pk>/", V.CompilationDetailView.as_view(), name="compilation-detail"),
    path("compilations/<int:pk>/edit/", V.CompilationEditView.as_view(), name="compilation-edit"),
    path("compilations/<int:pk>/submit/", V.CompilationSubmitView.as_view(), name="compilation-submit"),
    path("villages/", V.WeeklyAssignmentListView.as_view(), name="weekly-assignment-list"),
    path("settings/", V.SettingsView.as_view(), name="weekly-settings"),
]
