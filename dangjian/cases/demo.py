"""The case engine's part of the demo counties and of the generated province.

- 老牛湾镇 (偏关县, report 001: "排查发现并解决群众身边的急难愁盼问题81条"): 81 residents' problems across
  its 9 villages, in every state — 60 closed (some late, some after a failed acceptance, some published on
  the board), one closed and reopened, 4 waiting for sign-off by office_laoniuwan, 5 waiting for
  acceptance, 11 open or being rectified (some overdue and escalated, one not supervised for over 15
  days). Owners are the office staff (the village secretary for 老牛湾村), acceptors office staff other
  than the owner, sign-off the office (老牛湾镇 has no station). The count and five problems are the
  report's (麦虎村 and 滑石村 tap water, 阳洼子村's road — "67户160多人" — 乾坤湾村's shared farm, 柏林峁村's
  idle subsidy invested with 老牛湾村); the other problems, every date and every resident are invented.
- 砚城镇北苑社区 (五寨县, report 000): the grid leader of 阳光家园小区网格 whistles about parking, the office
  routes it to 住建 (and a property-management department where the county has one), 住建 reports in on
  day 2 and solves it on day 6 with 30 new spaces ("问题3天就有回应，1周内解决"); the office accepts it,
  signs it off and publishes the result. Seven invented whistles besides: one waiting for 住建 to report
  in, one late to answer, one not yet routed, one being solved, one waiting for acceptance, two closed.
- 西营镇寨子村 (交城县, report 003: "受理医保代缴、养老认证等便民业务500余件"): 523 errands over the past
  year for the township catalogue's 医保代缴 and 养老认证 (rows invented), received and owned by the
  village secretary (an invented person without a login, created here if missing), reported to and
  archived by office_xiying; most closed with a satisfaction call, the latest still open.

Problems and whistles go through `dangjian.cases.services`, so each has its timeline and audit trail;
the services stamp "now", so the timeline and the case's dates are then moved back to when each step
happened (queryset.update). Audit rows are append-only and keep the time the demo was loaded. The 523
errands are written in bulk — the rows the services would write: the case, its events (opening, each
transition, the satisfaction call) and one audit row per step — since 3,000 service calls would add half
a minute to every demo load. A second run creates nothing: each part is skipped when its cases exist.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils import timezone

from dangjian.accounts import services as account_services
from dangjian.accounts.models import RoleAssignment, User
from dangjian.core.audit import snapshot
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.core.workdays import add_working_days
from dangjian.members.demo import Table, draw_name, draw_phone, flush
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Department, Grid, Org

from . import generate, services
from .choices import CaseKind, EventType, Satisfaction, Source
from .models import Case, CaseEvent, CaseRoute, Category
from .services import RECEIPT_ALPHABET

DEMO_LABELS: tuple[str, ...] = ("案件类别", "问题台账", "网格吹哨", "群众代办")
PROVINCE_LABELS: dict[str, str] = generate.PROVINCE_LABELS

SHANGHAI = ZoneInfo("Asia/Shanghai")
S000 = "000 五寨县"
S001 = "001 老牛湾镇"
INVENTED_001 = "001 老牛湾镇（共81条据报告）；本条虚构"
INVENTED_000 = "000 五寨县（网格吹哨机制据报告）；本条虚构"
ERRANDS_003 = "003 交城县（寨子村受理医保代缴、养老认证等500余件）；每件虚构"


def load_demo(
    admin: User, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Load this app's demo rows; a second run creates nothing."""
    today = today or timezone.localdate()
    laoniuwan(admin, created, skipped, today)
    yancheng(admin, created, skipped, today)
    zhaizi(admin, created, skipped, today)


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    return generate.insert_province_cases(plan, org_ids, today)


# --- shared ------------------------------------------------------------------------------------------


def _org(name: str) -> Org | None:
    return Org.objects.filter(code=org_demo.code_of(name)).first()


def _users(*usernames: str) -> dict[str, User] | None:
    """The demo logins by username, or None when one is missing (the part is then skipped)."""
    found = {u.username: u for u in User.objects.filter(username__in=usernames)}
    return found if len(found) == len(usernames) else None


def _category(admin, county: Org, kind: str, name: str, created, skipped, **kw) -> Category:
    existing = Category.objects.filter(county=county, kind=kind, name=name).first()
    if existing is not None:
        skipped["案件类别"] += 1
        return existing
    created["案件类别"] += 1
    return services.set_category(admin, county, kind=kind, name=name, **kw)


