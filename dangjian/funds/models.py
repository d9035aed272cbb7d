"""Earmarked funds (专项资金) routed from the county through the township offices to villages (seed 000:
县委组织部联合财政、农业等部门，通过各乡镇党建办统筹分配资金).

A Fund belongs to a county. An Allocation passes money down the tree: from the fund itself (parent empty)
to a township or village of that county, or from a township's allocation to one of its villages. A
Disbursement spends from an allocation. Balances are never stored: an allocation's balance is its amount
less what was re-allocated below it and what was disbursed from it, computed from the rows
(selectors.py), so it cannot drift from its records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.roles import ALL_ROLES, Role
from dangjian.core.scope import ScopedManager, ScopeSpec

from .choices import Purpose

READERS: frozenset[str] = ALL_ROLES - {Role.DEPT_LIAISON, Role.GRID_LEADER}
OFFICE = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF})
COUNTY = frozenset({Role.COUNTY_ADMIN})
MONEY = {"max_digits": 14, "decimal_places": 2}


class Fund(models.Model):
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    name = models.CharField("资金名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    purpose = models.CharField("用途", max_length=12, choices=Purpose.choices, db_index=True)
    amount = models.DecimalField("资金总额（元）", **MONEY)
    document = models.CharField("资金文件（文号）", max_length=200)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    # Everyone working in the county sees its funds (a village learns what it may receive), up=True.
    scope = ScopeSpec(
        path="county__path", policy={"view": READERS, "add": COUNTY, "allocate": COUNTY}, up=True
    )
    audit_fields = ["county_id", "name", "year", "purpose", "amount", "document"]

    class Meta:
        ordering = ["-year", "county_id", "pk"]
        indexes = [models.Index(fields=["county", "year"], name="funds_fund_county_year")]
        verbose_name = verbose_name_plural = "专项资金"

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("funds-detail", args=[self.pk])


class Allocation(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="allocations", verbose_name="资金")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级分配（空为县级直接下达）",
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="下达至")
    amount = models.DecimalField("分配金额（元）", **MONEY)
    on = models.DateField("下达日期")
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy={"view": READERS, "allocate": OFFICE, "disburse": OFFICE})
    audit_fields = ["fund_id", "parent_id", "org_id", "amount", "on", "note"]

    class Meta:
        ordering = ["fund_id", "org__path", "pk"]
        indexes = [models.Index(fields=["fund", "org"], name="funds_alloc_fund_org")]
        verbose_name = verbose_name_plural = "资金分配"

    def __str__(self) -> str:
        # Not the fund's own str as a prefix: a township's audit trail would then quote a county-level event.
        return f"{self.org.name}：{self.fund.name}（{self.fund.year}年）"

    def get_absolute_url(self) -> str:
        return reverse("funds-allocation", args=[self.pk])


class Disbursement(models.Model):
    allocation = models.ForeignKey(
        Allocation, on_delete=models.PROTECT, related_name="disbursements", verbose_name="资金分配"
    )
    amount = models.DecimalField("支出金额（元）", **MONEY)
    on = models.DateField("支出日期")
    spent_on = models.CharField("支出用途", max_length=200)
    payee = models.CharField("收款方", max_length=100, blank=True)
    voucher = models.CharField("凭证号", max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="allocation__org__path", policy={"view": READERS})
    audit_fields = ["allocation_id", "amount", "on", "spent_on", "payee", "voucher"]

    class Meta:
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["allocation", "on"], name="funds_disb_alloc_on")]
        verbose_name = verbose_name_plural = "资金支出"

    def __str__(self) -> str:
        return f"{self.allocation.org.name}支出{self.amount}元：{self.spent_on}"
