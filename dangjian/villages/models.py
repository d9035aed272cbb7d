"""The village two committees (村“两委”): the branch committee (村党组织委员会) and the villagers'
committee (村民委员会) of a village or community, one row per term, with their posts; the village's
profile (resident population) and the county's seat table (常住人口 → 核定职数).

A Post row is one holding of one post: a holder from `since` until `until` (null = still holding),
or, with no holder, a vacancy open since `vacant_since`. Filling a vacancy fills that row, so the row
keeps how long the post stood empty."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, Q, Value, When

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
