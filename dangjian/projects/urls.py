from django.urls import path

from . import views

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="projects-list"),
    path("new/", views.new_project, name="projects-new"),
    path("rollup/", views.rollup, name="projects-rollup"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="projects-detail"),
    path("<int:pk>/edit/", views.ProjectEditView.as_view(), name="projects-edit"),
    *[
        path(f"<int:pk>/{step}/", views.ActionView.as_view(step=step), name=f"projects-{step}")
        for step in views.ACTIONS
    ],
    path("milestone/<int:pk>/done/", views.MilestoneDoneView.as_view(), name="projects-milestone-done"),
    path("source/<int:pk>/delete/", views.SourceDeleteView.as_view(), name="projects-source-delete"),
    path("outcome/<int:pk>/delete/", views.OutcomeDeleteView.as_view(), name="projects-outcome-delete"),
    path("file/<int:pk>/", views.FileDownloadView.as_view(), name="projects-file-download"),
    path("file/<int:pk>/delete/", views.FileDeleteView.as_view(), name="projects-file-delete"),
]
