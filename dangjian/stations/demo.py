"""The stations app's part of the demo counties and of the generated province.

Only 宜君县 (seed 002) has stations: 29 of them over 117 villages. The report names no station staff,
so every person here is invented and marked so (the chief of 榆舍党建工作站 is the demo login
`station_yushe`). Each station gets a chief, one or two deputies and one or two full-time workers;
the six conditions and the 8 systems with a few gaps; an inspection of every branch in every
half-month of the last three months, except one branch of 榆舍 in the last closed half-month; a
service half-day every week of the last quarter, except 榆舍's last complete week; this year's
research plan for each township, two rounds with reports for every station but one, and each
township's appraisal meeting with scores and ranks.

Rows are written in bulk with one audit event per run; a second run creates nothing (a station
that has rows of a kind is left alone)."""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.members import demo as member_demo
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of

from .choices import ChecklistItem, Post, Session, System
from .models import (
    ResearchAppraisal,
    ResearchPlan,
    ResearchReport,
    ResearchRound,
    ResearchScore,
    ServiceHalfDay,
    StationChecklist,
    StationInspection,
    StationStaff,
    StationSystem,
)
from .selectors import BRANCH_KINDS, half_month, last_closed_half_month, last_complete_week, week_of
from .services import ranks

INVENTED = org_demo.INVENTED
CHIEF_LOGIN = "station_yushe"  # 薛振华, chief of 榆舍党建工作站 (an invented demo login)
SHOWCASE = "榆舍党建工作站"  # where the demo login sees a missed inspection and a missed week
ONE_ROUND = "黄堡寨党建工作站"  # the station with only one research round this year
CHECKLIST_GAPS = {
    2: (ChecklistItem.FUNDS, "工作经费尚未列入乡镇年度预算"),
    11: (ChecklistItem.FACILITIES, "电脑、打印机待配备"),
}
SYSTEM_GAPS = {
    7: (System.CONSULTATION, False, True),
    11: (System.INFO_REPORT, True, False),
}  # in force, posted
DEPUTY_TITLES = ("驻村干部", "第一书记", "优秀村党支部书记")
TOPICS = (
    "村集体经济发展路径",
    "产业发展与精准脱贫成效巩固",
    "农村党员教育管理",
    "村级组织运转经费保障",
    "群众事项代办落实情况",
    "软弱涣散村党组织整顿",
)

DEMO_LABELS: tuple[str, ...] = (
    "工作站人员",
    "工作站六个到位",
    "工作站制度",
    "工作站督查",
    "便民服务半天",
    "专项调研计划",
    "专项调研",
    "调研报告",
    "调研成果评比会",
    "调研报告评分",
)
PROVINCE_LABELS: dict[str, str] = {"station_staff": "工作站人员"}


def _count(counter: Counter[str], label: str, n: int) -> None:
    """Counters list only what happened: a label with nothing created stays out of the summary."""
    if n:
        counter[label] += n


def _demo_stations() -> list[Org]:
    codes = [p.code for p in org_demo.walk() if p.spec.kind == OrgKind.STATION]
    return list(Org.objects.filter(code__in=codes).select_related("parent").order_by("code"))


def _clamp(day: datetime.date, today: datetime.date) -> datetime.date:
    return max(min(day, today), datetime.date(today.year, 1, 1))


