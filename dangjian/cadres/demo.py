"""This app's part of the demo counties and of the generated province.

- 五寨县小河头镇小武州村 (seed 000): “曾因党支部书记工作不在状态，村组织陷入软弱涣散… 从后备库中优选具有
  大专学历的曹爱玲任村党支部书记，并安排党建办主任‘一对一’辅导” — its two committees (the villages demo
  leaves this village to us), the former secretary ended eight months ago, a pool of three, 曹爱玲 chosen
  from it seven months ago with the trail, and five coaching sessions by the office director.
- 交城县天宁镇寨上村 (seed 003): “建立村级后备力量‘导师帮带’制度，通过‘跟岗实践+列席会议+参与治理’模式” —
  two young reserve cadres, one mentored by the village secretary with the three kinds of activity and
  an evaluation.
- Pay: the default scheme for 五寨县 and 交城县 (amounts are defaults, see rules.py), last year's
  assessment results and one-card accounts for 李家坪乡大辛庄村, and approved batches for 李家坪乡 for the
  last two full months.

Everything goes through the services; keys are the village and the person's name, so a second run
creates nothing."""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils import timezone

from dangjian.core.dates import add_months, add_years, month_start
from dangjian.members.choices import Education, Gender
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Office, Org
from dangjian.villages import services as village_services
from dangjian.villages.generate import last_election
from dangjian.villages.models import Committee, CommitteeKind, Post, PostKind, current_holder_q
from dangjian.villages.selectors import current_committees

from . import services
from .choices import ActivityKind, AssessmentGrade, Grade, PoliticalStatus
from .generate import PROVINCE_LABELS as GENERATED_LABELS
from .generate import insert_province_cadres
from .models import (
    AssessmentResult,
    Coaching,
    Mentorship,
    PayAccount,
    PayBatch,
    PayScheme,
    PoolSelection,
    ReserveCadre,
)

POOL, MENTOR, SELECT, COACH, SCHEME, BATCH = (
    "村级后备干部",
    "导师帮带",
    "后备库选任记录",
    "“一对一”辅导",
    "村干部报酬标准",
    "村干部报酬发放批次",
)
DEMO_LABELS: tuple[str, ...] = (POOL, MENTOR, SELECT, COACH, SCHEME, BATCH)
PROVINCE_LABELS: dict[str, str] = GENERATED_LABELS
CAO = "曹爱玲"
FORMER = ("王志刚", Gender.MALE)  # invented: the report does not name the former secretary
XWZ_POOL = (
    (CAO, Gender.FEMALE, datetime.date(1988, 9, 12), Education.COLLEGE, "电商销售、文书写作"),
    ("李晓军", Gender.MALE, datetime.date(1990, 3, 2), Education.SECONDARY, "小杂粮种植"),
    ("赵红梅", Gender.FEMALE, datetime.date(1993, 7, 21), Education.SECONDARY, "妇女工作、文艺"),
)
XWZ_VILLAGERS = (("张建平", Gender.MALE, PostKind.DIRECTOR), ("刘秀英", Gender.FEMALE, PostKind.MEMBER))
ZSC_POOL = (
    ("韩晓东", Gender.MALE, datetime.date(1996, 4, 18), Education.BACHELOR, "乡村旅游策划"),
    ("温静", Gender.FEMALE, datetime.date(1998, 11, 3), Education.COLLEGE, "财务会计"),
)
COACHING_TOPICS = (
    ("如何开好支部委员会和党员大会", "逐项讲解“三会一课”程序，现场指导记录规范"),
    ("“四议两公开”工作法", "结合村里小杂粮加工项目走一遍流程"),
    ("软弱涣散整顿问题清单", "逐条对照整改措施和时限"),
    ("发展党员和后备力量培养", "梳理本村入党积极分子和后备干部情况"),
    ("集体经济发展思路", "研究“小杂粮种植+电商销售”的可行性"),
)
BASIS = "小河头镇党委会议纪要（演示）：研究小武州村党支部书记人选，从村级后备库中优选曹爱玲"
DEFAULT_DIRECTOR = "孙建华"  # invented, where the demo office has no director's name


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Add this app's demo rows (idempotent: a second run creates nothing)."""
    today = today or timezone.localdate()
    counties = {name: _org(name) for name in ("五寨县", "交城县")}
    xwz = _village("小河头镇", "小武州村")
    if xwz is not None:
        _xiaowuzhou(admin, xwz, today, created, skipped)
    zsc = _village("天宁镇", "寨上村")
    if zsc is not None:
        _zhaishang(admin, zsc, today, created, skipped)
    for county in counties.values():
        if county is None:
            continue
        if PayScheme.objects.filter(county=county).exists():
            skipped[SCHEME] += 1
        else:
            services.set_default_scheme(admin, county, today=today)
            created[SCHEME] += 1
    ljp = _org("李家坪乡")
    if ljp is not None and counties["五寨县"] is not None:
        _pay(admin, ljp, today, created, skipped)


def _org(name: str) -> Org | None:
    return Org.objects.filter(code=org_demo.code_of(name)).first() or Org.objects.filter(name=name).first()


def _village(township: str, name: str) -> Org | None:
    parent = _org(township)
    if parent is None:
        return None
    return Org.objects.filter(path__startswith=parent.path, name=name).first()


def _committee(admin, village: Org, kind: str, today: datetime.date) -> Committee:
    found = current_committees(Committee.objects.filter(org=village, kind=kind)).first()
    return found or village_services.create_committee(
        admin, village, kind=kind, term_start=last_election(today)
    )


