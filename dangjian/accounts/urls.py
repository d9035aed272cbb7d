from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password-change"),
    path("users/", views.UserListView.as_view(), name="user-list"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user-detail"),
    path("users/<int:pk>/roles/", views.RoleGrantView.as_view(), name="role-grant"),
    path("roles/<int:pk>/revoke/", views.RoleRevokeView.as_view(), name="role-revoke"),
    path("orgs/<int:pk>/users/new/", views.UserCreateView.as_view(), name="user-create"),
    path("orgs/<int:pk>/roles/options/", views.role_choices, name="role-options"),
]
