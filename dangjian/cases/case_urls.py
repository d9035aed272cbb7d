"""The case pages: the list, a case's page and its action routes, opening and editing, evidence
downloads and the county's categories."""

from django.urls import path

from . import action_views as A
from . import views as V

urlpatterns = [
    path("", V.CaseListView.as_view(), name="case-list"),
    path("new/", V.CaseNewView.as_view(), name="case-new"),
    path("<int:pk>/", V.CaseDetailView.as_view(), name="case-detail"),
    path("<int:pk>/edit/", V.CaseEditView.as_view(), name="case-edit"),
    path("<int:pk>/act/", A.ActView.as_view(), name="case-act"),
    path("<int:pk>/route/", A.RouteView.as_view(), name="case-route"),
    path("<int:pk>/decide/", A.DecideView.as_view(), name="case-decide"),
    path("<int:pk>/supervise/", A.SuperviseView.as_view(), name="case-supervise"),
    path("<int:pk>/note/", A.NoteView.as_view(), name="case-note"),
    path("<int:pk>/handover/", A.HandoverView.as_view(), name="case-handover"),
    path("<int:pk>/reopen/", A.ReopenView.as_view(), name="case-reopen"),
    path("<int:pk>/escalate/", A.EscalateView.as_view(), name="case-escalate"),
    path("<int:pk>/publish/", A.PublishView.as_view(), name="case-publish"),
    path("<int:pk>/unpublish/", A.UnpublishView.as_view(), name="case-unpublish"),
    path("<int:pk>/satisfaction/", A.SatisfactionView.as_view(), name="case-satisfaction"),
    path("files/<int:pk>/", V.CaseFileView.as_view(), name="case-file"),
    path("categories/", V.CategoryListView.as_view(), name="case-category-list"),
    path("categories/new/", V.CategoryNewView.as_view(), name="case-category-new"),
    path("categories/<int:pk>/edit/", V.CategoryEditView.as_view(), name="case-category-edit"),
]