class Story:
    """One case told through the services, step by step, then dated back: each step happens a given
    number of days after opening, steps of one day 35 minutes apart from the case's own starting minute."""

    def __init__(self, case: Case, minute: int) -> None:
        self.case, self.minute = case, minute
        self.per_day: Counter[int] = Counter()
        self.times = [self._moment(0)]

    def _moment(self, offset: int) -> datetime.datetime:
        day = self.case.opened_on + datetime.timedelta(days=offset)
        n = self.per_day[offset]
        self.per_day[offset] += 1
        at = datetime.datetime.combine(day, datetime.time(9, 0), SHANGHAI) + datetime.timedelta(
            minutes=self.minute + 35 * n
        )
        # Never in the future, and just after midnight within the small hours of the day, not the day before.
        midnight = datetime.datetime.combine(day, datetime.time(0), SHANGHAI)
        latest = max(
            timezone.now() - datetime.timedelta(minutes=30 - n), midnight + datetime.timedelta(seconds=n)
        )
        return min(at, latest)

    def do(self, offset: int, action, *args, **kwargs):
        """Run one service call that writes one timeline event, `offset` days after opening."""
        result = action(*args, **kwargs)
        self.times.append(self._moment(offset))
        return result

    def date_back(self, source: str) -> None:
        """Move the timeline and every date the services stamped to when each step happened."""
        case = self.case
        events = list(CaseEvent.objects.filter(case=case).order_by("pk"))
        if len(events) != len(self.times):
            raise RuntimeError(f"{case.receipt_no}: {len(events)} events for {len(self.times)} steps")
        for event, at in zip(events, self.times, strict=True):
            event.at = at
        CaseEvent.objects.bulk_update(events, ["at"])

        def first(test):
            return next((e.at for e in events if test(e)), None)

        def last(test):
            return next((e.at for e in reversed(events) if test(e)), None)

        def day(at):
            return timezone.localtime(at).date() if at else None

        case.refresh_from_db()
        fields = {"created_at": self.times[0], "updated_at": self.times[-1], "demo_source": source}
        stamps = {
            "answered_at": first(lambda e: e.to_state == "answered"),
            "done_at": last(lambda e: e.to_state == "done"),
            "accepted_at": last(lambda e: e.transition == "accept"),
            "closed_at": last(lambda e: e.transition == "sign_off"),
            "published_at": first(lambda e: e.type == EventType.PUBLISH),
            "reopened_at": last(lambda e: e.type == EventType.REOPEN),
        }
        fields |= {k: v for k, v in stamps.items() if getattr(case, k) is not None}
        if case.last_supervised_on:
            fields["last_supervised_on"] = day(last(lambda e: e.type == EventType.SUPERVISE))
        if case.escalated_on:
            fields["escalated_on"] = day(last(lambda e: e.type == EventType.ESCALATE))
        Case.objects.filter(pk=case.pk).update(**fields)
        for e in events:
            if e.type == EventType.ROUTE:
                CaseRoute.objects.filter(case=case, department_id__in=e.data["departments"]).update(
                    routed_at=e.at
                )
            elif e.type in (EventType.DEPT_ACCEPT, EventType.DEPT_DECLINE):
                CaseRoute.objects.filter(case=case, department_id=e.data["department"]).update(
                    decided_at=e.at
                )


# --- 老牛湾镇: 81 residents' problems ------------------------------------------------------------------

