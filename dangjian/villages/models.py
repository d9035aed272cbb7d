"""The village two committees (村“两委”): the branch committee (村党组织委员会) and the villagers'
committee (村民委员会) of a village or community, one row per term, with their posts; the village's
profile (resident population) and the county's seat table (常住人口 → 核定职数).

A Post row is one holding of one post: a holder from `since` until `until` (null = still holding),
or, with no holder, a vacancy open since `vacant_since`. Filling a vacancy fills that row, so the row
keeps how long the post stood empty."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When

from dangjian.core.roles import ALL_ROLES, WORKERS, Role
from dangjian.core.scope import ScopedManager, ScopeSpec
from dangjian.members.choices import Gender

READERS: frozenset[str] = ALL_ROLES - {Role.DEPT_LIAISON, Role.GRID_LEADER}
VILLAGE_POLICY = {"view": READERS, "change": WORKERS}


class CommitteeKind(models.TextChoices):
    BRANCH = "branch", "村党组织委员会"
    VILLAGERS = "villagers", "村民委员会"


class PostKind(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    DIRECTOR = "director", "主任"
    DEPUTY_DIRECTOR = "deputy_director", "副主任"
    MEMBER = "member", "委员"
    SUBSIDY = "subsidy", "定补干部"


# Posts listed secretary first, as a committee is read out (the kinds' stored codes sort otherwise).
POST_RANK = Case(*(When(kind=k, then=Value(i)) for i, k in enumerate(PostKind.values)), default=Value(99))


POSTS_BY_COMMITTEE: dict[str, tuple[str, ...]] = {
    CommitteeKind.BRANCH: (PostKind.SECRETARY, PostKind.DEPUTY_SECRETARY, PostKind.MEMBER, PostKind.SUBSIDY),
    CommitteeKind.VILLAGERS: (
        PostKind.DIRECTOR,
        PostKind.DEPUTY_DIRECTOR,
        PostKind.MEMBER,
        PostKind.SUBSIDY,
    ),
}
# Posts one person holds at a time in a committee (a second current secretary is refused).
SINGLE_POSTS = frozenset({PostKind.SECRETARY, PostKind.DIRECTOR})
# Posts that count towards the villagers' committee's legal size (主任、副主任、委员, 第六条).
MEMBER_POSTS = frozenset({PostKind.DIRECTOR, PostKind.DEPUTY_DIRECTOR, PostKind.MEMBER})


class VillageProfile(models.Model):
    """The figures of a village the seat table and the quorums read."""

    org = models.OneToOneField(
        "orgs.Org", on_delete=models.PROTECT, related_name="village_profile", verbose_name="村（社区）"
    )
    residents = models.PositiveIntegerField("常住人口")
    households = models.PositiveIntegerField("户数", null=True, blank=True)
    adults = models.PositiveIntegerField("18周岁以上村民", null=True, blank=True)
    updated_on = models.DateField("核定日期")

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = ["org_id", "residents", "households", "adults", "updated_on"]

    class Meta:
        verbose_name = verbose_name_plural = "村基本情况"

    def __str__(self) -> str:
        return f"{self.org.name if self.org_id else ''} 常住人口{self.residents}人"


class SeatTable(models.Model):
    """One band of a county's seat table: villages of up to `max_residents` residents get `seats` two-
    committee seats (the smallest band that holds the village applies)."""

    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    max_residents = models.PositiveIntegerField("常住人口（上限，含）")
    seats = models.PositiveSmallIntegerField("核定职数")
    source = models.CharField("依据", max_length=200)

    objects = ScopedManager()
    scope = ScopeSpec(
        path="county__path",
        policy={"view": READERS, "change": frozenset({Role.COUNTY_ADMIN})},
        up=True,
    )
    audit_fields = ["county_id", "max_residents", "seats", "source"]

    class Meta:
        ordering = ["county_id", "max_residents"]
        constraints = [
            models.UniqueConstraint(fields=["county", "max_residents"], name="villages_seat_band_unique")
        ]
        verbose_name = verbose_name_plural = "村“两委”职数表"

    def __str__(self) -> str:
        return f"{self.county.name if self.county_id else ''} {self.max_residents}人以下→{self.seats}个"


class Committee(models.Model):
    """One term of one of the two committees of a village."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="committees", verbose_name="村"
    )
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    kind = models.CharField("类别", max_length=10, choices=CommitteeKind.choices)
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期届满")
    next_election_on = models.DateField("下次换届日期")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = ["org_id", "county_id", "kind", "term_start", "term_end", "next_election_on"]

    class Meta:
        ordering = ["org_id", "kind", "-term_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind", "term_start"], name="villages_committee_term_unique"
            )
        ]
        indexes = [models.Index(fields=["county", "kind"], name="villages_committee_county_idx")]
        verbose_name = verbose_name_plural = "村“两委”班子"

    def __str__(self) -> str:
        org = self.org.name if self.org_id else ""
        return f"{org}{self.get_kind_display()}（{self.term_start:%Y}—{self.term_end:%Y}）"


