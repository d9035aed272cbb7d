"""The tasks part of the demo counties and of the generated province.

- 前所乡 (五寨县, seed 000): "我们每月制定任务清单，从流动党员管理到民生实事推进，事事有目标、有进度" — a
  monthly list for every month of the year so far: online study for mobile members each month, the four
  online seminars, and the canal: 50.5万元 to repair 1000 m of irrigation canal watering 950 mu.
- 五寨县: the county's own monthly key tasks to its eight townships for the last three months (what its
  3+X monthly analysis reports on), with some townships short or late.
- 宜君县 五里镇 (seed 002, 两下两上): the weeks of the last month and this week; villages report by
  Thursday and stations compile by Friday (the rules' defaults). In the latest week whose village reports
  are due, every station but 榆舍 has compiled; 榆舍's villages have all reported, one of them late, and
  the station chief (`station_yushe`) has still to compile the week and send it on.

Written through the services with their `today`/`now`, then the issue and dispatch times moved back to
the day they stand for, so the history reads as it would have happened."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.dates import add_months, month_start
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import generate, services, weekly
from .choices import ListKind, TargetKind
from .models import Assignment, TaskList, WeeklyCycle

DEMO_LABELS: tuple[str, ...] = ("任务清单", "两下两上周工作")
PROVINCE_LABELS: dict[str, str] = generate.PROVINCE_LABELS
SHANGHAI = ZoneInfo("Asia/Shanghai")
CANAL = "整修灌溉渠1000米"
CANAL_NOTE = "协调资金50.5万元整修1000米灌溉渠，带动950亩农田实现有效灌溉（来源：前所乡党建办台账）"
SEMINAR_MONTHS = (3, 6, 9, 11)  # "组织4次线上座谈会"
WUZHAI_TASKS = (
    (
        "党建办工作台账按月更新",
        True,
        TargetKind.CHECKLIST,
        None,
        "",
        ["三会一课台账", "发展党员台账", "问题台账"],
    ),
    ("到村工作天数达标（每人每周不少于2天）", True, TargetKind.NUMBER, Decimal(8), "天", []),
    ("流动党员线上学习推送", False, TargetKind.NUMBER, Decimal(4), "期", []),
)
# Townships of 五寨县 that fall short or report late in the demo months (the scorecard's weakest).
WUZHAI_SHORT = {"孙家坪乡": Decimal("0.5"), "韩家楼乡": Decimal("0.75")}
WUZHAI_LATE = {"孙家坪乡", "胡会乡"}
WULI = "五里镇"
YUSHE = "榆舍党建工作站"
WEEK_TASKS = (
    {"title": "入户走访收集民情", "target_kind": TargetKind.NUMBER, "target_value": "5", "unit": "户"},
    {
        "title": "主题党日准备",
        "target_kind": TargetKind.CHECKLIST,
        "checklist": ["确定主题", "通知党员", "准备学习材料"],
    },
)
WEEKS_BACK = 4


def _org(name: str) -> Org | None:
    return Org.objects.filter(code=org_demo.code_of(name)).first()


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    """That hour of `day`, or a minute ago when it is still to come (a demo loaded just after midnight)."""
    at = datetime.datetime.combine(day, datetime.time(hour), SHANGHAI)
    return min(at, timezone.now() - datetime.timedelta(minutes=1))


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Add the demo task lists and weeks (idempotent: a second run creates nothing)."""
    today = today or timezone.localdate()
    before = sum(created[label] for label in DEMO_LABELS)
    with transaction.atomic():
        qiansuo, wuzhai, wuli = _org("前所乡"), _org("五寨县"), _org(WULI)
        if qiansuo is not None:
            _qiansuo(admin, qiansuo, today, created, skipped)
        if wuzhai is not None:
            _wuzhai(admin, wuzhai, today, created, skipped)
        if wuli is not None:
            _wuli(admin, wuli, today, created, skipped)
        made = {label: created[label] for label in DEMO_LABELS if created[label]}
        if sum(made.values()) > before:
            note = "载入任务清单演示数据：" + "，".join(f"{k}{v}" for k, v in made.items())
            audit.record(admin, "tasks.demo", None, org=qiansuo or wuli, after=made, note=note[:300])


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    return generate.insert_province_tasks(plan, org_ids, today)


