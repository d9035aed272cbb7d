from django.urls import include, path

from . import views as V

urlpatterns = [
    path("", V.TaskListListView.as_view(), name="tasklist-list"),
    path("new/", V.NewTaskListView.as_view(), name="tasklist-new"),
    path("<int:pk>/", V.TaskListDetailView.as_view(), name="tasklist-detail"),
    path("<int:pk>/add/", V.AddTaskView.as_view(), name="task-new"),
    path("task/<int:pk>/", V.TaskDetailView.as_view(), name="task-detail"),
    path("task/<int:pk>/edit/", V.EditTaskView.as_view(), name="task-edit"),
    path("task/<int:pk>/dispatch/", V.DispatchView.as_view(), name="task-dispatch"),
    path("assignments/", V.AssignmentListView.as_view(), name="assignment-list"),
    path("assignments/mine/", V.MyAssignmentsView.as_view(), name="assignment-mine"),
    path("assignments/<int:pk>/", V.AssignmentDetailView.as_view(), name="assignment-detail"),
    path("assignments/<int:pk>/report/", V.ReportView.as_view(), name="assignment-report"),
    path("assignments/<int:pk>/relay/", V.RelayView.as_view(), name="assignment-relay"),
    path("files/<int:pk>/", V.ReportFileView.as_view(), name="taskreport-file"),
    path("rollup/", V.rollup_page, name="task-rollup"),
    path("weeks/", include("dangjian.tasks.weekly_urls")),
]