# (name, own deadline in days or None for the county's 30)
PIANGUAN_CATEGORIES = (
    ("饮水安全", 60),
    ("道路出行", 60),
    ("人居环境", None),
    ("矛盾纠纷", 15),
    ("民生保障", None),
    ("产业发展", 90),
)
# (village, category, title, measures, result) — the five problems report 001 names.
REPORTED = (
    (
        "麦虎村",
        "饮水安全",
        "麦虎村自来水未入户，群众吃水靠拉运",
        "实施自来水入户工程，铺设入户管网",
        "自来水入户工程完工，群众喝上放心水",
    ),
    (
        "滑石村",
        "饮水安全",
        "滑石村自来水未入户，群众吃水不便",
        "实施自来水入户工程，配套建设蓄水池",
        "自来水入户工程完工，解决饮水难",
    ),
    (
        "阳洼子村",
        "道路出行",
        "阳洼子村道路破损，群众出行困难",
        "实施村内道路改造项目",
        "道路改造完工，三个项目共解决67户160多人的出行和饮水问题",
    ),
    (
        "乾坤湾村",
        "产业发展",
        "乾坤湾村集体经济增收渠道少",
        "与党支部共同谋划共享有机农场项目",
        "共享有机农场项目落地，预计增加村集体经济收入23万元以上",
    ),
    (
        "柏林峁村",
        "产业发展",
        "柏林峁村上级补贴扶持资金无合适发展渠道",
        "协商与老牛湾村入股分红",
        "资金入股老牛湾村项目分红，避免资金闲置",
    ),
)
# (category, title with {v} for the village, measures, result) — invented.
PROBLEM_POOL = (
    ("饮水安全", "{v}二组水窖渗漏，夏季吃水困难", "修补水窖防渗层，配备消毒设施", "水窖修补完成，已正常蓄水"),
    ("饮水安全", "{v}供水管道冬季冻裂", "更换冻裂管段，加装保温层", "管道更换完成，恢复供水"),
    ("饮水安全", "{v}蓄水池缺少消毒设施", "配备消毒设备，明确专人管护", "消毒设施已安装并投入使用"),
    ("道路出行", "{v}通组路坑洼，雨天出行难", "填补坑洼路面，疏通路边排水", "路面修补完成"),
    ("道路出行", "{v}村口急弯缺少护栏", "协调交通部门安装波形护栏和警示标志", "护栏和警示标志已安装"),
    ("道路出行", "{v}便民桥桥面破损", "更换桥面板，加固护栏", "便民桥维修完成"),
    ("人居环境", "{v}垃圾集中清运不及时", "调整清运频次为每周两次，公示清运时间", "清运已按新频次运行"),
    ("人居环境", "{v}村内排水沟堵塞", "组织党员志愿者清淤，修复破损沟段", "排水沟清淤修复完成"),
    ("人居环境", "{v}残垣断壁未清理", "动员户主自拆，村集体统一清运", "残垣断壁已清理"),
    ("人居环境", "{v}路灯损坏，夜间出行不便", "更换损坏灯具，落实电费和维护责任", "路灯已全部恢复照明"),
    ("人居环境", "{v}公厕无人保洁", "设置公益岗位负责保洁", "公厕保洁已落实到人"),
    ("矛盾纠纷", "{v}两户宅基地边界纠纷", "镇村两级联合调解，现场勘界", "双方签订调解协议"),
    ("矛盾纠纷", "{v}邻里因排水引发矛盾", "入户走访，协商改建排水口", "排水口改建完成，矛盾化解"),
    ("矛盾纠纷", "{v}一户家庭赡养纠纷", "组织子女协商，签订赡养协议", "赡养协议已签订并履行"),
    ("矛盾纠纷", "{v}土地流转租金纠纷", "核对流转合同，组织双方调解", "租金已按合同结清"),
    (
        "民生保障",
        "{v}独居老人冬季取暖困难",
        "协调发放取暖煤，落实党员结对帮扶",
        "取暖煤已送到户，结对党员每周探访",
    ),
    ("民生保障", "{v}残疾人两项补贴未及时到账", "协助核对信息，报镇民政办补发", "补贴已补发到账"),
    ("民生保障", "{v}低保户医保报销不会办", "代办员上门指导，协助准备材料", "报销已办结"),
    ("民生保障", "{v}留守儿童放学无人接送", "组织党员志愿者结对接送", "志愿者接送已排班"),
    ("民生保障", "{v}卫生室缺少常用药品", "协调镇卫生院定期配送", "常用药品已配齐"),
    ("民生保障", "{v}移动信号弱，老人视频通话困难", "协调通信公司增设基站", "信号问题已解决"),
    ("产业发展", "{v}小杂粮销售渠道窄", "对接电商平台，组织直播带货", "已与电商平台签订收购协议"),
    ("产业发展", "{v}农家乐缺少统一标识", "统一设计制作标识牌", "标识牌已安装"),
    ("产业发展", "{v}合作社账目未公开", "指导合作社按季度公开账目", "账目已在村务公开栏公示"),
    ("产业发展", "{v}养殖户缺少防疫指导", "协调畜牧站开展防疫培训", "防疫培训已开展"),
)
REJECT_NOTE = "现场查看仍有问题，请整改到位后再报验收"
# The states of the 76 invented problems, placed so that 老牛湾村 (every ninth) has running ones.
RUNNING_PLANS = {
    0: "rectifying_overdue",
    9: "open",
    18: "done",
    27: "rectifying",
    3: "done",
    5: "done",
    7: "done",
    11: "done",
    13: "accepted",
    16: "accepted",
    20: "accepted",
    23: "accepted",
    25: "rectifying",
    31: "rectifying",
    34: "rectifying",
    38: "rectifying_overdue",
    42: "unsupervised",
    47: "open",
    51: "open",
    56: "open_overdue",
    61: "reopened",
}
LAONIUWAN_STAFF = tuple(f"laoniuwan_staff{i}" for i in range(2, 9))


class Problem(NamedTuple):
    """One of the 81: where, what, what was done, how far it has gone (`plan`) and its source."""

    village: Org
    category: str
    title: str
    measures: str
    result: str
    plan: str
    source: str