def _villages(org: Org) -> list[Org]:
    return list(
        Org.objects.filter(
            path__startswith=org.path, kind__in=(OrgKind.BRANCH, OrgKind.COMMUNITY), archived_at__isnull=True
        ).order_by("path")
    )


def _backdate(task_list: TaskList, issued: datetime.datetime) -> None:
    """Issue and dispatch times as on the day the list stands for (the services stamp the real time)."""
    TaskList.objects.filter(pk=task_list.pk).update(issued_at=issued, created_at=issued)
    Assignment.objects.filter(task__task_list=task_list).update(dispatched_at=issued)


def _monthly_list(admin, org: Org, start: datetime.date, created, skipped) -> TaskList | None:
    if TaskList.objects.filter(org=org, kind=ListKind.MONTHLY, period_start=start).exists():
        skipped["任务清单"] += 1
        return None
    created["任务清单"] += 1
    return services.create_task_list(admin, org=org, kind=ListKind.MONTHLY, period_start=start)


def _qiansuo(admin, township: Org, today: datetime.date, created, skipped) -> None:
    villages = _villages(township)
    if not villages:
        return
    canal_village = villages[0]
    for month in range(1, today.month + 1):
        start = datetime.date(today.year, month, 1)
        tl = _monthly_list(admin, township, start, created, skipped)
        if tl is None:
            continue
        end = add_months(start, 1) - datetime.timedelta(days=1)
        current = start == month_start(today)
        study = services.add_task(
            admin, tl, title="组织流动党员参加线上学习", due=end, key=True, target_value=1, unit="次",
            description="党建办每月推送线上学习内容，各村组织本村流动党员按期学习并报告参学情况",
        )  # fmt: skip
        tasks = [(study, Decimal(1))]
        if month in SEMINAR_MONTHS:
            seminar = services.add_task(
                admin, tl, title="组织流动党员线上座谈会", due=end, key=True, target_value=1, unit="次",
                sort_order=1,
            )  # fmt: skip
            tasks.append((seminar, Decimal(1)))
        for task, _ in tasks:
            services.dispatch(admin, task, orgs=villages, today=start)
        if month == 5:
            canal = services.add_task(
                admin, tl, title=CANAL, due=datetime.date(today.year, 9, 30), key=True, target_value=1000,
                unit="米", description=CANAL_NOTE, sort_order=2,
            )  # fmt: skip
            services.dispatch(admin, canal, orgs=[canal_village], today=start)
        for task, target in tasks:
            for i, a in enumerate(Assignment.objects.filter(task=task).order_by("org__path")):
                if current and i % 2:
                    continue  # this month's reports are still coming in
                day = min(end - datetime.timedelta(days=3 + i), today)
                services.report(admin, a, text="已组织本村流动党员完成学习", amount=target, now=_at(day, 10))
        _backdate(tl, _at(start, 9))
    canal_assignment = Assignment.objects.filter(task__title=CANAL, org=canal_village).first()
    if canal_assignment is not None and not canal_assignment.reports.exists():
        for day, metres, text in (
            (datetime.date(today.year, 6, 20), 300, "渠道清淤完成，衬砌300米"),
            (datetime.date(today.year, 8, 10), 700, "衬砌累计700米"),
            (datetime.date(today.year, 9, 25), 1000, "1000米全部完工，950亩农田实现有效灌溉"),
        ):
            if day <= today:
                services.report(admin, canal_assignment, text=text, amount=metres, now=_at(day, 15))


