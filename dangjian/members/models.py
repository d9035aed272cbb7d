"""People and party members, and the records that hang off a member: mobility, standing
decisions, transfers, household links and dues."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dangjian.core.roles import MANAGERS, WORKERS, Role
from dangjian.core.scope import ScopedManager, ScopedQuerySet, ScopeSpec, path_q, scope_prefixes

from .choices import (
    DuesCategory,
    Education,
    Gender,
    MemberStatus,
    MobileActivityKind,
    Standing,
    TransferKind,
    TransferStatus,
)

# Department liaisons answer whistles; they have no business in the party roster.
MEMBER_READERS: frozenset[str] = frozenset(
    {
        Role.COUNTY_ADMIN,
        Role.TOWNSHIP_STAFF,
        Role.STATION_CHIEF,
        Role.VILLAGE_SECRETARY,
        Role.GRID_LEADER,
        Role.READONLY_LEADER,
    }
)
# Who may see full ID numbers and phones (every such view is written to the audit trail).
PII_READERS: frozenset[str] = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.VILLAGE_SECRETARY})

MEMBER_POLICY = {
    "view": MEMBER_READERS,
    "view_pii": PII_READERS,
    "add": WORKERS,
    "change": WORKERS,
    "decide": WORKERS,
    "import": MANAGERS | {Role.VILLAGE_SECRETARY},
    "restore": frozenset({Role.COUNTY_ADMIN}),
    # Exporting everything held about a person, and anonymising a former member or non-member.
    "privacy": frozenset({Role.COUNTY_ADMIN}),
}


def years_between(start: datetime.date, end: datetime.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def mask_id(value: str) -> str:
    return f"{value[:6]}********{value[-4:]}" if value and len(value) == 18 else ("****" if value else "")


def mask_phone(value: str) -> str:
    return f"{value[:3]}****{value[-4:]}" if value and len(value) >= 7 else ("****" if value else "")


class Household(models.Model):
    """A household of the village or community, with its head; members are linked to look after it."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="households", verbose_name="所属组织"
    )
    grid = models.ForeignKey(
        "orgs.Grid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="household_records",
        verbose_name="网格",
    )
    head_name = models.CharField("户主", max_length=40)
    address = models.CharField("住址", max_length=120, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    size = models.PositiveSmallIntegerField("人口数", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    archived_at = models.DateTimeField("注销时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy={**MEMBER_POLICY, "view": MEMBER_READERS})
    audit_fields = ["org_id", "grid_id", "head_name", "address", "phone", "size", "note", "archived_at"]
    audit_masked = ["phone"]

    class Meta:
        ordering = ["org_id", "head_name"]
        verbose_name = verbose_name_plural = "农户"

    def __str__(self) -> str:
        return f"{self.head_name}户"

    def get_absolute_url(self) -> str:
        return reverse("household-detail", args=[self.pk])


class Person(models.Model):
    """A person known to the system: a member, or an applicant who is not a member yet."""

    # People are found by org through person_org_name_idx, by id_number (unique), and by name searches that
    # OR a substring match no btree serves: single-column indexes on org, name_initials and id_tail were never
    # used and cost every imported row their upkeep.
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="people", verbose_name="所在党组织", db_index=False
    )
    name = models.CharField("姓名", max_length=40)
    name_pinyin = models.CharField(max_length=300, blank=True, editable=False)  # 40 characters × 6 letters
    name_initials = models.CharField(max_length=40, blank=True, editable=False)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生日期")
    id_number = models.CharField("公民身份号码", max_length=18, unique=True, null=True, blank=True)
    id_tail = models.CharField(max_length=6, blank=True, editable=False)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    education = models.CharField("学历", max_length=20, choices=Education.choices, blank=True)
    occupation = models.CharField("职业/工作岗位", max_length=60, blank=True)
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name="所在户",
    )
    grid = models.ForeignKey(
        "orgs.Grid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="网格",
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MEMBER_POLICY)
    audit_fields = [
        "org_id",
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "id_number",
        "phone",
        "education",
        "occupation",
        "household_id",
        "grid_id",
    ]
    audit_masked = ["id_number", "phone"]

    class Meta:
        ordering = ["org_id", "name"]
        indexes = [models.Index(fields=["org", "name"], name="person_org_name_idx")]
        verbose_name = verbose_name_plural = "人员"

    def __str__(self) -> str:
        return self.name

    @property
    def age(self) -> int:
        return years_between(self.birth_date, timezone.localdate())

    @property
    def id_masked(self) -> str:
        return mask_id(self.id_number or "")

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Member(models.Model):
    """A party member on a branch's roll. Age and party age are computed, never stored."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="member", verbose_name="人员"
    )
    # org, standing and status are read together through member_org_standing_idx; single-column indexes on
    # them were never chosen over it and cost every import and generator row their upkeep.
    org = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name="所在党支部",
        db_index=False,
    )
    group = models.ForeignKey(
        "orgs.Org",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
        verbose_name="所在党小组",
    )
    status = models.CharField("党员类别", max_length=20, choices=MemberStatus.choices)
    joined_on = models.DateField("入党时间", help_text="支部大会通过接收为预备党员之日")
    full_on = models.DateField("转正时间", null=True, blank=True, help_text="预备期满转为正式党员之日")
    standing = models.CharField("党籍状态", max_length=20, choices=Standing.choices, default=Standing.NORMAL)
    standing_since = models.DateField("党籍状态变更日期", null=True, blank=True)
    is_mobile = models.BooleanField("流动党员", default=False, db_index=True)
    lost_contact_since = models.DateField("失联日期", null=True, blank=True, db_index=True)
    dues_category = models.CharField(
        "党费类别", max_length=20, choices=DuesCategory.choices, default=DuesCategory.FARMER
    )
    dues_base = models.DecimalField(
        "党费计算基数（元/月）",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="在职为税后月工资收入，离退休为月离退休费，个体经营者为上季度月平均纯收入",
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MEMBER_POLICY)
    audit_fields = [
        "org_id",
        "group_id",
        "status",
        "joined_on",
        "full_on",
        "standing",
        "standing_since",
        "is_mobile",
        "lost_contact_since",
        "dues_category",
        "dues_base",
    ]

    class Meta:
        ordering = ["org_id", "person__name"]
        indexes = [
            # Carries what the workbench counts: a county's roster totals never visit the table (PostgreSQL).
            models.Index(
                fields=["org", "standing", "status"],
                include=["is_mobile", "lost_contact_since"],
                name="member_org_standing_idx",
            ),
            models.Index(fields=["joined_on"], name="member_joined_idx"),
        ]
        verbose_name = verbose_name_plural = "党员"

    def __str__(self) -> str:
        return self.person.name

    def get_absolute_url(self) -> str:
        return reverse("member-detail", args=[self.pk])

    @property
    def party_age(self) -> int | None:
        """党龄 counts from the day the member became a full member (党章 第七条)."""
        return years_between(self.full_on, timezone.localdate()) if self.full_on else None

    @property
    def on_roll(self) -> bool:
        return self.standing in (Standing.NORMAL, Standing.SUSPENDED)


class StandingDecision(models.Model):
    """A recorded decision on a member's standing: lost contact, suspension, removal, restoration."""

    class Kind(models.TextChoices):
        LOST = "lost", "登记失联"
        FOUND = "found", "恢复联系"
        SUSPEND = "suspend", "停止党籍"
        REMOVE = "remove", "按自行脱党除名"
        RESTORE = "restore", "恢复党籍"

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="decisions", verbose_name="党员"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所在党支部")
    kind = models.CharField("决定", max_length=20, choices=Kind.choices)
    decided_on = models.DateField("决定日期")
    decided_by = models.CharField("作出决定的组织", max_length=60)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MEMBER_POLICY)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = verbose_name_plural = "党籍处置"

    def __str__(self) -> str:
        return f"{self.member}：{self.get_kind_display()}"