def laoniuwan(admin: User, created: Counter[str], skipped: Counter[str], today: datetime.date) -> None:
    township, county = _org("老牛湾镇"), _org("偏关县")
    users = _users("office_laoniuwan", "secretary_laoniuwan", *LAONIUWAN_STAFF)
    if township is None or county is None or users is None:
        return
    existing = Case.objects.filter(township=township, kind=CaseKind.PROBLEM).exclude(demo_source="")
    if existing.exists():
        skipped["问题台账"] += existing.count()
        names = [name for name, _ in PIANGUAN_CATEGORIES]
        skipped["案件类别"] += Category.objects.filter(county=county, name__in=names).count()
        return
    categories = {
        name: _category(admin, county, CaseKind.PROBLEM, name, created, skipped, deadline_days=days)
        for name, days in PIANGUAN_CATEGORIES
    }
    villages = list(Org.objects.filter(parent=township, kind="branch").order_by("code"))
    by_name = {v.name: v for v in villages}
    rng = random.Random("cases-demo-laoniuwan")
    office, staff = users["office_laoniuwan"], [users[u] for u in LAONIUWAN_STAFF]

    def owner_of(village: Org) -> User:
        if village.name == "老牛湾村":
            return users["secretary_laoniuwan"]
        return staff[(villages.index(village) - 1) % len(staff)]

    items = [
        Problem(by_name[v], cat, title, measures, result, "closed_published", S001)
        for v, cat, title, measures, result in REPORTED
        if v in by_name
    ]
    for i in range(81 - len(items)):
        village = villages[i % len(villages)]
        cat, title, measures, result = PROBLEM_POOL[(i * 7) % len(PROBLEM_POOL)]
        plan = RUNNING_PLANS.get(i) or ("closed_published" if i % 10 == 4 else "closed")
        if plan == "closed" and i % 17 == 2:
            plan = "closed_rejected"
        items.append(
            Problem(village, cat, title.format(v=village.name), measures, result, plan, INVENTED_001)
        )
    for n, item in enumerate(items):
        owner = owner_of(item.village)
        if n % 3 == 0:
            acceptor = office
        else:
            acceptor = staff[(staff.index(owner) + 1) % len(staff) if owner in staff else n % len(staff)]
        _problem(rng, today, n, item, categories[item.category], office, owner, acceptor)
        created["问题台账"] += 1


