"""This app's part of the two-county test world: an indicator set in each county (computed and manual
indicators, weights adding up to 100), last month's scores and ranks, a published scorecard and a
model station in county 甲."""

from __future__ import annotations

from django.utils import timezone

from dangjian.core.dates import add_months

from .choices import Level, Rollup

INDICATORS = [
    {
        "code": "B1",
        "name": "组织生活按期开展",
        "level": Level.BRANCH,
        "weight": 30,
        "computation": "meetings.held_rate",
    },
    {
        "code": "B2",
        "name": "任务按期完成",
        "level": Level.BRANCH,
        "weight": 20,
        "computation": "tasks.on_time",
    },
    {
        "code": "B3",
        "name": "阵地建设",
        "level": Level.BRANCH,
        "weight": 10,
        "formula": "阵地“六有”每缺一项扣2分，按乡镇检查记录评分",
    },
    {
        "code": "S1",
        "name": "工作站组织生活",
        "level": Level.STATION,
        "weight": 10,
        "computation": "meetings.held_rate",
    },
    {
        "code": "T1",
        "name": "问题按期办结",
        "level": Level.TOWNSHIP,
        "weight": 10,
        "computation": "cases.closed_on_time",
    },
    {
        "code": "T2",
        "name": "发展党员按期",
        "level": Level.TOWNSHIP,
        "weight": 10,
        "computation": "development.pipeline",
    },
    {
        "code": "P1",
        "name": "定点联系覆盖",
        "level": Level.STAFF,
        "weight": 10,
        "computation": "office.contact_coverage",
    },
]


def populate(world) -> None:
    """This app's part of the two-county test world."""
    from . import services

    today = timezone.localdate()
    month = add_months(today.replace(day=1), -1)
    root = world.root
    sets = {}
    for key in ("county", "out_county"):
        county = world.orgs[key]
        s = services.create_set(
            root, county, year=month.year, rollup=Rollup.OWN_PLUS, indicators=INDICATORS, today=today
        )
        sets[key] = s
        services.compute(root, s, f"{month:%Y-%m}", today)
        manual = s.indicators.get(code="B3")
        branch = world.orgs["branch" if key == "county" else "out_branch"]
        services.enter_score(
            root,
            manual,
            branch,
            period=f"{month:%Y-%m}",
            value=80,
            evidence="乡镇阵地检查记录：缺少党员活动室标识",
            today=today,
        )
    world.scoring_sets = sets
    world.scoring_month = f"{month:%Y-%m}"
    services.publish_scorecard(
        root, sets["county"], period=f"{month:%Y-%m}", comment="表扬村甲一", today=today
    )
    services.publish_scorecard(
        root, sets["out_county"], period=f"{month:%Y-%m}", comment="外县讲评", today=today
    )
    services.record_award(
        root,
        world.orgs["station"],
        year=month.year,
        kind="model_station",
        amount=20000,
        reason="示范站（测试）",
    )
    services.record_award(
        root,
        world.orgs["out_station"],
        year=month.year,
        kind="model_station",
        amount=20000,
        reason="外站示范站",
    )