def _pool(admin, village: Org, rows, entered: datetime.date, today, created, skipped) -> list[ReserveCadre]:
    out = []
    for name, gender, birth, education, skills in rows:
        reserve = ReserveCadre.objects.filter(org=village, name=name).first()
        if reserve is None:
            reserve = services.add_reserve(
                admin,
                village,
                name=name,
                gender=gender,
                birth_date=birth,
                education=education,
                skills=skills,
                political_status=PoliticalStatus.MEMBER,
                entered_on=entered,
                today=today,
            )
            created[POOL] += 1
        else:
            skipped[POOL] += 1
        out.append(reserve)
    return out


def _xiaowuzhou(admin, village: Org, today: datetime.date, created, skipped) -> None:
    ended, decided = add_months(today, -8), add_months(today, -7)
    start = last_election(today)
    branch = _committee(admin, village, CommitteeKind.BRANCH, today)
    villagers = _committee(admin, village, CommitteeKind.VILLAGERS, today)
    if not Post.objects.filter(committee=branch, kind=PostKind.SECRETARY).exists():
        name, gender = FORMER
        former = village_services.appoint(
            admin,
            branch,
            PostKind.SECRETARY,
            name=name,
            gender=gender,
            since=add_years(ended, -4),
            today=today,
        )
        village_services.end_post(
            admin,
            former,
            until=ended,
            reason="工作不在状态，村组织陷入软弱涣散，免去党支部书记职务",
            today=today,
        )
    for name, gender, kind in XWZ_VILLAGERS:
        if not Post.objects.filter(committee=villagers, name=name).exists():
            village_services.appoint(
                admin, villagers, kind, name=name, gender=gender, since=start, today=today
            )
    pool = _pool(admin, village, XWZ_POOL, add_months(today, -20), today, created, skipped)
    cao = pool[0]
    selection = PoolSelection.objects.filter(reserve=cao).first()
    if selection is None:
        selection = services.choose_from_pool(
            admin,
            cao,
            branch,
            PostKind.SECRETARY,
            decided_on=decided,
            basis=BASIS,
            note="具有大专学历，在库期间表现突出；镇党建办采取“县级包联+党委书记主抓+蹲点指导”模式",
            considered=pool[1:],
            today=today,
        )
        created[SELECT] += 1
    else:
        skipped[SELECT] += 1
    if Coaching.objects.filter(selection=selection).exists():
        skipped[COACH] += 1
        return
    township = _org("小河头镇")
    office = Office.objects.filter(township=township).first()
    coaching = services.start_coaching(
        admin,
        selection.post,
        coach_name=(office.director_name if office and office.director_name else DEFAULT_DIRECTOR),
        coach_title="小河头镇党建办主任",
        started_on=decided,
        selection=selection,
        today=today,
    )
    for i, (topic, note) in enumerate(COACHING_TOPICS, start=1):
        services.add_coaching_session(
            admin, coaching, held_on=add_months(decided, i), topic=topic, note=note, today=today
        )
    created[COACH] += 1


def _zhaishang(admin, village: Org, today: datetime.date, created, skipped) -> None:
    branch = _committee(admin, village, CommitteeKind.BRANCH, today)
    secretary = (
        Post.objects.filter(committee=branch, kind=PostKind.SECRETARY).filter(current_holder_q()).first()
    )
    if secretary is None:
        secretary = village_services.appoint(
            admin,
            branch,
            PostKind.SECRETARY,
            name="阎国庆",
            gender=Gender.MALE,
            since=branch.term_start,
            today=today,
        )
    started = add_months(today, -5)
    pool = _pool(admin, village, ZSC_POOL, add_months(today, -6), today, created, skipped)
    if Mentorship.objects.filter(reserve=pool[0]).exists():
        skipped[MENTOR] += 1
        return
    m = services.start_mentorship(admin, pool[0], mentor_post=secretary, started_on=started, today=today)
    for months, kind, note in (
        (1, ActivityKind.SHADOWING, "跟岗实践：随书记入户走访，协助整理民情台账"),
        (2, ActivityKind.MEETING, "列席会议：列席村“两委”联席会议，旁听集体经济项目讨论"),
        (3, ActivityKind.GOVERNANCE, "参与治理：牵头调解一起宅基地纠纷"),
    ):
        services.add_activity(
            admin, m, kind=kind, held_on=add_months(started, months), note=note, today=today
        )
    services.evaluate(
        admin,
        m,
        evaluated_on=add_months(started, 4),
        grade=Grade.GOOD,
        comment="能在实战中历练成长，群众工作方法有进步",
        evaluator="天宁镇党委",
        today=today,
    )
    created[MENTOR] += 1


def _pay(admin, township: Org, today: datetime.date, created, skipped) -> None:
    holders = Post.objects.filter(org__path__startswith=township.path).filter(current_holder_q())
    year = today.year - 1
    for i, post in enumerate(holders.select_related("org").order_by("org__path", "pk")):
        if not AssessmentResult.objects.filter(org=post.org, name=post.name, year=year).exists():
            grade = (
                AssessmentGrade.EXCELLENT if post.kind == PostKind.SECRETARY else AssessmentGrade.COMPETENT
            )
            evidence = f"李家坪乡党建办{year}年度村干部考核结果"
            services.record_assessment(
                admin, post.org, name=post.name, year=year, grade=grade, evidence=evidence,
                person=post.person, today=today,
            )  # fmt: skip
        if not PayAccount.objects.filter(org=post.org, name=post.name).exists():
            services.set_account(
                admin, post.org, name=post.name, account_no=f"62179901{i:08d}", person=post.person
            )
    for back in (2, 1):
        month = add_months(month_start(today), -back)
        if PayBatch.objects.filter(township=township, month=month).exists():
            skipped[BATCH] += 1
            continue
        batch = services.generate_batch(admin, township, month, today=today)
        if batch.line_count:
            services.approve_batch(admin, batch)
        created[BATCH] += 1


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    return insert_province_cadres(plan, org_ids, today)
