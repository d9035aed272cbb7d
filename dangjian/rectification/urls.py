from django.urls import path

from . import views

urlpatterns = [
    path("", views.CaseListView.as_view(), name="rectification-list"),
    path("warnings/", views.warnings, name="rectification-warnings"),
    path("new/", views.new_case, name="rectification-new"),
    path("checklists/", views.checklists, name="rectification-checklists"),
    path("case/<int:pk>/", views.CaseDetailView.as_view(), name="rectification-detail"),
    *[
        path(f"case/<int:pk>/{step}/", views.ActionView.as_view(step=step), name=f"rectification-{step}")
        for step in views.ACTIONS
    ],
    path("village/<int:pk>/", views.VillageHistoryView.as_view(), name="rectification-village"),
    path("screenings/", views.ScreeningListView.as_view(), name="rectification-screenings"),
    path("screenings/new/", views.new_screening, name="rectification-screening-new"),
    path("screening/<int:pk>/", views.ScreeningView.as_view(), name="rectification-screening"),
    path(
        "screening/<int:pk>/import/",
        views.ScreeningImportView.as_view(),
        name="rectification-screening-import",
    ),
    path(
        "screening/<int:pk>/confirm/",
        views.ScreeningConfirmView.as_view(),
        name="rectification-screening-confirm",
    ),
]
