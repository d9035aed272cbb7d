"""This app's part of the demo counties and of the generated province.

Demo (五寨县, 宜君县, 交城县), written through the services so it has its audit trail; idempotent by
(county, fund name, year): a fund that exists is skipped with everything under it.
- Each county gets this year's 村级组织运转经费 (every village, through its township), 产业发展扶持资金
  (two villages per township) and 乡镇党建办干部补贴 (townships only); the amounts, documents and splits
  are invented (seed 000 says only that the county routes them through the township offices, 用于产业发展、
  村级组织运转和乡镇干部补贴).
- Seed 000's figures: 前所乡 协调50.5万元资金整修1000米灌溉渠 (an industry allocation to the township,
  spent on the channel), 小河头镇小武州村 党建办协助争取的30万元水渠整修项目 (an allocation to the village,
  spent on the channel).
- Some running-cost money is spent in each village (office costs, invented).
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import services
from .choices import Purpose
from .generate import PROVINCE_LABELS, insert_province  # noqa: F401  (the generator's entry point)
from .models import Fund

DEMO_LABELS: tuple[str, ...] = ("专项资金", "资金分配", "资金支出")
S000 = "000 五寨县（县委组织部联合财政、农业等部门，通过各乡镇党建办统筹分配资金）"
INVENTED = "虚构（演示）"
VILLAGE_KINDS = (OrgKind.BRANCH, OrgKind.COMMUNITY)
COUNTIES = (
    ("五寨县", "county_wuzhai", "五"),
    ("宜君县", "county_yijun", "宜"),
    ("交城县", "county_jiaocheng", "交"),
)
RUNNING_PER_VILLAGE = Decimal("30000.00")
INDUSTRY_PER_VILLAGE = Decimal("100000.00")
SUBSIDY_PER_TOWNSHIP = Decimal("60000.00")


def _tree(county: Org) -> list[tuple[Org, list[Org]]]:
    orgs = list(
        Org.objects.filter(path__startswith=county.path, archived_at__isnull=True)
        .filter(kind__in=(OrgKind.TOWNSHIP, *VILLAGE_KINDS))
        .order_by("path")
    )
    townships = [o for o in orgs if o.kind == OrgKind.TOWNSHIP]
    return [
        (t, [v for v in orgs if v.kind in VILLAGE_KINDS and v.path.startswith(t.path)]) for t in townships
    ]


class Loader:
    def __init__(
        self, actor: User, county: Org, tag: str, created: Counter[str], today: datetime.date
    ) -> None:
        self.actor, self.county, self.tag, self.created, self.today = actor, county, tag, created, today
        self.on = max(today.replace(month=1, day=1), today - datetime.timedelta(days=200))

    def day(self, offset: int) -> datetime.date:
        return min(self.on + datetime.timedelta(days=offset), self.today)

    def fund(self, name: str, purpose: str, amount: Decimal, number: int, source: str) -> Fund:
        fund = services.create_fund(
            self.actor,
            self.county,
            name=name,
            year=self.today.year,
            purpose=purpose,
            amount=amount,
            document=f"{self.tag}组发〔{self.today.year}〕{number}号",
            demo_source=source,
        )
        self.created["专项资金"] += 1
        return fund

    def give(self, fund: Fund, org: Org, amount: Decimal, offset: int, parent=None, note: str = ""):
        row = services.allocate(
            self.actor,
            fund,
            org=org,
            amount=amount,
            on=self.day(offset),
            parent=parent,
            note=note,
            today=self.today,
        )
        self.created["资金分配"] += 1
        return row

    def spend(self, row, amount: Decimal, offset: int, spent_on: str, payee: str = "") -> None:
        services.disburse(
            self.actor,
            row,
            amount=amount,
            on=self.day(offset),
            spent_on=spent_on,
            payee=payee,
            today=self.today,
        )
        self.created["资金支出"] += 1


def _county(loader: Loader) -> None:
    tree = _tree(loader.county)
    villages = sum(len(v) for _, v in tree)
    rng = random.Random(f"funds-{loader.county.name}")
    running = loader.fund(
        "村级组织运转经费", Purpose.RUNNING, RUNNING_PER_VILLAGE * villages, 1, f"{S000}；金额{INVENTED}"
    )
    for township, vs in tree:
        if not vs:
            continue
        t_row = loader.give(running, township, RUNNING_PER_VILLAGE * len(vs), 10)
        for v in vs:
            v_row = loader.give(running, v, RUNNING_PER_VILLAGE, 20, parent=t_row)
            if rng.random() < 0.6:
                loader.spend(
                    v_row, Decimal(rng.randrange(20, 120) * 100), 40, "村级组织办公经费（水电、办公用品）"
                )
    industry_total = sum(INDUSTRY_PER_VILLAGE * min(2, len(vs)) for _, vs in tree)
    extra = Decimal("505000.00") if loader.county.name == "五寨县" else Decimal(0)
    industry = loader.fund(
        "产业发展扶持资金",
        Purpose.INDUSTRY,
        industry_total + extra + Decimal("500000.00"),
        2,
        f"{S000}；金额{INVENTED}",
    )
    for township, vs in tree:
        chosen = vs[:2]
        if chosen:
            t_row = loader.give(industry, township, INDUSTRY_PER_VILLAGE * len(chosen), 15)
            for v in chosen:
                v_row = loader.give(industry, v, INDUSTRY_PER_VILLAGE, 30, parent=t_row)
                loader.spend(
                    v_row, Decimal(rng.randrange(200, 800) * 100), 60, "村集体产业项目（种植、加工设备）"
                )
        if township.name == "前所乡":
            row = loader.give(
                industry, township, Decimal("505000.00"), 12, note="种子000：协调50.5万元资金整修灌溉渠"
            )
            loader.spend(row, Decimal("505000.00"), 50, "整修1000米灌溉渠，带动950亩农田有效灌溉（种子000）")
    subsidy = loader.fund(
        "乡镇党建办干部补贴",
        Purpose.SUBSIDY,
        SUBSIDY_PER_TOWNSHIP * len(tree),
        3,
        f"{S000}；金额{INVENTED}",
    )
    for township, _ in tree:
        row = loader.give(subsidy, township, SUBSIDY_PER_TOWNSHIP, 5)
        loader.spend(row, SUBSIDY_PER_TOWNSHIP / 2, 90, "上半年党建办工作人员补贴")


def _xiaowuzhou(loader: Loader) -> None:
    village = Org.objects.filter(name="小武州村", path__startswith=loader.county.path).first()
    if village is None:
        return
    fund = loader.fund(
        "农田水利项目资金",
        Purpose.INDUSTRY,
        Decimal("300000.00"),
        4,
        "000 五寨县小河头镇小武州村：30万元水渠整修项目",
    )
    row = loader.give(fund, village, Decimal("300000.00"), 25, note="党建办协助争取（种子000）")
    loader.spend(row, Decimal("300000.00"), 70, "水渠整修，惠及200亩农田（种子000）")


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Add this app's demo rows (idempotent: a second run creates nothing)."""
    today = today or timezone.localdate()
    for name, username, tag in COUNTIES:
        county = Org.objects.filter(code=org_demo.code_of(name)).first()
        if county is None:
            continue
        actor = User.objects.filter(username=username).first() or admin
        loader = Loader(actor, county, tag, created, today)
        if Fund.objects.filter(county=county, year=today.year, name="村级组织运转经费").exists():
            skipped["专项资金"] += Fund.objects.filter(county=county, year=today.year).count()
            continue
        _county(loader)
        if name == "五寨县":
            _xiaowuzhou(loader)
