"""Earmarked funds of the generated province, in bulk: per county this year's 村级组织运转经费 (every village
through its township, with an office-cost disbursement in about half of them), 产业发展扶持资金 (two
villages per township, each spending part) and 乡镇党建办干部补贴 (each township, half paid). Balances stay
consistent by construction (nothing passed on or spent beyond what was received); the benchmark checks
them against raw SQL. The county admin is the actor. No audit rows (the caller records one event)."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from dangjian.cases.generate import county_admins
from dangjian.members.demo import Table, flush
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind

from .choices import Purpose
from .models import Allocation, Disbursement, Fund

PROVINCE_LABELS: dict[str, str] = {
    "funds_fund": "专项资金",
    "funds_allocation": "资金分配",
    "funds_disbursement": "资金支出",
}
FUND_COLUMNS = (
    "id", "county_id", "name", "year", "purpose", "amount", "document", "demo_source", "created_by_id",
    "created_at",
)  # fmt: skip
ALLOC_COLUMNS = (
    "id",
    "fund_id",
    "parent_id",
    "org_id",
    "amount",
    "on",
    "note",
    "created_by_id",
    "created_at",
)
DISB_COLUMNS = (
    "id",
    "allocation_id",
    "amount",
    "on",
    "spent_on",
    "payee",
    "voucher",
    "created_by_id",
    "created_at",
)
RUNNING, INDUSTRY, SUBSIDY = Decimal("30000.00"), Decimal("100000.00"), Decimal("60000.00")


def _townships(plan, org_ids: list[int]) -> dict[int, dict[int, list[int]]]:
    """county id → township id → village ids, in plan order."""
    parent = {i: o.parent for i, o in enumerate(plan.orgs)}
    found: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, o in enumerate(plan.orgs):
        if o.kind == OrgKind.TOWNSHIP:
            found[org_ids[parent[i]]][org_ids[i]]  # noqa: B018 (a township with no village still gets money)
        if o.kind != OrgKind.BRANCH:
            continue
        up: dict[str, int] = {}
        j = parent[i]
        while j is not None:
            up.setdefault(plan.orgs[j].kind, org_ids[j])
            j = parent[j]
        if OrgKind.COUNTY in up and OrgKind.TOWNSHIP in up:
            found[up[OrgKind.COUNTY]][up[OrgKind.TOWNSHIP]].append(org_ids[i])
    return found


class Writer:
    def __init__(self, seed: int, today: datetime.date) -> None:
        self.funds = Table(Fund, FUND_COLUMNS)
        self.allocs = Table(Allocation, ALLOC_COLUMNS)
        self.spent = Table(Disbursement, DISB_COLUMNS)
        self.today, self.now, self.source = today, timezone.now(), f"生成（种子{seed}）"
        self.on = max(today.replace(month=1, day=1), today - datetime.timedelta(days=120))
        self.later = min(self.on + datetime.timedelta(days=30), today)
        self.county, self.user = 0, 0

    def fund(self, name: str, purpose: str, amount: Decimal, n: int) -> int:
        pk = self.funds.take_id()
        document = f"组发〔{self.today.year}〕{n}号"
        self.funds.add(
            (
                pk,
                self.county,
                name,
                self.today.year,
                purpose,
                amount,
                document,
                self.source,
                self.user,
                self.now,
            )
        )
        return pk

    def give(self, fund_id: int, org: int, amount: Decimal, parent: int | None = None) -> int:
        pk = self.allocs.take_id()
        self.allocs.add((pk, fund_id, parent, org, amount, self.on, "", self.user, self.now))
        return pk

    def pay(self, allocation: int, amount: Decimal, what: str) -> None:
        self.spent.add(
            (self.spent.take_id(), allocation, amount, self.later, what, "", "", self.user, self.now)
        )

    def county_funds(self, rng: random.Random, townships: dict[int, list[int]]) -> None:
        n_villages = sum(len(v) for v in townships.values())
        running = self.fund("村级组织运转经费", Purpose.RUNNING, RUNNING * n_villages, 1)
        chosen = sum(min(2, len(v)) for v in townships.values())
        industry = self.fund("产业发展扶持资金", Purpose.INDUSTRY, INDUSTRY * chosen, 2)
        subsidy = self.fund("乡镇党建办干部补贴", Purpose.SUBSIDY, SUBSIDY * len(townships), 3)
        for township, villages in townships.items():
            if villages:
                t = self.give(running, township, RUNNING * len(villages))
                for v in villages:
                    row = self.give(running, v, RUNNING, t)
                    if rng.random() < 0.5:
                        self.pay(row, Decimal(rng.randrange(20, 120) * 100), "村级组织办公经费")
                t = self.give(industry, township, INDUSTRY * min(2, len(villages)))
                for v in villages[:2]:
                    row = self.give(industry, v, INDUSTRY, t)
                    self.pay(row, Decimal(rng.randrange(200, 800) * 100), "村集体产业项目")
            self.pay(self.give(subsidy, township, SUBSIDY), SUBSIDY / 2, "上半年党建办工作人员补贴")


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    places = _townships(plan, org_ids)
    admins = county_admins(list(places))
    w = Writer(plan.seed, today)
    for county_id, townships in places.items():
        w.county, w.user = county_id, (admins.get(county_id) or admins[None])[0]
        w.county_funds(random.Random(f"funds-{plan.seed}-{county_id}"), townships)
        flush([w.funds, w.allocs, w.spent])
    org_demo.reset_sequences(Fund, Allocation, Disbursement)
    return {
        "funds_fund": w.funds.total,
        "funds_allocation": w.allocs.total,
        "funds_disbursement": w.spent.total,
    }