def _problem(
    rng, today, n: int, item: Problem, category: Category, office: User, owner: User, acceptor: User
):
    """Open one problem and take it through its plan (see RUNNING_PLANS) with the services, in date order."""
    village, title, measures, result, plan = item.village, item.title, item.measures, item.result, item.plan
    days = category.deadline_days or 30
    residents = n % 2 == 0
    age = {
        "open": 2 + n % 6,
        "open_overdue": days + 12,
        "rectifying": 8 + n % 14,
        "rectifying_overdue": days + 16,
        "unsupervised": 24,
        "done": 10 + n % 12,
        "accepted": 12 + n % 12,
        "reopened": days + 40,
    }.get(plan, 45 + (n * 37) % 310)
    resident = {"resident_name": draw_name(rng, rng.random() < 0.6), "resident_phone": draw_phone(rng)}
    case = services.open_case(
        office if residents or owner.username == "secretary_laoniuwan" else owner,
        kind=CaseKind.PROBLEM,
        org=village,
        title=title,
        source=Source.RESIDENTS if residents else Source.FIELD_VISIT,
        category=category,
        description=("群众来电反映：" if residents else "包村干部走访发现：") + title,
        measures=measures,
        responsibility=f"{owner.display_name}牵头，{village.name}两委配合",
        owner=owner,
        acceptor=acceptor,
        opened_on=today - datetime.timedelta(days=age),
        today=today,
        **(resident if residents else {}),
    )
    steps: list[tuple[int, object, tuple, dict]] = []

    def step(day: int, action, *args, **kwargs) -> None:
        steps.append((day, action, args, kwargs))

    if plan != "open" and plan != "open_overdue":
        step(1 + n % 2, services.act, owner, case, "start", note="已制定整改方案")
    if plan in ("open_overdue", "rectifying_overdue"):
        for day in (days + 1, days + 8):  # what the daily job does: up a level, again a week later
            if day < age:
                level = "镇级" if day == days + 1 else "县级"
                note = f"逾期未办结（时限{case.deadline:%Y-%m-%d}），自动上报至{level}"
                step(day, services.escalate, None, case, note=note)
    if plan in ("rectifying", "rectifying_overdue"):
        for day in range(15, age, 15):
            step(day, services.supervise, office, case, note="请按时限推进整改", today=today)
    if plan.startswith("closed") or plan in ("done", "accepted", "reopened"):
        late = plan == "closed" and n % 11 == 5
        done = min(age - 1, days + 4 + n % 6 if late else max(3, days * (30 + (n * 7) % 55) // 100))
        if plan in ("done", "accepted"):
            done = age - 1 - (plan == "accepted")
        for day in range(15, done, 15):
            step(day, services.supervise, office, case, note="督促按期完成整改", today=today)
        step(done, services.act, owner, case, "report_done", note=f"已完成：{result}")
        if plan == "closed_rejected":
            step(done + 1, services.act, acceptor, case, "reject", note=REJECT_NOTE)
            done = min(age - 1, done + 4)
            step(done, services.act, owner, case, "report_done", note=f"已再次整改：{result}")
        if plan != "done":
            accepted = min(age - 1, done + 1 + n % 2)
            step(accepted, services.act, acceptor, case, "accept", note="现场验收，整改到位")
            if plan != "accepted":
                closed = min(age - 1, accepted + n % 2)
                step(closed, services.act, office, case, "sign_off", note="验收合格，予以销号")
                if plan == "closed_published":
                    step(closed, services.publish, office, case, public_title=title, public_result=result)
                if plan == "reopened":
                    step(age - 5, services.reopen, office, case, reason="群众反映问题反弹，重新整改")
                    again = today + datetime.timedelta(days=15)
                    step(age - 5, services.update_case, office, case, deadline=again)
    story = Story(case, minute=(n * 13) % 50)
    for day, action, args, kwargs in sorted(steps, key=lambda s: s[0]):
        story.do(day, action, *args, **kwargs)
    story.date_back(item.source)


# --- 砚城镇北苑社区: grid whistles --------------------------------------------------------------------

# (name, code suffixes of the county's departments it goes to by default)
WUZHAI_CATEGORIES = (
    ("停车难", ("D-ZJ",)),
    ("道路设施", ("D-ZJ",)),
    ("供水供暖", ("D-ZJ",)),
    ("人居环境", ("D-ZJ",)),
    ("困难救助", ("D-MZ",)),
    ("矛盾纠纷", ("D-SF",)),
    ("农业生产", ("D-NY",)),
)
PARKING = "阳光家园小区停车难，邻里矛盾不断"
PARKING_RESULT = "住建、物业等部门利用现有条件改造出30个停车位，问题3天就有回应、1周内解决"
SUNSHINE_GRID = "阳光家园小区网格"


class Whistle(NamedTuple):
    """One whistle of the demo: where, what, how many days ago, how far it has gone, and on which days
    after opening a department reported in and solved it."""

    grid: str
    category: str
    title: str
    age: int
    plan: str
    answer: int = 1
    solve: int = 3
    source: str = INVENTED_000


WHISTLES = (
    Whistle(SUNSHINE_GRID, "停车难", PARKING, 60, "published", answer=2, solve=6, source=S000),
    Whistle(
        SUNSHINE_GRID, "道路设施", "小区出入口道闸损坏，车辆随意进出", 25, "published", answer=1, solve=4
    ),
    Whistle("砚城镇第5网格", "道路设施", "集贸市场周边道路积水", 40, "closed", answer=4, solve=10),
    Whistle(SUNSHINE_GRID, "人居环境", "小区路灯不亮，夜间出行不便", 9, "done", answer=1, solve=5),
    Whistle(SUNSHINE_GRID, "供水供暖", "小区供暖管道漏水", 4, "answered", answer=1),
    Whistle(SUNSHINE_GRID, "道路设施", "小区雨水井盖破损，存在安全隐患", 1, "routed"),
    Whistle("北苑社区第3网格", "困难救助", "独居老人冬季取暖困难，申请临时救助", 6, "routed"),
    Whistle(SUNSHINE_GRID, "人居环境", "楼道堆放杂物，存在消防隐患", 0, "raised"),
)


def yancheng(admin: User, created: Counter[str], skipped: Counter[str], today: datetime.date) -> None:
    county, township = _org("五寨县"), _org("砚城镇")
    users = _users("grid_yancheng", "office_yancheng", "dept_zhujian")
    if county is None or township is None or users is None:
        return
    existing = Case.objects.filter(township=township, kind=CaseKind.WHISTLE).exclude(demo_source="")
    if existing.exists():
        skipped["网格吹哨"] += existing.count()
        names = [name for name, _ in WUZHAI_CATEGORIES]
        skipped["案件类别"] += Category.objects.filter(county=county, name__in=names).count()
        return
    departments = {
        d.code.removeprefix(f"{county.code}-"): d for d in Department.objects.filter(county=county)
    }
    property_dept = Department.objects.filter(county=county, name__contains="物业").first()
    categories = {}
    for name, codes in WUZHAI_CATEGORIES:
        depts = [departments[c] for c in codes if c in departments]
        if name == "停车难" and property_dept is not None:
            depts.append(property_dept)
        categories[name] = _category(
            admin, county, CaseKind.WHISTLE, name, created, skipped, departments=depts
        )
    grids = {g.name: g for g in Grid.objects.filter(org__path__startswith=township.path)}
    leader, office, zhujian = users["grid_yancheng"], users["office_yancheng"], users["dept_zhujian"]
    for n, w in enumerate(WHISTLES):
        grid = grids.get(w.grid)
        if grid is None:
            continue
        category = categories[w.category]
        case = services.open_case(
            leader if grid.leader_id == leader.pk else office,
            kind=CaseKind.WHISTLE,
            grid=grid,
            category=category,
            title=w.title,
            source=Source.GRID,
            description=f"{grid.name}网格长吹哨：{w.title}",
            opened_on=today - datetime.timedelta(days=w.age),
            today=today,
        )
        story = Story(case, minute=10 + n * 7)
        if w.plan != "raised":
            targets = list(category.departments.all()) or [departments["D-ZJ"]]
            story.do(
                0, services.route, office, case, targets, note=f"派单至{'、'.join(d.name for d in targets)}"
            )
        routed_to_zhujian = any(r.department.code.endswith("-D-ZJ") for r in case.routes.all())
        if w.plan in ("answered", "done", "closed", "published") and routed_to_zhujian:
            story.do(w.answer, services.decide_route, zhujian, case, accept=True)
            if w.plan != "answered":
                note = "利用现有条件改造出30个停车位" if w.title == PARKING else "已处理完毕，请验收"
                story.do(w.solve, services.act, zhujian, case, "solve", note=note)
            if w.plan in ("closed", "published"):
                story.do(w.solve + 1, services.act, office, case, "accept", note="现场查看，问题已解决")
                story.do(w.solve + 1, services.act, office, case, "sign_off", note="群众认可，予以销号")
            if w.plan == "published":
                result = PARKING_RESULT if w.title == PARKING else f"吹哨后{w.solve}天办结"
                public = "阳光家园小区停车难" if w.title == PARKING else w.title
                story.do(
                    w.solve + 2, services.publish, office, case, public_title=public, public_result=result
                )
                note = (
                    "居民代表：问题3天就有回应，1周内解决，效率很高" if w.title == PARKING else "群众表示满意"
                )
                story.do(
                    w.solve + 3,
                    services.record_satisfaction,
                    office,
                    case,
                    score=Satisfaction.SATISFIED,
                    note=note,
                )
        story.date_back(w.source)
        created["网格吹哨"] += 1


# --- 西营镇寨子村: 500+ errands -------------------------------------------------------------------------

ZHAIZI_AGENT = ("zhaizi_secretary", "郝建平", "村党支部书记（便民代办员）")
ZHAIZI_ERRANDS = 523
HEALTH_SHARE = 0.6
# Open errands at the end of the year: the most recent ones, by state.
OPEN_TAIL = (("received", 3), ("promised", 3), ("done", 4), ("accepted", 3))
STATES = ("received", "promised", "done", "accepted", "closed")
CASE_COLUMNS = (
    "id", "kind", "receipt_no", "org_id", "township_id", "station_id", "county_id", "category_id", "source",
    "title", "description", "measures", "responsibility", "owner_id", "acceptor_id", "priority", "level",
    "grid_id", "place", "resident_name", "resident_phone", "state", "opened_on", "opened_by_id",
    "answer_due", "deadline", "answered_at", "done_at", "accepted_at", "accepted_by_id", "closed_at",
    "closed_by_id", "last_supervised_on", "reopen_count", "reopened_at", "escalated_on", "published_at",
    "public_title", "public_result", "satisfaction", "satisfaction_note", "service_id", "version",
    "demo_source", "created_at", "updated_at",
)  # fmt: skip
AUDIT_COLUMNS = (
    "id", "created_at", "actor_id", "actor_name", "org_id", "action", "object_type", "object_id",
    "object_repr", "before", "after", "note",
)  # fmt: skip


def zhaizi(admin: User, created: Counter[str], skipped: Counter[str], today: datetime.date) -> None:
    township, village, county = _org("西营镇"), _org("寨子村"), _org("交城县")
    users = _users("office_xiying")
    if township is None or village is None or county is None or users is None:
        return
    existing = Case.objects.filter(org=village, kind=CaseKind.ERRAND).exclude(demo_source="")
    if existing.exists():
        skipped["群众代办"] += existing.count()
        skipped["用户"] += User.objects.filter(username=ZHAIZI_AGENT[0]).count()
        return
    health = _service(admin, township, "医保", "城乡居民医保代缴", 3)
    pension = _service(admin, township, "养老", "养老保险资格认证", 0)
    agent = _agent(admin, village, created, skipped)
    writer = ErrandWriter(agent, users["office_xiying"], village, township, county, today)
    for errand in plan_errands(today, health, pension):
        writer.add(errand)
    writer.write()
    created["群众代办"] += ZHAIZI_ERRANDS


def _service(admin: User, township: Org, word: str, name: str, days: int):
    """The township catalogue's service whose name has `word` (the errands demo writes it), else one made
    here so the errands have something to point at."""
    from dangjian.errands import services as errand_services
    from dangjian.errands.models import ErrandService

    found = ErrandService.objects.filter(org=township, name__contains=word, archived_at__isnull=True)
    service = found.order_by("sort_order", "pk").first()
    if service is None:
        service = errand_services.create_service(
            admin, township, category="服务", name=name, promised_days=days, documents="居民身份证\n户口簿"
        )
    return service


def _agent(admin: User, village: Org, created: Counter[str], skipped: Counter[str]) -> User:
    """寨子村's secretary, who receives errands at the village's service point: an invented person with no
    usable password (not a login)."""
    username, name, title = ZHAIZI_AGENT
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_services.create_user(
            admin, username=username, real_name=name, password=None, is_demo=True, skip_checks=True
        )
        created["用户"] += 1
    else:
        skipped["用户"] += 1
    if not RoleAssignment.objects.filter(user=user, org=village, role=Role.VILLAGE_SECRETARY).exists():
        account_services.grant_role(admin, user=user, org=village, role=Role.VILLAGE_SECRETARY, title=title)
        created["角色"] += 1
    return user


class Errand(NamedTuple):
    """One planned errand: its service, resident, opening day, state, and the days after opening on which
    it was promised, fed back, accepted, archived and followed up."""

    service: object
    title: str
    resident: str
    phone: str
    opened_on: datetime.date
    minute: int
    state: str
    lags: tuple[int, ...]
    score: int | None


def plan_errands(today: datetime.date, health, pension) -> list[Errand]:
    """523 errands on working days of the past year, 医保代缴 mostly in the autumn collection season;
    each as far along as it has got by yesterday, the latest few held open (OPEN_TAIL); 92 % of the
    closed have had their satisfaction call."""
    rng = random.Random("cases-demo-zhaizi")
    days = [today - datetime.timedelta(days=d) for d in range(364, 0, -1)]
    workdays = [d for d in days if d.weekday() < 5]
    season = [4 if d.month >= 9 else 1 for d in workdays]
    picks = sorted(
        [(rng.choices(workdays, season)[0], health) for _ in range(round(ZHAIZI_ERRANDS * HEALTH_SHARE))]
        + [
            (rng.choice(workdays), pension)
            for _ in range(ZHAIZI_ERRANDS - round(ZHAIZI_ERRANDS * HEALTH_SHARE))
        ],
        key=lambda p: p[0],
    )
    states = ["closed"] * (len(picks) - sum(n for _, n in OPEN_TAIL))
    for state, n in reversed(OPEN_TAIL):
        states += [state] * n
    errands = []
    for (opened_on, service), state in zip(picks, states, strict=True):
        deadline_days = max(0, service.promised_days)
        feedback = (
            min(deadline_days, rng.choice((0, 1, 1, 2, 2, 3))) if rng.random() < 0.97 else deadline_days + 2
        )
        accept = feedback + rng.choice((1, 1, 2))
        close = accept + rng.choice((0, 1, 2, 3))
        call = close + rng.randint(1, 7)
        score = None
        if rng.random() < 0.92:
            draw = rng.random()
            score = (
                Satisfaction.SATISFIED
                if draw < 0.93
                else Satisfaction.BASIC
                if draw < 0.99
                else Satisfaction.UNSATISFIED
            )
        lags = (0, feedback, accept, close, call)
        age = (today - opened_on).days
        if state == "closed":  # as far as it has got by yesterday
            state = STATES[sum(1 for lag in lags[:4] if lag < age)]
        else:  # one of the latest few, held at its state: squeeze its steps into the days it has had
            lags = tuple(min(lag, age - 1) for lag in lags)
        year = opened_on.year + (1 if opened_on.month >= 9 else 0)
        people = rng.choice((1, 2, 2, 3, 3, 4, 5))
        title = (
            f"代缴{year}年度城乡居民医保（{people}人）" if service is health else "养老保险待遇领取资格认证"
        )
        errands.append(
            Errand(
                service, title, draw_name(rng, rng.random() < 0.5), draw_phone(rng), opened_on,
                rng.randrange(0, 420, 5), state, lags, score,
            )
        )  # fmt: skip
    return errands


class ErrandWriter:
    """The rows `open_case`, `act` (promise, feedback, accept, sign_off) and `record_satisfaction` write
    for each errand — case, timeline events, audit rows — in bulk."""

    STEPS = (
        ("promise", "received", "promised"),
        ("feedback", "promised", "done"),
        ("accept", "done", "accepted"),
        ("sign_off", "accepted", "closed"),
    )
    STOP = {"received": 0, "promised": 1, "done": 2, "accepted": 3, "closed": 4}

    def __init__(self, agent, office, village, township, county, today) -> None:
        self.agent, self.office, self.today = agent, office, today
        self.village, self.township, self.county = village, township, county
        self.now = timezone.now()
        self.case = Table(Case, CASE_COLUMNS)
        self.event = Table(CaseEvent, generate.EVENT_COLUMNS, json_columns=("data",))
        self.audit = Table(AuditEvent, AUDIT_COLUMNS, json_columns=("before", "after"))
        self.rng = random.Random("cases-demo-zhaizi-receipts")
        self.receipts = set(
            Case.objects.filter(receipt_no__startswith="D-").values_list("receipt_no", flat=True)
        )
        self.deadlines: dict[tuple[datetime.date, int], datetime.date] = {}

    def receipt(self, day: datetime.date) -> str:
        while True:
            tail = "".join(self.rng.choice(RECEIPT_ALPHABET) for _ in range(5))
            receipt = f"D-{day:%y%m%d}-{tail}"
            if receipt not in self.receipts:
                self.receipts.add(receipt)
                return receipt

    def deadline(self, day: datetime.date, days: int) -> datetime.date:
        key = (day, days)
        if key not in self.deadlines:
            self.deadlines[key] = add_working_days(day, days, self.county)
        return self.deadlines[key]

    def moment(self, e: Errand, lag: int, n: int = 0) -> datetime.datetime:
        day = e.opened_on + datetime.timedelta(days=lag)
        at = datetime.datetime.combine(day, datetime.time(8, 30), SHANGHAI)
        return at + datetime.timedelta(minutes=e.minute + 10 * n)

    def add(self, e: Errand) -> None:
        agent, office = self.agent, self.office
        case = Case(
            pk=self.case.take_id(),
            kind=CaseKind.ERRAND,
            receipt_no=self.receipt(e.opened_on),
            org=self.village,
            township=self.township,
            station=None,
            county=self.county,
            source=Source.WINDOW,
            title=e.title,
            description=f"已核对材料：{'、'.join(e.service.document_list) or '居民身份证'}",
            owner=agent,
            acceptor=office,
            resident_name=e.resident,
            resident_phone=e.phone,
            state="received",
            opened_on=e.opened_on,
            opened_by=agent,
            deadline=self.deadline(e.opened_on, e.service.promised_days),
            service=e.service,
            demo_source=ERRANDS_003,
        )
        opened_at = self.moment(e, 0)
        self._event(case, agent, EventType.OPEN, opened_at, to_state="received", note=case.description)
        self._audit(agent, "cases.open", case, None, snapshot(case))
        stop = self.STOP[e.state]
        notes = {
            "promise": f"承诺{e.service.promised_days}个工作日内办结"
            if e.service.promised_days
            else "承诺当日办结",
            "feedback": "已代缴，缴费凭证已交群众" if "医保" in e.title else "已协助完成认证",
            "accept": "办结报告审核通过",
            "sign_off": "资料归档",
        }
        last = opened_at
        for i, (code, source, target) in enumerate(self.STEPS[:stop]):
            at = self.moment(e, e.lags[i], n=i + 1)
            actor = agent if code in ("promise", "feedback") else office
            before = snapshot(case)
            case.state, case.version = target, case.version + 1
            if code == "feedback":
                case.done_at = at
            elif code == "accept":
                case.accepted_at, case.accepted_by = at, office
            elif code == "sign_off":
                case.closed_at, case.closed_by = at, office
            self._event(case, actor, EventType.TRANSITION, at, code, source, target, notes[code])
            self._audit(actor, f"cases.{code}", case, before, snapshot(case), notes[code])
            last = at
        if stop == 4 and e.score is not None:
            at = self.moment(e, e.lags[4], n=5)
            if at.date() < self.today:
                before = snapshot(case)
                case.satisfaction = e.score
                note = f"{Satisfaction(e.score).label}。"
                self._event(case, office, EventType.SATISFACTION, at, note=note)
                self._audit(office, "cases.satisfaction", case, before, snapshot(case))
                last = at
        c = case
        self.case.add(
            (c.pk, c.kind, c.receipt_no, c.org_id, c.township_id, None, c.county_id, None, c.source, c.title,
             c.description, "", "", c.owner_id, c.acceptor_id, "normal", 1, None, "", c.resident_name,
             c.resident_phone, c.state, c.opened_on, c.opened_by_id, None, c.deadline, None, c.done_at,
             c.accepted_at, c.accepted_by_id, c.closed_at, c.closed_by_id, None, 0, None, None, None, "", "",
             c.satisfaction, "", c.service_id, c.version, c.demo_source, opened_at, last)
        )  # fmt: skip

    def _event(self, case, actor, type_, at, transition="", from_state="", to_state="", note="") -> None:
        self.event.add(
            (self.event.take_id(), case.pk, type_, transition, from_state, to_state, actor.pk,
             actor.display_name, at, note[:2000], {})
        )  # fmt: skip

    def _audit(self, actor, action, case, before, after, note="") -> None:
        """What `audit.record` writes: only the fields that changed, when there is a before."""
        if before is not None:
            keys = sorted(k for k in after.keys() | before.keys() if before.get(k) != after.get(k))
            before, after = {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
        self.audit.add(
            (self.audit.take_id(), self.now, actor.pk, actor.display_name, self.village.pk, action,
             "cases.case", str(case.pk), str(case)[:200], before or {}, after, note)
        )  # fmt: skip

    def write(self) -> None:
        flush([self.case, self.event, self.audit])
        org_demo.reset_sequences(Case, CaseEvent, AuditEvent)
