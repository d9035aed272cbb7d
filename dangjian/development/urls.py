from django.urls import path

from . import views

urlpatterns = [
    path("", views.board, name="development-board"),
    path("cases/", views.CaseListView.as_view(), name="development-case-list"),
    path("new/", views.NewCaseView.as_view(), name="development-new"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="development-case"),
    path("cases/<int:pk>/step/", views.CaseStepView.as_view(), name="development-step"),
    path("cases/<int:pk>/stop/", views.StopCaseView.as_view(), name="development-stop"),
    path("steps/<int:pk>/correct/", views.CorrectStepView.as_view(), name="development-correct"),
    path("steps/<int:pk>/documents/", views.DocumentUploadView.as_view(), name="development-upload"),
    path("documents/<int:pk>/", views.DocumentDownloadView.as_view(), name="development-document"),
]
