from django.urls import path

from . import duty_views, views

urlpatterns = [
    path("", views.CommitteeListView.as_view(), name="village-committee-list"),
    path("posts/", views.PostListView.as_view(), name="village-post-list"),
    path("seats/", views.seat_tables, name="village-seats"),
    path("village/<int:pk>/", views.VillageView.as_view(), name="village-detail"),
    path(
        "village/<int:pk>/committee/new/", views.CommitteeCreateView.as_view(), name="village-committee-new"
    ),
    path("village/<int:pk>/profile/", views.ProfileView.as_view(), name="village-profile"),
    path("committee/<int:pk>/appoint/", views.AppointView.as_view(), name="village-appoint"),
    path("post/<int:pk>/end/", views.EndPostView.as_view(), name="village-post-end"),
    path("village/<int:pk>/duty/", duty_views.DutyWeekView.as_view(), name="village-duty"),
    path("village/<int:pk>/duty/new/", duty_views.DutySlotCreateView.as_view(), name="village-duty-new"),
    path("duty-slot/<int:pk>/check/", duty_views.DutyCheckInView.as_view(), name="village-duty-check"),
    path("duty-slot/<int:pk>/end/", duty_views.DutyEndView.as_view(), name="village-duty-end"),
    path("duty-gaps/", duty_views.duty_gaps, name="village-duty-gaps"),
]