class MobileRecord(models.Model):
    """One spell of a member working or living away (流动党员外出登记)."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="mobile_records", verbose_name="党员"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所在党支部")
    destination = models.CharField("外出地点", max_length=120)
    since = models.DateField("外出日期")
    expected_until = models.DateField("预计返回日期", null=True, blank=True)
    fixed_place = models.BooleanField("在外有相对固定处所", default=False)
    contact = models.CharField("在外联系方式", max_length=40, blank=True)
    host_org_name = models.CharField("流入地联系党组织", max_length=80, blank=True)
    certificate_no = models.CharField("《流动党员活动证》编号", max_length=40, blank=True)
    certificate_issued_on = models.DateField("活动证发放日期", null=True, blank=True)
    ended_on = models.DateField("返回日期", null=True, blank=True)
    end_note = models.CharField("结束说明", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MEMBER_POLICY)
    audit_fields = [
        "destination",
        "since",
        "expected_until",
        "fixed_place",
        "contact",
        "host_org_name",
        "certificate_no",
        "certificate_issued_on",
        "ended_on",
        "end_note",
    ]
    audit_masked = ["contact"]

    class Meta:
        ordering = ["-since", "-pk"]
        indexes = [models.Index(fields=["org", "ended_on"], name="mobile_org_open_idx")]
        verbose_name = verbose_name_plural = "流动党员外出登记"

    def __str__(self) -> str:
        return f"{self.member} 外出至{self.destination}"


class MobileActivity(models.Model):
    """Online study, online meetings and dues paid away, recorded against the mobile member."""

    record = models.ForeignKey(
        MobileRecord, on_delete=models.PROTECT, related_name="activities", verbose_name="外出登记"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所在党支部")
    kind = models.CharField("类型", max_length=20, choices=MobileActivityKind.choices)
    on = models.DateField("日期")
    content = models.CharField("内容", max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MEMBER_POLICY)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = verbose_name_plural = "流动党员活动记录"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"


class TransferQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view"):
        """Both ends see a transfer: the sending branch's subtree and the receiving one's."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        prefixes = scope_prefixes(user, self.model.scope.roles_for(action))
        if not prefixes:
            return self.none()
        return self.filter(path_q("from_org__path", prefixes) | path_q("to_org__path", prefixes))


