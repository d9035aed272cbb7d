"""软弱涣散村党组织整顿 (rules.md §4): one RectificationCase per branch and year moving 排查 → 认定 → 整顿
→ 县级验收 → 巩固提升 → 复查, every change kept as a StatusChange (the branch's classification history);
the county's situations checklist (10 national types in code, county additions here) and its 四必访三必问
lists; the plan (一村一策, five essentials) whose items are cases of the case engine (kind `rectify`);
the 四个一 supports and their visits; the annual screening sheet (倒排 5–10%)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.roles import ALL_ROLES, Role
from dangjian.core.scope import ScopedManager, ScopeSpec

from .choices import CaseStatus, SupportKind, VisitItemKind

READERS: frozenset[str] = ALL_ROLES - {Role.DEPT_LIAISON, Role.GRID_LEADER}
OFFICE = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})
COUNTY = frozenset({Role.COUNTY_ADMIN})
CASE_POLICY = {
    "view": READERS,
    "add": OFFICE,
    "change": OFFICE | {Role.STATION_CHIEF},
    "accept": COUNTY,
}
COUNTY_POLICY = {"view": READERS, "add": COUNTY, "change": COUNTY}


class Situation(models.Model):
    """A county's addition to the national list of situations (e.g. 交城县's 12 = 10 + 2)."""

    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    title = models.CharField("情形", max_length=120)
    source = models.CharField("依据", max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    archived_at = models.DateTimeField("停用时间", null=True, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="county__path", policy=COUNTY_POLICY, up=True)
    audit_fields = ["county_id", "title", "source", "sort_order", "archived_at"]

    class Meta:
        ordering = ["county_id", "sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["county", "title"], name="rect_situation_unique")]
        verbose_name = verbose_name_plural = "软弱涣散情形（县增补）"

    def __str__(self) -> str:
        return self.title

    @property
    def key(self) -> str:
        return f"C{self.pk}"


class VisitItem(models.Model):
    """One line of a county's 四必访三必问: a household to visit (必访) or a question to ask (必问)."""

    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    kind = models.CharField("类别", max_length=6, choices=VisitItemKind.choices)
    text = models.CharField("内容", max_length=120)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    archived_at = models.DateTimeField("停用时间", null=True, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="county__path", policy=COUNTY_POLICY, up=True)
    audit_fields = ["county_id", "kind", "text", "sort_order", "archived_at"]

    class Meta:
        ordering = ["county_id", "kind", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["county", "kind", "text"], name="rect_visititem_unique")
        ]
        verbose_name = verbose_name_plural = "四必访三必问"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.text}"


class RectificationCase(models.Model):
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="rectifications", verbose_name="村党组织"
    )
    township = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="乡镇"
    )
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    year = models.PositiveSmallIntegerField("整顿年度")
    status = models.CharField(
        "状态", max_length=14, choices=CaseStatus.choices, default=CaseStatus.CHECKING, db_index=True
    )
    basis = models.TextField("排查依据（预警信号、排名等）", max_length=2000, blank=True)
    situations = models.JSONField("对照情形", default=list, blank=True)
    evidence = models.TextField("认定依据和佐证", max_length=3000, blank=True)
    identified_on = models.DateField("认定日期", null=True, blank=True)
    accepted_on = models.DateField("验收通过日期", null=True, blank=True)
    recheck_due = models.DateField("复查日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    opened_on = models.DateField("列入排查日期")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=CASE_POLICY)
    audit_fields = [
        "org_id",
        "year",
        "status",
        "basis",
        "situations",
        "evidence",
        "identified_on",
        "accepted_on",
        "recheck_due",
        "closed_on",
    ]

    class Meta:
        ordering = ["-year", "org_id"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="rect_case_org_year")]
        indexes = [models.Index(fields=["county", "year", "status"], name="rect_case_county_idx")]
        verbose_name = verbose_name_plural = "软弱涣散村党组织整顿"

    def __str__(self) -> str:
        return f"{self.org.name} {self.year}年整顿"

    def get_absolute_url(self) -> str:
        return reverse("rectification-detail", args=[self.pk])

    @property
    def labelled(self) -> bool:
        """Whether the branch carries the weak-and-lax label now (认定 until it passes acceptance)."""
        return self.status in (CaseStatus.IDENTIFIED, CaseStatus.RECTIFYING)


