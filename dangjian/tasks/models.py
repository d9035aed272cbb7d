"""Tasks flow down, reports flow up (DESIGN.md): a task list issued by an org for a month or a week,
tasks with a target (a number with a unit, or a checklist) and a due date, one assignment per
recipient org, reports back up, and the two-down two-up week (WeeklyCycle) with each station's
compilation of its villages' reports.

An assignment passed on further down (a station assigning the township's weekly task to its villages)
is `relayed`: its progress is the sum of its children's, and roll-ups count only assignments that were
not relayed, so no figure is counted twice. Every assignment and report carries its org, township and
county so a roll-up at any level is one indexed aggregate at province scale."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.roles import ALL_ROLES, WORKERS, Role
from dangjian.core.scope import ScopedManager, ScopeSpec

from .choices import AssignmentState, CompilationState, ListKind, TargetKind

# Everyone in the tree reads the tasks of their subtree; liaisons and grid leaders have none.
TASK_READERS: frozenset[str] = ALL_ROLES - {Role.DEPT_LIAISON, Role.GRID_LEADER}
# Who issues lists and dispatches: the county, the township office, a station to its villages.
DISPATCHERS: frozenset[str] = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.STATION_CHIEF})
TASK_POLICY = {"view": TASK_READERS, "add": DISPATCHERS, "change": DISPATCHERS, "dispatch": DISPATCHERS}
# A recipient org reports on its own assignment: everyone who works in its subtree.
ASSIGNMENT_POLICY = {"view": TASK_READERS, "report": WORKERS, "dispatch": DISPATCHERS}


class TaskList(models.Model):
    """A month's or a week's list of tasks issued by one org to (some of) its subtree."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="task_lists", verbose_name="下达组织"
    )
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    kind = models.CharField("类型", max_length=10, choices=ListKind.choices)
    period_start = models.DateField(
        "期间开始", db_index=True, help_text="月度清单为当月1日，周清单为当周周一"
    )
    period_end = models.DateField("期间结束")
    title = models.CharField("标题", max_length=100)
    note = models.TextField("说明", max_length=2000, blank=True)
    issued_at = models.DateTimeField("下达时间", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="下达人",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=TASK_POLICY)
    audit_fields = ["org_id", "kind", "period_start", "period_end", "title", "note", "issued_at"]

    class Meta:
        ordering = ["-period_start", "org_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "period_start"], name="tasklist_one_per_period"),
        ]
        indexes = [models.Index(fields=["county", "kind", "period_start"], name="tasklist_county_period")]
        verbose_name = verbose_name_plural = "任务清单"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tasklist-detail", args=[self.pk])


class Task(models.Model):
    """One task of a list: a target (a number with a unit, or checklist items) and a due date."""

    task_list = models.ForeignKey(
        TaskList, on_delete=models.CASCADE, related_name="tasks", verbose_name="任务清单"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="下达组织")
    title = models.CharField("任务", max_length=200)
    description = models.TextField("要求", max_length=3000, blank=True)
    key = models.BooleanField("重点任务", default=False, help_text="3+X月度分析中列入“重点任务完成情况”")
    target_kind = models.CharField(
        "指标类型", max_length=10, choices=TargetKind.choices, default=TargetKind.NUMBER
    )
    target_value = models.DecimalField(
        "每个承办单位的目标值", max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField("单位", max_length=20, blank=True, help_text="如：次、人、米、亩、万元")
    checklist = models.JSONField("清单事项", default=list, blank=True)
    due = models.DateField("完成期限", db_index=True)
    sort_order = models.IntegerField("排序", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=TASK_POLICY)
    audit_fields = ["title", "description", "key", "target_kind", "target_value", "unit", "checklist", "due"]

    class Meta:
        ordering = ["task_list_id", "sort_order", "pk"]
        verbose_name = verbose_name_plural = "任务"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("task-detail", args=[self.pk])

    @property
    def target_amount(self) -> Decimal:
        """What one recipient must reach: the number, or how many checklist items there are."""
        if self.target_kind == TargetKind.CHECKLIST:
            return Decimal(len(self.checklist))
        return self.target_value or Decimal(0)


class Assignment(models.Model):
    """A task as one recipient org holds it: its own target and due date, its progress, and — when
    passed on down — the assignments of its children (`parent`)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments", verbose_name="任务")
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="task_assignments", verbose_name="承办组织"
    )
    township = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="乡镇"
    )
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级承办",
    )
    due = models.DateField("完成期限", db_index=True)
    target_amount = models.DecimalField("目标值", max_digits=14, decimal_places=2)
    done_amount = models.DecimalField("完成值", max_digits=14, decimal_places=2, default=Decimal(0))
    checklist_done = models.JSONField("已完成清单事项（序号）", default=list, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=AssignmentState.choices, default=AssignmentState.PENDING
    )
    relayed = models.BooleanField("已分解下达", default=False)
    period_start = models.DateField("期间开始", db_index=True, help_text="与任务清单相同，便于按月汇总")
    dispatched_at = models.DateTimeField("下达时间")
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="下达人",
    )
    last_report_at = models.DateTimeField("最近报告时间", null=True, blank=True)
    first_report_at = models.DateTimeField("首次报告时间", null=True, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=ASSIGNMENT_POLICY)
    audit_fields = ["org_id", "due", "target_amount", "done_amount", "checklist_done", "state", "relayed"]

    class Meta:
        ordering = ["task_id", "org__path"]
        constraints = [
            models.UniqueConstraint(fields=["task", "org"], name="assignment_one_per_org"),
        ]
        indexes = [
            models.Index(fields=["county", "period_start"], name="assignment_county_period"),
            models.Index(fields=["township", "period_start"], name="assignment_township_period"),
            models.Index(fields=["state", "due"], name="assignment_state_due"),
        ]
        verbose_name = verbose_name_plural = "任务承办"

    def __str__(self) -> str:
        return f"{self.task} · {self.org}"

    def get_absolute_url(self) -> str:
        return reverse("assignment-detail", args=[self.pk])

    @property
    def percent(self) -> int:
        """Progress in whole percent, capped at 100 (a canal of 1050 m on a target of 1000 m is done)."""
        if not self.target_amount:
            return 100 if self.state == AssignmentState.DONE else 0
        return min(100, int(self.done_amount * 100 / self.target_amount))


class TaskReport(models.Model):
    """A recipient's report on its assignment: what it did (text), where the number stands now or
    which checklist items are done, with files. Late when submitted after the assignment's due day."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="reports", verbose_name="任务承办"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="报告组织")
    text = models.TextField("完成情况", max_length=3000)
    amount = models.DecimalField("当前完成值", max_digits=14, decimal_places=2, null=True, blank=True)
    checklist_done = models.JSONField("已完成清单事项（序号）", default=list, blank=True)
    late = models.BooleanField("逾期报告", default=False)
    submitted_at = models.DateTimeField("报告时间", db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报告人",
    )

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=ASSIGNMENT_POLICY)
    audit_fields = ["text", "amount", "checklist_done", "late"]

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = verbose_name_plural = "任务报告"

    def __str__(self) -> str:
        return f"{self.org} {self.submitted_at:%Y-%m-%d}"


