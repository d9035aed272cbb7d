"""This app's part of the demo counties (seed 002, 宜君县), written through the services so it has its
audit trail; idempotent by (station, deputy name).

From the report (source 002): the work stations "协调调动区域内各级党代表、人大代表、政协委员和社会力量，
主动有为参与村级党建工作", and hold 会商 "按照先协商后决策的原则……会商内容包括基层党建、联系服务群众、
党代表联络等事宜，由站长牵头以专题形式召开". The report names no deputy: every person, contact and meeting
here is invented (`demo_source` says so), placed at the three stations the report names (榆舍, 黄堡寨,
淌泥河)."""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils import timezone

from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import services
from .choices import ContactWay, DeputyKind, Level
from .generate import PROVINCE_LABELS, insert_province  # noqa: F401  (the generator's entry point)
from .models import Consultation, Contact, Deputy

DEMO_LABELS: tuple[str, ...] = ("代表委员", "代表委员联系", "协商议事会")
SOURCE = "002 宜君县（做法）；人员与记录为演示虚构"
# station: ((name, kind, level, unit), ...) — all invented
DEPUTIES = {
    "榆舍党建工作站": (
        ("王建民", DeputyKind.PARTY, Level.COUNTY, "五里镇榆舍村党支部书记"),
        ("张秀芳", DeputyKind.NPC, Level.COUNTY, "榆舍村妇联主席"),
        ("刘志刚", DeputyKind.NPC, Level.TOWNSHIP, "种植合作社理事长"),
        ("赵文华", DeputyKind.CPPCC, Level.COUNTY, "乡村医生"),
    ),
    "黄堡寨党建工作站": (
        ("李国强", DeputyKind.PARTY, Level.COUNTY, "棋盘镇黄堡寨村党支部书记"),
        ("孙玉梅", DeputyKind.NPC, Level.TOWNSHIP, "村民"),
        ("周海军", DeputyKind.CPPCC, Level.COUNTY, "苹果种植大户"),
    ),
    "淌泥河党建工作站": (
        ("陈永福", DeputyKind.PARTY, Level.COUNTY, "哭泉镇淌泥河村党支部书记"),
        ("马丽娟", DeputyKind.NPC, Level.COUNTY, "小学教师"),
        ("杨德胜", DeputyKind.NPC, Level.TOWNSHIP, "养殖户"),
    ),
}
TOPICS = (
    ("村道路硬化进度", "已与镇上对接，纳入年度计划"),
    ("苹果园灌溉用水", "协调水利站现场查看，拟修蓄水池"),
    ("低保户申请政策咨询", "现场解释政策，帮助准备材料"),
    ("村集体经济项目选址", "收集群众意见，提交工作站会商"),
    ("党员活动室改造", "向镇党委反映，列入党建经费计划"),
)
MEETINGS = (
    ("村级集体经济项目选址与收益分配", "形成一致意见：先公示后实施，收益按股分红，提交镇党委审核"),
    ("“两委”联系服务群众与代表联络安排", "代表委员每季度至少进村联系一次，联系情况每月汇总"),
)


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Deputies of 宜君县's three named stations, their contacts this year and a consultation meeting each."""
    today = today or timezone.localdate()
    term_start = datetime.date(today.year - 2, 12, 1)
    for n, (station_name, people) in enumerate(DEPUTIES.items()):
        station = Org.objects.filter(name=station_name, kind=OrgKind.STATION).order_by("pk").first()
        if station is None:
            continue
        if Deputy.objects.filter(org=station, name=people[0][0]).exists():
            skipped["代表委员"] += len(people)
            continue
        branches = list(Org.objects.filter(parent=station, kind=OrgKind.BRANCH).order_by("sort_order", "pk"))
        deputies = []
        for name, kind, level, unit in people:
            d = services.add_deputy(
                admin, station, name=name, kind=kind, level=level, term_start=term_start, unit=unit
            )
            deputies.append(d)
        Deputy.objects.filter(pk__in=[d.pk for d in deputies]).update(demo_source=SOURCE)
        created["代表委员"] += len(deputies)
        contacts = []
        for i, d in enumerate(deputies):
            for k in range(2 + (i + n) % 4):  # 2–5 contacts each, some below the yearly target
                topic, outcome = TOPICS[(i + k) % len(TOPICS)]
                on = today - datetime.timedelta(days=12 + 37 * k + 5 * i)
                branch = branches[(i + k) % len(branches)] if branches else None
                contacts.append(
                    services.record_contact(
                        admin,
                        d,
                        branch=branch,
                        resident_name="" if k % 2 == 0 or branch is None else "群众代表",
                        way=(ContactWay.VISIT, ContactWay.RECEPTION, ContactWay.MEETING)[k % 3],
                        contacted_on=on,
                        topic=topic,
                        outcome=outcome,
                        today=today,
                    )
                )
        Contact.objects.filter(pk__in=[c.pk for c in contacts]).update(demo_source=SOURCE)
        created["代表委员联系"] += len(contacts)
        topic, result = MEETINGS[n % len(MEETINGS)]
        meeting = services.record_consultation(
            admin,
            station,
            held_on=today - datetime.timedelta(days=20 + 9 * n),
            topic=topic,
            result=result,
            place=f"{station_name}会议室",
            attendees=deputies,
            others="工作站站长、各村党支部书记",
            today=today,
        )
        Consultation.objects.filter(pk=meeting.pk).update(demo_source=SOURCE)
        created["协商议事会"] += 1
