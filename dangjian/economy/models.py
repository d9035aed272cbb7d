"""村集体经济收入: one Income per village per year, with its lines by source (rent, contracting,
performance, dividends, shares held in another village). The total is stored for lists and bands and is
written only by the service that writes the lines, in the same transaction (a test checks it equals the
sum of its lines)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.roles import ALL_ROLES, Role
from dangjian.core.scope import ScopedManager, ScopeSpec

from .choices import AssetKind, AssetUnit, AssetUse, ContractUse, IncomeKind

READERS: frozenset[str] = ALL_ROLES - {Role.DEPT_LIAISON, Role.GRID_LEADER}
OFFICE = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})
MONEY = {"max_digits": 14, "decimal_places": 2}
POLICY = {"view": READERS, "add": OFFICE, "change": OFFICE}


class Income(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    township = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="乡镇"
    )
    county = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="县"
    )
    year = models.PositiveSmallIntegerField("年度")
    total = models.DecimalField("年收入合计（元）", **MONEY, db_index=True)
    note = models.CharField("说明", max_length=300, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=160, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("登记时间", auto_now=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POLICY)
    audit_fields = ["org_id", "year", "total", "note"]

    class Meta:
        ordering = ["-year", "org_id"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="economy_income_org_year")]
        indexes = [models.Index(fields=["county", "year", "total"], name="economy_income_county_idx")]
        verbose_name = verbose_name_plural = "村集体经济收入"

    def __str__(self) -> str:
        return f"{self.org.name}{self.year}年集体经济收入"

    def get_absolute_url(self) -> str:
        return reverse("economy-village", args=[self.org_id])


class IncomeLine(models.Model):
    income = models.ForeignKey(
        Income, on_delete=models.CASCADE, related_name="lines", verbose_name="年度收入"
    )
    kind = models.CharField("来源", max_length=12, choices=IncomeKind.choices)
    amount = models.DecimalField("金额（元）", **MONEY)
    partner = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="入股的村（入股他村分红）",
    )
    note = models.CharField("说明", max_length=200, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="income__org__path", policy=POLICY)

    class Meta:
        ordering = ["income_id", "pk"]
        verbose_name = verbose_name_plural = "村集体经济收入明细"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}元"


class Asset(models.Model):
    """A village's collective asset (储备地, 粮仓, buildings, equipment…) with its size and current use."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    township = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="乡镇"
    )
    name = models.CharField("资产名称", max_length=100)
    kind = models.CharField("类别", max_length=16, choices=AssetKind.choices)
    quantity = models.DecimalField("数量", max_digits=12, decimal_places=2)
    unit = models.CharField("单位", max_length=8, choices=AssetUnit.choices)
    location = models.CharField("坐落位置", max_length=200, blank=True)
    use = models.CharField("现状用途", max_length=16, choices=AssetUse.choices, default=AssetUse.IDLE)
    note = models.CharField("说明", max_length=300, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=160, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POLICY)
    audit_fields = ["org_id", "name", "kind", "quantity", "unit", "location", "use", "note"]

    class Meta:
        ordering = ["org_id", "name"]
        indexes = [models.Index(fields=["org", "kind"], name="economy_asset_org_kind_idx")]
        verbose_name = verbose_name_plural = "村集体资产"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("economy-asset", args=[self.pk])


class AssetContract(models.Model):
    """A contract renting out, contracting out or putting an asset in as shares, with its yearly amount."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="contracts", verbose_name="资产")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    counterparty = models.CharField("对方（承租、承包、入股对象）", max_length=100)
    use = models.CharField("方式", max_length=16, choices=ContractUse.choices)
    start = models.DateField("起始日期")
    end = models.DateField("终止日期", db_index=True)
    annual_amount = models.DecimalField("年金额（元）", **MONEY)
    payment_terms = models.CharField("支付方式", max_length=200, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POLICY)
    audit_fields = [
        "asset_id",
        "counterparty",
        "use",
        "start",
        "end",
        "annual_amount",
        "payment_terms",
        "note",
    ]

    class Meta:
        ordering = ["asset_id", "start"]
        verbose_name = verbose_name_plural = "集体资产合同"

    def __str__(self) -> str:
        return f"{self.counterparty}（{self.get_use_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("economy-asset", args=[self.asset_id])
