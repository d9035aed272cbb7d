from django.urls import include, path

from . import views

urlpatterns: list = [
    path("", views.MeetingListView.as_view(), name="meeting-list"),
    path("new/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path("attendance/", views.AttendanceListView.as_view(), name="attendance-list"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting-edit"),
    path("<int:pk>/held/", views.HeldView.as_view(), name="meeting-held"),
    path("<int:pk>/cancel/", views.CancelView.as_view(), name="meeting-cancel"),
    path("<int:pk>/attendance/", views.AttendanceView.as_view(), name="meeting-attendance"),
    path("<int:pk>/attendees/", views.AddAttendeeView.as_view(), name="meeting-attendee-add"),
    path("<int:pk>/minutes/", views.MinutesView.as_view(), name="meeting-minutes"),
    path("<int:pk>/approve/", views.ApproveView.as_view(), name="meeting-approve"),
    path("<int:pk>/reopen/", views.ReopenView.as_view(), name="meeting-reopen"),
    path("<int:pk>/guide/", views.GuideView.as_view(), name="meeting-guide"),
    path("<int:pk>/files/", views.UploadView.as_view(), name="meeting-upload"),
    path("<int:pk>/sign-in/", views.SignInView.as_view(), name="meeting-sign-in"),
    path("<int:pk>/sign-in/open/", views.OpenSignInView.as_view(), name="meeting-sign-in-open"),
    path("attendances/<int:pk>/remove/", views.RemoveAttendeeView.as_view(), name="meeting-attendee-remove"),
    path("files/<int:pk>/", views.FileDownloadView.as_view(), name="meeting-file"),
    path("files/<int:pk>/delete/", views.FileDeleteView.as_view(), name="meeting-file-delete"),
    path("", include("dangjian.meetings.compliance_urls")),
]
