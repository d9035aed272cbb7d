from django.urls import path

from . import views

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("week/", views.week, name="notification-week"),
    path("preferences/", views.preferences, name="notification-preferences"),
    path("read-all/", views.notification_read_all, name="notification-read-all"),
    path("deliveries/", views.DeliveryListView.as_view(), name="notification-deliveries"),
    path("<int:pk>/open/", views.notification_open, name="notification-open"),
    path("<int:pk>/read/", views.notification_read, name="notification-read"),
]
