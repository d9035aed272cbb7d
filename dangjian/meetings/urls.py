from django.urls import include, path

urlpatterns: list = [
    path("", include("dangjian.meetings.compliance_urls")),
]
