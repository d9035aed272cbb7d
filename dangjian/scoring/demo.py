"""This app's part of the demo counties and of the generated province.

Demo, written through the services (so it has its audit trail); idempotent by (county, year):
- 五寨县, 宜君县, 交城县 and 偏关县 (those present) each get the standard indicator set of the year
  (一定二考三有: targets set first; weights add up to 100; 宜君县's practice, seed 002), computed for
  the months of this year up to this one (at most four), so the rankings have a change from last month;
- 五寨县 publishes last month's scorecard (晾晒成绩单, its 3+X monthly analysis, seed 000), signed as read by
  its county admin, and enters one manual score with its evidence;
- 大兴区 gets the standard set too; 第二联村党总支 appraises 后安定村 through it (the joint demo, seed 004);
- 宜君县 honours 5 model stations × 20,000 yuan (seed 002: “七一”评比表彰5个党建示范站，每站奖励2万元) — the
  five best stations of last month's ranking (the report does not name them).

The generated province: per county, the standard set and three months of results for every township,
station and branch (bulk inserts; scores drawn deterministically from the plan's seed and rolled up
as the county's method does). Indicator scores and their drill-down records are written for the demo
counties only: the province's results carry their context notes, not the records behind them.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from decimal import Decimal

from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.dates import add_months
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org

from .choices import Cadence, Level, Method, Rollup

DEMO_LABELS: tuple[str, ...] = ("考核指标体系", "考核得分月份", "晾晒成绩单", "示范站表彰")
PROVINCE_LABELS: dict[str, str] = {"scoring_set": "考核指标体系", "scoring_result": "考核结果"}
DEMO_COUNTIES = (
    ("五寨县", "county_wuzhai"),
    ("宜君县", "county_yijun"),
    ("交城县", "county_jiaocheng"),
    ("偏关县", "county_pianguan"),
    ("大兴区", "county_daxing"),
)
DEMO_MONTHS = 4
PROVINCE_MONTHS = 3


def standard_indicators() -> list[dict]:
    """The standard set (weights add up to 100): what the system can count, and two scored by hand."""
    return [
        _row("B1", "组织生活按期开展", Level.BRANCH, 20, 100, "meetings.held_rate"),
        _row("B2", "任务按期完成", Level.BRANCH, 15, 90, "tasks.on_time"),
        _row("B3", "问题按期办结", Level.BRANCH, 10, 90, "cases.closed_on_time"),
        _row("B4", "发展党员流程按期", Level.BRANCH, 5, 100, "development.pipeline"),
        _row(
            "B5",
            "阵地建设和作用发挥",
            Level.BRANCH,
            10,
            100,
            "",
            "对照阵地“六有”和为民服务事项逐项检查，每缺一项扣10%（以乡镇检查记录为据）",
        ),
        _row("S1", "工作站组织生活", Level.STATION, 10, 100, "meetings.held_rate"),
        _row("S2", "两下两上任务落实", Level.STATION, 5, 90, "tasks.on_time"),
        _row("T1", "网格吹哨报到响应", Level.TOWNSHIP, 5, 95, "cases.whistle_answer"),
        _row("T2", "网格吹哨按期解决", Level.TOWNSHIP, 5, 90, "cases.whistle_solved"),
        _row("P1", "支部定点联系覆盖", Level.STAFF, 5, 100, "office.contact_coverage"),
        _row("P2", "党建办人员到村工作", Level.STAFF, 5, 90, "office.field_days"),
        _row(
            "A1",
            "组织生活会和民主评议党员",
            Level.BRANCH,
            5,
            100,
            "",
            "年度组织生活会、民主评议党员按期开展且材料齐全得满分，缺一项扣50%",
            Cadence.ANNUAL,
        ),
    ]


def _row(code, name, level, weight, target, computation, formula="", cadence=Cadence.MONTHLY) -> dict:
    return {
        "code": code,
        "name": name,
        "level": level,
        "cadence": cadence,
        "weight": weight,
        "target": target,
        "computation": computation,
        "formula": formula,
    }


def _months(today: datetime.date, count: int) -> list[str]:
    first = today.replace(day=1)
    months = [add_months(first, -k) for k in range(count - 1, -1, -1)]
    return [f"{m:%Y-%m}" for m in months if m.year == today.year]


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Add this app's demo rows (idempotent)."""
    from . import services
    from .models import Award, IndicatorSet, Result, Scorecard

    today = today or timezone.localdate()
    counties = {o.name: o for o in Org.objects.filter(kind="county", name__in=[n for n, _ in DEMO_COUNTIES])}
    for name, login in DEMO_COUNTIES:
        county = counties.get(name)
        if county is None:
            continue
        actor = User.objects.filter(username=login).first() or admin
        s = IndicatorSet.objects.filter(county=county, year=today.year).first()
        if s is not None:
            skipped["考核指标体系"] += 1
            continue
        s = services.create_set(
            actor,
            county,
            year=today.year,
            rollup=Rollup.OWN_PLUS,
            indicators=standard_indicators(),
            today=today,
        )
        created["考核指标体系"] += 1
        for month in _months(today, DEMO_MONTHS):
            services.compute(actor, s, month, today)
            created["考核得分月份"] += 1
        last = _months(today, 2)[0]
        if name == "五寨县" and Result.objects.filter(indicator_set=s, period=last).exists():
            branch = (
                Result.objects.filter(indicator_set=s, period=last, level=Level.BRANCH)
                .order_by("rank")
                .first()
            )
            if branch is not None:
                services.enter_score(
                    actor,
                    s.indicators.get(code="B5"),
                    branch.org,
                    period=last,
                    value=90,
                    evidence="乡镇阵地检查记录：党员活动室标识不全，其余“六有”齐全",
                    today=today,
                )
            if not Scorecard.objects.filter(indicator_set=s, period=last).exists():
                card = services.publish_scorecard(
                    actor,
                    s,
                    period=last,
                    comment="3+X月度分析晾晒成绩单：对排名前列的乡镇提出表扬；对末位乡镇逐项列出失分记录，限期整改。",
                    today=today,
                )
                services.sign_read(actor, card)
                created["晾晒成绩单"] += 1
        if name == "宜君县":
            if Award.objects.filter(county=county, year=today.year, kind="model_station").exists():
                skipped["示范站表彰"] += 1
                continue
            stations = [
                r.org
                for r in Result.objects.filter(indicator_set=s, period=last, level=Level.STATION)
                .select_related("org")
                .order_by("-score", "org__path")[:5]
            ]
            if stations:
                services.choose_model_stations(actor, s, stations, awarded_on=today)
                created["示范站表彰"] += len(stations)


