from django.urls import include, path

urlpatterns = [
    path("", include("dangjian.core.urls")),
    path("accounts/", include("dangjian.accounts.urls")),
    path("orgs/", include("dangjian.orgs.urls")),
    path("members/", include("dangjian.members.urls")),
    path("development/", include("dangjian.development.urls")),
    path("meetings/", include("dangjian.meetings.urls")),
    path("office/", include("dangjian.office.urls")),
    path("stations/", include("dangjian.stations.urls")),
    path("notices/", include("dangjian.notices.urls")),
    path("errands/", include("dangjian.errands.urls")),
    path("cases/", include("dangjian.cases.urls")),
    path("tasks/", include("dangjian.tasks.urls")),
    path("notifications/", include("dangjian.notifications.urls")),
    path("reviews/", include("dangjian.reviews.urls")),
    path("api/", include("dangjian.api")),
]
