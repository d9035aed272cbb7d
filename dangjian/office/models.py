"""The township office's own records: its posts and duties and who holds them, how its staff are
chosen, which staff member looks after which branch, the county leaders paired with villages, and
the days staff spend in the villages.

Scope: posts, holders and selections belong to the township (org = the township), so the office and
the county see them. A contact point, a field visit and a leader's visit belong to the branch they
concern (org = the branch), so the branch sees who looks after it and who came, and the township and
county above it see them too; they also keep the township, so a week's tally per office is one GROUP BY.
A county contact leader belongs to the county, and is also visible to each village paired with it.

The text of a row (what the audit trail shows) never names a staff member: a user's name belongs to
that user's own audit rows and scope, so a branch's trail does not echo it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dangjian.core.roles import ALL_ROLES, MANAGERS, Role
from dangjian.core.scope import ScopedManager, ScopedQuerySet, ScopeSpec, path_q, scope_prefixes

from .choices import (
    AppraisalGrade,
    CandidateSource,
    PostKind,
    RequestAction,
    RequestKind,
    RequestStatus,
    ReviewDecision,
    SelectionRoute,
    SelectionStatus,
    StepKind,
    VisitLength,
)

VIEW_ROLES = ALL_ROLES - {Role.DEPT_LIAISON}
POLICY = {"view": VIEW_ROLES, "add": MANAGERS, "change": MANAGERS}


class Post(models.Model):
    """A post of the office (岗位): director, executive deputy or one of the working posts."""

    office = models.ForeignKey(
        "orgs.Office", on_delete=models.PROTECT, related_name="posts", verbose_name="党建办"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="乡镇")
    name = models.CharField("岗位名称", max_length=40)
    kind = models.CharField("岗位类别", max_length=20, choices=PostKind.choices, default=PostKind.STAFF)
    full_time = models.BooleanField("专职", default=True, help_text="专职或兼职（“专兼结合”）")
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    archived_at = models.DateTimeField("撤销时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POLICY)
    audit_fields = ["office_id", "org_id", "name", "kind", "full_time", "sort_order", "archived_at"]

    class Meta:
        ordering = ["org_id", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"],
                condition=Q(archived_at__isnull=True),
                name="office_post_unique_name",
            )
        ]
        verbose_name = verbose_name_plural = "党建办岗位"

    def __str__(self) -> str:
        return f"{self.office.name}·{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("office-post-detail", args=[self.pk])


class Duty(models.Model):
    """One duty of a post (职责), in the post's order."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="duties", verbose_name="岗位")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="乡镇")
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("职责", max_length=200)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POLICY)
    audit_fields = ["post_id", "position", "text"]

    class Meta:
        ordering = ["post_id", "position"]
        verbose_name = verbose_name_plural = "岗位职责"

    def __str__(self) -> str:
        return f"{self.post}职责{self.position}"


class PostHolder(models.Model):
    """Who held a post from when until when; ended rows are the post's history."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="holders", verbose_name="岗位")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="乡镇")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="office_posts",
        verbose_name="在岗人员",
    )
    since = models.DateField("到岗日期")
    until = models.DateField("离岗日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POLICY)
    audit_fields = ["post_id", "user_id", "since", "until", "note"]

    class Meta:
        ordering = ["post_id", "-since", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post"], condition=Q(until__isnull=True), name="office_post_one_current_holder"
            )
        ]
        verbose_name = verbose_name_plural = "岗位任职记录"

    def __str__(self) -> str:
        return f"{self.post}任职（{self.since:%Y-%m-%d}起）"


class StaffSelection(models.Model):
    """Choosing a person for the office: self-nomination or a leader's recommendation, then the
    township's review; an approved candidate may then be appointed to a post (001)."""

    office = models.ForeignKey(
        "orgs.Office", on_delete=models.PROTECT, related_name="selections", verbose_name="党建办"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="乡镇")
    candidate_name = models.CharField("候选人", max_length=30)
    candidate_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="候选人账号",
    )
    source = models.CharField(
        "人员来源", max_length=20, choices=CandidateSource.choices, default=CandidateSource.OTHER
    )
    route = models.CharField("产生方式", max_length=20, choices=SelectionRoute.choices)
    intended_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="拟任岗位"
    )
    status = models.CharField(
        "状态", max_length=20, choices=SelectionStatus.choices, default=SelectionStatus.PENDING, db_index=True
    )
    appointed_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="任用岗位"
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POLICY)
    audit_fields = [
        "org_id",
        "candidate_name",
        "candidate_user_id",
        "source",
        "route",
        "status",
        "appointed_post_id",
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "党建办人员选拔"

    def __str__(self) -> str:
        return f"{self.office.name}人员选拔：{self.candidate_name}"

    def get_absolute_url(self) -> str:
        return reverse("office-selection-detail", args=[self.pk])


class SelectionStep(models.Model):
    """One recorded step of a selection: who did it, when, and (for the review) the decision."""

    selection = models.ForeignKey(
        StaffSelection, on_delete=models.PROTECT, related_name="steps", verbose_name="选拔"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="乡镇")
    kind = models.CharField("环节", max_length=20, choices=StepKind.choices)
    done_on = models.DateField("日期")
    by_name = models.CharField("办理人（单位）", max_length=60)
    decision = models.CharField("审核结果", max_length=20, choices=ReviewDecision.choices, blank=True)
    opinion = models.CharField("意见", max_length=500, blank=True)
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="任用岗位"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POLICY)
    audit_fields = ["selection_id", "kind", "done_on", "by_name", "decision", "opinion", "post_id"]

    class Meta:
        ordering = ["selection_id", "done_on", "pk"]
        verbose_name = verbose_name_plural = "人员选拔环节"

    def __str__(self) -> str:
        return f"{self.selection.candidate_name}·{self.get_kind_display()}"


