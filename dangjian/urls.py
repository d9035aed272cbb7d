from django.urls import include, path

urlpatterns = [
    path("", include("dangjian.core.urls")),
    path("accounts/", include("dangjian.accounts.urls")),
    path("orgs/", include("dangjian.orgs.urls")),
    path("members/", include("dangjian.members.urls")),
    path("development/", include("dangjian.development.urls")),
    path("api/", include("dangjian.api")),
]
