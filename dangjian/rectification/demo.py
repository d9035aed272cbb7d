"""This app's part of the demo counties and of the generated province.

Demo (seed 003, 交城县; seed 000, 五寨县小河头镇), written through the services so it has its history and
audit trail; idempotent by (village, year):
- 交城县's checklist: the 10 national types plus two county additions (the report's "12种情形" is a county
  list whose text it does not give; the two added are the common additions of rules.md §4.1), and its
  四必访三必问 (the report names the practice, not the items: the seven items are invented);
- 寨子村: county leader-led screening against the 12 situations with a 四必访三必问 visit, identified;
- 牛头咀村: its problem list as four plan items, with the five essentials and the closed loop;
- 连家寨村: the 8 systems as plan items, all signed off (three named by the report, five invented), and the
  四个一 with the county contact leader's 12 visits (the same days as office's contact-leader ledger);
- 南堡村: the 23万 arched drainage and the day-care centre as items, the 部署—落实—反馈 loop as measures;
- 市庄村: 结对帮带 — paired with an advanced village (the pairing is invented);
- 柏叶口村: last year's case, accepted at year end and now in its consolidation year (invented);
- 五寨县小河头镇小武州村: this year's screening puts it at the bottom, identified (书记工作不在状态), plan
  with three items — one signed off, one done and waiting, one open for `county_wuzhai` to take through —
  and 县级包联 + 党委书记主抓 + 蹲点指导 (+ a paired unit).
The village secretaries who own the items have no usable password (not logins): 曹爱玲 (seed 000, the
secretary the cadres demo chooses from the pool), 寨子村's the cases demo's, the others invented.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils import timezone

from dangjian.accounts import services as account_services
from dangjian.accounts.models import RoleAssignment, User
from dangjian.cases import services as case_services
from dangjian.core.roles import Role
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import services
from .choices import CaseStatus, Source, SupportKind, VisitItemKind
from .generate import PROVINCE_LABELS, insert_province  # noqa: F401  (the generator's entry point)
from .models import RectificationCase, Situation, VisitItem

DEMO_LABELS: tuple[str, ...] = (
    "软弱涣散整顿",
    "整顿事项",
    "四个一帮扶",
    "帮扶到村",
    "排查走访",
    "情形与必访必问",
    "年度排查",
)
S003 = "003 交城县软弱涣散村党组织整顿"
S000 = "000 五寨县小河头镇小武州村"
INVENTED = "（演示虚构）"
JIAOCHENG_ADDED = (
    ("存在“村霸”问题", "交城县“12种情形”县级增补（原文未列明，取 rules.md §4.1 常见增补项）"),
    ("无集体经济收入", "交城县“12种情形”县级增补（原文未列明，取 rules.md §4.1 常见增补项）"),
)
VISITS_ASKS = (
    (VisitItemKind.VISIT, "老党员、老干部"),
    (VisitItemKind.VISIT, "困难群众和低保户"),
    (VisitItemKind.VISIT, "致富能人和返乡创业人员"),
    (VisitItemKind.VISIT, "信访户和有意见的群众"),
    (VisitItemKind.ASK, "问班子运行和书记履职"),
    (VisitItemKind.ASK, "问群众急难愁盼"),
    (VisitItemKind.ASK, "问村级发展思路"),
)
# username, name, village: the secretaries who own the items
OWNERS = (
    ("zhaizi_secretary", "郝建平", "寨子村"),  # the cases demo's 寨子村 secretary
    ("rect_niutouzui", "白建斌", "牛头咀村"),
    ("rect_lianjiazhai", "段晓军", "连家寨村"),
    ("rect_nanbao", "程玉山", "南堡村"),
    ("rect_shizhuang", "冀文龙", "市庄村"),
    ("rect_baiyekou", "贺润生", "柏叶口村"),
    ("rect_xiaowuzhou", "曹爱玲", "小武州村"),  # seed 000: chosen from the pool (cadres demo)
)
LIANJIAZHAI_SYSTEMS = (
    "村“两委”班子议事决策制度",
    "民生服务制度",
    "村务公开制度",
    "村干部坐班值班制度",
    "村干部履职尽责考核制度",
    "村级财务管理制度",
    "党员联系户制度",
    "矛盾纠纷排查调处制度",
)


def _org(name: str, kind: str = OrgKind.BRANCH) -> Org | None:
    return Org.objects.filter(name=name, kind=kind, archived_at__isnull=True).order_by("pk").first()


def _owner(admin, username: str, name: str, village: Org, created: Counter[str]) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_services.create_user(
            admin, username=username, real_name=name, password=None, is_demo=True, skip_checks=True
        )
        created["用户"] += 1
    if not RoleAssignment.objects.filter(user=user, org=village, role=Role.VILLAGE_SECRETARY).exists():
        account_services.grant_role(
            admin, user=user, org=village, role=Role.VILLAGE_SECRETARY, title="村党支部书记"
        )
        created["角色"] += 1
    return user


def _checklist(admin, county: Org, added, created: Counter[str], skipped: Counter[str]) -> None:
    label = "情形与必访必问"
    for order, (title, source) in enumerate(added, 11):
        if Situation.objects.filter(county=county, title=title).exists():
            skipped[label] += 1
        else:
            services.add_situation(admin, county, title=title, source=source, sort_order=order)
            created[label] += 1
    for order, (kind, text) in enumerate(VISITS_ASKS, 1):
        if VisitItem.objects.filter(county=county, kind=kind, text=text).exists():
            skipped[label] += 1
        else:
            services.add_visit_item(admin, county, kind=kind, text=text, sort_order=order)
            created[label] += 1


class Story:
    """Writes one village's case step by step, counting what it creates."""

    def __init__(
        self, actor, village: Org, owner: User, created: Counter[str], today: datetime.date, source: str
    ):
        self.actor, self.village, self.owner, self.created, self.today = actor, village, owner, created, today
        self.source = source
        self.case: RectificationCase | None = None

    def day(self, on: datetime.date) -> datetime.date:
        """Story dates never pass today (a demo loaded early in January compresses them)."""
        return min(on, self.today)

    def open(self, year: int, on: datetime.date, basis: str, source: str = Source.WARNING) -> Story:
        self.case = services.open_case(
            self.actor, org=self.village, year=year, basis=basis, source=source, today=self.day(on)
        )
        self.case.demo_source = self.source
        RectificationCase.objects.filter(pk=self.case.pk).update(demo_source=self.source)
        self.created["软弱涣散整顿"] += 1
        return self

    def adopt(self, case: RectificationCase) -> Story:
        self.case = case
        RectificationCase.objects.filter(pk=case.pk).update(demo_source=self.source)
        self.created["软弱涣散整顿"] += 1
        return self

    def visit(self, on: datetime.date, visitors: str, findings: str, all_items: bool = True) -> Story:
        items = list(VisitItem.objects.filter(county=self.case.county)) if all_items else []
        services.record_check_visit(
            self.actor,
            self.case,
            visited_on=self.day(on),
            visitors=visitors,
            items=items,
            findings=findings,
            today=self.today,
        )
        self.created["排查走访"] += 1
        return self

    def identify(self, on: datetime.date, situations: list[str], evidence: str) -> Story:
        on = max(self.day(on), self.case.opened_on)
        services.identify(
            self.actor, self.case, situations=situations, evidence=evidence, on=on, today=self.today
        )
        return self

    def plan(self, on: datetime.date, deadline: datetime.date, **essentials) -> Story:
        on = self.day(on)
        services.set_plan(
            self.actor, self.case, deadline=max(deadline, on), approved_on=on, today=self.today, **essentials
        )
        return self

    def item(
        self, title: str, measures: str, on: datetime.date, deadline: datetime.date, upto: str = "open"
    ) -> Story:
        """An item taken along the kind's path up to state `upto` (open, rectifying, done, closed)."""
        item = services.add_item(
            self.actor,
            self.case,
            title=title,
            measures=measures,
            owner=self.owner,
            deadline=max(deadline, self.day(on)),
            opened_on=self.day(on),
            today=self.today,
        ).item
        steps = {"open": [], "rectifying": ["start"], "done": ["start", "report_done"]}
        steps["closed"] = [*steps["done"], "accept", "sign_off"]
        for code in steps[upto]:
            who = self.owner if code in ("start", "report_done") else self.actor
            case_services.act(
                who, item, code, note=f"{title}：{'已完成' if code == 'report_done' else '同意'}"
            )
        self.created["整顿事项"] += 1
        return self

    def support(self, kind: str, name: str, title: str, since: datetime.date, leader=None) -> Story:
        services.assign_support(
            self.actor,
            self.case,
            kind=kind,
            name=name,
            title=title,
            contact_leader=leader,
            since=self.day(since),
            today=self.today,
        )
        self.created["四个一帮扶"] += 1
        return self

    def support_visits(self, kind: str, days: list[datetime.date], activity: str) -> Story:
        support = self.case.supports.get(kind=kind)
        for day in days:
            if day > self.today or day < support.since:
                continue
            services.record_support_visit(
                self.actor, support, visited_on=day, activity=activity, today=self.today
            )
            self.created["帮扶到村"] += 1
        return self

    def accept(self, on: datetime.date, basis: str) -> Story:
        services.accept(self.actor, self.case, passed=True, basis=basis, on=self.day(on), today=self.today)
        return self


