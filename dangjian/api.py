"""/api/v1/: one router for every app's endpoints, plus the OpenAPI schema and Swagger UI."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from dangjian.accounts import api as accounts_api
from dangjian.cadres import api as cadres_api
from dangjian.cases import api as cases_api
from dangjian.core.api_views import AuditEventViewSet, RuleOverrideViewSet, WorkdayOverrideViewSet
from dangjian.core.routes import RouteScope
from dangjian.dashboards import api as dashboards_api
from dangjian.decisions import api as decisions_api
from dangjian.development import api as development_api
from dangjian.economy import api as economy_api
from dangjian.errands import api as errands_api
from dangjian.funds import api as funds_api
from dangjian.joint import api as joint_api
from dangjian.liaison import api as liaison_api
from dangjian.meetings import api as meetings_api
from dangjian.members import api as members_api
from dangjian.members.records import api as records_api
from dangjian.notices import api as notices_api
from dangjian.notifications import api as notifications_api
from dangjian.office import api as office_api
from dangjian.orgs import api as orgs_api
from dangjian.projects import api as projects_api
from dangjian.rectification import api as rectification_api
from dangjian.reviews import api as reviews_api
from dangjian.scoring import api as scoring_api
from dangjian.stations import api as stations_api
from dangjian.tasks import api as tasks_api
from dangjian.villages import api as villages_api
from dangjian.volunteers import api as volunteers_api

router = DefaultRouter()
router.include_root_view = False
router.include_format_suffixes = False
router.register("orgs", orgs_api.OrgViewSet, basename="api-org")
router.register("departments", orgs_api.DepartmentViewSet, basename="api-department")
router.register("grids", orgs_api.GridViewSet, basename="api-grid")
router.register("users", accounts_api.UserViewSet, basename="api-user")
router.register("audit-events", AuditEventViewSet, basename="api-auditevent")
router.register("workday-overrides", WorkdayOverrideViewSet, basename="api-workdayoverride")
router.register("rule-overrides", RuleOverrideViewSet, basename="api-ruleoverride")
members_api.register(router)
records_api.register(router)
development_api.register(router)
meetings_api.register(router)
office_api.register(router)
stations_api.register(router)
notices_api.register(router)
errands_api.register(router)
cases_api.register(router)
tasks_api.register(router)
notifications_api.register(router)
reviews_api.register(router)
villages_api.register(router)
decisions_api.register(router)
cadres_api.register(router)
rectification_api.register(router)
economy_api.register(router)
projects_api.register(router)
funds_api.register(router)
scoring_api.register(router)
dashboards_api.register(router)
volunteers_api.register(router)
liaison_api.register(router)
joint_api.register(router)


class SchemaView(SpectacularAPIView):
    route_scope = RouteScope("public")


class DocsView(SpectacularSwaggerSplitView):
    """The init script is served as a file (?script), so the page needs no inline script under the CSP."""

    route_scope = RouteScope("public")


urlpatterns = [
    path("v1/auth/token/", accounts_api.obtain_token, name="api-token"),
    path("v1/me/", accounts_api.me, name="api-me"),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/", include(router.urls)),
]
