from django.urls import path

from . import views

urlpatterns = [
    path("reserve/", views.ReserveListView.as_view(), name="reserve-list"),
    path("reserve/new/", views.ReserveNewView.as_view(), name="reserve-new"),
    path("reserve/<int:pk>/", views.ReserveDetailView.as_view(), name="reserve-detail"),
    path("reserve/<int:pk>/edit/", views.ReserveEditView.as_view(), name="reserve-edit"),
    path("reserve/<int:pk>/leave/", views.ReserveLeaveView.as_view(), name="reserve-leave"),
    path("reserve/<int:pk>/mentor/", views.MentorshipNewView.as_view(), name="reserve-mentor"),
    path("reserve/<int:pk>/choose/", views.ChooseView.as_view(), name="reserve-choose"),
    path("mentorships/", views.MentorshipListView.as_view(), name="mentorship-list"),
    path("mentorship/<int:pk>/", views.MentorshipDetailView.as_view(), name="mentorship-detail"),
    path("mentorship/<int:pk>/activity/", views.ActivityView.as_view(), name="mentorship-activity"),
    path("mentorship/<int:pk>/evaluate/", views.EvaluationView.as_view(), name="mentorship-evaluate"),
    path("selection/<int:pk>/coaching/", views.CoachingNewView.as_view(), name="selection-coaching"),
    path("coachings/", views.CoachingListView.as_view(), name="coaching-list"),
    path("coaching/<int:pk>/", views.CoachingDetailView.as_view(), name="coaching-detail"),
    path("coaching/<int:pk>/session/", views.SessionView.as_view(), name="coaching-session"),
    path("pay/", views.PayBatchListView.as_view(), name="pay-batch-list"),
    path("pay/new/", views.PayBatchNewView.as_view(), name="pay-batch-new"),
    path("pay/<int:pk>/", views.PayBatchDetailView.as_view(), name="pay-batch-detail"),
    path("pay/<int:pk>/approve/", views.PayBatchApproveView.as_view(), name="pay-batch-approve"),
    path("pay/<int:pk>/export/", views.PayBatchExportView.as_view(), name="pay-batch-export"),
    path("pay/lines/", views.PayLineListView.as_view(), name="pay-line-list"),
    path("pay/schemes/", views.SchemeView.as_view(), name="pay-scheme-list"),
    path("pay/assessments/", views.AssessmentListView.as_view(), name="assessment-list"),
    path("pay/assessments/new/", views.AssessmentNewView.as_view(), name="assessment-new"),
    path("pay/accounts/new/", views.AccountNewView.as_view(), name="pay-account-new"),
]
