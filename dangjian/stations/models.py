"""Rural party-building work stations (党建工作站, seed 002): who staffs them, the "six in place"
checklist and the 8 systems, the fortnightly inspection of their branches, the weekly service
half-day, and field research (plans, rounds, reports and the township's appraisal meeting).

Station-level rows carry the station as `org`; plans and appraisals carry the township. An
inspection is scoped by the branch it inspected, so that branch's secretary may read it too."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.roles import ALL_ROLES, MANAGERS, Role
from dangjian.core.scope import ScopedManager, ScopeSpec
from dangjian.members.models import mask_phone

from .choices import ChecklistItem, Post, Session, System

VIEWERS = ALL_ROLES - {Role.DEPT_LIAISON}
# Staffing, the checklist, the systems, plans, appraisals and scores: the township office and the county.
MANAGED = {"view": VIEWERS, "add": MANAGERS, "change": MANAGERS}
# The station's own work (inspections, half-days, research rounds and reports): its chief too.
STATION_WORK = {
    "view": VIEWERS,
    "add": MANAGERS | {Role.STATION_CHIEF},
    "change": MANAGERS | {Role.STATION_CHIEF},
}


def _station(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name=related_name, verbose_name="党建工作站"
    )


class StationStaff(models.Model):
    """A person serving at a station, from `since` until `until` (empty while serving)."""

    org = _station("station_staff")
    name = models.CharField("姓名", max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="station_posts",
        verbose_name="平台账号",
    )
    post = models.CharField("职务", max_length=20, choices=Post.choices)
    title = models.CharField("本职", max_length=60, blank=True, help_text="如：镇党委委员、第一书记")
    phone = models.CharField("联系电话", max_length=20, blank=True)
    since = models.DateField("任职日期")
    until = models.DateField("离任日期", null=True, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MANAGED)
    audit_fields = ["org_id", "name", "user_id", "post", "title", "phone", "since", "until"]
    audit_masked = ["phone"]

    class Meta:
        ordering = ["org_id", "post", "since", "pk"]
        indexes = [models.Index(fields=["org", "post", "until"], name="stationstaff_org_post_idx")]
        verbose_name = verbose_name_plural = "工作站人员"

    def __str__(self) -> str:
        return f"{self.name}（{self.org.name}{self.get_post_display()}）"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class StationChecklist(models.Model):
    """One of the six conditions (六个到位) of a station, as last checked."""

    org = _station("station_checklist")
    item = models.CharField("项目", max_length=20, choices=ChecklistItem.choices)
    met = models.BooleanField("是否到位", default=False)
    note = models.CharField("情况说明", max_length=300, blank=True)
    evidence = models.FileField("佐证材料", upload_to="stations/checklist/%Y/", blank=True)
    evidence_name = models.CharField("材料文件名", max_length=200, blank=True)
    checked_on = models.DateField("核查日期")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="核查人"
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MANAGED)
    audit_fields = ["item", "met", "note", "evidence_name", "checked_on", "checked_by_id"]

    class Meta:
        ordering = ["org_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["org", "item"], name="station_checklist_unique")]
        verbose_name = verbose_name_plural = "工作站六个到位"

    def __str__(self) -> str:
        return f"{self.org.name}·{self.get_item_display()}"


class StationSystem(models.Model):
    """One of the 8 systems: whether it is posted on the wall and in force."""

    org = _station("station_systems")
    system = models.CharField("制度", max_length=20, choices=System.choices)
    posted = models.BooleanField("公开上墙", default=False)
    in_force = models.BooleanField("建立并执行", default=False)
    adopted_on = models.DateField("建立日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    checked_on = models.DateField("核查日期")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="核查人"
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MANAGED)
    audit_fields = ["system", "posted", "in_force", "adopted_on", "note", "checked_on"]

    class Meta:
        ordering = ["org_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["org", "system"], name="station_system_unique")]
        verbose_name = verbose_name_plural = "工作站制度"

    def __str__(self) -> str:
        return f"{self.org.name}·{self.get_system_display()}"


class StationInspection(models.Model):
    """The station's inspection of one of its branches (督查讲评). `inspected_on` is the Asia/Shanghai
    date of `inspected_at`, kept by the services so half-months are plain date ranges."""

    org = _station("station_inspections")
    branch = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="督查对象"
    )
    inspected_at = models.DateTimeField("督查时间")
    inspected_on = models.DateField("督查日期", editable=False, db_index=True)
    inspectors = models.CharField("督查人员", max_length=200)
    items_checked = models.TextField("督查内容")
    problems = models.TextField("发现问题", blank=True)
    needs_follow_up = models.BooleanField("需跟踪整改", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登记人"
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="branch__path", policy=STATION_WORK)
    audit_fields = [
        "org_id",
        "branch_id",
        "inspected_at",
        "inspectors",
        "items_checked",
        "problems",
        "needs_follow_up",
    ]

    class Meta:
        ordering = ["-inspected_at", "pk"]
        indexes = [models.Index(fields=["branch", "inspected_on"], name="inspection_branch_day_idx")]
        verbose_name = verbose_name_plural = "工作站督查"

    def __str__(self) -> str:
        return f"{self.branch.name} {self.inspected_on:%Y-%m-%d} 督查"


class ServiceHalfDay(models.Model):
    """The weekly service half-day (集中便民服务日用半天时间开展工作, the first of the "两个半天")."""

    org = _station("service_half_days")
    held_on = models.DateField("日期", db_index=True)
    session = models.CharField("时段", max_length=10, choices=Session.choices)
    place = models.CharField("地点", max_length=100)
    staff_on_duty = models.CharField("值班人员", max_length=200)
    residents_served = models.PositiveIntegerField("接待群众（人次）", default=0)
    matters = models.TextField("办理事项", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登记人"
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=STATION_WORK)
    audit_fields = ["org_id", "held_on", "session", "place", "staff_on_duty", "residents_served", "matters"]

    class Meta:
        ordering = ["-held_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["org", "held_on", "session"], name="service_half_day_unique")
        ]
        verbose_name = verbose_name_plural = "便民服务半天"

    def __str__(self) -> str:
        return f"{self.org.name} {self.held_on:%Y-%m-%d}{self.get_session_display()} 便民服务"


class ResearchPlan(models.Model):
    """A township's research plan for a year: the topics and when the stations go out."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="research_plans", verbose_name="乡镇"
    )
    year = models.PositiveSmallIntegerField("年度")
    topics = models.TextField("调研课题")
    schedule = models.TextField("时间安排", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登记人"
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MANAGED)
    audit_fields = ["org_id", "year", "topics", "schedule"]

    class Meta:
        ordering = ["-year", "org_id"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="research_plan_unique")]
        verbose_name = verbose_name_plural = "专项调研计划"

    def __str__(self) -> str:
        return f"{self.org.name}{self.year}年专项调研计划"


