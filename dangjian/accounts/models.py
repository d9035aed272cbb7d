"""Users and the roles they hold on nodes of the organisation tree."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from dangjian.core.roles import ALL_ROLES, MANAGERS, Role
from dangjian.core.scope import ScopedQuerySet, ScopeSpec, path_q, scope_prefixes


class UserQuerySet(ScopedQuerySet):
    def restrict(self, user, action="view"):
        """A user is visible to whoever covers one of the orgs where that user holds a role."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        prefixes = scope_prefixes(user, User.scope.roles_for(action))
        own = models.Q(pk=user.pk) if action == "view" else models.Q(pk__in=[])
        if not prefixes:
            return self.filter(own)
        inside = path_q("org__path", prefixes)
        held = RoleAssignment.objects.filter(inside).values("user_id")
        qs = self.filter(own | models.Q(pk__in=held)).exclude(is_superuser=True)
        if action != "view":
            # Managing a user needs every role they hold to lie inside the actor's scope, so township
            # staff cannot edit a county admin who also holds a township role.
            qs = qs.exclude(pk__in=RoleAssignment.objects.exclude(inside).values("user_id"))
        return qs


class PlatformUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    real_name = models.CharField("姓名", max_length=30)
    phone = models.CharField("手机号", max_length=20, blank=True)
    name_pinyin = models.CharField(max_length=300, blank=True, editable=False)
    name_initials = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    is_demo = models.BooleanField(
        "演示账号", default=False, help_text="演示账号只在演示模式（DEBUG）下可以登录"
    )

    objects = PlatformUserManager()
    scope = ScopeSpec(
        path="", policy={"view": ALL_ROLES - {Role.DEPT_LIAISON, Role.GRID_LEADER}, "manage_users": MANAGERS}
    )
    audit_fields = ["username", "real_name", "phone", "email", "is_active", "is_demo"]
    audit_masked = ["phone"]

    class Meta:
        ordering = ["username"]
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.real_name or self.username


class RoleAssignment(models.Model):
    """A role held on an org; it covers the org's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name="用户")
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="role_assignments", verbose_name="组织"
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        "orgs.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaisons",
        verbose_name="部门",
    )
    grid = models.ForeignKey(
        "orgs.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leaders",
        verbose_name="网格",
    )
    title = models.CharField("职务", max_length=60, blank=True)
    created_at = models.DateTimeField("授予时间", auto_now_add=True)

    objects = models.Manager.from_queryset(ScopedQuerySet)()
    scope = ScopeSpec(
        path="org__path",
        policy={"view": ALL_ROLES - {Role.DEPT_LIAISON, Role.GRID_LEADER}, "manage_users": MANAGERS},
    )
    audit_fields = ["user_id", "org_id", "role", "department_id", "grid_id", "title"]

    class Meta:
        ordering = ["org__path", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="role_assignment_unique")]
        verbose_name = verbose_name_plural = "角色"

    def __str__(self) -> str:
        return f"{self.org} · {self.get_role_display()}"
