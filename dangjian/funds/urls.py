from django.urls import path

from . import views

urlpatterns = [
    path("", views.FundListView.as_view(), name="funds-list"),
    path("new/", views.new_fund, name="funds-new"),
    path("allocations/", views.AllocationListView.as_view(), name="funds-allocations"),
    path("disbursements/", views.DisbursementListView.as_view(), name="funds-disbursements"),
    path("fund/<int:pk>/", views.FundDetailView.as_view(), name="funds-detail"),
    path("fund/<int:pk>/allocate/", views.FundAllocateView.as_view(), name="funds-allocate"),
    path("allocation/<int:pk>/", views.AllocationDetailView.as_view(), name="funds-allocation"),
    path("allocation/<int:pk>/allocate/", views.AllocationAllocateView.as_view(), name="funds-reallocate"),
    path("allocation/<int:pk>/disburse/", views.DisburseView.as_view(), name="funds-disburse"),
    path("village/<int:pk>/", views.VillageFundsView.as_view(), name="funds-village"),
]
