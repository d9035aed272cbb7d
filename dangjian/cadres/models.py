"""Reserve cadres (后备库) and their mentoring (导师帮带), a secretary chosen from the pool with the
decision trail (PoolSelection) and the office director's one-to-one coaching (Coaching); village cadres'
pay (村干部报酬): a county's pay scheme, annual assessment results, one-card accounts and monthly
disbursement batches.

Every row carries the village (or township) it belongs to as `org`, so the scope layer reads it by path.
A person in the pool need not have a `members.Person` record (many reserve cadres are not members yet);
the name is kept on the row either way."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dangjian.core.roles import MANAGERS, Role
from dangjian.core.scope import ScopedManager, ScopeSpec
from dangjian.members.choices import Education, Gender
from dangjian.members.models import years_between
from dangjian.villages.models import READERS, VILLAGE_POLICY

from .choices import ActivityKind, AssessmentGrade, BatchStatus, Grade, PoliticalStatus, ReserveStatus

# Village workers keep their pool; only the township office or the county chooses a secretary from it.
POOL_POLICY = {**VILLAGE_POLICY, "choose": MANAGERS}
PAY_POLICY = {"view": READERS, "change": MANAGERS}
COUNTY_ONLY = frozenset({Role.COUNTY_ADMIN})


class ReserveCadre(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reserve_rows",
        verbose_name="人员档案",
    )
    name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    education = models.CharField("学历", max_length=20, choices=Education.choices)
    skills = models.CharField("特长/技能", max_length=200, blank=True)
    political_status = models.CharField("政治面貌", max_length=20, choices=PoliticalStatus.choices)
    entered_on = models.DateField("入库日期")
    status = models.CharField(
        "状态", max_length=10, choices=ReserveStatus.choices, default=ReserveStatus.IN_POOL
    )
    left_on = models.DateField("出库日期", null=True, blank=True)
    left_reason = models.CharField("出库原因", max_length=100, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POOL_POLICY)
    audit_fields = [
        "org_id",
        "person_id",
        "name",
        "gender",
        "birth_date",
        "education",
        "skills",
        "political_status",
        "entered_on",
        "status",
        "left_on",
        "left_reason",
    ]

    class Meta:
        ordering = ["org_id", "entered_on", "pk"]
        indexes = [models.Index(fields=["org", "status"], name="cadres_reserve_org_status_idx")]
        verbose_name = verbose_name_plural = "村级后备干部"

    def __str__(self) -> str:
        return f"{self.org.name if self.org_id else ''} 后备干部 {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("reserve-detail", args=[self.pk])

    @property
    def age(self) -> int:
        return years_between(self.birth_date, timezone.localdate())


class Mentorship(models.Model):
    """A reserve cadre paired with a mentor: a current holder of a village post, or an office user."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    reserve = models.ForeignKey(
        ReserveCadre, on_delete=models.PROTECT, related_name="mentorships", verbose_name="后备干部"
    )
    mentor_post = models.ForeignKey(
        "villages.Post",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="导师职务",
    )
    mentor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="导师（乡镇干部）",
    )
    mentor_name = models.CharField("导师", max_length=40)
    mentor_title = models.CharField("导师职务", max_length=60)
    started_on = models.DateField("帮带开始日期")
    ended_on = models.DateField("帮带结束日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = [
        "reserve_id",
        "mentor_post_id",
        "mentor_user_id",
        "mentor_name",
        "mentor_title",
        "started_on",
    ]

    class Meta:
        ordering = ["org_id", "-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mentor_post__isnull=True) | Q(mentor_user__isnull=True),
                name="cadres_mentor_one_kind",
            )
        ]
        verbose_name = verbose_name_plural = "导师帮带"

    def __str__(self) -> str:
        return f"{self.mentor_name}帮带{self.reserve.name if self.reserve_id else ''}"

    def get_absolute_url(self) -> str:
        return reverse("mentorship-detail", args=[self.pk])


class MentorActivity(models.Model):
    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="activities", verbose_name="导师帮带"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    kind = models.CharField("方式", max_length=20, choices=ActivityKind.choices)
    held_on = models.DateField("日期")
    note = models.CharField("内容", max_length=500)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = ["mentorship_id", "kind", "held_on", "note"]

    class Meta:
        ordering = ["mentorship_id", "held_on", "pk"]
        verbose_name = verbose_name_plural = "帮带活动"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%Y-%m-%d}"