class ContactPoint(models.Model):
    """A staff member's contact point (定点联系): the branch they look after, from when until when."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="联系党支部")
    township = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="乡镇")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contact_points",
        verbose_name="联系人",
    )
    since = models.DateField("起始日期")
    until = models.DateField("结束日期", null=True, blank=True, help_text="当天起不再联系")
    note = models.CharField("说明", max_length=200, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POLICY)
    audit_fields = ["org_id", "township_id", "staff_id", "since", "until", "note"]

    class Meta:
        ordering = ["org__path", "since", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "staff"],
                condition=Q(until__isnull=True),
                name="office_contact_point_open_unique",
            )
        ]
        indexes = [models.Index(fields=["township", "until"], name="office_cp_township_idx")]
        verbose_name = verbose_name_plural = "支部联系点"

    def __str__(self) -> str:
        return f"{self.org.name}联系点（{self.since:%Y-%m-%d}起）"


class ContactLeaderQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view"):
        """The county sees its leaders; a village paired with a leader sees that leader too."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        prefixes = scope_prefixes(user, self.model.scope.roles_for(action))
        if not prefixes:
            return self.none()
        mine = path_q("org__path", prefixes)
        if action != "view":
            return self.filter(mine)
        paired = ContactLeaderVillage.objects.filter(path_q("org__path", prefixes)).values("leader_id")
        return self.filter(mine | Q(pk__in=paired))


class ContactLeader(models.Model):
    """A county leader paired with villages for a year (县级包联领导)."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    name = models.CharField("姓名", max_length=30)
    title = models.CharField("职务", max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="系统账号",
    )
    year = models.PositiveSmallIntegerField("年度")
    villages = models.ManyToManyField(
        "orgs.Org", through="ContactLeaderVillage", related_name="+", verbose_name="包联村"
    )
    note = models.CharField("说明", max_length=200, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = models.Manager.from_queryset(ContactLeaderQuerySet)()
    scope = ScopeSpec(path="org__path", policy=POLICY)
    audit_fields = ["org_id", "name", "title", "user_id", "year", "note"]

    class Meta:
        ordering = ["org_id", "-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name", "year"], name="office_contact_leader_unique")
        ]
        verbose_name = verbose_name_plural = "县级包联领导"

    def __str__(self) -> str:
        return f"{self.org.name}包联领导{self.name}（{self.year}年）"

    def get_absolute_url(self) -> str:
        return reverse("office-contact-leader-detail", args=[self.pk])


class ContactLeaderVillage(models.Model):
    leader = models.ForeignKey(ContactLeader, on_delete=models.CASCADE, related_name="pairings")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="包联村")

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POLICY)

    class Meta:
        ordering = ["leader_id", "org__path"]
        constraints = [models.UniqueConstraint(fields=["leader", "org"], name="office_leader_village_unique")]
        verbose_name = verbose_name_plural = "包联村"

    def __str__(self) -> str:
        return f"{self.leader.name}包联{self.org.name}"


class ContactLeaderVisit(models.Model):
    """A contact leader's visit to one of the paired villages, and what was done there."""

    leader = models.ForeignKey(
        ContactLeader, on_delete=models.PROTECT, related_name="visits", verbose_name="包联领导"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="到访村")
    visited_on = models.DateField("到村日期")
    activity = models.CharField("开展工作", max_length=500)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POLICY)
    audit_fields = ["leader_id", "org_id", "visited_on", "activity"]

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = verbose_name_plural = "包联领导到村记录"

    def __str__(self) -> str:
        return f"包联领导到村（{self.visited_on:%Y-%m-%d}，{self.org.name}）"


