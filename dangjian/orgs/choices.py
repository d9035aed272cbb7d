from django.db import models


class OrgKind(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县（区）"
    TOWNSHIP = "township", "乡镇（街道）"
    STATION = "station", "党建工作站"
    JOINT_BRANCH = "joint_branch", "联村党总支"
    BRANCH = "branch", "村党支部"
    COMMUNITY = "community", "社区党组织"
    GROUP = "group", "党小组"


# Which kinds may sit directly under which: a township under a branch is refused.
ALLOWED_CHILDREN: dict[str, frozenset[str]] = {
    "": frozenset({OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY}),
    OrgKind.PROVINCE: frozenset({OrgKind.CITY, OrgKind.COUNTY}),
    OrgKind.CITY: frozenset({OrgKind.COUNTY}),
    OrgKind.COUNTY: frozenset({OrgKind.TOWNSHIP}),
    OrgKind.TOWNSHIP: frozenset({OrgKind.STATION, OrgKind.JOINT_BRANCH, OrgKind.BRANCH, OrgKind.COMMUNITY}),
    OrgKind.STATION: frozenset({OrgKind.BRANCH, OrgKind.COMMUNITY}),
    OrgKind.JOINT_BRANCH: frozenset({OrgKind.BRANCH}),
    OrgKind.COMMUNITY: frozenset({OrgKind.BRANCH, OrgKind.GROUP}),
    OrgKind.BRANCH: frozenset({OrgKind.GROUP}),
    OrgKind.GROUP: frozenset(),
}

# Kinds that group village branches under a township (a branch is in at most one of them).
CLUSTER_KINDS = frozenset({OrgKind.STATION, OrgKind.JOINT_BRANCH})
GRID_PARENT_KINDS = frozenset({OrgKind.TOWNSHIP, OrgKind.COMMUNITY})