class MentorEvaluation(models.Model):
    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="evaluations", verbose_name="导师帮带"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    evaluated_on = models.DateField("评价日期")
    grade = models.CharField("等次", max_length=20, choices=Grade.choices)
    comment = models.CharField("评语", max_length=500)
    evaluator = models.CharField("评价人", max_length=60)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = ["mentorship_id", "evaluated_on", "grade", "comment", "evaluator"]

    class Meta:
        ordering = ["mentorship_id", "evaluated_on", "pk"]
        verbose_name = verbose_name_plural = "帮带评价"

    def __str__(self) -> str:
        return f"帮带评价 {self.evaluated_on:%Y-%m-%d} {self.get_grade_display()}"


class PoolSelection(models.Model):
    """The trail of choosing a cadre from the pool: who decided, when, on what basis, whom else."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    reserve = models.ForeignKey(
        ReserveCadre, on_delete=models.PROTECT, related_name="selections", verbose_name="选任对象"
    )
    post = models.ForeignKey(
        "villages.Post", on_delete=models.PROTECT, related_name="+", verbose_name="所任职务"
    )
    decided_on = models.DateField("决定日期")
    decided_by = models.CharField("决定机关", max_length=60)
    basis = models.CharField("依据", max_length=300, help_text="如：镇党委会议纪要〔2026〕5号")
    note = models.CharField("说明", max_length=500, blank=True)
    considered = models.ManyToManyField(
        ReserveCadre, related_name="+", blank=True, verbose_name="同时考察人选"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POOL_POLICY)
    audit_fields = ["reserve_id", "post_id", "decided_on", "decided_by", "basis", "note"]

    class Meta:
        ordering = ["org_id", "-decided_on", "pk"]
        verbose_name = verbose_name_plural = "后备库选任记录"

    def __str__(self) -> str:
        return f"从后备库选任 {self.reserve.name if self.reserve_id else ''}"


class Coaching(models.Model):
    """One-to-one coaching (“一对一”辅导) of a newly appointed cadre by the township office director."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    post = models.ForeignKey(
        "villages.Post", on_delete=models.PROTECT, related_name="+", verbose_name="辅导对象职务"
    )
    coachee_name = models.CharField("辅导对象", max_length=40)
    coach_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    coach_name = models.CharField("辅导人", max_length=40)
    coach_title = models.CharField("辅导人职务", max_length=60, default="乡镇党建办主任")
    started_on = models.DateField("开始日期")
    selection = models.ForeignKey(
        PoolSelection, on_delete=models.PROTECT, null=True, blank=True, related_name="coachings"
    )

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POOL_POLICY)
    audit_fields = ["post_id", "coachee_name", "coach_user_id", "coach_name", "coach_title", "started_on"]

    class Meta:
        ordering = ["org_id", "-started_on", "pk"]
        verbose_name = verbose_name_plural = "“一对一”辅导"

    def __str__(self) -> str:
        return f"{self.coach_name}“一对一”辅导{self.coachee_name}"

    def get_absolute_url(self) -> str:
        return reverse("coaching-detail", args=[self.pk])