class FieldVisit(models.Model):
    """A staff member's day (or half day) in a village (到村工作/走访): why, what was found, what next.

    `found` with `needs_follow_up` is what the problem ledger will later pick up."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="到访村（社区）"
    )
    township = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="乡镇")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="field_visits",
        verbose_name="工作人员",
    )
    visited_on = models.DateField("日期")
    half_days = models.PositiveSmallIntegerField(
        "时长", choices=VisitLength.choices, default=VisitLength.FULL
    )
    purpose = models.CharField("工作内容", max_length=200)
    found = models.TextField("发现的问题", max_length=1000, blank=True)
    follow_up = models.CharField("后续措施", max_length=500, blank=True)
    needs_follow_up = models.BooleanField("需跟进", default=False)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POLICY)
    audit_fields = [
        "org_id",
        "staff_id",
        "visited_on",
        "half_days",
        "purpose",
        "found",
        "follow_up",
        "needs_follow_up",
    ]

    class Meta:
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(fields=["township", "visited_on"], name="office_fv_township_day_idx"),
            models.Index(fields=["staff", "visited_on"], name="office_fv_staff_day_idx"),
        ]
        verbose_name = verbose_name_plural = "到村工作记录"

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} 到村工作：{self.org.name}（{self.get_half_days_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("office-field-visit-detail", args=[self.pk])

    @property
    def days(self) -> float:
        return self.half_days / 2


# The county organisation department approves; the township's office staff submit (人员提级管理, 000).
REQUEST_POLICY = POLICY | {"approve": frozenset({Role.COUNTY_ADMIN})}


class StaffRequest(models.Model):
    """A township's request that the county organisation department approve the appointment, the
    appraisal or the transfer of one of its office staff (人员提级管理). `post` is the post taken (appoint)
    or held (appraise, transfer); a transfer goes to `to_post` in the same office or out to `to_unit`."""

    office = models.ForeignKey(
        "orgs.Office", on_delete=models.PROTECT, related_name="staff_requests", verbose_name="党建办"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="乡镇")
    kind = models.CharField("事项", max_length=10, choices=RequestKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="人员"
    )
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="requests", verbose_name="岗位")
    to_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="调整到岗位"
    )
    to_unit = models.CharField("调出到单位", max_length=60, blank=True)
    year = models.PositiveSmallIntegerField("考核年度", null=True, blank=True)
    grade = models.CharField("考核等次", max_length=12, choices=AppraisalGrade.choices, blank=True)
    reason = models.CharField("理由", max_length=500)
    status = models.CharField(
        "状态", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING, db_index=True
    )
    decided_on = models.DateField("审批日期", null=True, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("报送时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=REQUEST_POLICY)
    audit_fields = [
        "org_id",
        "kind",
        "person_id",
        "post_id",
        "to_post_id",
        "to_unit",
        "year",
        "grade",
        "reason",
        "status",
        "decided_on",
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "党建办人员提级管理申请"

    def __str__(self) -> str:
        return f"{self.office.name}人员{self.get_kind_display()}申请（第{self.pk}号）"

    def get_absolute_url(self) -> str:
        return reverse("office-request-detail", args=[self.pk])


class StaffRequestStep(models.Model):
    """One step of a request's approval trail: who did what, when, with what note."""

    request = models.ForeignKey(
        StaffRequest, on_delete=models.PROTECT, related_name="steps", verbose_name="申请"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="乡镇")
    action = models.CharField("环节", max_length=10, choices=RequestAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", default=timezone.now)
    note = models.CharField("意见", max_length=500, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=REQUEST_POLICY)
    audit_fields = ["request_id", "action", "actor_id", "at", "note"]

    class Meta:
        ordering = ["request_id", "at", "pk"]
        verbose_name = verbose_name_plural = "提级管理审批记录"

    def __str__(self) -> str:
        return f"第{self.request_id}号申请·{self.get_action_display()}"
