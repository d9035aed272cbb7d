from django.urls import path

from . import views

urlpatterns = [
    path("", views.NoticeListView.as_view(), name="notice-list"),
    path("inbox/", views.inbox, name="notice-inbox"),
    path("new/", views.NewNoticeView.as_view(), name="notice-new"),
    path("<int:pk>/", views.NoticeDetailView.as_view(), name="notice-detail"),
    path("<int:pk>/sign/", views.NoticeSignView.as_view(), name="notice-sign"),
    path("receipts/", views.ReceiptListView.as_view(), name="notice-receipt-list"),
    path("files/<int:pk>/", views.AttachmentView.as_view(), name="notice-file"),
    path("study/", views.StudyPushListView.as_view(), name="study-push-list"),
    path("study/new/", views.NewStudyPushView.as_view(), name="study-push-new"),
    path("study/<int:pk>/", views.StudyPushDetailView.as_view(), name="study-push-detail"),
    path("study/receipts/", views.StudyReceiptListView.as_view(), name="study-receipt-list"),
    # The member's public read link. The token is named `pk` because the route matrix fills only `pk`.
    path("s/<slug:pk>/", views.study_read, name="study-read"),
    path("trainings/", views.TrainingListView.as_view(), name="training-list"),
    path("trainings/new/", views.NewTrainingView.as_view(), name="training-new"),
    path("trainings/<int:pk>/", views.TrainingDetailView.as_view(), name="training-detail"),
    path(
        "trainings/<int:pk>/attendance/", views.TrainingAttendanceView.as_view(), name="training-attendance"
    ),
    path("members/<int:pk>/study/", views.MemberStudyView.as_view(), name="member-study-record"),
]
