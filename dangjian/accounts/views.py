"""Sign-in, password change, and managing the users of one's own subtree."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View
from django.views.decorators.http import require_POST

from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.routes import RouteScope, scoped
from dangjian.core.scope import can, get_scoped_or_404
from dangjian.core.views_base import ScopedListView
from dangjian.orgs.models import Department, Org

from . import services
from .filtersets import UserFilter
from .forms import LoginForm, PasswordChangeForm, RoleGrantForm, UserCreateForm, UserEditForm, roles_for_kind
from .models import RoleAssignment, User
from .tables import UserTable, mask_phone


class LoginView(auth_views.LoginView):
    route_scope = RouteScope("public")
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@scoped("public")
@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("login")


@scoped("user")
@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else "new_password", exc.message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("workbench")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


class UserListView(ScopedListView):
    model = User
    table_class = UserTable
    filterset_class = UserFilter
    title = "用户"

    def base_queryset(self):
        return User.objects.prefetch_related(
            Prefetch("roles", queryset=RoleAssignment.objects.select_related("org"))
        )


class UserDetailView(View):
    route_scope = RouteScope("object", model=User)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.object = get_scoped_or_404(User, request.user, "view", pk=kwargs["pk"])
        self.can_manage = (
            request.user.is_superuser
            or User.objects.restrict(request.user, "manage_users").filter(pk=self.object.pk).exists()
        ) and self.object != request.user
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk, form=None, status=200):
        u = self.object
        roles = list(u.roles.select_related("org", "department", "grid"))
        visible = set(
            Org.objects.restrict(request.user)
            .filter(pk__in=[r.org_id for r in roles])
            .values_list("pk", flat=True)
        )
        for r in roles:
            r.visible = r.org_id in visible
        form = form or UserEditForm(
            initial={"real_name": u.real_name, "phone": u.phone, "email": u.email, "is_active": u.is_active}
        )
        return render(
            request,
            "accounts/user_detail.html",
            {
                "u": u,
                "roles": roles,
                "form": form,
                "can_manage": self.can_manage,
                "phone": u.phone if self.can_manage or u == request.user else mask_phone(u.phone),
                "history": AuditEvent.objects.restrict(request.user).filter(
                    object_type="accounts.user", object_id=str(u.pk)
                )[:20],
            },
            status=status,
        )

    def post(self, request, pk):
        if not self.can_manage:
            raise Http404("未找到")
        form = UserEditForm(request.POST)
        if form.is_valid():
            try:
                services.update_user(request.user, self.object, **form.cleaned_data)
            except (DomainError, ActionDenied) as exc:
                form.add_error(
                    getattr(exc, "field", None) if getattr(exc, "field", None) in form.fields else None,
                    exc.message,
                )
            else:
                messages.success(request, "已保存。")
                return redirect("user-detail", pk=pk)
        return self.get(request, pk, form=form, status=400)


class UserCreateView(View):
    """Create a user with a role on this org (the org's page links here)."""

    route_scope = RouteScope("object", model=Org)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.org = get_scoped_or_404(Org, request.user, "view", pk=kwargs["pk"])
        if not can(request.user, "manage_users", self.org):
            return render(
                request,
                "core/error.html",
                {"status": 403, "message": "您的角色无权在此新建用户。"},
                status=403,
            )
        in_scope = Department.objects.restrict(request.user).filter(county=self.org)
        self.departments = list(in_scope) if self.org.kind == "county" else []
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.show(UserCreateForm(org=self.org, departments=self.departments))

    def post(self, request, pk):
        form = UserCreateForm(request.POST, org=self.org, departments=self.departments)
        if form.is_valid():
            d = form.cleaned_data
            dept = next((x for x in self.departments if x.pk == d.get("department")), None)
            try:
                user = services.create_user(
                    request.user,
                    username=d["username"],
                    real_name=d["real_name"],
                    password=d["password"],
                    phone=d["phone"],
                    org=self.org,
                    role=d["role"],
                    title=d["title"],
                    department=dept,
                )
            except (DomainError, ActionDenied) as exc:
                field = getattr(exc, "field", None)
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, f"已新建用户“{user.display_name}”。")
                return redirect("user-detail", pk=user.pk)
        return self.show(form, status=400)

    def show(self, form, status=200):
        return render(
            self.request,
            "accounts/user_create.html",
            {"form": form, "org": self.org, "title": f"在“{self.org.name}”新建用户"},
            status=status,
        )


class RoleGrantView(View):
    route_scope = RouteScope("object", model=User)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.object = get_scoped_or_404(User, request.user, "view", pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        form = RoleGrantForm(request.POST)
        if form.is_valid():
            try:
                org = get_scoped_or_404(Org, request.user, "view", pk=form.cleaned_data["org"])
                services.grant_role(
                    request.user,
                    user=self.object,
                    org=org,
                    role=form.cleaned_data["role"],
                    title=form.cleaned_data["title"],
                )
            except (DomainError, ActionDenied) as exc:
                messages.error(request, exc.message)
                return redirect("user-detail", pk=pk)
            messages.success(request, "已授予角色。")
        else:
            messages.error(request, "请选择组织和角色。")
        return redirect("user-detail", pk=pk)


class RoleRevokeView(View):
    route_scope = RouteScope("object", model=RoleAssignment)

    def post(self, request, pk):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        ra = get_scoped_or_404(RoleAssignment, request.user, "view", pk=pk)
        try:
            services.revoke_role(request.user, ra)
        except ActionDenied as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已撤销角色。")
        return redirect("user-detail", pk=ra.user_id)


@scoped("object", model=Org)
@login_required
def role_choices(request, pk):
    """The roles that may be held on an org (for the grant form)."""
    org = get_scoped_or_404(Org, request.user, "view", pk=pk)
    return render(request, "accounts/_role_options.html", {"choices": roles_for_kind(org.kind)})
