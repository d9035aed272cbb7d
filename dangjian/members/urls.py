from django.urls import include, path

from . import views

urlpatterns = [
    *views.urlpatterns,
    path("", include("dangjian.members.records.urls")),
]
