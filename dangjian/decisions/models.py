"""四议两公开: a village's major-matter decision moving through its six steps in order (rules.md §3),
with the counts each meeting needs for its quorum (§3.1, §2.1) and the residents' opinions gathered."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.roles import ALL_ROLES, Role
from dangjian.core.scope import ScopedManager, ScopeSpec

DECISION_POLICY = {
    "view": ALL_ROLES - {Role.DEPT_LIAISON, Role.GRID_LEADER},
    "add": frozenset({Role.VILLAGE_SECRETARY, Role.STATION_CHIEF, Role.TOWNSHIP_STAFF, Role.COUNTY_ADMIN}),
    "change": frozenset({Role.VILLAGE_SECRETARY, Role.STATION_CHIEF, Role.TOWNSHIP_STAFF, Role.COUNTY_ADMIN}),
}


class Step(models.TextChoices):
    PROPOSAL = "proposal", "村党组织提议"
    DELIBERATION = "deliberation", "村“两委”会议商议"
    JOINT_REVIEW = "joint_review", "联村党总支初审"
    ASSEMBLY_REVIEW = "assembly_review", "党员大会审议"
    RESOLUTION = "resolution", "村民会议或村民代表会议决议"
    RESOLUTION_PUBLISHED = "resolution_published", "决议公开"
    RESULT_PUBLISHED = "result_published", "实施结果公开"


STEP_ORDER: tuple[str, ...] = tuple(Step.values)
# Without the joint branch's first review: every decision outside a joint branch that has that power.
BASE_ORDER: tuple[str, ...] = tuple(s for s in STEP_ORDER if s != Step.JOINT_REVIEW)
DONE = "done"


class State(models.TextChoices):
    """The next step the decision waits for (or done once the result is published)."""

    PROPOSAL = "proposal", "待提议"
    DELIBERATION = "deliberation", "待两委商议"
    JOINT_REVIEW = "joint_review", "待联村党总支初审"
    ASSEMBLY_REVIEW = "assembly_review", "待党员大会审议"
    RESOLUTION = "resolution", "待决议"
    RESOLUTION_PUBLISHED = "resolution_published", "待决议公开"
    RESULT_PUBLISHED = "result_published", "待实施结果公开"
    DONE = "done", "已完成"
    REJECTED = "rejected", "表决未通过"


class MeetingKind(models.TextChoices):
    VILLAGERS = "villagers", "村民会议"
    REPRESENTATIVES = "representatives", "村民代表会议"


class Channel(models.TextChoices):
    IN_PERSON = "in_person", "当面"
    PHONE = "phone", "电话"
    BOX = "box", "意见箱"
    ONLINE = "online", "微信/网络"
    SYMPOSIUM = "symposium", "座谈会"
    VISIT = "visit", "入户走访"
    OTHER = "other", "其他"


class Decision(models.Model):
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="decisions", verbose_name="村（社区）"
    )
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    title = models.CharField("事项名称", max_length=100)
    matter = models.TextField("事项内容", max_length=3000, blank=True)
    meeting_kind = models.CharField(
        "决议会议", max_length=20, choices=MeetingKind.choices, default=MeetingKind.REPRESENTATIVES
    )
    state = models.CharField(
        "下一步", max_length=24, choices=State.choices, default=State.PROPOSAL, db_index=True
    )
    joint_review = models.BooleanField("须经联村党总支初审", default=False)
    opened_on = models.DateField("登记日期")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=DECISION_POLICY)
    audit_fields = [
        "org_id",
        "title",
        "matter",
        "meeting_kind",
        "state",
        "joint_review",
        "opened_on",
    ]

    class Meta:
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["county", "state"], name="decision_county_state_idx")]
        verbose_name = verbose_name_plural = "四议两公开事项"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decision-detail", args=[self.pk])

    @property
    def step_order(self) -> tuple[str, ...]:
        return STEP_ORDER if self.joint_review else BASE_ORDER

    @property
    def is_done(self) -> bool:
        return self.state == State.DONE

    @property
    def is_closed(self) -> bool:
        """Done, or ended by a vote that did not pass (a new proposal is a new decision)."""
        return self.state in (State.DONE, State.REJECTED)


class DecisionStep(models.Model):
    """One step held. Counts (integers) are those its quorum needs:
    党员大会审议: expected = 应到会有表决权党员; 村民会议: expected = 18周岁以上村民, households and
    households_present; 村民代表会议: expected = 组成人员 (村委会成员 + 村民代表)."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="steps", verbose_name="事项"
    )
    step = models.CharField("环节", max_length=24, choices=Step.choices)
    held_on = models.DateField("日期")
    merged = models.BooleanField("提议与商议合并", default=False)
    passed = models.BooleanField("表决通过", default=True)
    expected = models.PositiveIntegerField("应到人数", null=True, blank=True)
    present = models.PositiveIntegerField("到会人数", null=True, blank=True)
    in_favour = models.PositiveIntegerField("赞成人数", null=True, blank=True)
    households = models.PositiveIntegerField("户数", null=True, blank=True)
    households_present = models.PositiveIntegerField("到会户代表数", null=True, blank=True)
    notes = models.TextField("情况说明", max_length=3000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="decision__org__path", policy=DECISION_POLICY)
    audit_fields = [
        "decision_id",
        "step",
        "held_on",
        "merged",
        "passed",
        "expected",
        "present",
        "in_favour",
        "households",
        "households_present",
        "notes",
    ]

    class Meta:
        ordering = ["decision_id", "held_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["decision", "step"], name="decisionstep_unique_step")]
        verbose_name = verbose_name_plural = "四议两公开环节"

    def __str__(self) -> str:
        return f"{self.decision} {self.get_step_display()}"

    @property
    def counts_text(self) -> str:
        """The counts as people say them, for the timeline and the export."""
        if self.present is None:
            return ""
        outcome = "" if self.passed else "，表决未通过"
        if self.step == Step.ASSEMBLY_REVIEW:
            return f"应到会党员{self.expected}人，到会{self.present}人，赞成{self.in_favour}人{outcome}"
        if self.households is not None:
            return (
                f"18周岁以上村民{self.expected}人，到会{self.present}人；"
                f"{self.households}户中到会户代表{self.households_present}户；赞成{self.in_favour}人{outcome}"
            )
        return f"组成人员{self.expected}人，到会{self.present}人，赞成{self.in_favour}人{outcome}"


class Opinion(models.Model):
    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="opinions", verbose_name="事项"
    )
    resident_name = models.CharField("群众姓名", max_length=30, blank=True)
    text = models.TextField("意见建议", max_length=2000)
    received_on = models.DateField("收到日期")
    channel = models.CharField("渠道", max_length=12, choices=Channel.choices, default=Channel.IN_PERSON)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="decision__org__path", policy=DECISION_POLICY)
    audit_fields = ["decision_id", "resident_name", "text", "received_on", "channel"]

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = verbose_name_plural = "群众意见"

    def __str__(self) -> str:
        return f"{self.decision}：{self.text[:20]}"
