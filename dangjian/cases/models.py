"""The case engine (DESIGN.md "One case engine"): a Case opened against an org, with an owner,
measures and a deadline, a timeline of events with evidence, routes to departments, supervision,
acceptance, sign-off, reopen, escalation and publication. Kinds (problem, errand, whistle) differ
only in their fields, transitions (kinds.py) and rules (rules.py).

Every case carries its township and county (and station where there is one) so a township's list
or a county's monthly report is one indexed filter at province scale."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.roles import ALL_ROLES, Role
from dangjian.core.scope import ScopedManager, ScopeSpec
from dangjian.members.models import mask_phone

from .choices import CaseKind, EventType, Level, Priority, RouteState, Satisfaction, Source
from .kinds import KINDS

COUNTY = frozenset({Role.COUNTY_ADMIN})
CASE_POLICY = {
    "view": ALL_ROLES,
    "add": ALL_ROLES - {Role.READONLY_LEADER, Role.DEPT_LIAISON},
    "act": ALL_ROLES - {Role.READONLY_LEADER},
    "manage": frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.STATION_CHIEF}),
}
CASE_SCOPE = ScopeSpec(path="org__path", policy=CASE_POLICY, grid="grid", department="routes__department")


class Category(models.Model):
    """A county's classification of cases of one kind, with its own deadlines where it sets them
    and, for whistles, the departments a whistle of this category goes to by default."""

    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    kind = models.CharField("类型", max_length=10, choices=CaseKind.choices)
    name = models.CharField("类别", max_length=40)
    deadline_days = models.PositiveSmallIntegerField("整改/办理时限（天）", null=True, blank=True)
    answer_days = models.PositiveSmallIntegerField("报到响应时限（天）", null=True, blank=True)
    solve_days = models.PositiveSmallIntegerField("办结时限（天）", null=True, blank=True)
    departments = models.ManyToManyField(
        "orgs.Department", blank=True, related_name="case_categories", verbose_name="默认派单部门"
    )
    sort_order = models.IntegerField("排序", default=0)
    archived_at = models.DateTimeField("停用时间", null=True, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(
        path="county__path",
        policy={
            "view": ALL_ROLES,
            "add": frozenset({Role.COUNTY_ADMIN}),
            "change": frozenset({Role.COUNTY_ADMIN}),
        },
        up=True,
    )
    audit_fields = ["county_id", "kind", "name", "deadline_days", "answer_days", "solve_days", "archived_at"]

    class Meta:
        ordering = ["county_id", "kind", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "kind", "name"], name="casecategory_unique_name")
        ]
        verbose_name = verbose_name_plural = "案件类别"

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    kind = models.CharField("类型", max_length=10, choices=CaseKind.choices)
    receipt_no = models.CharField("受理编号", max_length=20, unique=True)
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="cases", verbose_name="所属组织"
    )
    township = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="乡镇"
    )
    station = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="工作站"
    )
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name="类别"
    )
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    title = models.CharField("标题", max_length=100)
    description = models.TextField("情况描述", max_length=3000, blank=True)
    measures = models.TextField("整改/办理措施", max_length=3000, blank=True)
    responsibility = models.TextField("责任清单", max_length=2000, blank=True, help_text="谁负责哪一项")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_cases",
        verbose_name="责任人",
    )
    co_owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_owned_cases", verbose_name="协办人"
    )
    acceptor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_to_accept",
        verbose_name="验收人",
    )
    priority = models.CharField("紧急程度", max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    level = models.PositiveSmallIntegerField("办理层级", choices=Level.choices, default=Level.VILLAGE)
    grid = models.ForeignKey(
        "orgs.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="网格",
    )
    place = models.CharField("地点", max_length=120, blank=True)
    resident_name = models.CharField("群众姓名", max_length=30, blank=True)
    resident_phone = models.CharField("群众电话", max_length=20, blank=True)
    state = models.CharField("状态", max_length=12, db_index=True)
    opened_on = models.DateField("立项日期")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="立项人"
    )
    answer_due = models.DateField("响应时限", null=True, blank=True)
    deadline = models.DateField("办结时限", null=True, blank=True)
    answered_at = models.DateTimeField("响应时间", null=True, blank=True)
    done_at = models.DateTimeField("办结时间", null=True, blank=True)
    accepted_at = models.DateTimeField("验收时间", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_supervised_on = models.DateField("最近督办", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重新打开次数", default=0)
    reopened_at = models.DateTimeField("最近重新打开", null=True, blank=True)
    escalated_on = models.DateField("最近上报日期", null=True, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    public_title = models.CharField("公开标题", max_length=100, blank=True)
    public_result = models.CharField("公开办理结果", max_length=300, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        "满意度", choices=Satisfaction.choices, null=True, blank=True
    )
    satisfaction_note = models.CharField("回访记录", max_length=300, blank=True)
    service = models.ForeignKey(
        "errands.ErrandService",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="代办事项",
    )
    field_visit = models.ForeignKey(
        "office.FieldVisit", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    inspection = models.ForeignKey(
        "stations.StationInspection", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    diary = models.ForeignKey(
        "errands.Diary", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()
    scope = CASE_SCOPE
    audit_fields = [
        "kind",
        "receipt_no",
        "org_id",
        "category_id",
        "source",
        "title",
        "description",
        "measures",
        "responsibility",
        "owner_id",
        "acceptor_id",
        "priority",
        "level",
        "grid_id",
        "place",
        "resident_name",
        "resident_phone",
        "state",
        "opened_on",
        "answer_due",
        "deadline",
        "accepted_by_id",
        "closed_by_id",
        "reopen_count",
        "published_at",
        "public_title",
        "public_result",
        "satisfaction",
    ]
    audit_masked = ["resident_name", "resident_phone"]

    class Meta:
        ordering = ["-opened_on", "-pk"]
        indexes = [
            models.Index(fields=["township", "kind", "state", "deadline"], name="case_township_state_idx"),
            models.Index(fields=["county", "opened_on"], name="case_county_opened_idx"),
            models.Index(fields=["org", "kind", "state"], name="case_org_kind_state_idx"),
            models.Index(fields=["owner", "state"], name="case_owner_state_idx"),
            models.Index(fields=["acceptor", "state"], name="case_acceptor_state_idx"),
            models.Index(fields=["grid", "state"], name="case_grid_state_idx"),
            models.Index(fields=["org"], name="case_open_org_idx", condition=~models.Q(state="closed")),
        ]
        verbose_name = verbose_name_plural = "案件"

    def __str__(self) -> str:
        return f"{self.receipt_no} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("case-detail", args=[self.pk])

    @property
    def spec(self):
        return KINDS[self.kind]

    @property
    def state_label(self) -> str:
        return self.spec.states.get(self.state, self.state)

    @property
    def is_closed(self) -> bool:
        return self.state == "closed"

    @property
    def resident_phone_masked(self) -> str:
        return mask_phone(self.resident_phone)


class CaseEvent(models.Model):
    """One entry of a case's timeline: who did what, when, with a note and evidence files."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name="案件")
    type = models.CharField("事件", max_length=14, choices=EventType.choices)
    transition = models.CharField("办理动作", max_length=20, blank=True)
    from_state = models.CharField("原状态", max_length=12, blank=True)
    to_state = models.CharField("新状态", max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField("办理人", max_length=60, blank=True)
    at = models.DateTimeField("时间", db_index=True)
    note = models.TextField("说明", max_length=2000, blank=True)
    data = models.JSONField("详情", default=dict, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(
        path="case__org__path", policy=CASE_POLICY, grid="case__grid", department="case__routes__department"
    )

    class Meta:
        ordering = ["case_id", "at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_at_idx")]
        verbose_name = verbose_name_plural = "案件办理记录"

    def __str__(self) -> str:
        return f"{self.case.receipt_no} {self.get_type_display()}"

    @property
    def label(self) -> str:
        if self.type == EventType.TRANSITION:
            t = KINDS[self.case.kind].transition(self.transition)
            return t.label if t else self.transition
        return self.get_type_display()


class CaseFile(models.Model):
    """Evidence attached to a timeline event: photos and documents only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files", verbose_name="案件")
    event = models.ForeignKey(
        CaseEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name="办理记录",
    )
    file = models.FileField("文件", upload_to="cases/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(
        path="case__org__path", policy=CASE_POLICY, grid="case__grid", department="case__routes__department"
    )

    class Meta:
        ordering = ["case_id", "pk"]
        verbose_name = verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.name


class CaseRoute(models.Model):
    """A case routed to a county department (部门报到): the department accepts or declines by name."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="routes", verbose_name="案件")
    department = models.ForeignKey(
        "orgs.Department", on_delete=models.PROTECT, related_name="case_routes", verbose_name="部门"
    )
    lead = models.BooleanField("牵头部门", default=False)
    state = models.CharField(
        "报到状态", max_length=10, choices=RouteState.choices, default=RouteState.PENDING
    )
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    routed_at = models.DateTimeField("派单时间")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("报到/退回时间", null=True, blank=True)
    reason = models.CharField("退回理由", max_length=300, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="case__org__path", policy=CASE_POLICY, grid="case__grid", department="department")
    audit_fields = ["case_id", "department_id", "lead", "state", "decided_by_id", "decided_at", "reason"]

    class Meta:
        ordering = ["case_id", "-lead", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "department"], name="caseroute_unique_department")
        ]
        indexes = [models.Index(fields=["department", "state"], name="caseroute_dept_state_idx")]
        verbose_name = verbose_name_plural = "派单部门"

    def __str__(self) -> str:
        return f"{self.case.receipt_no} → {self.department.name}"
