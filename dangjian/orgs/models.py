"""The organisation tree: one Org table for every node, with a materialised path for subtrees."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.roles import ALL_ROLES, MANAGERS, Role
from dangjian.core.scope import ScopedManager, ScopeSpec

from .choices import OrgKind

PATH_SEGMENT = 8  # zero-padded ids, so a child's prefix has a fixed length at each depth


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT}d}/"


class Org(models.Model):
    """A node of the tree: province … county, township, station / joint branch, branch, group."""

    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类型", max_length=20, choices=OrgKind.choices, db_index=True)
    code = models.CharField("编码", max_length=40, unique=True, null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级组织",
    )
    path = models.CharField("路径", max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    name_pinyin = models.CharField(max_length=300, blank=True, editable=False)
    name_initials = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    sort_order = models.IntegerField("排序", default=0)
    demo_source = models.CharField(
        "演示数据来源", max_length=120, blank=True, help_text="演示数据：来源报告中的名称，或“虚构”"
    )
    archived_at = models.DateTimeField("归档时间", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()
    scope = ScopeSpec(
        path="path",
        policy={
            "view": ALL_ROLES,
            "add": MANAGERS,
            "change": MANAGERS,
            "move": frozenset({Role.COUNTY_ADMIN}),
            "archive": frozenset({Role.COUNTY_ADMIN}),
            "import": frozenset({Role.COUNTY_ADMIN}),
            "manage_users": MANAGERS,
        },
    )
    audit_fields = ["name", "kind", "code", "parent_id", "path", "sort_order", "archived_at"]

    class Meta:
        ordering = ["path"]
        indexes = [models.Index(fields=["parent", "sort_order"], name="org_parent_sort_idx")]
        verbose_name = verbose_name_plural = "组织"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org-detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def ancestor_ids(self) -> list[int]:
        return [int(s) for s in self.path.strip("/").split("/") if s][:-1]


class Department(models.Model):
    """A county department (住建, 民政, 司法, …) that answers whistles and serves residents."""

    county = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="departments", verbose_name="所属县"
    )
    name = models.CharField("部门名称", max_length=60)
    code = models.CharField("编码", max_length=40, unique=True, null=True, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(
        path="county__path",
        policy={
            "view": ALL_ROLES,
            "change": frozenset({Role.COUNTY_ADMIN}),
            "add": frozenset({Role.COUNTY_ADMIN}),
        },
        up=True,  # everyone working in a county sees its departments (the office routes whistles to them)
    )
    audit_fields = ["county_id", "name", "code", "phone", "archived_at"]

    class Meta:
        ordering = ["county_id", "name"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="department_unique_name")]
        verbose_name = verbose_name_plural = "县直部门"

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    """A grid cell under a township or community, with a leader and workers."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="grids", verbose_name="所属乡镇/社区")
    name = models.CharField("网格名称", max_length=60)
    code = models.CharField("编码", max_length=40, unique=True, null=True, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_grids",
        verbose_name="网格长",
    )
    leader_name = models.CharField("网格长姓名", max_length=30, blank=True)
    leader_phone = models.CharField("网格长电话", max_length=20, blank=True)
    households = models.PositiveIntegerField("户数", null=True, blank=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(
        path="org__path",
        policy={"view": ALL_ROLES - {Role.DEPT_LIAISON}, "change": MANAGERS, "add": MANAGERS},
    )
    audit_fields = [
        "org_id",
        "name",
        "code",
        "leader_id",
        "leader_name",
        "leader_phone",
        "households",
        "archived_at",
    ]
    audit_masked = ["leader_phone"]

    class Meta:
        ordering = ["org_id", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="grid_unique_name")]
        verbose_name = verbose_name_plural = "网格"

    def __str__(self) -> str:
        return self.name


class GridWorker(models.Model):
    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="workers", verbose_name="网格")
    name = models.CharField("姓名", max_length=30)
    phone = models.CharField("电话", max_length=20, blank=True)

    class Meta:
        ordering = ["grid_id", "id"]
        verbose_name = verbose_name_plural = "网格员"

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    """A township's party-building office (党建办): one per township, staffed by office users."""

    township = models.OneToOneField(Org, on_delete=models.PROTECT, related_name="office", verbose_name="乡镇")
    name = models.CharField("名称", max_length=60)
    director_name = models.CharField("主任", max_length=30, blank=True)
    staff_quota = models.PositiveSmallIntegerField("核定人数", null=True, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="township__path", policy={"view": ALL_ROLES, "change": MANAGERS})
    audit_fields = ["township_id", "name", "director_name", "staff_quota"]

    class Meta:
        verbose_name = verbose_name_plural = "乡镇党建办"

    def __str__(self) -> str:
        return self.name
