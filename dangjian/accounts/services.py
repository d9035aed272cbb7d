"""Writes to accounts: creating users, granting and revoking roles, changing passwords."""

from __future__ import annotations

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import audit
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.pinyin import pinyin_keys
from dangjian.core.roles import ROLE_ORG_KINDS, Role
from dangjian.core.scope import can, require

from .models import RoleAssignment, User

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@+-]{3,40}$")
PHONE_RE = re.compile(r"^1\d{10}$")


def _clean_phone(phone: str) -> str:
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if phone and not PHONE_RE.match(phone):
        raise DomainError("手机号应为11位数字，以1开头。", field="phone")
    return phone


def _set_names(user: User, real_name: str) -> None:
    real_name = (real_name or "").strip()
    if not real_name:
        raise DomainError("姓名不能为空。", field="real_name")
    if len(real_name) > 30:
        raise DomainError("姓名不能超过30个字。", field="real_name")
    user.real_name = real_name
    user.name_pinyin, user.name_initials = pinyin_keys(real_name)


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc


@transaction.atomic
def create_user(
    actor: User,
    *,
    username: str,
    real_name: str,
    password: str,
    phone: str = "",
    org=None,
    role: str | None = None,
    title: str = "",
    department=None,
    grid=None,
    is_demo: bool = False,
    skip_checks: bool = False,
) -> User:
    """Create a user; unless the actor is a superuser, the new user must get a role in the actor's scope."""
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise DomainError("用户名须为3–40位字母、数字或 _ . @ + -。", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(f"用户名“{username}”已被使用。", field="username")
    if not actor.is_superuser and (org is None or role is None):
        raise DomainError("新用户须在您管辖的组织中授予一个角色。", field="org")
    user = User(username=username, phone=_clean_phone(phone), is_demo=is_demo)
    _set_names(user, real_name)
    if not skip_checks:
        _validate_password(password, user)
    user.set_password(password)
    user.save()
    audit.record(actor, "user.create", user, org=org, before={}, after=audit.snapshot(user))
    if org is not None and role is not None:
        grant_role(actor, user=user, org=org, role=role, title=title, department=department, grid=grid)
    return user


@transaction.atomic
def update_user(
    actor: User, user: User, *, real_name: str, phone: str, is_active: bool, email: str | None = None
) -> User:
    """Name, phone, e-mail (where reminders go; None leaves it) and whether the login may be used."""
    if not actor.is_superuser:
        if not User.objects.restrict(actor, "manage_users").filter(pk=user.pk).exists() or user == actor:
            raise ActionDenied("您无权修改该用户。")
    before = audit.snapshot(user)
    _set_names(user, real_name)
    user.phone = _clean_phone(phone)
    if email is not None:
        user.email = email.strip()
    user.is_active = bool(is_active)
    user.save()
    org = user.roles.select_related("org").first()
    audit.record(
        actor, "user.update", user, org=org.org if org else None, before=before, after=audit.snapshot(user)
    )
    return user


@transaction.atomic
def grant_role(
    actor: User, *, user: User, org, role: str, title: str = "", department=None, grid=None
) -> RoleAssignment:
    """Grant `role` on `org`. A manager may only grant within their subtree, never above it."""
    if role not in Role.values:
        raise DomainError(f"未知的角色“{role}”。", field="role")
    require(actor, "manage_users", org)
    if org.kind not in ROLE_ORG_KINDS[role]:
        raise DomainError(f"“{Role(role).label}”不能设在{org.get_kind_display()}上。", field="org")
    if role == Role.COUNTY_ADMIN and not actor.is_superuser and not _holds(actor, Role.COUNTY_ADMIN, org):
        raise ActionDenied("只有县委组织部管理员可以授予该角色。")
    if role == Role.DEPT_LIAISON and (department is None or department.county_id != org.pk):
        raise DomainError("部门联络员须指定本县的一个部门。", field="department")
    if grid is not None and grid.org_id != org.pk:
        raise DomainError("网格须属于所选组织。", field="grid")
    if RoleAssignment.objects.filter(user=user, org=org, role=role).exists():
        raise DomainError("该用户已在此组织担任该角色。", field="role")
    ra = RoleAssignment.objects.create(
        user=user, org=org, role=role, title=(title or "").strip()[:60], department=department, grid=grid
    )
    audit.record(actor, "role.grant", ra, org=org, before={}, after=audit.snapshot(ra))
    return ra


def _holds(actor: User, role: str, org) -> bool:
    from dangjian.core.scope import scope_prefixes

    return any(org.path.startswith(p) for p in scope_prefixes(actor, {role}))


@transaction.atomic
def revoke_role(actor: User, ra: RoleAssignment) -> None:
    require(actor, "manage_users", ra)
    if ra.user_id == actor.pk:
        raise ActionDenied("不能撤销您自己的角色。")
    before = audit.snapshot(ra)
    org = ra.org
    audit.record(actor, "role.revoke", ra, org=org, before=before, after={})
    ra.delete()


@transaction.atomic
def change_password(actor: User, *, old_password: str, new_password: str) -> None:
    if not actor.check_password(old_password or ""):
        raise DomainError("原密码不正确。", field="old_password")
    _validate_password(new_password, actor)
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit.record(actor, "user.password", actor, before={}, after={"password": "(已修改)"})


def can_manage(actor: User, org) -> bool:
    return can(actor, "manage_users", org)