class Demo:
    """One run of the demo loader: the stations, their branches, and counters."""

    def __init__(
        self, admin: User, created: Counter[str], skipped: Counter[str], today: datetime.date
    ) -> None:
        self.admin, self.created, self.skipped, self.today = admin, created, skipped, today
        self.rng = random.Random("stations-demo")
        self.stations = _demo_stations()
        self.branches: dict[int, list[Org]] = defaultdict(list)
        for b in Org.objects.filter(parent__in=self.stations, kind__in=BRANCH_KINDS).order_by(
            "sort_order", "path"
        ):
            self.branches[b.parent_id].append(b)
        self.staff: dict[int, list[StationStaff]] = defaultdict(list)

    def todo(self, model, label: str) -> list[tuple[int, Org]]:
        """The stations (with their index) that have no `model` rows yet; the others count as skipped."""
        done = set(model.objects.filter(org__in=self.stations).values_list("org_id", flat=True))
        _count(self.skipped, label, len(done))
        return [(i, s) for i, s in enumerate(self.stations) if s.pk not in done]

    def at(self, day: datetime.date, hour: int) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(hour, self.rng.choice((0, 30))))
        )

    # --- staffing, checklist, systems ---------------------------------------------------------------

    def load_staff(self) -> None:
        chief_user = User.objects.filter(username=CHIEF_LOGIN).first()
        rows = []
        for _, st in self.todo(StationStaff, "工作站人员"):
            since = self.today - datetime.timedelta(days=self.rng.randint(400, 1500))
            login = chief_user if st.name == SHOWCASE and chief_user else None
            chief = login.real_name if login else member_demo.draw_name(self.rng, self.rng.random() < 0.8)
            plan = [(Post.CHIEF, chief, "镇党委委员", login)]
            for _ in range(self.rng.choice((1, 2))):
                plan.append(
                    (Post.DEPUTY, member_demo.draw_name(self.rng, True), self.rng.choice(DEPUTY_TITLES), None)
                )
            for _ in range(self.rng.choice((1, 2))):
                plan.append(
                    (
                        Post.WORKER,
                        member_demo.draw_name(self.rng, self.rng.random() < 0.5),
                        "专职党务工作者",
                        None,
                    )
                )
            for post, name, title, user in plan:
                phone = login.phone if user is not None and login.phone else member_demo.draw_phone(self.rng)
                rows.append(
                    StationStaff(
                        org=st,
                        name=name,
                        post=post,
                        title=title,
                        phone=phone,
                        since=since,
                        user=user,
                        demo_source=INVENTED,
                    )
                )
        StationStaff.objects.bulk_create(rows)
        _count(self.created, "工作站人员", len(rows))

    def load_checklist(self) -> None:
        rows = []
        checked = self.today - datetime.timedelta(days=20)
        for i, st in self.todo(StationChecklist, "工作站六个到位"):
            gap = CHECKLIST_GAPS.get(i) if st.name != SHOWCASE else None
            for item in ChecklistItem.values:
                met = not (gap and gap[0] == item)
                note = gap[1] if not met else "经乡镇党委核查到位"
                rows.append(
                    StationChecklist(
                        org=st,
                        item=item,
                        met=met,
                        note=note,
                        checked_on=checked,
                        checked_by=self.admin,
                        demo_source=INVENTED,
                    )
                )
        StationChecklist.objects.bulk_create(rows)
        _count(self.created, "工作站六个到位", len(rows))

    def load_systems(self) -> None:
        rows = []
        adopted = self.today - datetime.timedelta(days=500)
        checked = self.today - datetime.timedelta(days=20)
        for i, st in self.todo(StationSystem, "工作站制度"):
            gap = SYSTEM_GAPS.get(i) if st.name != SHOWCASE else None
            for system in System.values:
                in_force, posted = (gap[1], gap[2]) if gap and gap[0] == system else (True, True)
                rows.append(
                    StationSystem(
                        org=st,
                        system=system,
                        in_force=in_force,
                        posted=posted,
                        adopted_on=adopted if in_force else None,
                        note="" if in_force and posted else "待完善",
                        checked_on=checked,
                        checked_by=self.admin,
                        demo_source=INVENTED,
                    )
                )
        StationSystem.objects.bulk_create(rows)
        _count(self.created, "工作站制度", len(rows))

    def names(self, station: Org, *posts: str) -> list[str]:
        """Names of the station's staff in `posts` (all staff of the demo stations read once)."""
        if not self.staff:
            for s in StationStaff.objects.filter(org__in=self.stations).order_by("post", "pk"):
                self.staff[s.org_id].append(s)
        return [s.name for s in self.staff[station.pk] if s.post in posts] or ["站长"]

    # --- inspections and half-days -------------------------------------------------------------------

    def load_inspections(self) -> None:
        periods = []
        period = half_month(self.today - datetime.timedelta(days=90))
        while period.start <= self.today:
            periods.append(period)
            period = half_month(period.end + datetime.timedelta(days=1))
        closed = last_closed_half_month(self.today)
        current = half_month(self.today)
        rows = []
        for _, st in self.todo(StationInspection, "工作站督查"):
            inspectors = "、".join(self.names(st, Post.CHIEF, Post.DEPUTY)[:2])
            for p in periods:
                last = min(p.end, self.today)
                for n, branch in enumerate(self.branches[st.pk]):
                    if st.name == SHOWCASE and p == closed and n == 1:
                        continue
                    if p == current and self.rng.random() > (self.today - p.start).days / 15:
                        continue
                    day = p.start + datetime.timedelta(days=self.rng.randint(0, (last - p.start).days))
                    when = self.at(day, self.rng.randint(9, 16))
                    if when > timezone.now():
                        continue
                    trouble = self.rng.random() < 0.12
                    rows.append(
                        StationInspection(
                            org=st,
                            branch=branch,
                            inspected_at=when,
                            inspected_on=day,
                            inspectors=inspectors,
                            items_checked="三会一课、主题党日落实情况；上周任务清单完成情况；问题台账整改进度",
                            problems="主题党日记录不完整，缺少签到表" if trouble else "",
                            needs_follow_up=trouble,
                            recorded_by=self.admin,
                            demo_source=INVENTED,
                        )
                    )
        StationInspection.objects.bulk_create(rows)
        _count(self.created, "工作站督查", len(rows))

    def load_half_days(self) -> None:
        missed = last_complete_week(self.today)
        first = week_of(self.today - datetime.timedelta(weeks=13))
        rows = []
        for _, st in self.todo(ServiceHalfDay, "便民服务半天"):
            on_duty = "、".join(self.names(st, Post.WORKER))
            week = first
            while week.start <= self.today:
                day = week.start + datetime.timedelta(days=self.rng.choice((1, 2, 3)))
                if day <= self.today and not (st.name == SHOWCASE and week == missed):
                    rows.append(
                        ServiceHalfDay(
                            org=st,
                            held_on=day,
                            session=self.rng.choice(Session.values),
                            place=f"{st.name}便民服务室",
                            staff_on_duty=on_duty,
                            residents_served=self.rng.randint(3, 25),
                            matters="政策咨询、证明材料代办、低保和医保事项代办",
                            recorded_by=self.admin,
                            demo_source=INVENTED,
                        )
                    )
                week = week_of(week.end + datetime.timedelta(days=1))
        ServiceHalfDay.objects.bulk_create(rows)
        _count(self.created, "便民服务半天", len(rows))

    # --- research ------------------------------------------------------------------------------------

    def load_research(self) -> None:
        year = self.today.year
        townships = sorted({st.parent for st in self.stations}, key=lambda t: t.path)
        planned = set(
            ResearchPlan.objects.filter(org__in=townships, year=year).values_list("org_id", flat=True)
        )
        _count(self.skipped, "专项调研计划", len(planned))
        plans = ResearchPlan.objects.bulk_create(
            [
                ResearchPlan(
                    org=t,
                    year=year,
                    topics="\n".join(self.rng.sample(TOPICS, 3)),
                    schedule="4月上旬第一轮集中调研；9月上旬第二轮集中调研；11月下旬评比交流会",
                    recorded_by=self.admin,
                    demo_source=INVENTED,
                )
                for t in townships
                if t.pk not in planned
            ]
        )
        _count(self.created, "专项调研计划", len(plans))
        plan_of = {p.org_id: p for p in ResearchPlan.objects.filter(org__in=townships, year=year)}
        rounds, visits = [], []
        for _, st in self.todo(ResearchRound, "专项调研"):
            starts = [datetime.date(year, 4, 8)] + (
                [] if st.name == ONE_ROUND else [datetime.date(year, 9, 9)]
            )
            for start in starts:
                start = _clamp(start, self.today)
                rounds.append(
                    ResearchRound(
                        org=st,
                        plan=plan_of.get(st.parent_id),
                        topic=self.rng.choice(TOPICS),
                        started_on=start,
                        ended_on=_clamp(start + datetime.timedelta(days=3), self.today),
                        participants="、".join(self.names(st, Post.CHIEF, Post.DEPUTY, Post.WORKER)),
                        summary="深入所辖村走访党员群众，召开座谈会，查阅台账资料。",
                        recorded_by=self.admin,
                        demo_source=INVENTED,
                    )
                )
        ResearchRound.objects.bulk_create(rounds)
        through = ResearchRound.villages.through
        for r in rounds:
            chosen = self.rng.sample(self.branches[r.org_id], min(3, len(self.branches[r.org_id])))
            visits += [through(researchround_id=r.pk, org_id=b.pk) for b in chosen]
        through.objects.bulk_create(visits)
        _count(self.created, "专项调研", len(rounds))
        reports = ResearchReport.objects.bulk_create(
            [
                ResearchReport(
                    round=r,
                    org_id=r.org_id,
                    title=f"关于{r.topic}的调研报告",
                    text=f"一、基本情况\n二、存在问题\n三、对策建议\n（{r.topic}，演示用虚构内容）",
                    submitted_on=_clamp(r.ended_on + datetime.timedelta(days=10), self.today),
                    submitted_by=self.admin,
                    demo_source=INVENTED,
                )
                for r in rounds
            ]
        )
        _count(self.created, "调研报告", len(reports))
        self.load_appraisals(townships, year)

    def load_appraisals(self, townships: list[Org], year: int) -> None:
        held = set(
            ResearchAppraisal.objects.filter(org__in=townships, year=year).values_list("org_id", flat=True)
        )
        _count(self.skipped, "调研成果评比会", len(held))
        meetings = ResearchAppraisal.objects.bulk_create(
            [
                ResearchAppraisal(
                    org=t,
                    year=year,
                    held_on=_clamp(datetime.date(year, 11, 25), self.today),
                    reviewers="乡镇党委书记、组织委员、党建办主任",
                    note="各工作站交流调研成果，评出优秀调研报告。",
                    recorded_by=self.admin,
                    demo_source=INVENTED,
                )
                for t in townships
                if t.pk not in held
            ]
        )
        _count(self.created, "调研成果评比会", len(meetings))
        by_township = {m.org_id: m for m in meetings}
        reports = ResearchReport.objects.filter(
            org__parent_id__in=list(by_township), round__ended_on__year=year
        ).order_by("pk")
        scores: list[ResearchScore] = []
        grouped: dict[int, list[ResearchScore]] = defaultdict(list)
        for rep in reports.select_related("org"):
            meeting = by_township[rep.org.parent_id]
            score = ResearchScore(
                appraisal=meeting,
                report=rep,
                org_id=rep.org_id,
                score=Decimal(self.rng.randint(700, 960)) / 10,
                comment=self.rng.choice(("问题找得准，建议可操作", "数据翔实", "对策需进一步细化")),
                scored_by=self.admin,
                demo_source=INVENTED,
            )
            grouped[meeting.pk].append(score)
            scores.append(score)
        for group in grouped.values():
            for s, place in zip(group, ranks([s.score for s in group]), strict=True):
                s.rank = place
        ResearchScore.objects.bulk_create(scores)
        _count(self.created, "调研报告评分", len(scores))


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Add this app's demo rows (idempotent: a second run creates nothing)."""
    today = today or timezone.localdate()
    demo = Demo(admin, created, skipped, today)
    if not demo.stations:
        return
    before = sum(created[label] for label in DEMO_LABELS)
    with transaction.atomic():
        demo.load_staff()
        demo.load_checklist()
        demo.load_systems()
        demo.load_inspections()
        demo.load_half_days()
        demo.load_research()
        made = {label: created[label] for label in DEMO_LABELS if created[label]}
        if sum(made.values()) > before:
            county = county_of(demo.stations[0])
            note = "载入党建工作站演示数据：" + "，".join(f"{k}{v}" for k, v in made.items())
            audit.record(admin, "stations.demo", None, org=county, after=made, note=note[:300])


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """A chief, a deputy and a full-time worker for every station of the generated province, in bulk."""
    source = f"生成（种子{plan.seed}）"
    rng = random.Random(f"stations-{plan.seed}")
    now = timezone.now()
    table = member_demo.Table(
        StationStaff, ("id", "org_id", "name", "post", "title", "phone", "since", "demo_source", "created_at")
    )
    for i, o in enumerate(plan.orgs):
        if o.kind != OrgKind.STATION:
            continue
        since = today - datetime.timedelta(days=rng.randint(200, 1500))
        for post, title in (
            (Post.CHIEF, "乡镇党委委员"),
            (Post.DEPUTY, "驻村干部"),
            (Post.WORKER, "专职党务工作者"),
        ):
            name = member_demo.draw_name(rng, rng.random() < 0.7)
            table.add(
                (
                    table.take_id(),
                    org_ids[i],
                    name,
                    post,
                    title,
                    member_demo.draw_phone(rng),
                    since,
                    source,
                    now,
                )
            )
    member_demo.flush([table])
    org_demo.reset_sequences(StationStaff)
    return {"station_staff": table.total}
