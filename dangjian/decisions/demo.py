"""四议两公开 in the demo villages, and in the generated province.

- 五寨县李家坪乡大辛庄村 (seed 000): "通过‘四议两公开’，1个月内收集群众意见28条，让发展规划真正转化为
  全村共识" — the development plan with its 28 opinions in one month; 郭凯 is secretary and director
  (一肩挑, from the two committees' roll), so the proposal and the deliberation are merged.
- 交城县庞泉沟镇市庄村 (seed 003): "严格落实‘四议两公开’制度，广泛听取党员、群众代表意见百余条，成功化解
  多起历史遗留问题" — two old disputes settled and a third matter under way, 105 opinions in all.
- 交城县西社镇南堡村 (seed 003): the 23万元 arched drainage channel, decided by a villagers' meeting.
- 交城县洪相镇裴家山村 (seed 003, "组织党员带头平整闲置土地"): leasing the idle land to an outside company
  was voted down by the representatives' meeting; the members' own levelling of the land then passed.
- 大兴区安定镇后安定村 (seed 004, the joint branches' 重要事务初审权): 大兴区 turns the first review on; an
  invented matter, deliberated, waits for 第二联村党总支.

Written through the services (so every count meets its quorum check), dated back from `today`."""

from __future__ import annotations

import datetime
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.rule_settings import set_county_rule
from dangjian.core.rules import rule_value
from dangjian.members.demo import draw_name
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of

from . import generate, services
from . import rules as R
from .models import BASE_ORDER, Channel, Decision, MeetingKind, Step

DEMO_LABELS: tuple[str, ...] = ("四议两公开事项", "群众意见")
PROVINCE_LABELS: dict[str, str] = generate.PROVINCE_LABELS
PLAN_TOPICS = (
    "建议发展小杂粮精深加工，延长产业链",
    "电商销售要有专人负责，统一包装和品牌",
    "村里道路硬化到每户门口",
    "冬季取暖煤改电补贴要落实到户",
    "建议建设光伏电站，收益用于村集体",
    "养殖小区要远离居住区，注意防疫",
    "留守老人日间照料中心增加午餐服务",
    "农田灌溉水渠需要清淤维修",
    "年轻人返乡创业给予场地支持",
    "规划中要有村容村貌整治的具体安排",
    "集体收益分配方案提前公示",
    "组织技能培训，帮助村民就近务工",
    "合作社账目定期公开",
    "建议保留村里的老戏台作为文化活动场所",
)
SHIZHUANG_TOPICS = (
    "合同签订年份久远，承包费标准应重新核定",
    "要把当年的原始协议找出来公开",
    "承包到期的林地应收回重新发包",
    "历史欠款分期偿还，不要一刀切",
    "处理结果要张榜公布，让大家都知道",
    "请乡里派人现场丈量，界址以实测为准",
    "老户和新分户的情况要分开考虑",
    "建议邀请优秀村党组织书记介绍经验",
    "集体经济收益优先用于修路和饮水",
)


def _village(name: str) -> Org | None:
    return Org.objects.filter(code=org_demo.code_of(name)).first()