class CoachingSession(models.Model):
    coaching = models.ForeignKey(
        Coaching, on_delete=models.CASCADE, related_name="sessions", verbose_name="辅导"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    held_on = models.DateField("日期")
    topic = models.CharField("主题", max_length=100)
    note = models.CharField("内容", max_length=500, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POOL_POLICY)
    audit_fields = ["coaching_id", "held_on", "topic", "note"]

    class Meta:
        ordering = ["coaching_id", "held_on", "pk"]
        verbose_name = verbose_name_plural = "辅导记录"

    def __str__(self) -> str:
        return f"辅导 {self.held_on:%Y-%m-%d} {self.topic}"


# --- pay ---------------------------------------------------------------------------------------------


class PayScheme(models.Model):
    """A county's pay scheme: monthly base pay per post kind (yuan), the 一肩挑 allowance, and the
    performance formula (coefficient per assessment grade × monthly base × months)."""

    county = models.OneToOneField("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    base_pay = models.JSONField("月基本报酬（元）", default=dict)
    dual_allowance = models.DecimalField("“一肩挑”补贴（元/月）", max_digits=9, decimal_places=2)
    coefficients = models.JSONField("绩效系数", default=dict)
    performance_months = models.PositiveSmallIntegerField("绩效月数")
    performance_month = models.PositiveSmallIntegerField("绩效发放月份", default=1)
    source = models.CharField("依据", max_length=300)
    updated_on = models.DateField("设定日期")

    objects = ScopedManager()
    scope = ScopeSpec(path="county__path", policy={"view": READERS, "change": COUNTY_ONLY}, up=True)
    audit_fields = [
        "base_pay",
        "dual_allowance",
        "coefficients",
        "performance_months",
        "performance_month",
        "source",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "村干部报酬标准"

    def __str__(self) -> str:
        return f"{self.county.name if self.county_id else ''}村干部报酬标准"


class AssessmentResult(models.Model):
    """One cadre's annual assessment result, entered by the township or county (later fed by the
    assessment issue through `services.record_assessment`)."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    person = models.ForeignKey(
        "members.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField("姓名", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    grade = models.CharField("等次", max_length=20, choices=AssessmentGrade.choices)
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True)
    evidence = models.CharField("依据", max_length=300)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=PAY_POLICY)
    audit_fields = ["name", "person_id", "year", "grade", "score", "evidence"]

    class Meta:
        ordering = ["org_id", "-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name", "year"], name="cadres_assessment_unique")
        ]
        verbose_name = verbose_name_plural = "村干部年度考核结果"

    def __str__(self) -> str:
        return f"{self.name} {self.year}年度考核{self.get_grade_display()}"


class PayAccount(models.Model):
    """A cadre's one-card account (一卡通账号) the bank pays into."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    person = models.ForeignKey(
        "members.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField("姓名", max_length=40)
    account_no = models.CharField("一卡通账号", max_length=30)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=PAY_POLICY)
    audit_fields = ["name", "person_id", "account_no"]
    audit_masked = ["account_no"]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="cadres_account_unique")]
        verbose_name = verbose_name_plural = "一卡通账号"

    def __str__(self) -> str:
        return f"{self.name} 一卡通账号"


class PayBatch(models.Model):
    township = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="乡镇")
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    month = models.DateField("月份", help_text="该月1日")
    status = models.CharField("状态", max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    total = models.DecimalField("合计（元）", max_digits=12, decimal_places=2, default=0)
    line_count = models.PositiveIntegerField("人数", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="township__path", policy=PAY_POLICY)
    audit_fields = ["township_id", "month", "status", "total", "line_count"]

    class Meta:
        ordering = ["-month", "township_id"]
        constraints = [
            models.UniqueConstraint(fields=["township", "month"], name="cadres_batch_month_unique")
        ]
        verbose_name = verbose_name_plural = "村干部报酬发放批次"

    def __str__(self) -> str:
        township = self.township.name if self.township_id else ""
        return f"{township}{self.month.year}年{self.month.month}月村干部报酬"

    def get_absolute_url(self) -> str:
        return reverse("pay-batch-detail", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.status == BatchStatus.APPROVED


class PayLine(models.Model):
    """One person's pay in a batch (one line even when they hold two posts)."""

    batch = models.ForeignKey(PayBatch, on_delete=models.CASCADE, related_name="lines", verbose_name="批次")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    person = models.ForeignKey(
        "members.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField("姓名", max_length=40)
    posts = models.CharField("职务", max_length=100)
    base = models.DecimalField("基本报酬", max_digits=9, decimal_places=2)
    allowance = models.DecimalField("“一肩挑”补贴", max_digits=9, decimal_places=2, default=0)
    performance = models.DecimalField("绩效报酬", max_digits=9, decimal_places=2, default=0)
    amount = models.DecimalField("金额", max_digits=9, decimal_places=2)
    account_no = models.CharField("一卡通账号", max_length=30, blank=True)
    summary = models.CharField("摘要", max_length=100)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=PAY_POLICY)

    class Meta:
        ordering = ["batch_id", "org_id", "pk"]
        verbose_name = verbose_name_plural = "报酬发放明细"

    def __str__(self) -> str:
        return f"{self.name} {self.amount}元"
