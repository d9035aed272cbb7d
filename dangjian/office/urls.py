from django.urls import path

from . import requests_views, views

urlpatterns = [
    path("", views.structure, name="office-structure"),
    path("posts/new/", views.PostCreateView.as_view(), name="office-post-new"),
    path("posts/<int:pk>/", views.PostDetailView.as_view(), name="office-post-detail"),
    path("posts/<int:pk>/edit/", views.PostEditView.as_view(), name="office-post-edit"),
    path("posts/<int:pk>/duties/", views.PostDutiesView.as_view(), name="office-post-duties"),
    path("posts/<int:pk>/appoint/", views.PostAppointView.as_view(), name="office-post-appoint"),
    path("posts/<int:pk>/archive/", views.PostArchiveView.as_view(), name="office-post-archive"),
    path("holders/<int:pk>/end/", views.HolderEndView.as_view(), name="office-holder-end"),
    path("selections/", views.SelectionListView.as_view(), name="office-selections"),
    path("selections/new/", views.SelectionCreateView.as_view(), name="office-selection-new"),
    path("selections/<int:pk>/", views.SelectionDetailView.as_view(), name="office-selection-detail"),
    path("selections/<int:pk>/steps/", views.SelectionStepView.as_view(), name="office-selection-step"),
    path("coverage/", views.CoverageView.as_view(), name="office-coverage"),
    path("contact-points/", views.ContactPointListView.as_view(), name="office-contact-points"),
    path("contact-points/<int:pk>/end/", views.ContactEndView.as_view(), name="office-contact-end"),
    path("contact-leaders/", views.contact_leaders, name="office-contact-leaders"),
    path("contact-leaders/new/", views.LeaderCreateView.as_view(), name="office-contact-leader-new"),
    path("contact-leaders/<int:pk>/", views.LeaderDetailView.as_view(), name="office-contact-leader-detail"),
    path(
        "contact-leaders/<int:pk>/villages/",
        views.LeaderVillagesView.as_view(),
        name="office-contact-leader-villages",
    ),
    path(
        "contact-leaders/<int:pk>/visits/",
        views.LeaderVisitView.as_view(),
        name="office-contact-leader-visit",
    ),
    path("field-visits/", views.FieldVisitListView.as_view(), name="office-field-visits"),
    path("field-visits/new/", views.FieldVisitCreateView.as_view(), name="office-field-visit-new"),
    path("field-visits/weeks/", views.field_weeks, name="office-field-weeks"),
    path("field-visits/<int:pk>/", views.FieldVisitDetailView.as_view(), name="office-field-visit-detail"),
    path("staffing/", requests_views.StaffingView.as_view(), name="office-staffing"),
    path("requests/", requests_views.RequestListView.as_view(), name="office-requests"),
    path("requests/new/", requests_views.RequestCreateView.as_view(), name="office-request-new"),
    path("requests/<int:pk>/", requests_views.RequestDetailView.as_view(), name="office-request-detail"),
    path(
        "requests/<int:pk>/decide/", requests_views.RequestDecideView.as_view(), name="office-request-decide"
    ),
    path(
        "requests/<int:pk>/resubmit/",
        requests_views.RequestResubmitView.as_view(),
        name="office-request-resubmit",
    ),
]