# --- the generated province ---------------------------------------------------------------------------


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """Per county: the standard set and PROVINCE_MONTHS months of ranked results, in bulk."""
    from dangjian.cases.generate import county_admins
    from dangjian.members.demo import Table, flush

    from .indicators import describe
    from .models import Indicator, IndicatorSet, Result
    from .services import level_weights, roll_up

    kinds = {
        "township": Level.TOWNSHIP,
        "station": Level.STATION,
        "joint_branch": Level.STATION,
        "branch": Level.BRANCH,
        "community": Level.BRANCH,
    }
    sets = Table(
        IndicatorSet, ("id", "county_id", "year", "title", "total", "rollup", "created_by_id", "created_at")
    )
    inds = Table(
        Indicator,
        (
            "id",
            "indicator_set_id",
            "county_id",
            "code",
            "name",
            "level",
            "cadence",
            "weight",
            "target",
            "method",
            "computation",
            "formula",
            "sort_order",
        ),
    )
    results = Table(
        Result,
        (
            "id",
            "indicator_set_id",
            "org_id",
            "county_id",
            "group_id",
            "period",
            "level",
            "own",
            "score",
            "rank",
            "rank_prev",
            "peers",
            "note",
        ),
    )
    rows = standard_indicators()
    weights = level_weights(_Weight(r) for r in rows if r["cadence"] == Cadence.MONTHLY)
    below = {
        Level.BRANCH: weights[Level.BRANCH],
        Level.STATION: weights[Level.BRANCH] + weights[Level.STATION],
    }
    below[Level.TOWNSHIP] = below[Level.STATION] + weights[Level.TOWNSHIP]
    share = {lv: weights[lv] / below[lv] for lv in below}
    months = _months(today, PROVINCE_MONTHS)
    counties = [org_ids[i] for i, o in enumerate(plan.orgs) if o.kind == "county"]
    admins = county_admins(counties)
    now = timezone.now()
    children: dict[int, list[int]] = defaultdict(list)
    county_of: dict[int, int] = {}
    township_of: dict[int, int] = {}
    level: dict[int, str] = {}
    for i, o in enumerate(plan.orgs):
        pk = org_ids[i]
        if o.kind == "county":
            county_of[pk] = pk
        elif o.parent is not None:
            parent = org_ids[o.parent]
            county_of.setdefault(pk, county_of.get(parent, 0))
            township_of[pk] = pk if o.kind == "township" else township_of.get(parent, 0)
            if o.kind in kinds:
                level[pk] = kinds[o.kind]
                if plan.orgs[o.parent].kind in kinds:
                    children[parent].append(pk)
    by_county: dict[int, list[int]] = defaultdict(list)
    for pk in level:
        by_county[county_of[pk]].append(pk)
    for county in counties:
        rng = random.Random(f"scoring-{plan.seed}-{county}")
        set_id = sets.take_id()
        user = (admins.get(county) or admins[None])[0]
        sets.add(
            (
                set_id,
                county,
                today.year,
                f"{today.year}年度基层党建考核指标",
                Decimal(100),
                Rollup.OWN_PLUS,
                user,
                now,
            )
        )
        for n, r in enumerate(rows, start=1):
            method = Method.COMPUTED if r["computation"] else Method.MANUAL
            formula = r["formula"] or describe(r["computation"]).formula
            inds.add(
                (
                    inds.take_id(),
                    set_id,
                    county,
                    r["code"],
                    r["name"],
                    r["level"],
                    r["cadence"],
                    Decimal(r["weight"]),
                    Decimal(r["target"]),
                    method,
                    r["computation"],
                    formula,
                    n,
                )
            )
        orgs = by_county[county]
        base = {pk: rng.uniform(55, 97) for pk in orgs}
        prev: dict[int, int] = {}
        for month in months:
            score: dict[int, Decimal] = {}
            own = {
                pk: Decimal(str(round(min(100.0, max(0.0, base[pk] + rng.gauss(0, 6))), 2))) for pk in orgs
            }
            for lv in (Level.BRANCH, Level.STATION, Level.TOWNSHIP):
                for pk in (p for p in orgs if level[p] == lv):
                    kids = [(score[c], 1) for c in children[pk] if c in score]
                    value = roll_up(Rollup.OWN_PLUS, own[pk], kids, share[lv])
                    if value is not None:
                        score[pk] = value
            groups: dict[tuple[str, int], list[int]] = defaultdict(list)
            for pk in score:
                groups[(level[pk], county if level[pk] == Level.TOWNSHIP else township_of[pk])].append(pk)
            ranks: dict[int, int] = {}
            for (lv, group), members in groups.items():
                members.sort(key=lambda p: (-score[p], p))
                last, rank = None, 0
                for i, pk in enumerate(members, start=1):
                    if score[pk] != last:
                        rank, last = i, score[pk]
                    ranks[pk] = rank
                    due = rng.randrange(3, 13)
                    miss = rng.randrange(0, 3)
                    note = (
                        f"应开会议{due}次，未开{miss}次；到期任务{due + 2}项，未按期{rng.randrange(0, 3)}项"
                    )
                    results.add(
                        (
                            results.take_id(),
                            set_id,
                            pk,
                            county,
                            group,
                            month,
                            lv,
                            own[pk],
                            score[pk],
                            rank,
                            prev.get(pk),
                            len(members),
                            note,
                        )
                    )
            prev = ranks
        flush([sets, inds, results])
    org_demo.reset_sequences(IndicatorSet, Indicator, Result)
    return {"scoring_set": sets.total, "scoring_result": results.total}


class _Weight:
    """A standard row read as an indicator by `level_weights`."""

    def __init__(self, row: dict) -> None:
        self.level, self.weight = row["level"], Decimal(row["weight"])