class Transfer(models.Model):
    """Moving a member's organisational relation (组织关系转接). Until the receiving side confirms,
    the member stays on the sending branch's roll and the sending branch stays responsible."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="transfers", verbose_name="党员"
    )
    kind = models.CharField("转接类型", max_length=20, choices=TransferKind.choices)
    from_org = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="转出党组织",
    )
    to_org = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="转入党组织",
    )
    outside_org_name = models.CharField("系统外党组织", max_length=120, blank=True)
    letter_no = models.CharField("介绍信编号", max_length=40, blank=True)
    issued_on = models.DateField("开具日期")
    received_on = models.DateField("接收日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=TransferStatus.choices, default=TransferStatus.PENDING, db_index=True
    )
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = models.Manager.from_queryset(TransferQuerySet)()
    scope = ScopeSpec(path="from_org__path", policy=MEMBER_POLICY)
    audit_fields = [
        "kind",
        "from_org_id",
        "to_org_id",
        "outside_org_name",
        "letter_no",
        "issued_on",
        "received_on",
        "status",
        "note",
    ]

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_org__isnull=False) | Q(to_org__isnull=False), name="transfer_has_an_end"
            )
        ]
        verbose_name = verbose_name_plural = "组织关系转接"

    def __str__(self) -> str:
        return f"{self.member} 组织关系转接"

    def get_absolute_url(self) -> str:
        return reverse("transfer-detail", args=[self.pk])


class HouseholdLink(models.Model):
    """党员包户: a member looks after a household."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="household_links", verbose_name="党员"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="links", verbose_name="农户"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所在党支部")
    since = models.DateField("联系起始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MEMBER_POLICY)
    audit_fields = ["member_id", "household_id", "since", "ended_on"]

    class Meta:
        ordering = ["household_id", "-since"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "household"],
                condition=Q(ended_on__isnull=True),
                name="household_link_open_unique",
            )
        ]
        verbose_name = verbose_name_plural = "党员包户"

    def __str__(self) -> str:
        return f"{self.member} 联系 {self.household}"


class HouseholdVisit(models.Model):
    link = models.ForeignKey(
        HouseholdLink, on_delete=models.PROTECT, related_name="visits", verbose_name="包户关系"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField("走访日期")
    note = models.CharField("走访情况", max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MEMBER_POLICY)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = verbose_name_plural = "包户走访记录"

    def __str__(self) -> str:
        return f"{self.link} {self.visited_on:%Y-%m-%d}"


class DuesPayment(models.Model):
    """One month's dues paid by one member."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="dues_payments", verbose_name="党员"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所在党支部")
    month = models.DateField("所属月份", help_text="该月1日")
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    paid_on = models.DateField("交纳日期")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=MEMBER_POLICY)
    audit_fields = ["member_id", "month", "amount", "paid_on", "note"]

    class Meta:
        ordering = ["-month", "member_id"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="dues_one_per_month")]
        indexes = [models.Index(fields=["org", "month"], name="dues_org_month_idx")]
        verbose_name = verbose_name_plural = "党费交纳"

    def __str__(self) -> str:
        return f"{self.member} {self.month:%Y年%m月}党费"
