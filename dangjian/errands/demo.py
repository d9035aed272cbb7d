"""The errands app's part of the demo counties and of the generated province.

安定镇 (seed 004) runs the "55819" model: 5 service centres laid out by joint-branch area, 5 half-days
a month, 8 sections (司法、规划、民政 and five more) coming to the villages, 19 services in 3 categories
(咨询、培训技能、服务). The report gives those numbers, the categories and three section names; every
service name, document, time limit, centre name and date here is invented and says so in
`demo_source`. The report has 6 joint branches for 5 centres: the fifth centre serves the fifth and
sixth areas. Half-days are on working days of the previous and the current month, one per centre.

西营镇 (交城县, seed 003) gets a small invented catalogue (医保代缴、养老认证 …) for the errands the
cases demo opens for 寨子村; 老牛湾镇's office staff (seed 001) write a few invented diaries.

Rows are written in bulk with one audit event per run; a second run creates nothing."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.holidays import national_adjustments
from dangjian.members import demo as member_demo
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from .models import Diary, ErrandService, ServiceCentre, ServiceSession
from .selectors import Month, active_centres

INVENTED = org_demo.INVENTED
SOURCE_SERVICES = "004 安定镇（三大类19项）；事项名称、材料、时限虚构"
SOURCE_CENTRES = "004 安定镇（按总支区域设5个服务中心）；名称、地点、电话虚构"
SOURCE_SESSIONS = "004 安定镇（每月5个半天、8个职能科室）；日期虚构"

ANDING, XIYING, LAONIUWAN = "安定镇", "西营镇", "老牛湾镇"
# 司法、规划、民政 are named in report 004; the other five of the 8 sections are invented.
SECTIONS = ("司法所", "规划科", "民政科", "社会保障事务所", "农业服务中心", "卫生健康办", "城建科", "综治办")


class ServiceSpec(NamedTuple):
    category: str
    name: str
    days: int
    handled_by: str
    documents: tuple[str, ...] = ()


ID = "居民身份证"
HOUSEHOLD = "户口簿"
ANDING_SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("咨询", "法律咨询", 0, "司法所"),
    ServiceSpec("咨询", "婚姻家庭纠纷调解", 10, "司法所", (ID, "调解申请书")),
    ServiceSpec("咨询", "规划建设政策咨询", 0, "规划科"),
    ServiceSpec("咨询", "惠农补贴政策咨询", 0, "农业服务中心"),
    ServiceSpec("咨询", "劳动就业政策咨询", 0, "社会保障事务所"),
    ServiceSpec("咨询", "生育政策咨询", 0, "卫生健康办"),
    ServiceSpec("培训技能", "农业实用技术培训报名", 5, "农业服务中心", (ID,)),
    ServiceSpec("培训技能", "就业技能培训报名", 5, "社会保障事务所", (ID, "一寸照片2张")),
    ServiceSpec("培训技能", "家政服务培训报名", 5, "社会保障事务所", (ID,)),
    ServiceSpec("培训技能", "农村电商培训报名", 5, "农业服务中心", (ID,)),
    ServiceSpec("培训技能", "果树栽培管理培训报名", 5, "农业服务中心", (ID,)),
    ServiceSpec("服务", "低保申请", 20, "民政科", (ID, HOUSEHOLD, "家庭收入情况说明", "申请书")),
    ServiceSpec("服务", "临时救助申请", 10, "民政科", (ID, HOUSEHOLD, "困难情况证明材料")),
    ServiceSpec("服务", "高龄津贴申领", 10, "民政科", (ID, HOUSEHOLD, "本人银行卡")),
    ServiceSpec("服务", "残疾人证办理代办", 15, "民政科", (ID, HOUSEHOLD, "二寸照片3张")),
    ServiceSpec("服务", "养老保险认证", 0, "社会保障事务所", (ID,)),
    ServiceSpec("服务", "医保代缴", 3, "社会保障事务所", (ID, HOUSEHOLD)),
    ServiceSpec("服务", "宅基地建房审批代办", 20, "规划科", (ID, HOUSEHOLD, "宅基地使用证明", "建房申请表")),
    ServiceSpec("服务", "矛盾纠纷排查登记", 5, "综治办", ("情况说明",)),
)
XIYING_SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("服务", "医保代缴", 3, "镇社保所", (ID, HOUSEHOLD)),
    ServiceSpec("服务", "养老认证", 0, "镇社保所", (ID,)),
    ServiceSpec("服务", "低保申请", 20, "镇民政办", (ID, HOUSEHOLD, "家庭收入情况说明", "申请书")),
    ServiceSpec("服务", "高龄津贴申领", 10, "镇民政办", (ID, HOUSEHOLD, "本人银行卡")),
    ServiceSpec("服务", "残疾人证办理代办", 15, "镇民政办", (ID, HOUSEHOLD, "二寸照片3张")),
    ServiceSpec("服务", "农村建房审批代办", 20, "镇村建办", (ID, HOUSEHOLD, "建房申请表")),
    ServiceSpec("咨询", "法律咨询", 0, "镇司法所"),
    ServiceSpec("培训技能", "农业实用技术培训报名", 5, "镇农业综合服务站", (ID,)),
)
XIYING_SOURCE = "虚构（演示）：003 交城县西营镇的代办事项目录"

# 安定镇: 6 joint branches, 5 centres (the fifth serves the fifth and sixth areas).
CENTRE_AREAS = ((1,), (2,), (3,), (4,), (5, 6))
NUMERALS = "一二三四五六"
CENTRE_NOTES = (
    "低保年审、养老认证集中办理",
    "法律咨询和纠纷调解",
    "惠农补贴政策宣讲",
    "就业培训报名",
    "医保代缴",
)

DIARIES: tuple[tuple[int, str, int, str, str], ...] = (
    # (laoniuwan_staff number, village, days ago, visited, content) — invented
    (
        2,
        "老牛湾村",
        3,
        "脱贫户张某某家",
        "入冬后自来水管道在院外一段冻裂，全家靠邻居接水，希望村里协调维修并给管道做保温。",
    ),
    (
        2,
        "乾坤湾村",
        9,
        "村委会、老党员李某",
        "村民反映村东头通往耕地的生产路被雨水冲出深沟，三轮车过不去，秋收时只能人背肩扛。",
    ),
    (
        3,
        "柏林峁村",
        5,
        "独居老人王某某",
        "老人八十二岁，子女在外打工，高龄津贴一直没有领到，不清楚要带什么材料去哪里办。",
    ),
    (
        3,
        "麦虎村",
        14,
        "村党支部书记",
        "部分外出务工人员医保今年还没缴费，家里老人不会在手机上操作，希望有人统一代缴。",
    ),
    (
        4,
        "滑石村",
        7,
        "种植户刘某",
        "谷子丰收但收购价低，想了解电商销售和合作社统一收购的办法，希望镇里组织一次培训。",
    ),
    (5, "阳洼子村", 2, "村民代表", "村里路灯有四盏不亮，晚上老人孩子出门不安全，已经向村委会反映过两次。"),
)

DEMO_LABELS: tuple[str, ...] = ("代办事项目录", "便民服务中心", "下村服务半天", "民情日记")
PROVINCE_LABELS: dict[str, str] = {"errand_service": "代办事项目录"}
# Each generated township gets these six (category, name, promised working days).
PROVINCE_CATALOGUE: tuple[tuple[str, str, int], ...] = (
    ("咨询", "法律咨询", 0),
    ("服务", "低保申请", 20),
    ("服务", "养老保险认证", 0),
    ("服务", "医保代缴", 3),
    ("服务", "高龄津贴申领", 10),
    ("培训技能", "就业技能培训报名", 5),
)


def _count(counter: Counter[str], label: str, n: int) -> None:
    """Counters list only what happened: a label with nothing created stays out of the summary."""
    if n:
        counter[label] += n


def _township(name: str) -> Org | None:
    return Org.objects.filter(code=org_demo.code_of(name)).first()


def half_day_dates(month: Month, count: int) -> list[datetime.date]:
    """`count` working days spread over the month (national holidays and 调休 respected)."""
    adjust = {d: a.is_workday for d, a in national_adjustments(month.start, month.end).items()}
    days = []
    day = month.start
    while day <= month.end:
        if adjust.get(day, day.weekday() < 5):
            days.append(day)
        day += datetime.timedelta(days=1)
    step = len(days) / count
    return [days[int(step * i + step / 2)] for i in range(count)]


class Demo:
    def __init__(
        self, admin: User, created: Counter[str], skipped: Counter[str], today: datetime.date
    ) -> None:
        self.admin, self.created, self.skipped, self.today = admin, created, skipped, today
        self.rng = random.Random("errands-demo")

    def catalogue(self, township: Org, specs: tuple[ServiceSpec, ...], source: str) -> None:
        have = set(ErrandService.objects.filter(org=township).values_list("name", flat=True))
        _count(self.skipped, "代办事项目录", sum(1 for s in specs if s.name in have))
        rows = [
            ErrandService(
                org=township,
                category=s.category,
                name=s.name,
                documents="\n".join(s.documents),
                promised_days=s.days,
                handled_by=s.handled_by,
                published=True,
                sort_order=i,
                demo_source=source,
            )
            for i, s in enumerate(specs, 1)
            if s.name not in have
        ]
        ErrandService.objects.bulk_create(rows)
        _count(self.created, "代办事项目录", len(rows))

    def centres(self, township: Org) -> list[ServiceCentre]:
        joints = list(
            Org.objects.filter(parent=township, kind=OrgKind.JOINT_BRANCH).order_by("sort_order", "path")
        )
        first_village: dict[int, str] = {}
        for b in Org.objects.filter(parent__in=joints, kind=OrgKind.BRANCH).order_by("sort_order", "path"):
            first_village.setdefault(b.parent_id, b.name)
        have = set(ServiceCentre.objects.filter(org=township).values_list("name", flat=True))
        rows = []
        for i, areas in enumerate(CENTRE_AREAS):
            name = f"第{NUMERALS[i]}便民服务中心"
            if name in have:
                _count(self.skipped, "便民服务中心", 1)
                continue
            joint = joints[areas[0] - 1] if len(joints) >= areas[0] else None
            village = first_village.get(joint.pk, "") if joint else ""
            served = "、".join(f"第{NUMERALS[a - 1]}" for a in areas) + "联村党总支区域"
            rows.append(
                ServiceCentre(
                    org=township,
                    name=name,
                    place=f"{village}村委会（服务{served}）" if village else f"服务{served}",
                    phone=f"138000081{i + 1:02d}",
                    demo_source=SOURCE_CENTRES,
                )
            )
        ServiceCentre.objects.bulk_create(rows)
        # The centres have been running for a year: last month's half-days are checked too.
        set_up = timezone.now() - datetime.timedelta(days=365)
        ServiceCentre.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=set_up)
        _count(self.created, "便民服务中心", len(rows))
        return list(active_centres(township))

    def sessions(self, township: Org, centres: list[ServiceCentre]) -> None:
        if not centres:
            return
        rows = []
        current = Month.of(self.today)
        for month in (current.previous(), current):
            held = set(
                ServiceSession.objects.filter(month.q(), centre__in=centres).values_list(
                    "centre_id", flat=True
                )
            )
            dates = half_day_dates(month, len(centres))
            for i, (centre, day) in enumerate(zip(centres, dates, strict=True)):
                if centre.pk in held:
                    _count(self.skipped, "下村服务半天", 1)
                    continue
                rows.append(
                    ServiceSession(
                        centre=centre,
                        org=township,
                        date=day,
                        half=ServiceSession.Half.AM if i % 2 == 0 else ServiceSession.Half.PM,
                        sections=list(SECTIONS),
                        note=CENTRE_NOTES[i % len(CENTRE_NOTES)],
                        served=self.rng.randint(18, 64) if day <= self.today else None,
                        demo_source=SOURCE_SESSIONS,
                    )
                )
        ServiceSession.objects.bulk_create(rows)
        _count(self.created, "下村服务半天", len(rows))

    def diaries(self) -> None:
        authors = {u.username: u for u in User.objects.filter(username__startswith="laoniuwan_staff")}
        township = _township(LAONIUWAN)
        if township is None or not authors:
            return
        villages = {
            o.name: o for o in Org.objects.filter(path__startswith=township.path, kind=OrgKind.BRANCH)
        }
        done = set(
            Diary.objects.filter(author__in=authors.values(), demo_source=INVENTED).values_list(
                "author__username", flat=True
            )
        )
        rows = []
        for n, village, ago, visited, content in DIARIES:
            author = authors.get(f"laoniuwan_staff{n}")
            if author is None or village not in villages:
                continue
            if author.username in done:
                _count(self.skipped, "民情日记", 1)
                continue
            rows.append(
                Diary(
                    org=villages[village],
                    author=author,
                    written_on=self.today - datetime.timedelta(days=ago),
                    visited=visited,
                    content=content,
                    demo_source=INVENTED,
                )
            )
        Diary.objects.bulk_create(rows)
        _count(self.created, "民情日记", len(rows))


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Add this app's demo rows (idempotent: a second run creates nothing)."""
    demo = Demo(admin, created, skipped, today or timezone.localdate())
    before = sum(created[label] for label in DEMO_LABELS)
    with transaction.atomic():
        anding = _township(ANDING)
        if anding is not None:
            demo.catalogue(anding, ANDING_SERVICES, SOURCE_SERVICES)
            demo.sessions(anding, demo.centres(anding))
        xiying = _township(XIYING)
        if xiying is not None:
            demo.catalogue(xiying, XIYING_SERVICES, XIYING_SOURCE)
        demo.diaries()
        made = {label: created[label] for label in DEMO_LABELS if created[label]}
        if sum(made.values()) > before:
            note = "载入群众代办演示数据：" + "，".join(f"{k}{v}" for k, v in made.items())
            audit.record(admin, "errands.demo", None, org=anding, after=made, note=note[:300])


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """The same short catalogue for every township of the generated province, in bulk."""
    source = f"生成（种子{plan.seed}）"
    now = timezone.now()
    table = member_demo.Table(
        ErrandService,
        (
            "id",
            "org_id",
            "category",
            "name",
            "documents",
            "promised_days",
            "handled_by",
            "published",
            "sort_order",
            "demo_source",
            "created_at",
        ),
    )
    for i, o in enumerate(plan.orgs):
        if o.kind != OrgKind.TOWNSHIP:
            continue
        for n, (category, name, days) in enumerate(PROVINCE_CATALOGUE, 1):
            table.add((table.take_id(), org_ids[i], category, name, ID, days, "", True, n, source, now))
    member_demo.flush([table])
    org_demo.reset_sequences(ErrandService)
    return {"errand_service": table.total}