class TaskReportFile(models.Model):
    report = models.ForeignKey(
        TaskReport, on_delete=models.CASCADE, related_name="files", verbose_name="报告"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="报告组织")
    file = models.FileField("文件", upload_to="tasks/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=ASSIGNMENT_POLICY)

    class Meta:
        ordering = ["pk"]
        verbose_name = verbose_name_plural = "报告附件"

    def __str__(self) -> str:
        return self.name


class WeeklyCycle(models.Model):
    """One week of the two-down two-up cycle (两下两上) of a township: its weekly task list goes down to
    the stations and on to the villages; villages report by `report_due`, stations compile and report
    by `compile_due`. The days are fixed from the county's rules when the week is issued, so a later
    change of the county's weekday does not move the deadlines of weeks already under way."""

    task_list = models.OneToOneField(
        TaskList, on_delete=models.CASCADE, related_name="cycle", verbose_name="周任务清单"
    )
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="weekly_cycles", verbose_name="乡镇"
    )
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    week_start = models.DateField("周一", db_index=True)
    report_due = models.DateField("村级汇报期限")
    compile_due = models.DateField("工作站汇总上报期限")

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=TASK_POLICY)
    audit_fields = ["week_start", "report_due", "compile_due"]

    class Meta:
        ordering = ["-week_start", "org_id"]
        constraints = [models.UniqueConstraint(fields=["org", "week_start"], name="weeklycycle_one_per_week")]
        verbose_name = verbose_name_plural = "两下两上周工作"

    def __str__(self) -> str:
        return f"{self.org} {self.week_start:%Y-%m-%d}周"

    def get_absolute_url(self) -> str:
        return reverse("cycle-detail", args=[self.pk])


class Compilation(models.Model):
    """A station's weekly report to the township (the second "up"): drafted from its villages' reports,
    edited by the station, submitted once. Late when submitted after the cycle's `compile_due`."""

    cycle = models.ForeignKey(
        WeeklyCycle, on_delete=models.CASCADE, related_name="compilations", verbose_name="周工作"
    )
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="task_compilations", verbose_name="工作站"
    )
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    body = models.TextField("汇总报告", max_length=10000, blank=True)
    figures = models.JSONField(
        "汇总数据", default=dict, blank=True, help_text="每项任务：目标、完成、已报/应报村数"
    )
    state = models.CharField(
        "状态", max_length=10, choices=CompilationState.choices, default=CompilationState.DRAFT
    )
    late = models.BooleanField("逾期上报", default=False)
    drafted_at = models.DateTimeField("起草时间", auto_now_add=True)
    submitted_at = models.DateTimeField("上报时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上报人",
    )

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=ASSIGNMENT_POLICY)
    audit_fields = ["body", "figures", "state", "late", "submitted_at"]

    class Meta:
        ordering = ["-cycle__week_start", "org__path"]
        constraints = [models.UniqueConstraint(fields=["cycle", "org"], name="compilation_one_per_week")]
        verbose_name = verbose_name_plural = "工作站周汇总"

    def __str__(self) -> str:
        return f"{self.org} {self.cycle.week_start:%Y-%m-%d}周汇总"

    def get_absolute_url(self) -> str:
        return reverse("compilation-detail", args=[self.pk])
