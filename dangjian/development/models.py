"""Member development: one case per applicant, a step row per step taken, under a rule version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.roles import MANAGERS, WORKERS
from dangjian.core.scope import ScopedManager, ScopeSpec
from dangjian.members.models import MEMBER_READERS

DEVELOPMENT_POLICY = {
    "view": MEMBER_READERS,
    "add": WORKERS,
    "change": WORKERS,
    # Steps the higher party committee takes: filing, pre-review, talk, approval.
    "approve": MANAGERS,
}


class CaseStatus(models.TextChoices):
    OPEN = "open", "培养考察中"
    PROBATION = "probation", "预备期"
    FULL = "full", "已转正"
    STOPPED = "stopped", "已终止"


class Stage(models.IntegerChoices):
    APPLICANT = 1, "申请入党"
    ACTIVIST = 2, "入党积极分子"
    CANDIDATE = 3, "发展对象"
    RECEPTION = 4, "预备党员接收"
    PROBATION = 5, "预备党员考察和转正"


class DevelopmentCase(models.Model):
    """An applicant's path to membership. Milestone dates are copied from the steps so lists and
    checks can query them; the steps are the record."""

    person = models.ForeignKey(
        "members.Person", on_delete=models.PROTECT, related_name="development_cases", verbose_name="申请人"
    )
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="development_cases", verbose_name="党支部"
    )
    rule_version = models.CharField("适用细则版本", max_length=20)
    status = models.CharField(
        "状态", max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN, db_index=True
    )
    stage = models.PositiveSmallIntegerField(
        "阶段", choices=Stage.choices, default=Stage.APPLICANT, db_index=True
    )
    next_step = models.CharField("下一步", max_length=40, blank=True)
    next_earliest = models.DateField("下一步最早可办日期", null=True, blank=True)
    next_due = models.DateField("下一步办理期限", null=True, blank=True, db_index=True)
    applied_on = models.DateField("递交申请日期")
    activist_on = models.DateField("确定为积极分子日期", null=True, blank=True)
    candidate_on = models.DateField("确定为发展对象日期", null=True, blank=True)
    admitted_on = models.DateField("支部大会接收日期", null=True, blank=True, db_index=True)
    approved_on = models.DateField("上级党委审批日期", null=True, blank=True)
    probation_ends_on = models.DateField("预备期满日期", null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField("延长预备期（月）", null=True, blank=True)
    full_on = models.DateField("转正日期", null=True, blank=True)
    member = models.OneToOneField(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="development_case",
        verbose_name="党员档案",
    )
    stopped_reason = models.CharField("终止原因", max_length=200, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=DEVELOPMENT_POLICY)
    audit_fields = [
        "org_id",
        "rule_version",
        "status",
        "stage",
        "next_step",
        "next_due",
        "activist_on",
        "candidate_on",
        "admitted_on",
        "approved_on",
        "probation_ends_on",
        "extension_months",
        "full_on",
        "member_id",
        "stopped_reason",
    ]

    class Meta:
        ordering = ["org_id", "-applied_on", "pk"]
        indexes = [models.Index(fields=["org", "status", "stage"], name="devcase_org_status_idx")]
        verbose_name = verbose_name_plural = "发展党员"

    def __str__(self) -> str:
        return f"{self.person.name}（发展党员）"

    def get_absolute_url(self) -> str:
        return reverse("development-case", args=[self.pk])


class CaseStep(models.Model):
    """A step taken. Never edited: a correction writes a new row and marks this one superseded."""

    case = models.ForeignKey(
        DevelopmentCase, on_delete=models.PROTECT, related_name="steps", verbose_name="发展党员"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="党支部")
    code = models.CharField("步骤", max_length=40)
    round = models.PositiveSmallIntegerField(
        "轮次", default=1, help_text="延长预备期后转正步骤重新办理时加一"
    )
    done_on = models.DateField("办理日期")
    passed = models.BooleanField("通过", default=True)
    responsible = models.CharField("负责人", max_length=60)
    note = models.CharField("说明", max_length=500, blank=True)
    late_reason = models.CharField("逾期说明", max_length=300, blank=True)
    data = models.JSONField("步骤数据", default=dict, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrects",
        verbose_name="更正为",
    )
    correction_reason = models.CharField("更正原因", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=DEVELOPMENT_POLICY)
    audit_fields = ["code", "round", "done_on", "passed", "responsible", "note", "late_reason", "data"]

    class Meta:
        ordering = ["case_id", "done_on", "pk"]
        indexes = [models.Index(fields=["case", "code"], name="casestep_case_code_idx")]
        verbose_name = verbose_name_plural = "发展党员步骤"

    def __str__(self) -> str:
        from .rules import step_title

        return f"{self.case.person.name}：{step_title(self.case.rule_version, self.code)}"


class CaseContact(models.Model):
    """A full member who cultivates (培养联系人) or sponsors (入党介绍人) an applicant."""

    class Kind(models.TextChoices):
        CONTACT = "contact", "培养联系人"
        SPONSOR = "sponsor", "入党介绍人"

    case = models.ForeignKey(DevelopmentCase, on_delete=models.PROTECT, related_name="contacts")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="党员"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    step = models.ForeignKey(CaseStep, on_delete=models.PROTECT, related_name="contacts")

    class Meta:
        verbose_name = verbose_name_plural = "培养联系人和入党介绍人"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.member}"


class StepDocument(models.Model):
    """A document filed with a step (application letter, talk record, review materials …)."""

    step = models.ForeignKey(CaseStep, on_delete=models.PROTECT, related_name="documents")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    file = models.FileField("文件", upload_to="development/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=DEVELOPMENT_POLICY)

    class Meta:
        verbose_name = verbose_name_plural = "发展党员材料"

    def __str__(self) -> str:
        return self.name
