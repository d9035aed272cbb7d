"""Roles and the actions each may take. A role held on an org covers that org's whole subtree."""

from django.db import models


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", "县委组织部管理员"
    TOWNSHIP_STAFF = "township_staff", "乡镇党建办工作人员"
    STATION_CHIEF = "station_chief", "工作站站长"
    VILLAGE_SECRETARY = "village_secretary", "村党支部书记"
    GRID_LEADER = "grid_leader", "网格长"
    DEPT_LIAISON = "dept_liaison", "部门联络员"
    READONLY_LEADER = "readonly_leader", "领导（只读）"


ALL_ROLES: frozenset[str] = frozenset(Role.values)
MANAGERS: frozenset[str] = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})
WORKERS: frozenset[str] = frozenset(
    {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.STATION_CHIEF, Role.VILLAGE_SECRETARY}
)

# Which org kinds each role may be held on; checked when a role is granted.
ROLE_ORG_KINDS: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: frozenset({"province", "city", "county"}),
    Role.TOWNSHIP_STAFF: frozenset({"township"}),
    Role.STATION_CHIEF: frozenset({"station", "joint_branch"}),
    Role.VILLAGE_SECRETARY: frozenset({"branch", "community"}),
    Role.GRID_LEADER: frozenset({"township", "community"}),
    Role.DEPT_LIAISON: frozenset({"county"}),
    Role.READONLY_LEADER: frozenset({"province", "city", "county", "township"}),
}