class ResearchRound(models.Model):
    """A station's research round (集中调研): a topic, the days out and the villages visited."""

    org = _station("research_rounds")
    plan = models.ForeignKey(
        ResearchPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name="所属调研计划",
    )
    topic = models.CharField("调研课题", max_length=200)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", db_index=True)
    villages = models.ManyToManyField("orgs.Org", related_name="+", verbose_name="走访村")
    participants = models.CharField("参加人员", max_length=300)
    summary = models.TextField("调研情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登记人"
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=STATION_WORK)
    audit_fields = ["org_id", "plan_id", "topic", "started_on", "ended_on", "participants", "summary"]

    class Meta:
        ordering = ["-ended_on", "pk"]
        verbose_name = verbose_name_plural = "专项调研"

    def __str__(self) -> str:
        return f"{self.org.name}：{self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("research-round", args=[self.pk])


class ResearchReport(models.Model):
    """The report a round produced (text, a PDF/Word file, or both); resubmitting replaces it."""

    round = models.OneToOneField(
        ResearchRound, on_delete=models.PROTECT, related_name="report", verbose_name="专项调研"
    )
    org = _station("research_reports")
    title = models.CharField("报告标题", max_length=200)
    text = models.TextField("报告正文", blank=True)
    file = models.FileField("报告文件", upload_to="stations/research/%Y/", blank=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    submitted_on = models.DateField("提交日期")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="提交人"
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=STATION_WORK)
    audit_fields = ["title", "file_name", "submitted_on"]

    class Meta:
        ordering = ["-submitted_on", "pk"]
        verbose_name = verbose_name_plural = "调研报告"

    def __str__(self) -> str:
        return f"{self.org.name}《{self.title}》"

    def get_absolute_url(self) -> str:
        return reverse("research-round", args=[self.round_id])


class ResearchAppraisal(models.Model):
    """The township's appraisal meeting (以乡镇为单位组织开展评比交流会) where reports are scored."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="research_appraisals", verbose_name="乡镇"
    )
    year = models.PositiveSmallIntegerField("评比年度")
    held_on = models.DateField("召开日期")
    reviewers = models.CharField("评审人员", max_length=300)
    note = models.TextField("会议情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登记人"
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MANAGED)
    audit_fields = ["org_id", "year", "held_on", "reviewers", "note"]

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = verbose_name_plural = "调研成果评比会"

    def __str__(self) -> str:
        return f"{self.org.name}{self.year}年调研成果评比会（{self.held_on:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return reverse("research-appraisal", args=[self.pk])


class ResearchScore(models.Model):
    """A report's score (0–100) at an appraisal and its rank there. Scoped by the report's station,
    so the station chief reads their own score; the rank is set by the service for the whole meeting."""

    appraisal = models.ForeignKey(
        ResearchAppraisal, on_delete=models.PROTECT, related_name="scores", verbose_name="评比会"
    )
    report = models.ForeignKey(
        ResearchReport, on_delete=models.PROTECT, related_name="scores", verbose_name="调研报告"
    )
    org = _station("research_scores")
    score = models.DecimalField("得分", max_digits=4, decimal_places=1)
    comment = models.CharField("评语", max_length=300, blank=True)
    rank = models.PositiveSmallIntegerField("名次", default=0)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登记人"
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MANAGED)
    audit_fields = ["report_id", "score", "comment", "rank"]

    class Meta:
        ordering = ["appraisal_id", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "report"], name="research_score_unique")]
        verbose_name = verbose_name_plural = "调研报告评分"

    def __str__(self) -> str:
        return f"{self.org.name}调研报告得分{self.score}"