def _opinions(admin, decision, rng, topics, count, first_day, days, today) -> None:
    channels = Channel.values
    for i in range(count):
        services.add_opinion(
            admin,
            decision,
            text=topics[i % len(topics)] + ("。" if i < len(topics) else "，希望尽快研究答复。"),
            resident_name=draw_name(rng, rng.random() < 0.6),
            channel=channels[i % len(channels)],
            received_on=first_day + datetime.timedelta(days=i * days // count),
            today=today,
        )


OFFSETS = (0, 3, 7, 14, 16, 80)  # days after the proposal on which each step is held


def _steps(admin, decision, first_day, today, *, merge=False, until=None, **counts) -> None:
    """Record the steps from the proposal on (the first two merged where told), stopping before `until`."""
    for step, offset in zip(BASE_ORDER, OFFSETS, strict=True):
        if step == until:
            return
        if merge and step == Step.DELIBERATION:
            continue
        extra = dict(counts.get(step, {}))
        services.record_step(
            admin,
            decision,
            step,
            held_on=first_day + datetime.timedelta(days=offset),
            merge=merge and step == Step.PROPOSAL,
            notes=extra.pop("notes", ""),
            today=today,
            **extra,
        )


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Add the four villages' decisions (idempotent: a village with decisions is left alone)."""
    today = today or timezone.localdate()
    for name, story in (
        ("大辛庄村", _daxinzhuang),
        ("市庄村", _shizhuang),
        ("南堡村", _nanbao),
        ("裴家山村", _peijiashan),
        ("后安定村", _houanding),
    ):
        village = _village(name)
        if village is None:
            continue
        if Decision.objects.filter(org=village).exists():
            skipped["四议两公开事项"] += 1
            continue
        with transaction.atomic():
            before = Counter(created)
            story(admin, village, today, created)
            audit.record(
                admin,
                "decisions.demo",
                None,
                org=village,
                after={k: created[k] - before[k] for k in DEMO_LABELS},
                note=f"载入{name}四议两公开演示数据",
            )


def _open(admin, village, title, matter, kind, opened_on, today, created) -> Decision:
    created["四议两公开事项"] += 1
    return services.open_decision(
        admin, org=village, title=title, matter=matter, meeting_kind=kind, opened_on=opened_on, today=today
    )


ASSEMBLY = {"expected": 31, "present": 27, "in_favour": 26}
REPRESENTATIVES = {"expected": 25, "present": 22, "in_favour": 21}


def _daxinzhuang(admin, village, today, created) -> None:
    rng = random.Random("decisions-daxinzhuang")
    start = today - datetime.timedelta(days=150)
    d = _open(
        admin,
        village,
        "大辛庄村集体经济发展规划（五年）",
        "围绕小杂粮种植加工和电商销售，制定村集体经济五年发展规划。",
        MeetingKind.REPRESENTATIVES,
        start,
        today,
        created,
    )
    _opinions(admin, d, rng, PLAN_TOPICS, 28, start, 30, today)
    created["群众意见"] += 28
    _steps(
        admin,
        d,
        start + datetime.timedelta(days=31),
        today,
        merge=True,
        **{
            Step.ASSEMBLY_REVIEW: dict(ASSEMBLY),
            Step.RESOLUTION: dict(REPRESENTATIVES, notes="规划吸收群众意见28条中的21条。"),
            Step.RESOLUTION_PUBLISHED: {"notes": "决议在村务公开栏和村微信群公开7天。"},
            Step.RESULT_PUBLISHED: {"notes": "电商销售由定补干部专人负责，小杂粮加工车间已开工。"},
        },
    )


def _shizhuang(admin, village, today, created) -> None:
    rng = random.Random("decisions-shizhuang")
    for title, matter, count, back, until in (
        ("清理集体林地承包合同", "清理1998年以来签订的集体林地承包合同，重新核定承包费。", 45, 300, None),
        ("解决二组宅基地历史遗留纠纷", "对二组7户宅基地界址争议重新丈量、确权。", 38, 200, None),
        ("结对帮带发展村集体经济", "与先进村结对，发展林下经济和乡村旅游。", 22, 40, Step.ASSEMBLY_REVIEW),
    ):
        start = today - datetime.timedelta(days=back)
        d = _open(admin, village, title, matter, MeetingKind.REPRESENTATIVES, start, today, created)
        _opinions(admin, d, rng, SHIZHUANG_TOPICS, count, start, 20, today)
        created["群众意见"] += count
        _steps(
            admin,
            d,
            start + datetime.timedelta(days=21),
            today,
            until=until,
            **{Step.ASSEMBLY_REVIEW: dict(ASSEMBLY), Step.RESOLUTION: dict(REPRESENTATIVES)},
        )


def _nanbao(admin, village, today, created) -> None:
    start = today - datetime.timedelta(days=240)
    d = _open(
        admin,
        village,
        "拱形排水渠修缮及日间照料中心设施更新（投资23万元）",
        "修缮村内拱形排水渠，更新日间照料中心设施，总投资23万元。",
        MeetingKind.VILLAGERS,
        start,
        today,
        created,
    )
    _steps(
        admin,
        d,
        start,
        today,
        **{
            Step.ASSEMBLY_REVIEW: dict(ASSEMBLY),
            Step.RESOLUTION: {
                "expected": 620,
                "present": 341,
                "households": 236,
                "households_present": 170,
                "in_favour": 322,
            },
            Step.RESULT_PUBLISHED: {"notes": "工程已完工验收，决算23万元，明细在村务公开栏公开。"},
        },
    )


def _peijiashan(admin, village, today, created) -> None:
    start = today - datetime.timedelta(days=120)
    lease = _open(
        admin,
        village,
        "闲置土地整体对外租赁",
        "将村内闲置土地整体租赁给外地企业，租期15年。",
        MeetingKind.REPRESENTATIVES,
        start,
        today,
        created,
    )
    _steps(admin, lease, start, today, until=Step.RESOLUTION, **{Step.ASSEMBLY_REVIEW: dict(ASSEMBLY)})
    services.record_step(
        admin,
        lease,
        Step.RESOLUTION,
        held_on=start + datetime.timedelta(days=14),
        rejected=True,
        expected=25,
        present=21,
        in_favour=8,
        notes="多数代表担心租期过长、收益偏低，表决未通过。",
        today=today,
    )
    start += datetime.timedelta(days=30)
    level = _open(
        admin,
        village,
        "党员带头平整闲置土地、村集体统一经营",
        "组织党员带头平整闲置土地，由村集体统一种植经营，收益归集体。",
        MeetingKind.REPRESENTATIVES,
        start,
        today,
        created,
    )
    _steps(
        admin,
        level,
        start,
        today,
        until=Step.RESULT_PUBLISHED,
        **{Step.ASSEMBLY_REVIEW: dict(ASSEMBLY), Step.RESOLUTION: dict(REPRESENTATIVES, in_favour=20)},
    )


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    return generate.insert_province_decisions(plan, org_ids, today)


def _houanding(admin, village, today, created) -> None:
    """大兴区 gives 安定镇's joint branches the first review of important matters (seed 004): a matter of
    后安定村, deliberated by its two committees, waits for 第二联村党总支 (the matter is invented)."""
    county = county_of(village)
    if not rule_value(R.JOINT_FIRST_REVIEW.code, county):
        set_county_rule(
            admin,
            county,
            R.JOINT_FIRST_REVIEW.code,
            True,
            source="004 安定镇：赋予联村党总支重要事务初审权等7项权限（2010年起）",
            effective_from=datetime.date(2010, 1, 1),
        )
    start = today - datetime.timedelta(days=10)
    d = _open(
        admin,
        village,
        "村集体闲置厂房对外出租",
        "将村集体闲置厂房出租用于农产品仓储，租期5年，租金归村集体。",
        MeetingKind.REPRESENTATIVES,
        start,
        today,
        created,
    )
    _steps(admin, d, start, today, until=Step.ASSEMBLY_REVIEW)
