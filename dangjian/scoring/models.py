"""Assessment (考核评价): a county's indicator set per year (一定二考三有: targets first), each indicator
either computed from the other apps' findings or scored by hand with evidence; monthly and annual
scores per org, rolled up into results ranked within each level; the published scorecard (晒成绩单)
with who has read it; rewards and penalties (两优一先, 示范站) drawn from the results."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.roles import ALL_ROLES, Role
from dangjian.core.scope import ScopedManager, ScopeSpec

from .choices import AwardKind, Cadence, Level, Method, Nature, PeriodStatus, Rollup

READERS: frozenset[str] = ALL_ROLES - {Role.GRID_LEADER, Role.DEPT_LIAISON}
COUNTY = frozenset({Role.COUNTY_ADMIN})
OFFICE = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})
COUNTY_POLICY = {"view": READERS, "add": COUNTY, "change": COUNTY}
SCORE_POLICY = {"view": READERS, "add": OFFICE, "change": OFFICE}
MONEY = {"max_digits": 12, "decimal_places": 2}
POINTS = {"max_digits": 7, "decimal_places": 2}


class IndicatorSet(models.Model):
    """A county's indicators for a year; weights add up to `total`; `rollup` says how parents are scored."""

    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=100)
    total = models.DecimalField("满分（权重合计）", default=Decimal(100), **POINTS)
    rollup = models.CharField("汇总方法", max_length=10, choices=Rollup.choices, default=Rollup.OWN_PLUS)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="county__path", policy=COUNTY_POLICY, up=True)
    audit_fields = ["county_id", "year", "title", "total", "rollup"]

    class Meta:
        ordering = ["-year", "county_id"]
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="scoring_set_unique")]
        verbose_name = verbose_name_plural = "考核指标体系"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scoring-set", args=[self.pk])


class Indicator(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="indicators", verbose_name="指标体系"
    )
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    code = models.CharField("编码", max_length=20)
    name = models.CharField("指标", max_length=100)
    level = models.CharField("考核对象", max_length=10, choices=Level.choices)
    cadence = models.CharField("周期", max_length=8, choices=Cadence.choices, default=Cadence.MONTHLY)
    weight = models.DecimalField("权重（分）", **POINTS)
    target = models.DecimalField("目标值（%）", default=Decimal(100), **POINTS)
    method = models.CharField("评分方式", max_length=8, choices=Method.choices)
    computation = models.CharField("计算函数", max_length=40, blank=True)
    formula = models.CharField("计分公式", max_length=300)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    objects = ScopedManager()
    scope = ScopeSpec(path="county__path", policy=COUNTY_POLICY, up=True)
    audit_fields = [
        "code",
        "name",
        "level",
        "cadence",
        "weight",
        "target",
        "method",
        "computation",
        "formula",
    ]

    class Meta:
        ordering = ["indicator_set_id", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["indicator_set", "code"], name="scoring_ind_unique")]
        verbose_name = verbose_name_plural = "考核指标"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AssessmentPeriod(models.Model):
    """一定二考三有: targets set when the period opens; monthly scores; the annual result closes the year."""

    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="periods", verbose_name="指标体系"
    )
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    period = models.CharField("考核期", max_length=7, help_text="月度 2026-11；年度 2026")
    status = models.CharField("状态", max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    closed_at = models.DateTimeField("定结果时间", null=True, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="county__path", policy=COUNTY_POLICY, up=True)
    audit_fields = ["period", "status", "computed_at", "closed_at"]

    class Meta:
        ordering = ["indicator_set_id", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "period"], name="scoring_period_unique")
        ]
        verbose_name = verbose_name_plural = "考核期"

    def __str__(self) -> str:
        return f"{self.indicator_set} {self.period}"


