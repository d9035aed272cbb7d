from django.urls import path

from . import views

urlpatterns = [
    path("", views.IncomeListView.as_view(), name="economy-list"),
    path("none/", views.NoIncomeListView.as_view(), name="economy-none"),
    path("bands/", views.bands, name="economy-bands"),
    path("village/<int:pk>/", views.VillageIncomeView.as_view(), name="economy-village"),
    path("village/<int:pk>/record/", views.RecordView.as_view(), name="economy-record"),
    path(
        "village/<int:pk>/contract-income/",
        views.ContractIncomeView.as_view(),
        name="economy-contract-income",
    ),
    path("village/<int:pk>/assets/new/", views.AssetNewView.as_view(), name="economy-asset-new"),
    path("assets/", views.AssetListView.as_view(), name="economy-assets"),
    path("assets/<int:pk>/", views.AssetDetailView.as_view(), name="economy-asset"),
    path("assets/<int:pk>/edit/", views.AssetEditView.as_view(), name="economy-asset-edit"),
    path("assets/<int:pk>/contracts/new/", views.ContractNewView.as_view(), name="economy-contract-new"),
    path("contracts/<int:pk>/edit/", views.ContractEditView.as_view(), name="economy-contract-edit"),
]
