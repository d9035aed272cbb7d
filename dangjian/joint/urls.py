from django.urls import path

from . import views

urlpatterns = [
    path("", views.JointListView.as_view(), name="joint-list"),
    path("org/<int:pk>/", views.JointOrgView.as_view(), name="joint-org"),
    path("org/<int:pk>/appoint/", views.AppointView.as_view(), name="joint-appoint"),
    path("posts/<int:pk>/end/", views.EndPostView.as_view(), name="joint-post-end"),
]