class Post(models.Model):
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="posts", verbose_name="班子"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村")
    kind = models.CharField("职务", max_length=20, choices=PostKind.choices)
    answers_for = models.CharField("分管/负责", max_length=60, blank=True, help_text="如：电商销售")
    duties = models.TextField("职责清单", max_length=2000, blank=True)
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="village_posts",
        verbose_name="人员档案",
    )
    name = models.CharField("姓名", max_length=40, blank=True)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices, blank=True)
    since = models.DateField("任职日期", null=True, blank=True)
    until = models.DateField("离任日期", null=True, blank=True)
    end_reason = models.CharField("离任原因", max_length=100, blank=True)
    vacant_since = models.DateField("空缺起始日期", null=True, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = [
        "committee_id",
        "kind",
        "answers_for",
        "person_id",
        "name",
        "gender",
        "since",
        "until",
        "end_reason",
        "vacant_since",
    ]

    class Meta:
        ordering = ["committee_id", "kind", "since", "pk"]
        indexes = [models.Index(fields=["org", "kind"], name="villages_post_org_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(name="") | Q(since__isnull=False), name="villages_post_holder_has_since"
            )
        ]
        verbose_name = verbose_name_plural = "村“两委”职务"

    def __str__(self) -> str:
        org = self.org.name if self.org_id else ""
        post = self.get_kind_display()
        if self.kind == PostKind.SUBSIDY and self.answers_for:
            post = f"{post}（{self.answers_for}）"
        return f"{org} {post} {self.name or '（空缺）'}"

    @property
    def is_vacant(self) -> bool:
        return not self.name and self.until is None

    @property
    def is_current(self) -> bool:
        return bool(self.name) and self.until is None


def current_holder_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}until__isnull": True}) & ~Q(**{f"{prefix}name": ""})


def vacancy_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}until__isnull": True, f"{prefix}name": ""})


# --- the village cadres' office hours (坐班值班, seed 003) -------------------------------------------------


class Weekday(models.IntegerChoices):
    MON = 0, "星期一"
    TUE = 1, "星期二"
    WED = 2, "星期三"
    THU = 3, "星期四"
    FRI = 4, "星期五"
    SAT = 5, "星期六"
    SUN = 6, "星期日"


class DutyStatus(models.TextChoices):
    PRESENT = "present", "在岗"
    ABSENT = "absent", "缺岗"
    REPLACED = "replaced", "替班"


class DutySlot(models.Model):
    """One slot of a village's duty rota: a cadre (a post holder of the village's committees) sits in
    the office on `weekday` from `start` to `end`, every week from `valid_from` until `valid_until`
    (null = until further notice); a one-off slot has `weekly` False and valid_from = valid_until."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    weekday = models.PositiveSmallIntegerField("星期", choices=Weekday.choices)
    weekly = models.BooleanField("每周重复", default=True)
    valid_from = models.DateField("起始日期")
    valid_until = models.DateField("截止日期", null=True, blank=True)
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="duty_slots", verbose_name="值班干部"
    )
    note = models.CharField("说明", max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = [
        "org_id",
        "weekday",
        "weekly",
        "valid_from",
        "valid_until",
        "start",
        "end",
        "post_id",
        "note",
    ]

    class Meta:
        ordering = ["org_id", "weekday", "start", "pk"]
        indexes = [models.Index(fields=["org", "weekday"], name="villages_duty_org_day_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="villages_duty_start_before_end"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="villages_duty_valid_range",
            ),
        ]
        verbose_name = verbose_name_plural = "村干部坐班值班安排"

    def __str__(self) -> str:
        when = self.get_weekday_display() if self.weekly else f"{self.valid_from:%Y-%m-%d}"
        return f"{when} {self.start:%H:%M}-{self.end:%H:%M}"

    def applies_on(self, day) -> bool:
        return (
            day.weekday() == self.weekday
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )


class DutyCheckIn(models.Model):
    """Who was actually on duty in a slot on a day: present, absent, or replaced by another cadre."""

    slot = models.ForeignKey(
        DutySlot, on_delete=models.PROTECT, related_name="check_ins", verbose_name="值班安排"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    date = models.DateField("日期")
    status = models.CharField("到岗情况", max_length=10, choices=DutyStatus.choices)
    replaced_by = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="替班干部"
    )
    note = models.CharField("说明", max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = ["slot_id", "date", "status", "replaced_by_id", "note"]

    class Meta:
        ordering = ["org_id", "date", "slot_id"]
        indexes = [models.Index(fields=["org", "date"], name="villages_checkin_org_day_idx")]
        constraints = [
            models.UniqueConstraint(fields=["slot", "date"], name="villages_checkin_slot_day_unique")
        ]
        verbose_name = verbose_name_plural = "村干部坐班值班登记"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_status_display()}"