class StatusChange(models.Model):
    """One entry of a branch's classification history: from which status to which, when, who, why."""

    case = models.ForeignKey(RectificationCase, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField("原状态", max_length=14, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=14, choices=CaseStatus.choices)
    on = models.DateField("日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField("办理人", max_length=60)
    basis = models.TextField("依据", max_length=2000, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="case__org__path", policy=CASE_POLICY)

    class Meta:
        ordering = ["case_id", "on", "pk"]
        verbose_name = verbose_name_plural = "整顿状态记录"

    def __str__(self) -> str:
        return f"{self.get_to_status_display()} {self.on:%Y-%m-%d}"


class CheckVisit(models.Model):
    """A screening visit (排查走访): who went, when, which 必访/必问 items were covered, what was found."""

    case = models.ForeignKey(RectificationCase, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("走访日期")
    visitors = models.CharField("走访人员", max_length=200)
    items = models.ManyToManyField(VisitItem, blank=True, related_name="+", verbose_name="覆盖的必访必问")
    findings = models.TextField("发现的问题", max_length=3000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()
    scope = ScopeSpec(path="case__org__path", policy=CASE_POLICY)
    audit_fields = ["case_id", "visited_on", "visitors", "findings"]

    class Meta:
        ordering = ["case_id", "visited_on", "pk"]
        verbose_name = verbose_name_plural = "排查走访"

    def __str__(self) -> str:
        return f"{self.case} 走访 {self.visited_on:%Y-%m-%d}"


class RectificationPlan(models.Model):
    """一村一策 with its five essentials (五个要件): 定目标任务、定责任主体、定时限要求、定工作措施、
    定整改成效."""

    case = models.OneToOneField(RectificationCase, on_delete=models.CASCADE, related_name="plan")
    targets = models.TextField("目标任务", max_length=2000)
    responsible = models.CharField("责任主体", max_length=300)
    deadline = models.DateField("时限要求")
    measures = models.TextField("工作措施", max_length=3000)
    expected_result = models.TextField("整改成效", max_length=2000)
    approved_on = models.DateField("制定日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()
    scope = ScopeSpec(path="case__org__path", policy=CASE_POLICY)
    audit_fields = [
        "case_id",
        "targets",
        "responsible",
        "deadline",
        "measures",
        "expected_result",
        "approved_on",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "一村一策整顿方案"

    def __str__(self) -> str:
        return f"{self.case.org.name} {self.case.year}年整顿方案"


class PlanItem(models.Model):
    """A plan item: a case of the case engine (kind `rectify`), supervised and signed off there."""

    plan = models.ForeignKey(RectificationPlan, on_delete=models.CASCADE, related_name="items")
    item = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="rectification_item")
    sort_order = models.PositiveSmallIntegerField("序号", default=0)

    objects = ScopedManager()
    scope = ScopeSpec(path="plan__case__org__path", policy=CASE_POLICY)

    class Meta:
        ordering = ["plan_id", "sort_order", "pk"]
        verbose_name = verbose_name_plural = "整顿方案事项"

    def __str__(self) -> str:
        return f"{self.plan.case.org.name} 整顿事项 {self.sort_order}"


class Support(models.Model):
    """One of the 四个一 assigned to a case: a county leader (包联), a township leader, a first secretary or
    work team, a paired unit (or advanced village)."""

    case = models.ForeignKey(RectificationCase, on_delete=models.CASCADE, related_name="supports")
    kind = models.CharField("帮扶力量", max_length=16, choices=SupportKind.choices)
    name = models.CharField("姓名或单位", max_length=60)
    title = models.CharField("职务", max_length=100, blank=True)
    contact_leader = models.ForeignKey(
        "office.ContactLeader",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="县级包联领导",
    )
    since = models.DateField("起始日期")

    objects = ScopedManager()
    scope = ScopeSpec(path="case__org__path", policy=CASE_POLICY)
    audit_fields = ["case_id", "kind", "name", "title", "contact_leader_id", "since"]

    class Meta:
        ordering = ["case_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="rect_support_unique_kind")]
        verbose_name = verbose_name_plural = "“四个一”帮扶"

    def __str__(self) -> str:
        return f"{self.case.org.name} {self.get_kind_display()} {self.name}"


class SupportVisit(models.Model):
    support = models.ForeignKey(Support, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("到村日期")
    visitor = models.CharField("到村人员", max_length=60)
    activity = models.CharField("开展工作", max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()
    scope = ScopeSpec(path="support__case__org__path", policy=CASE_POLICY)
    audit_fields = ["support_id", "visited_on", "visitor", "activity"]

    class Meta:
        ordering = ["support_id", "-visited_on", "-pk"]
        indexes = [models.Index(fields=["support", "visited_on"], name="rect_supportvisit_idx")]
        verbose_name = verbose_name_plural = "帮扶到村记录"

    def __str__(self) -> str:
        return f"{self.support} 到村 {self.visited_on:%Y-%m-%d}"


class Screening(models.Model):
    """A county's annual screening sheet (年度排查): each branch's ranking, score and collective income;
    the bottom quota (5–10%) proposed as candidates, confirmed by the county."""

    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    year = models.PositiveSmallIntegerField("年度")
    quota_percent = models.DecimalField("倒排比例（%）", max_digits=4, decimal_places=1)
    confirmed_on = models.DateField("确认日期", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="county__path", policy=COUNTY_POLICY)
    audit_fields = ["county_id", "year", "quota_percent", "confirmed_on"]

    class Meta:
        ordering = ["-year", "county_id"]
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="rect_screening_unique")]
        verbose_name = verbose_name_plural = "年度排查"

    def __str__(self) -> str:
        return f"{self.county.name} {self.year}年度排查"

    def get_absolute_url(self) -> str:
        return reverse("rectification-screening", args=[self.pk])


class ScreeningRow(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="rows")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村党组织")
    rank = models.PositiveIntegerField("年度考核排名")
    score = models.DecimalField("考核得分", max_digits=6, decimal_places=2, null=True, blank=True)
    collective_income = models.DecimalField(
        "村集体经济收入（万元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    proposed = models.BooleanField("倒排候选", default=False)
    confirmed = models.BooleanField("确认列入整顿", default=False)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=COUNTY_POLICY)

    class Meta:
        ordering = ["screening_id", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["screening", "org"], name="rect_screeningrow_unique")]
        verbose_name = verbose_name_plural = "年度排查明细"

    def __str__(self) -> str:
        return f"{self.org.name} 第{self.rank}名"
