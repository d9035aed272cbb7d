from django.urls import path

from . import views

urlpatterns = [
    path("", views.tree, name="org-tree"),
    path("list/", views.OrgListView.as_view(), name="org-list"),
    path("layout/", views.LayoutView.as_view(), name="org-layout"),
    path("import/", views.ImportView.as_view(), name="org-import"),
    path("import/template/", views.import_template, name="org-import-template"),
    path("departments/", views.DepartmentListView.as_view(), name="department-list"),
    path("grids/", views.GridListView.as_view(), name="grid-list"),
    path("<int:pk>/", views.OrgDetailView.as_view(), name="org-detail"),
    path("<int:pk>/new/", views.OrgChildCreateView.as_view(), name="org-create"),
    path("<int:pk>/edit/", views.OrgEditView.as_view(), name="org-edit"),
    path("<int:pk>/move/", views.OrgMoveView.as_view(), name="org-move"),
    path("<int:pk>/archive/", views.OrgArchiveView.as_view(), name="org-archive"),
    path("<int:pk>/history/", views.OrgHistoryView.as_view(), name="org-history"),
    path("<int:pk>/grids/new/", views.grid_create, name="grid-create"),
]
