"""Livelihood, industry and infrastructure projects (项目): one org owns each (a village, a joint branch, a
station, a township), other villages may share it; its budget in yuan and the sources that fund it; its
status, milestones and progress; its outcomes in their own units (亩, 米, 户, 人, 个, 斤 …) from the unit
table; its photos and files; and, where the village decided it by 四议两公开, that decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.roles import ALL_ROLES, Role
from dangjian.core.scope import ScopedManager, ScopeSpec

from .choices import FileKind, ProgressMode, ProjectKind, ProjectStatus, SourceKind

READERS: frozenset[str] = ALL_ROLES - {Role.DEPT_LIAISON, Role.GRID_LEADER}
EDITORS = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.STATION_CHIEF, Role.VILLAGE_SECRETARY})
PROJECT_POLICY = {"view": READERS, "add": EDITORS, "change": EDITORS}


class Unit(models.Model):
    """A unit outcomes are counted in; shared by every county so totals add up across the province."""

    code = models.SlugField("代码", max_length=20, unique=True)
    name = models.CharField("单位", max_length=20, unique=True)
    measures = models.CharField("计量对象", max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = verbose_name_plural = "计量单位"

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="projects", verbose_name="实施单位"
    )
    township = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="乡镇"
    )
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    villages = models.ManyToManyField(
        "orgs.Org", blank=True, related_name="shared_projects", verbose_name="受益村"
    )
    title = models.CharField("项目名称", max_length=120)
    kind = models.CharField("类别", max_length=16, choices=ProjectKind.choices, db_index=True)
    status = models.CharField(
        "状态", max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED, db_index=True
    )
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    description = models.TextField("建设内容", max_length=3000, blank=True)
    budget = models.DecimalField("预算（元）", max_digits=14, decimal_places=2)
    start_on = models.DateField("开工日期", null=True, blank=True)
    planned_end = models.DateField("计划完工日期", null=True, blank=True)
    finished_on = models.DateField("完工日期", null=True, blank=True)
    progress_mode = models.CharField(
        "进度计算", max_length=12, choices=ProgressMode.choices, default=ProgressMode.MILESTONES
    )
    reported_progress = models.PositiveSmallIntegerField("填报进度（%）", default=0)
    decision = models.ForeignKey(
        "decisions.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="四议两公开事项",
    )
    demo_source = models.CharField("演示数据来源", max_length=160, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=PROJECT_POLICY)
    audit_fields = [
        "org_id",
        "title",
        "kind",
        "status",
        "year",
        "description",
        "budget",
        "start_on",
        "planned_end",
        "finished_on",
        "progress_mode",
        "reported_progress",
        "decision_id",
    ]

    class Meta:
        ordering = ["-year", "org_id", "pk"]
        indexes = [
            models.Index(fields=["county", "year", "status"], name="project_county_idx"),
            models.Index(fields=["township", "year"], name="project_township_idx"),
        ]
        verbose_name = verbose_name_plural = "项目"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects-detail", args=[self.pk])

    def progress_from(self, done: int, total: int) -> int:
        """Percent complete: from milestones (done of total) or as reported; a completed project is 100."""
        if self.status == ProjectStatus.COMPLETED:
            return 100
        if self.progress_mode == ProgressMode.MILESTONES:
            return round(done * 100 / total) if total else 0
        return self.reported_progress


class FundingSource(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField("资金渠道", max_length=12, choices=SourceKind.choices)
    name = models.CharField("出资单位或说明", max_length=100, blank=True)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)

    objects = ScopedManager()
    scope = ScopeSpec(path="project__org__path", policy=PROJECT_POLICY)
    audit_fields = ["project_id", "kind", "name", "amount"]

    class Meta:
        ordering = ["project_id", "pk"]
        verbose_name = verbose_name_plural = "项目资金来源"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{(' ' + self.name) if self.name else ''} {self.amount:,.2f}元"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=100)
    due = models.DateField("计划完成日期")
    done_on = models.DateField("实际完成日期", null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField("序号", default=0)

    objects = ScopedManager()
    scope = ScopeSpec(path="project__org__path", policy=PROJECT_POLICY)
    audit_fields = ["project_id", "title", "due", "done_on", "sort_order"]

    class Meta:
        ordering = ["project_id", "sort_order", "pk"]
        verbose_name = verbose_name_plural = "项目节点"

    def __str__(self) -> str:
        return self.title


class Outcome(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outcomes")
    measure = models.CharField("成效内容", max_length=60)
    quantity = models.DecimalField("数量", max_digits=14, decimal_places=2)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    recorded_on = models.DateField("登记日期")
    note = models.CharField("说明", max_length=200, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="project__org__path", policy=PROJECT_POLICY)
    audit_fields = ["project_id", "measure", "quantity", "unit_id", "recorded_on", "note"]

    class Meta:
        ordering = ["project_id", "pk"]
        verbose_name = verbose_name_plural = "项目成效"

    def __str__(self) -> str:
        return f"{self.measure} {self.quantity.normalize():f}{self.unit.name}"


class ProjectFile(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="files")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="组织")
    kind = models.CharField("类别", max_length=10, choices=FileKind.choices, default=FileKind.PHOTO)
    file = models.FileField("文件", upload_to="projects/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=PROJECT_POLICY)
    audit_fields = ["project_id", "kind", "name"]

    class Meta:
        ordering = ["project_id", "pk"]
        verbose_name = verbose_name_plural = "项目照片和资料"

    def __str__(self) -> str:
        return self.name