def _wuzhai(admin, county: Org, today: datetime.date, created, skipped) -> None:
    townships = list(
        Org.objects.filter(parent=county, kind=OrgKind.TOWNSHIP, archived_at__isnull=True).order_by("path")
    )
    this_month = month_start(today)
    for back in (3, 2, 1, 0):
        start = add_months(this_month, -back)
        tl = _monthly_list(admin, county, start, created, skipped)
        if tl is None:
            continue
        end = add_months(start, 1) - datetime.timedelta(days=1)
        for order, (title, key, kind, target, unit, checklist) in enumerate(WUZHAI_TASKS):
            task = services.add_task(
                admin, tl, title=title, due=end, key=key, target_kind=kind, target_value=target, unit=unit,
                checklist=checklist, sort_order=order,
            )  # fmt: skip
            services.dispatch(admin, task, orgs=townships, today=start)
            if back == 0:
                continue  # the current month is still running
            for a in Assignment.objects.filter(task=task).select_related("org"):
                share = WUZHAI_SHORT.get(a.org.name, Decimal(1))
                day = (
                    end + datetime.timedelta(days=2)
                    if a.org.name in WUZHAI_LATE
                    else end - datetime.timedelta(1)
                )
                if kind == TargetKind.CHECKLIST:
                    items = list(range(max(1, int(len(checklist) * share))))
                    services.report(admin, a, text="台账已更新", checklist_done=items, now=_at(day, 16))
                else:
                    amount = (target * share).quantize(Decimal(1))
                    services.report(admin, a, text=f"本月完成{amount}{unit}", amount=amount, now=_at(day, 16))
        _backdate(tl, _at(start, 9))


def _wuli(admin, township: Org, today: datetime.date, created, skipped) -> None:
    rules = weekly.week_rules(weekly.county_of(township))
    this_monday = weekly.monday_of(today)
    # The latest week whose village reports were due before today: 榆舍 still has it to compile.
    target = this_monday if this_monday + datetime.timedelta(days=rules.report_weekday) < today else (
        this_monday - datetime.timedelta(weeks=1)
    )  # fmt: skip
    weeks = [target - datetime.timedelta(weeks=n) for n in range(WEEKS_BACK, -1, -1)]
    if target != this_monday:
        weeks.append(this_monday)
    stations = list(
        Org.objects.filter(parent=township, kind=OrgKind.STATION, archived_at__isnull=True).order_by("path")
    )
    for n, monday in enumerate(weeks):
        if WeeklyCycle.objects.filter(org=township, week_start=monday).exists():
            skipped["两下两上周工作"] += 1
            continue
        created["两下两上周工作"] += 1
        cycle = weekly.issue_week(
            admin, township=township, week_start=monday, tasks=list(WEEK_TASKS), today=monday
        )
        for station in stations:
            weekly.relay_week(admin, cycle, station, today=monday)
        if monday > target:
            _village_reports(admin, cycle, today, partial=True)
        else:
            _village_reports(admin, cycle, today, late_every=3 + n)
            for station in stations:
                if monday == target and station.name == YUSHE:
                    continue
                late = (n + stations.index(station)) % 5 == 0
                moment = _at(cycle.compile_due + datetime.timedelta(days=1 if late else 0), 17)
                compilation = weekly.draft_compilation(admin, cycle, station, now=moment)
                weekly.submit_compilation(admin, compilation, now=moment)
        _backdate(cycle.task_list, _at(monday, 8))


def _village_reports(admin, cycle: WeeklyCycle, today: datetime.date, *, partial=False, late_every=4) -> None:
    """Every village reports both tasks; every `late_every`-th village a day after the report day, and in
    榆舍 exactly one. In a week still running, only every other village has reported so far."""
    leaves = (
        Assignment.objects.filter(task__task_list=cycle.task_list, relayed=False)
        .select_related("task", "org", "org__parent")
        .order_by("org__path", "task__sort_order", "task_id")
    )
    villages = sorted({a.org_id for a in leaves})
    yushe = sorted({a.org_id for a in leaves if a.org.parent.name == YUSHE})
    for a in leaves:
        i = villages.index(a.org_id)
        if partial and i % 2:
            continue
        late = (a.org_id == yushe[0]) if a.org_id in yushe else i % late_every == late_every - 1
        day = cycle.report_due + datetime.timedelta(days=1) if late else cycle.report_due
        day = min(day, today)
        if a.task.target_kind == TargetKind.CHECKLIST:
            services.report(
                admin,
                a,
                text="已准备就绪",
                checklist_done=list(range(len(a.task.checklist))),
                now=_at(day, 11),
            )
        else:
            services.report(admin, a, text=f"本周走访{5}户，收集意见建议", amount=5, now=_at(day, 11))
