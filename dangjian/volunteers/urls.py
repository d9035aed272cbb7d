from django.urls import path

from . import views

urlpatterns = [
    path("", views.TeamListView.as_view(), name="volunteer-team-list"),
    path("new/", views.TeamNewView.as_view(), name="volunteer-team-new"),
    path("<int:pk>/", views.TeamDetailView.as_view(), name="volunteer-team-detail"),
    path("<int:pk>/enrol/", views.EnrolView.as_view(), name="volunteer-team-enrol"),
    path("<int:pk>/callout/", views.CallOutNewView.as_view(), name="volunteer-callout-new"),
    path("callouts/", views.CallOutListView.as_view(), name="volunteer-callout-list"),
    path("callouts/<int:pk>/", views.CallOutDetailView.as_view(), name="volunteer-callout-detail"),
    path(
        "callouts/<int:pk>/attendance/", views.AttendanceView.as_view(), name="volunteer-callout-attendance"
    ),
    path("members/", views.TeamMemberListView.as_view(), name="volunteer-member-list"),
]
