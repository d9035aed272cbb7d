from django.urls import path

from . import views

urlpatterns = [
    path("", views.DeputyListView.as_view(), name="liaison-deputy-list"),
    path("new/", views.DeputyNewView.as_view(), name="liaison-deputy-new"),
    path("<int:pk>/", views.DeputyDetailView.as_view(), name="liaison-deputy-detail"),
    path("<int:pk>/contact/", views.ContactView.as_view(), name="liaison-deputy-contact"),
    path("contacts/", views.ContactListView.as_view(), name="liaison-contact-list"),
    path("meetings/", views.ConsultationListView.as_view(), name="liaison-consultation-list"),
    path("meetings/new/", views.ConsultationNewView.as_view(), name="liaison-consultation-new"),
    path("meetings/<int:pk>/", views.ConsultationDetailView.as_view(), name="liaison-consultation-detail"),
    path("stations/<int:pk>/", views.StationView.as_view(), name="liaison-station"),
]
