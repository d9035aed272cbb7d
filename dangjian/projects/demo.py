"""This app's part of the demo counties and of the generated province.

Demo (written through the services, so each project has its history and audit trail; idempotent by org and
title). Every figure is the seed report's; where a report gives no budget or funding channel the row says
so in `demo_source` and the invented part is marked （演示虚构）:
- 五寨县小河头镇小武州村 (seed 000): the 30万元 canal repair the office helped win, 200亩 of farmland served;
- 五寨县前所乡 (seed 000): 50.5万元 coordinated to repair 1000米 of irrigation canal, 950亩 irrigated;
- 五寨县砚城镇北苑社区 (seed 000): 阳光家园小区's 30 parking spaces after the grid whistle;
- 偏关县老牛湾镇 (seed 001): tap water for 麦虎村 and 滑石村 and 阳洼子村's road, 67户 160多人 served;
- 交城县西社镇南堡村 (seed 003): 23万元 on the arched drainage channel and the day-care centre, linked to
  the decisions demo's 四议两公开 of the same works;
- 大兴区安定镇第三联村党总支 (seed 004): 徐柏村 leads 800亩 of vegetables in the 6 villages around it;
- 大兴区安定镇第二联村党总支 (seed 004): 后安定村's fruit know-how, 63万斤 of unsold fruit sold in 2021.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from dangjian.decisions.models import Decision
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import services
from .choices import ProgressMode, ProjectKind, ProjectStatus, SourceKind
from .generate import PROVINCE_LABELS, insert_province  # noqa: F401  (the generator's entry point)
from .models import Project

DEMO_LABELS: tuple[str, ...] = ("项目", "项目节点", "项目成效")
INVENTED = "（演示虚构）"
S000 = "种子000 五寨县乡镇党建办报道"
S001 = "种子001 偏关县老牛湾镇“143”工作体系"
S003 = "种子003 交城县软弱涣散村党组织整顿"
S004 = "种子004 大兴区安定镇联村党总支"


@dataclass
class Story:
    county: str
    org: str
    kind: str
    title: str
    project_kind: str
    budget: int
    sources: list[tuple[str, str, int]]
    outcomes: list[tuple[str, float, str, str]]
    source: str
    milestones: tuple[str, ...] = ("立项", "施工", "竣工验收")
    status: str = ProjectStatus.COMPLETED
    villages: tuple[str, ...] = ()
    all_villages_but: str | None = None
    decision: str = ""
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


STORIES: tuple[Story, ...] = (
    Story(
        "五寨县",
        "小武州村",
        OrgKind.BRANCH,
        "小武州村水渠整修",
        ProjectKind.INFRASTRUCTURE,
        300_000,
        [(SourceKind.SUPERIOR, "小河头镇党建办协助争取", 300_000)],
        [("水渠整修惠及农田", 200, "mu", "")],
        f"{S000}：“党建办协助争取的30万元水渠整修项目，已惠及200亩农田”（资金渠道名称、节点日期为演示虚构）",
        description="整修村内灌溉水渠。",
    ),
    Story(
        "五寨县",
        "前所乡",
        OrgKind.TOWNSHIP,
        "前所乡灌溉渠整修",
        ProjectKind.INFRASTRUCTURE,
        505_000,
        [(SourceKind.OTHER, "乡党建办协调资金（原文未列明渠道）", 505_000)],
        [("整修灌溉渠", 1000, "m", ""), ("实现有效灌溉农田", 950, "mu", "")],
        f"{S000}：前所乡“协调50.5万元资金整修1000米灌溉渠，带动950亩农田实现有效灌溉”（节点日期为演示虚构）",
        description="“我为群众办实事”：整修灌溉渠1000米。",
    ),
    Story(
        "五寨县",
        "北苑社区",
        OrgKind.COMMUNITY,
        "阳光家园小区停车位改造",
        ProjectKind.LIVELIHOOD,
        60_000,
        [
            (SourceKind.COUNTY, f"住建部门{INVENTED}", 40_000),
            (SourceKind.OTHER, f"物业公司{INVENTED}", 20_000),
        ],
        [("改造停车位", 30, "space", "网格长吹哨后协调住建、物业等部门")],
        f"{S000}：砚城镇北苑社区阳光家园小区“改造出30个停车位”（预算和资金来源为演示虚构）",
        milestones=("网格吹哨", "部门报到", "改造完成"),
    ),
    Story(
        "偏关县",
        "老牛湾镇",
        OrgKind.TOWNSHIP,
        "麦虎村、滑石村自来水入户和阳洼子村道路改造",
        ProjectKind.LIVELIHOOD,
        800_000,
        [
            (SourceKind.SUPERIOR, f"上级补助{INVENTED}", 600_000),
            (SourceKind.TOWNSHIP, f"镇配套{INVENTED}", 100_000),
        ],
        [
            ("解决出行和饮水困难（户）", 67, "household", ""),
            ("解决出行和饮水困难（人）", 160, "person", "原文“160多人”"),
        ],
        f"{S001}：“实施麦虎、滑石村自来水入户和阳洼子村道路改造项目，解决了67户160多人的出行困难和饮水便利问题”"
        "（预算和资金来源为演示虚构，有10万元缺口以示资金缺口）",
        villages=("麦虎村", "滑石村", "阳洼子村"),
    ),
    Story(
        "交城县",
        "南堡村",
        OrgKind.BRANCH,
        "拱形排水渠修缮及日间照料中心设施更新",
        ProjectKind.LIVELIHOOD,
        230_000,
        [(SourceKind.OTHER, "原文未列明渠道", 230_000)],
        [],
        f"{S003}：西社镇南堡村“累计投入23万元，完成拱形排水渠修缮工程、更新日间照料中心设施”（节点日期为演示虚构）",
        milestones=("四议两公开决议", "排水渠修缮", "照料中心设施更新", "完工验收"),
        decision="拱形排水渠修缮及日间照料中心设施更新（投资23万元）",
    ),
    Story(
        "大兴区",
        "第三联村党总支",
        OrgKind.JOINT_BRANCH,
        "徐柏村带动周边6村蔬菜种植",
        ProjectKind.INDUSTRY,
        1_200_000,
        [
            (SourceKind.VILLAGE, f"徐柏村等7村{INVENTED}", 700_000),
            (SourceKind.SUPERIOR, f"产业扶持{INVENTED}", 500_000),
        ],
        [("带动蔬菜种植", 800, "mu", "周边6个村；村民人均收入提高近2000元")],
        f"{S004}：第三联村党总支统筹，“徐柏村依托蔬菜种植经验和销售渠道，辐射带动周边6个村800亩蔬菜种植”"
        "（预算和资金来源为演示虚构）",
        milestones=("联村议定种植计划", "育苗定植", "采收销售"),
        status=ProjectStatus.UNDER_WAY,
        all_villages_but="徐柏村",
    ),
    Story(
        "大兴区",
        "第二联村党总支",
        OrgKind.JOINT_BRANCH,
        "后安定村果业技术帮带和滞销水果网络销售",
        ProjectKind.INDUSTRY,
        150_000,
        [(SourceKind.VILLAGE, f"联村共同出资{INVENTED}", 150_000)],
        [("帮助村民销售滞销水果", 630_000, "jin", "2021年"), ("培训农户", 600, "person", "原文“600余人次”")],
        f"{S004}：第二联村党总支发挥后安定村果树种植技术特长，“2021年帮助村民销售滞销水果63万斤”"
        "（预算和资金来源为演示虚构）",
        milestones=("果农培训", "共享网络销售平台上线", "年度销售"),
        extra={"year": 2021},
    ),
)


def _org(county: Org, name: str, kind: str) -> Org | None:
    return (
        Org.objects.filter(path__startswith=county.path, name=name, kind=kind, archived_at__isnull=True)
        .order_by("pk")
        .first()
    )


def _villages(org: Org, story: Story) -> list[Org]:
    if story.all_villages_but:
        return list(
            Org.objects.filter(parent=org, kind=OrgKind.BRANCH, archived_at__isnull=True)
            .exclude(name=story.all_villages_but)
            .order_by("sort_order", "pk")
        )
    rows = Org.objects.filter(path__startswith=(org.path), name__in=story.villages, kind=OrgKind.BRANCH)
    return list(rows.order_by("sort_order", "pk"))


def _tell(admin, story: Story, today: datetime.date, created: Counter[str], skipped: Counter[str]) -> None:
    county = Org.objects.filter(name=story.county, kind=OrgKind.COUNTY).order_by("pk").first()
    org = _org(county, story.org, story.kind) if county else None
    if org is None:
        return
    if Project.objects.filter(org=org, title=story.title).exists():
        skipped["项目"] += 1
        return
    year = story.extra.get("year", today.year)
    end = min(today - datetime.timedelta(days=7), datetime.date(year, 11, 30))
    start = end - datetime.timedelta(days=150)
    decision = (
        Decision.objects.filter(org=org, title=story.decision).order_by("pk").first()
        if story.decision
        else None
    )
    project = services.create_project(
        admin,
        org=org,
        title=story.title,
        kind=story.project_kind,
        year=year,
        budget=story.budget,
        description=story.description,
        start_on=start,
        planned_end=end,
        progress_mode=ProgressMode.MILESTONES,
        villages=_villages(org, story),
        decision=decision,
        sources=story.sources,
        demo_source=story.source,
    )
    created["项目"] += 1
    step = (end - start) / len(story.milestones)
    milestones = []
    for i, title in enumerate(story.milestones, 1):
        milestones.append(services.add_milestone(admin, project, title=title, due=start + step * i))
        created["项目节点"] += 1
    done = len(milestones) if story.status == ProjectStatus.COMPLETED else len(milestones) - 1
    for m in milestones[:done]:
        services.complete_milestone(admin, m, done_on=m.due, today=today)
    if story.status == ProjectStatus.COMPLETED:
        services.set_status(admin, project, status=ProjectStatus.COMPLETED, on=end, today=today)
    units = services.ensure_units()
    for measure, quantity, unit, note in story.outcomes:
        services.record_outcome(
            admin,
            project,
            measure=measure,
            quantity=quantity,
            unit=units[unit],
            recorded_on=end,
            note=note,
            today=today,
        )
        created["项目成效"] += 1


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """The seeds' projects with their figures (idempotent: a project already there is left alone)."""
    today = today or timezone.localdate()
    for story in STORIES:
        _tell(admin, story, today, created, skipped)