def _monthly(start: datetime.date, today: datetime.date, day: int = 15) -> list[datetime.date]:
    out, d = [], start.replace(day=day)
    while d <= today:
        if d >= start:
            out.append(d)
        d = (d.replace(day=1) + datetime.timedelta(days=32)).replace(day=day)
    return out


def _jiaocheng(actor, admin, created, skipped, today: datetime.date) -> None:
    county = _org("交城县", OrgKind.COUNTY)
    if county is None:
        return
    _checklist(admin, county, JIAOCHENG_ADDED, created, skipped)
    year = today.year
    jan = datetime.date(year, 1, 8)
    dec = datetime.date(year, 12, 31)
    owners = {v: (u, n) for u, n, v in OWNERS}
    from dangjian.office.models import ContactLeader, ContactLeaderVisit

    def story(name: str, case_year: int = year) -> Story | None:
        village = _org(name)
        if village is None:
            return None
        if RectificationCase.objects.filter(org=village, year=case_year).exists():
            skipped["软弱涣散整顿"] += 1
            return None
        username, person = owners[name]
        return Story(actor, village, _owner(admin, username, person, village, created), created, today, S003)

    if s := story("寨子村"):
        s.open(year, jan, "乡镇排查：群众意见集中，便民服务欠账较多")
        s.visit(
            jan + datetime.timedelta(days=5),
            "县级领导带队、西营镇党委、县委组织部组织组",
            "对照“12种情形”逐项核查，落实“四必访三必问”：群众反映办事难、道路破损，班子服务意识不强",
        )
        s.identify(
            jan + datetime.timedelta(days=20),
            ["N10", "N9"],
            "对照12种情形逐项核查：服务意识差、服务能力弱、群众意见大；便民服务设施不全",
        )
        s.plan(
            jan + datetime.timedelta(days=30),
            dec,
            targets="便民服务规范运行，群众满意度明显提升",
            responsible="西营镇党委、寨子村党支部",
            measures="设立便民服务点代办医保代缴、养老认证；修复破损路面",
            expected_result="年底前便民业务受理500件以上，路面修复完成，县级验收销号",
        )
        s.item(
            "受理医保代缴、养老认证等便民业务500余件",
            "村便民服务点代办，每周公示办理情况",
            jan + datetime.timedelta(days=31),
            datetime.date(year, 11, 30),
            "closed",
        )
        s.item(
            "修复破损路面1300余平方米",
            "列入村级重大事项，按“四议两公开”决策后实施",
            jan + datetime.timedelta(days=31),
            datetime.date(year, 10, 31),
            "closed",
        )
    if s := story("牛头咀村"):
        s.open(year, jan, "乡镇排查：班子凝聚力不强，民生项目推进缓慢")
        s.visit(
            jan + datetime.timedelta(days=6),
            "水峪贯镇党委、包村干部",
            "逐一梳理形成问题清单：规范化建设不足、班子凝聚力不强、民生项目推进缓慢、村干部能力欠缺",
        )
        s.identify(
            jan + datetime.timedelta(days=21), ["N3", "N4"], "问题清单四项，班子不团结、组织生活不规范"
        )
        s.plan(
            jan + datetime.timedelta(days=35),
            dec,
            targets="一问题一对策，四项问题年内整改到位",
            responsible="水峪贯镇党委书记负总责，包村领导、村党支部书记具体负责",
            measures="任务分解—责任到人—进度跟踪—成效核验闭环推进",
            expected_result="规范化建设达标，民生项目按期完工，县级验收销号",
        )
        for title, upto in (
            ("村党组织规范化建设", "done"),
            ("增强班子凝聚力：每月召开班子民主生活交流会", "rectifying"),
            ("推进民生项目", "rectifying"),
            ("提升村干部能力：参加县级轮训", "open"),
        ):
            s.item(
                title, "一问题一对策", jan + datetime.timedelta(days=36), datetime.date(year, 12, 15), upto
            )
    if s := story("连家寨村"):
        s.open(year, jan, "县级预警：组织制度形同虚设")
        s.identify(jan + datetime.timedelta(days=14), ["N4"], "村级治理松散，制度不健全")
        s.plan(
            jan + datetime.timedelta(days=20),
            datetime.date(year, 9, 30),
            targets="村级治理由松散化向规范化转变",
            responsible="夏家营镇党委、连家寨村“两委”",
            measures="完善8项工作制度，明确坐班值班、履职尽责标准",
            expected_result="8项制度上墙运行，县级验收销号",
        )
        for title in LIANJIAZHAI_SYSTEMS:
            s.item(
                f"完善{title}",
                "制度上墙并运行",
                jan + datetime.timedelta(days=21),
                datetime.date(year, 9, 30),
                "closed",
            )
        leader = ContactLeader.objects.filter(org=county, name="韩振国", year=year).first()
        since = datetime.date(year, 1, 1)
        s.support(SupportKind.COUNTY_LEADER, "韩振国", "县级包联领导", since, leader)
        s.support(SupportKind.TOWNSHIP_LEADER, "夏家营镇包村领导", "镇党委委员", since)
        s.support(SupportKind.FIRST_SECRETARY, "县派驻村工作组", "“4个1”工作组", since)
        s.support(SupportKind.PAIRED_UNIT, "县直结对帮扶单位", "结对帮扶", since)
        days = (
            list(
                ContactLeaderVisit.objects.filter(leader=leader, org=s.village)
                .order_by("visited_on")
                .values_list("visited_on", flat=True)
            )
            if leader
            else []
        )
        if len(days) < 12:
            days = [
                since + datetime.timedelta(days=((today - since).days - 1) * i // 12 + 4) for i in range(12)
            ]
        s.support_visits(
            SupportKind.COUNTY_LEADER, days[:12], "到村指导整顿，听取村“两委”工作汇报，走访党员群众"
        )
    if s := story("南堡村"):
        s.open(year, jan, "乡镇排查：群众反映排水渠破损、日间照料中心设施陈旧")
        s.identify(jan + datetime.timedelta(days=18), ["N10"], "群众意见集中在排水和养老服务")
        s.plan(
            jan + datetime.timedelta(days=25),
            dec,
            targets="民生实事落地，重点工作件件有回音",
            responsible="西社镇党委、南堡村党支部",
            measures="建立“部署—落实—反馈”工作闭环，每月反馈进度",
            expected_result="排水渠修缮、照料中心更新完成，避免“整改一阵、反弹一回”",
        )
        s.item(
            "拱形排水渠修缮工程（投入23万元）",
            "部署—落实—反馈，完工后群众评议",
            jan + datetime.timedelta(days=26),
            datetime.date(year, 8, 31),
            "closed",
        )
        s.item(
            "更新日间照料中心设施",
            "部署—落实—反馈",
            jan + datetime.timedelta(days=26),
            datetime.date(year, 12, 20),
            "done",
        )
    if s := story("市庄村"):
        s.open(year, jan, "乡镇排查：集体经济薄弱")
        s.identify(jan + datetime.timedelta(days=18), ["N10"], "集体经济发展思路不清，群众期盼大")
        s.plan(
            jan + datetime.timedelta(days=25),
            dec,
            targets="理清集体经济发展思路",
            responsible="庞泉沟镇党委、市庄村党支部",
            measures="结对帮带：邀请优秀村党组织书记分享集体经济发展经验",
            expected_result="形成集体经济增收方案并启动实施",
        )
        s.item(
            "与先进村结对帮带，学习集体经济发展经验",
            "每季度交流一次",
            jan + datetime.timedelta(days=26),
            datetime.date(year, 12, 20),
            "rectifying",
        )
        s.support(
            SupportKind.PAIRED_UNIT,
            "洪相镇裴家山村党支部" + INVENTED,
            "先进村结对帮带",
            jan + datetime.timedelta(days=25),
        )
    if s := story("柏叶口村", year - 1):
        last = datetime.date(year - 1, 1, 10)
        s.open(year - 1, last, "上年度排查：安全饮水和人居环境问题集中" + INVENTED)
        s.identify(last + datetime.timedelta(days=15), ["N10"], "群众意见大" + INVENTED)
        s.plan(
            last + datetime.timedelta(days=25),
            datetime.date(year - 1, 11, 30),
            targets="安全饮水、人居环境达标",
            responsible="东坡底乡党委",
            measures="实施安全饮水工程、人居环境整治",
            expected_result="年底县级验收销号",
        )
        s.item(
            "安全饮水工程",
            "乡村两级推进",
            last + datetime.timedelta(days=26),
            datetime.date(year - 1, 10, 31),
            "closed",
        )
        s.item(
            "人居环境整治",
            "乡村两级推进",
            last + datetime.timedelta(days=26),
            datetime.date(year - 1, 11, 30),
            "closed",
        )
        s.accept(datetime.date(year - 1, 12, 20), "县委组织部年底验收：目标任务完成，摘帽进入巩固提升")


def _wuzhai(actor, admin, created, skipped, today: datetime.date) -> None:
    county, village = _org("五寨县", OrgKind.COUNTY), _org("小武州村")
    if county is None or village is None:
        return
    year = today.year
    if RectificationCase.objects.filter(org=village, year=year).exists():
        skipped["软弱涣散整顿"] += 1
        return
    jan = datetime.date(year, 1, 10)
    from .models import Screening

    screening = Screening.objects.filter(county=county, year=year).first()
    if screening is None:
        screening = services.create_screening(actor, county, year=year, quota_percent=5, today=today)
        villages = list(
            Org.objects.filter(
                path__startswith=county.path, kind__in=services.VILLAGE_KINDS, archived_at__isnull=True
            )
            .exclude(pk=village.pk)
            .order_by("path")
        )
        rows = [(o, i, 95 - i, 10 + i % 7) for i, o in enumerate(villages, 1)]
        rows.append((village, len(rows) + 1, 48, 0))
        services.set_rows(actor, screening, rows)
        created["年度排查"] += 1
    else:
        skipped["年度排查"] += 1
    proposed = [r.org for r in screening.rows.filter(proposed=True).select_related("org")]
    if not screening.confirmed_on:
        services.confirm_screening(actor, screening, orgs=proposed, today=min(jan, today))
    username, person, _ = OWNERS[-1]
    owner = _owner(admin, username, person, village, created)
    case = RectificationCase.objects.get(org=village, year=year)
    s = Story(actor, village, owner, created, today, S000).adopt(case)
    for other in RectificationCase.objects.filter(
        county=county, year=year, status=CaseStatus.CHECKING
    ).exclude(pk=case.pk):
        services.clear(actor, other, basis="排查核实：班子运行正常，不予认定" + INVENTED, today=today)
    s.visit(
        jan + datetime.timedelta(days=4),
        "县级包联领导、小河头镇党委书记",
        "原党支部书记工作不在状态，村组织软弱涣散",
        all_items=False,
    )
    s.identify(
        jan + datetime.timedelta(days=12), ["N2"], "党支部书记不胜任现职、工作不在状态（小河头镇党建办排查）"
    )
    s.plan(
        jan + datetime.timedelta(days=20),
        datetime.date(year, 12, 31),
        targets="配强党支部书记，村组织转化升级",
        responsible="小河头镇党委（党委书记主抓），县级包联领导",
        measures="县级包联+党委书记主抓+蹲点指导：从后备库选任书记，党建办主任一对一辅导",
        expected_result="年底前县级验收销号",
    )
    s.item(
        "从后备库选任村党支部书记",
        "优选具有大专学历的后备干部，党建办主任“一对一”辅导",
        jan + datetime.timedelta(days=21),
        datetime.date(year, 4, 30),
        "closed",
    )
    s.item(
        "建立“两委”责任清单，村务划分6大板块",
        "环境整治、矛盾调解等6大板块分工到人",
        jan + datetime.timedelta(days=21),
        datetime.date(year, 12, 20),
        "done",
    )
    s.item(
        "推行“党员包户”制度，15名党员分片联户听民意",
        "党员分片联户，每月汇总民意",
        jan + datetime.timedelta(days=21),
        datetime.date(year, 12, 31),
        "open",
    )
    since = jan + datetime.timedelta(days=12)
    s.support(SupportKind.COUNTY_LEADER, "五寨县县级包联领导" + INVENTED, "县级包联", since)
    s.support(SupportKind.TOWNSHIP_LEADER, "小河头镇党委书记", "党委书记主抓", since)
    s.support(SupportKind.FIRST_SECRETARY, "小河头镇党建办蹲点指导组", "蹲点指导", since)
    s.support(SupportKind.PAIRED_UNIT, "五寨县直机关结对帮扶单位" + INVENTED, "结对帮扶", since)
    s.support_visits(
        SupportKind.COUNTY_LEADER,
        _monthly(since + datetime.timedelta(days=5), today),
        "到村督导整顿，听取书记履职汇报",
    )


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Add this app's demo rows (idempotent: a second run creates nothing)."""
    today = today or timezone.localdate()
    jiaocheng = User.objects.filter(username="county_jiaocheng").first() or admin
    _jiaocheng(jiaocheng, admin, created, skipped, today)
    wuzhai = User.objects.filter(username="county_wuzhai").first() or admin
    _wuzhai(wuzhai, admin, created, skipped, today)