class Score(models.Model):
    """One indicator's value for one org and period, with the records behind it (`details`: text + url)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="scores", verbose_name="指标"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="组织")
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    period = models.CharField("考核期", max_length=7, db_index=True)
    value = models.DecimalField("完成值（%）", null=True, blank=True, **POINTS)
    points = models.DecimalField("得分", **POINTS)
    numerator = models.IntegerField("达标数", null=True, blank=True)
    denominator = models.IntegerField("应达数", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    details = models.JSONField("明细（记录及链接）", default=list, blank=True)
    evidence = models.TextField("评分依据", max_length=2000, blank=True)
    method = models.CharField("评分方式", max_length=8, choices=Method.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=SCORE_POLICY)
    audit_fields = ["indicator_id", "org_id", "period", "value", "points", "evidence", "note"]

    class Meta:
        ordering = ["period", "org_id", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "org", "period"], name="scoring_score_unique")
        ]
        verbose_name = verbose_name_plural = "指标得分"

    def __str__(self) -> str:
        return f"{self.org} {self.period} {self.indicator.name}"


class Result(models.Model):
    """An org's total for a period after roll-up, its rank among its peers and the rank a month before."""

    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="results", verbose_name="指标体系"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="组织")
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    group = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="排名范围（县或乡镇）"
    )
    period = models.CharField("考核期", max_length=7)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    own = models.DecimalField("本级得分", null=True, blank=True, **POINTS)
    score = models.DecimalField("综合得分", **POINTS)
    rank = models.PositiveIntegerField("排名")
    rank_prev = models.PositiveIntegerField("上月排名", null=True, blank=True)
    peers = models.PositiveIntegerField("参评数")
    note = models.CharField("情况说明", max_length=500, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy={"view": READERS})

    class Meta:
        ordering = ["period", "level", "group_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "org", "period"], name="scoring_result_unique")
        ]
        indexes = [models.Index(fields=["period", "level", "score"], name="scoring_result_rank_idx")]
        verbose_name = verbose_name_plural = "考核结果"

    def __str__(self) -> str:
        return f"{self.org} {self.period}"

    def get_absolute_url(self) -> str:
        return f"{reverse('scoring-org', args=[self.org_id])}?period={self.period}"

    @property
    def change(self) -> int | None:
        """Places gained since last month (positive: up)."""
        return None if self.rank_prev is None else self.rank_prev - self.rank


class Scorecard(models.Model):
    """A published scorecard (晒成绩单) of a county for a period; whoever opens it signs as having read it."""

    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="scorecards", verbose_name="指标体系"
    )
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    period = models.CharField("考核期", max_length=7)
    title = models.CharField("标题", max_length=120)
    comment = models.TextField("讲评（表扬与整改要求）", max_length=3000, blank=True)
    published_at = models.DateTimeField("晾晒时间")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()
    scope = ScopeSpec(path="county__path", policy=COUNTY_POLICY, up=True)
    audit_fields = ["period", "title", "comment", "published_at"]

    class Meta:
        ordering = ["-period", "county_id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "period"], name="scoring_scorecard_unique")
        ]
        verbose_name = verbose_name_plural = "晾晒成绩单"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scoring-scorecard", args=[self.pk])


class ScorecardRead(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField("阅知时间")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scorecard", "user"], name="scoring_read_unique")]
        verbose_name = verbose_name_plural = "成绩单阅知"

    def __str__(self) -> str:
        return f"{self.user} {self.read_at:%Y-%m-%d %H:%M}"


class Award(models.Model):
    """A reward or penalty recorded against a unit (org) or a person in it (三有: 有奖、有惩)."""

    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类别", max_length=16, choices=AwardKind.choices)
    nature = models.CharField("性质", max_length=8, choices=Nature.choices, default=Nature.REWARD)
    person_name = models.CharField("个人（可空）", max_length=40, blank=True)
    amount = models.DecimalField("奖励金额（元）", default=Decimal(0), **MONEY)
    reason = models.CharField("事由和依据", max_length=300)
    result = models.ForeignKey(
        Result,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="依据的考核结果",
    )
    awarded_on = models.DateField("日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy={"view": READERS, "add": COUNTY, "change": COUNTY})
    audit_fields = ["org_id", "year", "kind", "nature", "person_name", "amount", "reason", "awarded_on"]

    class Meta:
        ordering = ["-year", "kind", "org_id"]
        verbose_name = verbose_name_plural = "奖惩与评优"

    def __str__(self) -> str:
        who = self.person_name or self.org.name
        return f"{self.year}年 {who} {self.get_kind_display()}"
