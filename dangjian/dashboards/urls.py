from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="dashboard-home"),
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/screen/", views.screen, name="dashboard-screen"),
    path("<int:pk>/data/", views.data, name="dashboard-data"),
    path("<int:pk>/export/", views.export, name="dashboard-export"),
]
