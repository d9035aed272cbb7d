from django.urls import path

from . import views as V

urlpatterns = [
    path("", V.ServiceListView.as_view(), name="errand-service-list"),
    path("new/", V.ServiceAddView.as_view(), name="errand-service-add"),
    path("<int:pk>/", V.ServiceEditView.as_view(), name="errand-service-edit"),
    path("<int:pk>/archive/", V.ServiceArchiveView.as_view(), name="errand-service-archive"),
    path("public/<int:pk>/", V.public_catalogue, name="errand-public"),
    path("centres/", V.CentreListView.as_view(), name="service-centre-list"),
    path("centres/new/", V.CentreAddView.as_view(), name="service-centre-add"),
    path("centres/<int:pk>/", V.CentreEditView.as_view(), name="service-centre-edit"),
    path("centres/<int:pk>/archive/", V.CentreArchiveView.as_view(), name="service-centre-archive"),
    path("schedule/", V.schedule, name="service-schedule"),
    path("sessions/", V.SessionListView.as_view(), name="service-session-list"),
    path("sessions/new/", V.SessionAddView.as_view(), name="service-session-add"),
    path("sessions/<int:pk>/", V.SessionEditView.as_view(), name="service-session-edit"),
    path("diaries/", V.DiaryListView.as_view(), name="diary-list"),
    path("diaries/new/", V.DiaryAddView.as_view(), name="diary-add"),
    path("diaries/<int:pk>/", V.DiaryDetailView.as_view(), name="diary-detail"),
    path("diaries/<int:pk>/edit/", V.DiaryEditView.as_view(), name="diary-edit"),
    path("cards/", V.CardListView.as_view(), name="contact-card-list"),
    path("cards/<int:pk>/", V.contact_card, name="contact-card"),
]
