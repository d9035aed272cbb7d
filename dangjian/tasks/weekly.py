"""The two-down two-up weekly cycle (两下两上): issue, relay, compile, submit — and the county's settings.

Down 1: `issue_week` — a township's weekly TaskList and its tasks (through services.py), a WeeklyCycle
whose report and compile days are fixed from the county's rules at issue time, each task dispatched to
all the township's stations with due = compile day. Down 2: `relay_week` — a station passes its
assignments on to its villages with due = report day. Up 1: villages report through services.report
(not here). Up 2: `draft_compilation` builds the station's Compilation from its villages' reports (text
per task and village, figures per task), `update_compilation` edits it, `submit_compilation` sends it to
the township once.

Lateness is read from dates, never stored per village: a village's report is late when its first report
falls after the week's report day, missing when there is none after that day (not before it); a station's
compilation is late when submitted after the compile day, missing when none is submitted after it.

The read helpers at the end (`week_board`, `station_week`) serve the pages, the API and the checks with a
constant number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import ActionDenied, DomainError, DomainErrors, NotInScope
from dangjian.core.models import RuleOverride
from dangjian.core.rules import rule_value
from dangjian.core.scope import can, require, role_paths
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import weekly_rules as WR
from .choices import CompilationState, ListKind, TargetKind
from .models import Assignment, Compilation, Task, TaskList, TaskReport, WeeklyCycle

LABELS: dict[str, str] = {
    "tasks.week_issue": "下发周任务清单（两下两上）",
    "tasks.week_relay": "周任务分解到各村",
    "tasks.compilation_draft": "起草工作站周汇总",
    "tasks.compilation_update": "修改工作站周汇总",
    "tasks.compilation_submit": "工作站周汇总上报乡镇",
    "tasks.weekly_settings": "设置两下两上汇报日与周期",
}

VILLAGE_KINDS = (OrgKind.BRANCH, OrgKind.COMMUNITY)
ALREADY_SUBMITTED = "本周已汇总上报，不能重复汇总"
BODY_MAX = 10000
MAX_TASKS = 30
TASK_FIELDS = ("title", "description", "target_kind", "target_value", "unit", "checklist", "key")

# Village states (per village and task, and per village for the week: the worst of its tasks).
REPORTED, LATE, PENDING, MISSING = "reported", "late", "pending", "missing"
VILLAGE_LABELS = {REPORTED: "已报", LATE: "逾期报", PENDING: "未报", MISSING: "逾期未报"}
# Station states for the week.
SUBMITTED, SUBMITTED_LATE, DRAFT, NOT_STARTED, STATION_MISSING = (
    "submitted",
    "submitted_late",
    "draft",
    "not_started",
    "station_missing",
)
STATION_LABELS = {
    SUBMITTED: "已上报",
    SUBMITTED_LATE: "逾期上报",
    DRAFT: "草稿未上报",
    NOT_STARTED: "未汇总",
    STATION_MISSING: "逾期未上报",
}
STATE_CLASS = {
    REPORTED: "status-green",
    SUBMITTED: "status-green",
    LATE: "status-red",
    MISSING: "status-red",
    SUBMITTED_LATE: "status-red",
    STATION_MISSING: "status-red",
    PENDING: "text-muted",
    DRAFT: "status-amber",
    NOT_STARTED: "text-muted",
}
_WORST = {MISSING: 3, LATE: 2, PENDING: 1, REPORTED: 0}
NUMERALS = "一二三四五六七八九十"


def _services():
    from . import services

    return services


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _localdate(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (task headings of the compilation)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return f"{NUMERALS[tens - 1] if tens > 1 else ''}十{NUMERALS[ones - 1] if ones else ''}"


def num(value: Any) -> str:
    """A Decimal as people write it: 1000, 12.5, 0."""
    if value is None:
        return "—"
    d = Decimal(value)
    text = f"{d.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text or "0"


def safe_url(name: str, pk: int, fallback: str = "") -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return fallback


# --- the county's days ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekRules:
    report_weekday: int
    compile_weekday: int
    cadence_weeks: int

    def text(self) -> str:
        every = "每周" if self.cadence_weeks == 1 else f"每{self.cadence_weeks}周"
        return (
            f"{every}一次：村{WR.weekday_name(self.report_weekday)}前向工作站汇报，"
            f"工作站{WR.weekday_name(self.compile_weekday)}前汇总上报乡镇"
        )


def week_rules(county: Org | None) -> WeekRules:
    return WeekRules(
        int(rule_value(WR.REPORT_WEEKDAY.code, county)),
        int(rule_value(WR.COMPILE_WEEKDAY.code, county)),
        int(rule_value(WR.CADENCE_WEEKS.code, county)),
    )


def county_of(org: Org) -> Org | None:
    ids = org.ancestor_ids() + [org.pk]
    return Org.objects.filter(pk__in=ids, kind=OrgKind.COUNTY).first()


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def next_issuable(township: Org, rules: WeekRules, today: datetime.date) -> datetime.date:
    """The first Monday from this week on that is on the county's cadence and not yet issued."""
    first = (
        WeeklyCycle.objects.filter(org=township).order_by("week_start").values_list("week_start", flat=True)
    ).first()
    taken = set(
        WeeklyCycle.objects.filter(org=township, week_start__gte=monday_of(today)).values_list(
            "week_start", flat=True
        )
    )
    day = monday_of(today)
    if day + datetime.timedelta(days=rules.report_weekday) < today:
        day += datetime.timedelta(days=7)
    for _ in range(60):
        on_cadence = first is None or ((day - first).days // 7) % rules.cadence_weeks == 0
        if on_cadence and day not in taken:
            return day
        day += datetime.timedelta(days=7)
    return day


# --- down 1: the township issues the week ---------------------------------------------------------


def issue_week(
    actor: Any,
    *,
    township: Org,
    week_start: datetime.date,
    tasks: list[dict[str, Any]],
    today: datetime.date | None = None,
    note: str = "",
) -> WeeklyCycle:
    """The township's list for the week starting Monday `week_start`, sent to all its stations."""
    today = today or timezone.localdate()
    svc = _services()
    if township is None or not can(actor, "view", TaskList(org=township)):
        raise DomainError("该乡镇不在您的管辖范围内。", "township")
    if not can(actor, "add", TaskList(org=township)):
        raise ActionDenied("您的角色无权下达周任务清单。")
    if township.kind != OrgKind.TOWNSHIP:
        raise DomainError("两下两上周任务清单由乡镇（街道）下达。", "township")
    if township.archived_at is not None:
        raise DomainError(f"“{township.name}”已撤销。", "township")
    if not isinstance(week_start, datetime.date) or isinstance(week_start, datetime.datetime):
        raise DomainError("请填写本周周一的日期。", "week_start")
    if week_start.weekday() != 0:
        raise DomainError(f"{week_start:%Y-%m-%d}不是周一：周任务清单须从周一开始。", "week_start")
    if WeeklyCycle.objects.filter(org=township, week_start=week_start).exists():
        raise DomainError(f"{township.name}{week_start:%Y-%m-%d}周的任务已下达，不能重复下达。", "week_start")
    if week_start + datetime.timedelta(days=6) < today:
        raise DomainError(f"{week_start:%Y-%m-%d}周已过去，不能再下达。", "week_start")
    county = county_of(township)
    rules = week_rules(county)
    report_due = week_start + datetime.timedelta(days=rules.report_weekday)
    compile_due = week_start + datetime.timedelta(days=max(rules.compile_weekday, rules.report_weekday))
    rows = [t for t in (tasks or []) if any(str(t.get(k) or "").strip() for k in ("title", "description"))]
    if not rows:
        raise DomainError("请至少填写一项任务。", "tasks")
    if len(rows) > MAX_TASKS:
        raise DomainError(f"一周最多下达{MAX_TASKS}项任务。", "tasks")
    with transaction.atomic():
        Org.objects.select_for_update().filter(pk=township.pk).first()  # one issue at a time per township
        if WeeklyCycle.objects.filter(org=township, week_start=week_start).exists():
            raise DomainError(
                f"{township.name}{week_start:%Y-%m-%d}周的任务已下达，不能重复下达。", "week_start"
            )
        first = (
            WeeklyCycle.objects.filter(org=township)
            .order_by("week_start")
            .values_list("week_start", flat=True)
            .first()
        )
        if first is not None and ((week_start - first).days // 7) % rules.cadence_weeks:
            nxt = next_issuable(township, rules, max(today, week_start))
            raise DomainError(
                f"本县两下两上每{rules.cadence_weeks}周一次（自{first:%Y-%m-%d}周起算），"
                f"{week_start:%Y-%m-%d}周不在周期内；可下达{nxt:%Y-%m-%d}周。",
                "week_start",
            )
        if report_due < today:
            raise DomainError(
                f"本周村级汇报期限（{report_due:%Y-%m-%d}，{WR.weekday_name(rules.report_weekday)}）已过，"
                "不能再下达本周任务，请下达下一周。",
                "week_start",
            )
        stations = list(
            Org.objects.filter(parent=township, kind=OrgKind.STATION, archived_at__isnull=True).order_by(
                "path"
            )
        )
        if not stations:
            raise DomainError(f"{township.name}没有党建工作站，无法开展两下两上。", "township")
        task_list = svc.create_task_list(
            actor, org=township, kind=ListKind.WEEKLY, period_start=week_start, note=note
        )
        cycle = WeeklyCycle.objects.create(
            task_list=task_list,
            org=township,
            county=county or township,
            week_start=week_start,
            report_due=report_due,
            compile_due=compile_due,
        )
        for i, row in enumerate(rows):
            try:
                task = svc.add_task(
                    actor,
                    task_list,
                    title=row.get("title") or "",
                    description=row.get("description") or "",
                    due=compile_due,
                    key=bool(row.get("key")),
                    target_kind=row.get("target_kind") or TargetKind.NUMBER,
                    target_value=row.get("target_value"),
                    unit=row.get("unit") or "",
                    checklist=row.get("checklist") or (),
                    sort_order=i,
                )
            except DomainError as exc:
                raise _row_errors(exc, i) from exc
            svc.dispatch(actor, task, orgs=stations, due=compile_due, today=today)
        audit.record(
            actor,
            "tasks.week_issue",
            cycle,
            org=township,
            after=snapshot(cycle),
            note=f"{len(rows)}项任务下发至{len(stations)}个工作站："
            + "、".join(s.name for s in stations)[:1500],
        )
    return cycle


def _row_errors(exc: DomainError, i: int) -> DomainError:
    """A task's errors named `tasks.<row>.<field>`, with the row number in the message."""
    errors = getattr(exc, "errors", None) or [exc]
    out = [DomainError(f"第{i + 1}项任务：{e.message}", f"tasks.{i}.{e.field or 'title'}") for e in errors]
    return out[0] if len(out) == 1 else DomainErrors(out)


# --- down 2: a station passes the week on to its villages -----------------------------------------


def _station_of(cycle: WeeklyCycle, station: Org) -> Org:
    if station is None or station.parent_id != cycle.org_id or station.kind != OrgKind.STATION:
        raise DomainError("该工作站不属于本周任务的乡镇。", "station")
    return station


def _tops(cycle: WeeklyCycle, station: Org, lock: bool = False) -> list[Assignment]:
    qs = Assignment.objects.filter(task__task_list_id=cycle.task_list_id, org=station, parent__isnull=True)
    if lock:
        qs = qs.select_for_update()
    return list(qs.select_related("task", "org").order_by("task__sort_order", "task_id"))


def villages_of(station: Org) -> list[Org]:
    return list(
        Org.objects.filter(parent=station, kind__in=VILLAGE_KINDS, archived_at__isnull=True).order_by(
            "sort_order", "path"
        )
    )


def relay_week(
    actor: Any, cycle: WeeklyCycle, station: Org, today: datetime.date | None = None
) -> list[Assignment]:
    """Pass every task the station holds this week on to all its villages, due on the report day.
    Villages that already hold a task are skipped; nothing new to pass on is refused."""
    today = today or timezone.localdate()
    svc = _services()
    station = _station_of(cycle, station)
    with transaction.atomic():
        tops = _tops(cycle, station, lock=True)
        if not tops:
            raise DomainError(f"本周任务未下达到{station.name}。", "station")
        require(actor, "dispatch", tops[0])
        if Compilation.objects.filter(cycle=cycle, org=station, state=CompilationState.SUBMITTED).exists():
            raise DomainError(f"{ALREADY_SUBMITTED}，也不能再分解。", "station")
        if cycle.report_due < today:
            raise DomainError(
                f"村级汇报期限（{cycle.report_due:%Y-%m-%d}）已过，不能再分解到各村。", "station"
            )
        villages = villages_of(station)
        if not villages:
            raise DomainError(f"{station.name}下没有村（社区）党组织。", "station")
        made: list[Assignment] = []
        for a in tops:
            made += svc.relay(actor, a, orgs=villages, due=cycle.report_due, today=today)
        if not made:
            raise DomainError("本周任务已分解到各村，无需重复分解。", "station")
        audit.record(
            actor,
            "tasks.week_relay",
            cycle,
            org=station,
            after={"station": station.pk, "assignments": [a.pk for a in made]},
            note=f"{station.name}将{len(tops)}项任务分解到{len(villages)}个村（社区）",
        )
    return made


# --- up 2: the station compiles its villages' reports ---------------------------------------------


def village_state(
    first_report_at: datetime.datetime | None, report_due: datetime.date, today: datetime.date
) -> str:
    """On or before the report day = reported; after it = late; none after it = missing; none before it
    = pending (not yet late)."""
    if first_report_at is not None:
        return LATE if _localdate(first_report_at) > report_due else REPORTED
    return MISSING if today > report_due else PENDING


def station_state(compilation: Compilation | None, compile_due: datetime.date, today: datetime.date) -> str:
    if compilation is not None and compilation.state == CompilationState.SUBMITTED:
        return SUBMITTED_LATE if compilation.late else SUBMITTED
    if today > compile_due:
        return STATION_MISSING
    return DRAFT if compilation is not None else NOT_STARTED


def worst(states: Iterable[str]) -> str:
    states = list(states)
    return max(states, key=lambda s: _WORST[s]) if states else PENDING


def _figures(
    cycle: WeeklyCycle, tops: list[Assignment], today: datetime.date
) -> tuple[list[dict[str, Any]], str]:
    """Figures per task and the drafted text, from the station's villages' assignments and reports."""
    children = list(
        Assignment.objects.filter(parent__in=[a.pk for a in tops]).select_related("org").order_by("org__path")
    )
    latest: dict[int, TaskReport] = {}
    for r in TaskReport.objects.filter(assignment__in=[c.pk for c in children]).order_by(
        "assignment_id", "-submitted_at", "-pk"
    ):
        latest.setdefault(r.assignment_id, r)
    by_parent: dict[int, list[Assignment]] = defaultdict(list)
    for c in children:
        by_parent[c.parent_id].append(c)
    figures: list[dict[str, Any]] = []
    parts: list[str] = []
    for n, top in enumerate(tops, start=1):
        task = top.task
        kids = by_parent.get(top.pk, [])
        unit = "项" if task.target_kind == TargetKind.CHECKLIST else task.unit
        target = sum((c.target_amount for c in kids), Decimal(0))
        done = sum((c.done_amount for c in kids), Decimal(0))
        capped = sum((min(c.done_amount, c.target_amount) for c in kids), Decimal(0))
        percent = int(capped * 100 / target) if target else None
        villages, late, missing, reported = [], [], [], 0
        lines = []
        for c in kids:
            state = village_state(c.first_report_at, cycle.report_due, today)
            rep = latest.get(c.pk)
            if state in (REPORTED, LATE):
                reported += 1
            if state == LATE:
                late.append(c.org.name)
            if state == MISSING:
                missing.append(c.org.name)
            villages.append(
                {
                    "org_id": c.org_id,
                    "name": c.org.name,
                    "state": state,
                    "done": num(c.done_amount),
                    "target": num(c.target_amount),
                    "text": rep.text[:300] if rep else "",
                    "reported_at": timezone.localtime(rep.submitted_at).strftime("%Y-%m-%d %H:%M")
                    if rep
                    else "",
                }
            )
            label = {REPORTED: "已报", LATE: "逾期", PENDING: "未报", MISSING: "未报"}[state]
            said = ""
            if rep:
                said = f"：完成{num(c.done_amount)}{unit}，{rep.text.strip()[:200]}"
            lines.append(f"{c.org.name}（{label}）{said}")
        if task.target_kind == TargetKind.CHECKLIST:
            goal = f"清单{len(task.checklist)}项（{'、'.join(task.checklist)[:200]}），共{num(target)}项"
        else:
            goal = f"每村{num(task.target_value)}{unit}，共{num(target)}{unit}"
        pct = f"（{percent}%）" if percent is not None else ""
        head = (
            f"{numeral(n)}、{task.title}：目标{goal}，已完成{num(done)}{unit}{pct}；"
            f"应报{len(kids)}村，已报{reported}村"
        )
        tail = []
        if late:
            tail.append(f"逾期报送：{'、'.join(late)}")
        if missing:
            tail.append(f"逾期未报：{'、'.join(missing)}")
        body = head + (f"（{'；'.join(tail)}）" if tail else "") + "；各村：" + "；".join(lines) + "。"
        parts.append(body if kids else head + "；本项未分解到村。")
        figures.append(
            {
                "task_id": task.pk,
                "title": task.title,
                "unit": unit,
                "target_kind": task.target_kind,
                "target": num(target),
                "done": num(done),
                "capped": num(capped),
                "percent": percent,
                "reported": reported,
                "expected": len(kids),
                "late": late,
                "missing": missing,
                "villages": villages,
            }
        )
    return figures, "\n".join(parts)


def draft_compilation(
    actor: Any, cycle: WeeklyCycle, station: Org, now: datetime.datetime | None = None
) -> Compilation:
    """Draft (or refresh the draft of) the station's compilation for the week from its villages'
    reports. Refused once submitted."""
    now = now or timezone.now()
    today = _localdate(now)
    station = _station_of(cycle, station)
    with transaction.atomic():
        comp = Compilation.objects.select_for_update().filter(cycle=cycle, org=station).first()
        probe = comp or Compilation(cycle=cycle, org=station, county_id=cycle.county_id)
        require(actor, "report", probe)
        if comp is not None and comp.state == CompilationState.SUBMITTED:
            raise DomainError(f"{ALREADY_SUBMITTED}。", "body")
        tops = _tops(cycle, station)
        if not tops:
            raise DomainError(f"本周任务未下达到{station.name}。", "station")
        if not any(a.relayed for a in tops):
            raise DomainError("本周任务尚未分解到各村，请先点“分解到各村”。", "station")
        figures, text = _figures(cycle, tops, today)
        heading = (
            f"{station.name}{cycle.week_start:%Y-%m-%d}周工作汇总"
            f"（村级汇报期限{cycle.report_due:%Y-%m-%d}，截至{timezone.localtime(now):%Y-%m-%d %H:%M}）"
        )
        body = f"{heading}\n{text}"[:BODY_MAX]
        data = {"as_of": timezone.localtime(now).isoformat(), "report_due": cycle.report_due.isoformat()}
        data["tasks"] = figures
        before = snapshot(comp) if comp is not None else None
        if comp is None:
            comp = Compilation.objects.create(
                cycle=cycle, org=station, county_id=cycle.county_id, body=body, figures=data
            )
            Compilation.objects.filter(pk=comp.pk).update(drafted_at=now)
        else:
            comp.body, comp.figures, comp.drafted_at = body, data, now
            comp.save(update_fields=["body", "figures", "drafted_at"])
        comp.refresh_from_db()
        audit.record(
            actor,
            "tasks.compilation_draft",
            comp,
            org=station,
            before=before,
            after=snapshot(comp),
            note="重新起草" if before is not None else "起草",
        )
    return comp


def update_compilation(actor: Any, compilation: Compilation, *, body: str) -> Compilation:
    """Edit the draft's text (the figures stay as drafted)."""
    with transaction.atomic():
        comp = Compilation.objects.select_for_update().select_related("cycle", "org").get(pk=compilation.pk)
        require(actor, "report", comp)
        if comp.state == CompilationState.SUBMITTED:
            raise DomainError("本周汇总已上报，不能再修改。", "body")
        body = (body if isinstance(body, str) else "").replace("\r\n", "\n").strip()
        if not body:
            raise DomainError("请填写汇总报告。", "body")
        if len(body) > BODY_MAX:
            raise DomainError(f"汇总报告不能超过{BODY_MAX}个字。", "body")
        before = snapshot(comp)
        comp.body = body
        comp.save(update_fields=["body"])
        audit.record(
            actor, "tasks.compilation_update", comp, org=comp.org, before=before, after=snapshot(comp)
        )
    return comp


def submit_compilation(
    actor: Any, compilation: Compilation, now: datetime.datetime | None = None
) -> Compilation:
    """Send the compilation to the township, once; late when after the week's compile day. The station's
    assignments already carry the sums of their villages (services.sync_parents): they are brought up to
    date so the township's roll-up matches what the station sends."""
    now = now or timezone.now()
    svc = _services()
    with transaction.atomic():
        comp = Compilation.objects.select_for_update().select_related("cycle", "org").get(pk=compilation.pk)
        require(actor, "report", comp)
        if comp.state == CompilationState.SUBMITTED:
            raise DomainError(f"{ALREADY_SUBMITTED}。", "body")
        if not comp.body.strip():
            raise DomainError("汇总报告为空，请先起草或填写。", "body")
        before = snapshot(comp)
        comp.state = CompilationState.SUBMITTED
        comp.submitted_at = now
        comp.submitted_by = _user(actor)
        comp.late = _localdate(now) > comp.cycle.compile_due
        comp.save(update_fields=["state", "submitted_at", "submitted_by", "late"])
        for top in _tops(comp.cycle, comp.org):
            if top.relayed:
                svc.sync_parents(top)
        audit.record(
            actor,
            "tasks.compilation_submit",
            comp,
            org=comp.org,
            before=before,
            after=snapshot(comp),
            note="逾期上报" if comp.late else "按期上报",
        )
    return comp


# --- the county's settings ------------------------------------------------------------------------


def set_week_rules(
    actor: Any,
    county: Org,
    *,
    report_weekday: Any,
    compile_weekday: Any,
    cadence_weeks: Any,
    source: str = "",
) -> WeekRules:
    """A county's own report weekday, compile weekday and cadence (RuleOverride rows). Weeks already
    issued keep their days."""
    if county is None or county.kind != OrgKind.COUNTY:
        raise DomainError("请选择县（区）。", "county")
    if not can(actor, "change", RuleOverride(county=county)):
        inside = any(path.startswith(county.path) for _role, path in role_paths(actor))
        if inside:
            raise ActionDenied("只有县委组织部管理员可以设置本县的两下两上汇报日。")
        raise NotInScope
    errors: list[DomainError] = []

    def whole(value: Any, name: str, low: int, high: int, label: str) -> int | None:
        try:
            n = int(value)
        except (TypeError, ValueError):
            errors.append(DomainError(f"{label}须为整数。", name))
            return None
        if not low <= n <= high:
            errors.append(DomainError(f"{label}须在{low}到{high}之间。", name))
            return None
        return n

    report = whole(report_weekday, "report_weekday", 0, 6, "村级汇报日")
    compile_ = whole(compile_weekday, "compile_weekday", 0, 6, "工作站汇总日")
    cadence = whole(cadence_weeks, "cadence_weeks", 1, WR.CADENCE_MAX, "间隔周数")
    if report is not None and compile_ is not None and compile_ < report:
        errors.append(DomainError("工作站汇总日不能早于村级汇报日。", "compile_weekday"))
    source = (source or "").strip() or "县委组织部设置"
    if len(source) > 200:
        errors.append(DomainError("依据不能超过200个字。", "source"))
    if errors:
        raise errors[0] if len(errors) == 1 else DomainErrors(errors)
    old = week_rules(county)
    values = {
        WR.REPORT_WEEKDAY.code: report,
        WR.COMPILE_WEEKDAY.code: compile_,
        WR.CADENCE_WEEKS.code: cadence,
    }
    today = timezone.localdate()
    with transaction.atomic():
        for code, value in values.items():
            RuleOverride.objects.update_or_create(
                county=county, code=code, defaults={"value": value, "source": source, "effective_from": today}
            )
        audit.record(
            actor,
            "tasks.weekly_settings",
            county,
            org=county,
            before={
                WR.REPORT_WEEKDAY.code: old.report_weekday,
                WR.COMPILE_WEEKDAY.code: old.compile_weekday,
                WR.CADENCE_WEEKS.code: old.cadence_weeks,
            },
            after=values,
            note=source,
        )
    return WeekRules(report, compile_, cadence)  # type: ignore[arg-type]


# --- reads for the pages, the API and the checks --------------------------------------------------


@dataclass
class VillageRow:
    org_id: int
    name: str
    state: str = PENDING
    tasks: int = 0
    reported: int = 0
    first_report: datetime.datetime | None = None
    states: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return VILLAGE_LABELS[self.state]

    @property
    def css(self) -> str:
        return STATE_CLASS[self.state]


@dataclass
class StationRow:
    org_id: int
    name: str
    state: str = NOT_STARTED
    compilation: Compilation | None = None
    relayed: bool = False
    villages: list[VillageRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return STATION_LABELS[self.state]

    @property
    def css(self) -> str:
        return STATE_CLASS[self.state]

    @property
    def late_villages(self) -> list[VillageRow]:
        return [v for v in self.villages if v.state == LATE]

    @property
    def missing_villages(self) -> list[VillageRow]:
        return [v for v in self.villages if v.state == MISSING]

    @property
    def reported_count(self) -> int:
        return sum(1 for v in self.villages if v.state in (REPORTED, LATE))


def week_board(user: Any, cycle: WeeklyCycle, today: datetime.date | None = None) -> list[StationRow]:
    """Every station of the week the user may see, with its compilation state and its villages' states
    (two queries whatever the size)."""
    today = today or timezone.localdate()
    rows = (
        Assignment.objects.restrict(user)
        .filter(task__task_list_id=cycle.task_list_id)
        .values_list("org_id", "org__name", "parent__org_id", "relayed", "first_report_at")
        .order_by("org__path", "task__sort_order", "task_id")  # a village's states in the week's task order
    )
    stations: dict[int, StationRow] = {}
    villages: dict[tuple[int, int], VillageRow] = {}
    for org_id, name, parent_org, relayed, first in rows:
        if parent_org is None:
            st = stations.setdefault(org_id, StationRow(org_id, name))
            st.relayed = st.relayed or relayed
            continue
        st = stations.setdefault(parent_org, StationRow(parent_org, ""))
        v = villages.get((parent_org, org_id))
        if v is None:
            v = villages[(parent_org, org_id)] = VillageRow(org_id, name)
            st.villages.append(v)
        state = village_state(first, cycle.report_due, today)
        v.states.append(state)
        v.tasks += 1
        v.reported += state in (REPORTED, LATE)
        if first is not None and (v.first_report is None or first < v.first_report):
            v.first_report = first
    for v in villages.values():
        v.state = worst(v.states)
    comps = {
        c.org_id: c for c in Compilation.objects.restrict(user).filter(cycle=cycle, org_id__in=list(stations))
    }
    names = dict(
        Org.objects.filter(pk__in=[k for k, s in stations.items() if not s.name]).values_list("pk", "name")
    )
    for org_id, st in stations.items():
        st.name = st.name or names.get(org_id, "")
        st.compilation = comps.get(org_id)
        st.state = station_state(st.compilation, cycle.compile_due, today)
    return list(stations.values())  # in path order, as the rows came


def station_cycles(user: Any, station: Org) -> list[WeeklyCycle]:
    """The weeks whose list reached `station` (as the station sees them through its assignments)."""
    ids = (
        Assignment.objects.restrict(user)
        .filter(org=station, parent__isnull=True, task__task_list__kind=ListKind.WEEKLY)
        .values("task__task_list_id")
    )
    return list(
        WeeklyCycle.objects.filter(task_list_id__in=ids).select_related("org").order_by("-week_start")
    )


def station_tasks(user: Any, cycle: WeeklyCycle, station: Org, today: datetime.date) -> list[dict[str, Any]]:
    """The station's tasks of the week with each village's assignment, state and latest report (three
    queries)."""
    tops = [a for a in _tops(cycle, station) if can(user, "view", a)]
    children = list(
        Assignment.objects.restrict(user)
        .filter(parent__in=[a.pk for a in tops])
        .select_related("org")
        .order_by("org__path")
    )
    latest: dict[int, TaskReport] = {}
    for r in TaskReport.objects.filter(assignment__in=[c.pk for c in children]).order_by(
        "assignment_id", "-submitted_at", "-pk"
    ):
        latest.setdefault(r.assignment_id, r)
    out = []
    for top in tops:
        kids = [c for c in children if c.parent_id == top.pk]
        out.append(
            {
                "assignment": top,
                "task": top.task,
                "villages": [
                    {
                        "assignment": c,
                        "state": (s := village_state(c.first_report_at, cycle.report_due, today)),
                        "label": VILLAGE_LABELS[s],
                        "css": STATE_CLASS[s],
                        "report": latest.get(c.pk),
                        "url": safe_url("assignment-detail", c.pk),
                    }
                    for c in kids
                ],
            }
        )
    return out


def visible_task(user: Any, pk: Any) -> Task | None:
    return Task.objects.restrict(user).filter(pk=pk).first()
