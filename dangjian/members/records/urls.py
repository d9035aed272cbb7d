"""Included under /members/ after the roster's own routes."""

from django.urls import path

from . import views

urlpatterns = [
    path("mobile/", views.MobileListView.as_view(), name="mobile-list"),
    path("mobile/<int:pk>/", views.MobileDetailView.as_view(), name="mobile-detail"),
    path("mobile/<int:pk>/end/", views.MobileEndView.as_view(), name="mobile-end"),
    path("mobile/<int:pk>/activities/", views.MobileActivityView.as_view(), name="mobile-activity"),
    path("<int:pk>/mobile/", views.MobileStartView.as_view(), name="mobile-start"),
    path("lost-contact/", views.LostContactListView.as_view(), name="lost-contact-list"),
    path("<int:pk>/standing/", views.StandingView.as_view(), name="member-standing"),
    path("transfers/", views.TransferListView.as_view(), name="transfer-list"),
    path("transfers/receive/", views.TransferReceiveView.as_view(), name="transfer-receive"),
    path("transfers/<int:pk>/", views.TransferDetailView.as_view(), name="transfer-detail"),
    path("transfers/<int:pk>/confirm/", views.TransferConfirmView.as_view(), name="transfer-confirm"),
    path("transfers/<int:pk>/cancel/", views.TransferCancelView.as_view(), name="transfer-cancel"),
    path("<int:pk>/transfer/", views.TransferStartView.as_view(), name="transfer-start"),
    path("households/", views.HouseholdListView.as_view(), name="household-list"),
    path("households/new/", views.HouseholdCreateView.as_view(), name="household-create"),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household-detail"),
    path("households/<int:pk>/links/", views.HouseholdLinkView.as_view(), name="household-link"),
    path("household-links/<int:pk>/end/", views.HouseholdUnlinkView.as_view(), name="household-unlink"),
    path("household-links/<int:pk>/visits/", views.HouseholdVisitView.as_view(), name="household-visit"),
    path("dues/", views.DuesListView.as_view(), name="dues-list"),
    path("dues/collect/", views.dues_collect, name="dues-collect"),
    path("<int:pk>/dues/", views.MemberDuesView.as_view(), name="member-dues"),
]
