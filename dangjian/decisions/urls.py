from django.urls import path

from . import views

urlpatterns = [
    path("", views.DecisionListView.as_view(), name="decision-list"),
    path("new/", views.DecisionNewView.as_view(), name="decision-new"),
    path("<int:pk>/", views.DecisionDetailView.as_view(), name="decision-detail"),
    path("<int:pk>/step/", views.DecisionStepView.as_view(), name="decision-step"),
    path("<int:pk>/opinions/", views.OpinionAddView.as_view(), name="decision-opinion-add"),
]
