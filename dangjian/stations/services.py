"""The only place the stations app writes: one function per thing a person does, each in one
transaction with its permission check and audit row. Refusals are DomainErrors with Chinese messages,
every problem of a request at once where a form can show them beside their fields."""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import DomainError
from dangjian.core.rules import rule_value
from dangjian.core.scope import require
from dangjian.core.uploads import content_matches
from dangjian.members.records.common import Errors
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of

from . import rules as R
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
from .selectors import active_staff_q, branches_of

PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$")


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _is(org: Org, kind: str, label: str, field: str = "org") -> None:
    if org.kind != kind or org.archived_at is not None:
        raise DomainError(f"“{org.name}”不是{label}。", field=field)


def check_upload(upload: Any, allowed: tuple[str, ...], *, label: str, field: str) -> str:
    """The file's name if it is of an allowed type (by extension and by its first bytes) and at most
    REPORT_MAX_MB; a renamed picture is refused like a wrong extension."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    ext = os.path.splitext(name)[1].lower()
    kinds = "、".join(e.lstrip(".").upper() for e in allowed if e != ".jpeg")
    if ext not in allowed:
        raise DomainError(f"{label}只能是{kinds}文件。", field=field)
    if (getattr(upload, "size", 0) or 0) > R.REPORT_MAX_MB * 1024 * 1024:
        raise DomainError(f"{label}不能超过{R.REPORT_MAX_MB}MB。", field=field)
    if not content_matches(upload, ext):
        raise DomainError(f"{label}“{name}”的内容不是有效的{ext.lstrip('.').upper()}文件。", field=field)
    return name[:200]


# --- staffing ----------------------------------------------------------------------------------------


def _phone(e: Errors, phone: str) -> str:
    phone = re.sub(r"\s", "", phone or "")
    if phone and not PHONE_RE.match(phone):
        e.add("联系电话格式不正确：手机号为11位数字，座机如0919-1234567。", "phone")
    return phone


def _account(e: Errors, station: Org, user: User) -> None:
    """A linked platform account must be active and hold a role on the station or its township."""
    if not user.is_active:
        e.add("所选平台账号已停用。", "user")
    elif not user.roles.filter(org_id__in=[station.pk, station.parent_id]).exists():
        e.add("所选平台账号在本站或本乡镇（街道）没有任职角色。", "user")


def add_staff(
    actor: User,
    station: Org,
    *,
    name: str,
    post: str,
    since: datetime.date | None,
    phone: str = "",
    title: str = "",
    user: User | None = None,
    today: datetime.date | None = None,
) -> StationStaff:
    """Put a person on a station's staff. A second serving chief is refused: a station has one."""
    today = _today(today)
    require(actor, "add", StationStaff(org=station))
    _is(station, OrgKind.STATION, "党建工作站")
    e = Errors()
    name = e.text(name, label="姓名", field="name", limit=30, required=True)
    title = e.text(title, label="本职", field="title", limit=60)
    phone = _phone(e, phone)
    if post not in Post.values:
        e.add("请选择职务（站长、副站长或专职党务工作者）。", "post")
    e.date(since, label="任职日期", field="since", today=today)
    if user is not None:
        _account(e, station, user)
    serving = StationStaff.objects.filter(active_staff_q(today), org=station)
    if post == Post.CHIEF:
        chiefs = list(serving.filter(post=Post.CHIEF).values_list("name", flat=True))
        limit = int(rule_value(R.CHIEFS.code, county_of(station)))
        if len(chiefs) >= limit:
            e.add(f"本站已有站长“{'、'.join(chiefs)}”在任，请先登记其离任日期。", "post")
    if name and post in Post.values and serving.filter(name=name, post=post).exists():
        e.add(f"“{name}”已在本站任{Post(post).label}。", "name")
    e.raise_any()
    with transaction.atomic():
        staff = StationStaff.objects.create(
            org=station, name=name, post=post, title=title, phone=phone, since=since, user=user
        )
        audit.record(actor, "stations.staff_add", staff, org=station, after=snapshot(staff))
    return staff


def update_staff(
    actor: User, staff: StationStaff, *, title: str, phone: str, user: User | None = None
) -> StationStaff:
    """Correct a staff row's title, phone or platform account. Name, post and dates are not edited
    here: a change of post is an end (end_staff) and a new row. The account is checked only when it
    changes, so a correction of the phone is not refused for an account that has since lost its role."""
    require(actor, "change", staff)
    e = Errors()
    title = e.text(title, label="本职", field="title", limit=60)
    phone = _phone(e, phone)
    if user is not None and user.pk != staff.user_id:
        _account(e, staff.org, user)
    e.raise_any()
    phone_changed = phone != staff.phone
    with transaction.atomic():
        before = snapshot(staff)
        staff.title, staff.phone, staff.user = title, phone, user
        staff.save(update_fields=["title", "phone", "user"])
        after = snapshot(staff)
        if after != before or phone_changed:
            # Both phones read "(已隐藏)" in the trail, so a changed number is said in the note.
            note = "联系电话已更改" if phone_changed else ""
            audit.record(
                actor, "stations.staff_update", staff, org=staff.org, before=before, after=after, note=note
            )
    return staff


def end_staff(
    actor: User, staff: StationStaff, *, until: datetime.date | None, today: datetime.date | None = None
) -> StationStaff:
    """Record that a person left the station's staff."""
    today = _today(today)
    require(actor, "change", staff)
    e = Errors()
    if staff.until is not None:
        e.add(f"“{staff.name}”已于{staff.until:%Y-%m-%d}离任。", "until")
    e.date(until, label="离任日期", field="until", today=today, not_before=(staff.since, "任职日期"))
    e.raise_any()
    with transaction.atomic():
        before = snapshot(staff)
        staff.until = until
        staff.save(update_fields=["until"])
        audit.record(actor, "stations.staff_end", staff, org=staff.org, before=before, after=snapshot(staff))
    return staff


# --- six in place and the 8 systems ---------------------------------------------------------------


def check_item(
    actor: User,
    station: Org,
    *,
    item: str,
    met: bool,
    checked_on: datetime.date | None,
    note: str = "",
    evidence: Any = None,
    today: datetime.date | None = None,
) -> StationChecklist:
    """Record the result of checking one of the six conditions (the latest check stands)."""
    today = _today(today)
    require(actor, "change", StationChecklist(org=station))
    _is(station, OrgKind.STATION, "党建工作站")
    e = Errors()
    if item not in ChecklistItem.values:
        e.add("请选择“六个到位”中的一项。", "item")
    note = e.text(note, label="情况说明", field="note", limit=300, required=not met)
    e.date(checked_on, label="核查日期", field="checked_on", today=today)
    evidence_name = ""
    if evidence:
        try:
            evidence_name = check_upload(evidence, R.EVIDENCE_EXTENSIONS, label="佐证材料", field="evidence")
        except DomainError as exc:
            e.add(exc.message, exc.field)
    e.raise_any()
    with transaction.atomic():
        row = StationChecklist.objects.select_for_update().filter(org=station, item=item).first()
        before = snapshot(row)
        row = row or StationChecklist(org=station, item=item)
        row.met, row.note, row.checked_on, row.checked_by = bool(met), note, checked_on, actor
        if evidence:
            row.evidence, row.evidence_name = evidence, evidence_name
        row.save()
        audit.record(actor, "stations.checklist", row, org=station, before=before, after=snapshot(row))
    return row


def set_system(
    actor: User,
    station: Org,
    *,
    system: str,
    posted: bool,
    in_force: bool,
    checked_on: datetime.date | None,
    adopted_on: datetime.date | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> StationSystem:
    """Record whether one of the 8 systems is established, in force and posted on the wall."""
    today = _today(today)
    require(actor, "change", StationSystem(org=station))
    _is(station, OrgKind.STATION, "党建工作站")
    e = Errors()
    if system not in System.values:
        e.add("请选择8项制度中的一项。", "system")
    note = e.text(note, label="说明", field="note", limit=300)
    e.date(checked_on, label="核查日期", field="checked_on", today=today)
    if adopted_on is not None:
        e.date(adopted_on, label="建立日期", field="adopted_on", today=today)
    elif in_force:
        e.add("制度已建立并执行的，请填写建立日期。", "adopted_on")
    e.raise_any()
    with transaction.atomic():
        row = StationSystem.objects.select_for_update().filter(org=station, system=system).first()
        before = snapshot(row)
        row = row or StationSystem(org=station, system=system)
        row.posted, row.in_force, row.adopted_on = bool(posted), bool(in_force), adopted_on
        row.note, row.checked_on, row.checked_by = note, checked_on, actor
        row.save()
        audit.record(actor, "stations.system", row, org=station, before=before, after=snapshot(row))
    return row


# --- inspections and service half-days -------------------------------------------------------------


def record_inspection(
    actor: User,
    station: Org,
    *,
    branch: Org | int | None,
    inspected_at: datetime.datetime | None,
    inspectors: str,
    items_checked: str,
    problems: str = "",
    needs_follow_up: bool = False,
    now: datetime.datetime | None = None,
) -> StationInspection:
    """Record the station's inspection of one of its own branches; its date is the Asia/Shanghai day."""
    now = now or timezone.now()
    require(actor, "add", StationInspection(org=station, branch=station))
    _is(station, OrgKind.STATION, "党建工作站")
    e = Errors()
    target = branches_of(station).filter(pk=getattr(branch, "pk", branch)).first() if branch else None
    if target is None:
        e.add(f"请选择“{station.name}”所辖的村党组织。", "branch")
    if inspected_at is None:
        e.add("请填写督查时间。", "inspected_at")
    else:
        if timezone.is_naive(inspected_at):
            inspected_at = timezone.make_aware(inspected_at)
        if inspected_at > now:
            e.add("督查时间不能晚于现在。", "inspected_at")
    inspectors = e.text(inspectors, label="督查人员", field="inspectors", limit=200, required=True)
    items_checked = e.text(items_checked, label="督查内容", field="items_checked", limit=2000, required=True)
    problems = e.text(problems, label="发现问题", field="problems", limit=2000)
    if needs_follow_up and not problems:
        e.add("需跟踪整改的，请填写发现的问题。", "problems")
    e.raise_any()
    row = StationInspection(
        org=station,
        branch=target,
        inspected_at=inspected_at,
        inspected_on=timezone.localdate(inspected_at),
        inspectors=inspectors,
        items_checked=items_checked,
        problems=problems,
        needs_follow_up=bool(needs_follow_up),
        recorded_by=actor,
    )
    require(actor, "add", row)
    with transaction.atomic():
        row.save()
        audit.record(actor, "stations.inspection", row, org=station, after=snapshot(row))
    return row


def record_half_day(
    actor: User,
    station: Org,
    *,
    held_on: datetime.date | None,
    session: str,
    place: str,
    staff_on_duty: str,
    residents_served: int | None = 0,
    matters: str = "",
    today: datetime.date | None = None,
) -> ServiceHalfDay:
    """Record a service half-day held at the station."""
    today = _today(today)
    require(actor, "add", ServiceHalfDay(org=station))
    _is(station, OrgKind.STATION, "党建工作站")
    e = Errors()
    e.date(held_on, label="日期", field="held_on", today=today)
    if session not in Session.values:
        e.add("请选择上午或下午。", "session")
    place = e.text(place, label="地点", field="place", limit=100, required=True)
    staff_on_duty = e.text(staff_on_duty, label="值班人员", field="staff_on_duty", limit=200, required=True)
    matters = e.text(matters, label="办理事项", field="matters", limit=2000)
    if residents_served is None or residents_served < 0:
        e.add("接待群众人次应为0或正整数。", "residents_served")
    if held_on and session in Session.values:
        if ServiceHalfDay.objects.filter(org=station, held_on=held_on, session=session).exists():
            e.add(f"{held_on:%Y-%m-%d}{Session(session).label}的便民服务已登记。", "held_on")
    e.raise_any()
    with transaction.atomic():
        row = ServiceHalfDay.objects.create(
            org=station,
            held_on=held_on,
            session=session,
            place=place,
            staff_on_duty=staff_on_duty,
            residents_served=residents_served,
            matters=matters,
            recorded_by=actor,
        )
        audit.record(actor, "stations.half_day", row, org=station, after=snapshot(row))
    return row


# --- research ----------------------------------------------------------------------------------------


def create_plan(
    actor: User,
    township: Org,
    *,
    year: int | None,
    topics: str,
    schedule: str = "",
    today: datetime.date | None = None,
) -> ResearchPlan:
    """Record a township's research plan for a year (one per township and year)."""
    today = _today(today)
    require(actor, "add", ResearchPlan(org=township))
    _is(township, OrgKind.TOWNSHIP, "乡镇（街道）")
    e = Errors()
    if year is None or not today.year - 1 <= year <= today.year + 1:
        e.add(f"年度应为{today.year - 1}–{today.year + 1}年之间。", "year")
    elif ResearchPlan.objects.filter(org=township, year=year).exists():
        e.add(f"“{township.name}”{year}年的专项调研计划已登记。", "year")
    topics = e.text(topics, label="调研课题", field="topics", limit=2000, required=True)
    schedule = e.text(schedule, label="时间安排", field="schedule", limit=2000)
    e.raise_any()
    with transaction.atomic():
        plan = ResearchPlan.objects.create(
            org=township, year=year, topics=topics, schedule=schedule, recorded_by=actor
        )
        audit.record(actor, "stations.plan", plan, org=township, after=snapshot(plan))
    return plan


def record_round(
    actor: User,
    station: Org,
    *,
    topic: str,
    started_on: datetime.date | None,
    ended_on: datetime.date | None,
    villages: Iterable[Org | int],
    participants: str,
    summary: str = "",
    today: datetime.date | None = None,
) -> ResearchRound:
    """Record a research round the station held; it counts for the year it ended in, under that
    year's township plan when there is one."""
    today = _today(today)
    require(actor, "add", ResearchRound(org=station))
    _is(station, OrgKind.STATION, "党建工作站")
    e = Errors()
    topic = e.text(topic, label="调研课题", field="topic", limit=200, required=True)
    participants = e.text(participants, label="参加人员", field="participants", limit=300, required=True)
    summary = e.text(summary, label="调研情况", field="summary", limit=4000)
    e.date(started_on, label="开始日期", field="started_on", today=today)
    e.date(ended_on, label="结束日期", field="ended_on", today=today)
    if started_on and ended_on and ended_on < started_on:
        e.add("结束日期不能早于开始日期。", "ended_on")
    wanted = {getattr(v, "pk", v) for v in villages}
    found = list(branches_of(station).filter(pk__in=wanted))
    if not wanted:
        e.add("请选择走访的村。", "villages")
    elif len(found) != len(wanted):
        e.add(f"走访村须是“{station.name}”所辖的村党组织。", "villages")
    e.raise_any()
    plan = ResearchPlan.objects.filter(org_id=station.parent_id, year=ended_on.year).first()
    with transaction.atomic():
        row = ResearchRound.objects.create(
            org=station,
            plan=plan,
            topic=topic,
            started_on=started_on,
            ended_on=ended_on,
            participants=participants,
            summary=summary,
            recorded_by=actor,
        )
        row.villages.set(found)
        after = snapshot(row) | {"villages": sorted(v.name for v in found)}
        audit.record(actor, "stations.round", row, org=station, after=after)
    return row


def submit_report(
    actor: User,
    round: ResearchRound,
    *,
    title: str,
    submitted_on: datetime.date | None,
    text: str = "",
    file: Any = None,
    today: datetime.date | None = None,
) -> ResearchReport:
    """File the round's report (text, a PDF or Word file, or both); submitting again replaces it."""
    today = _today(today)
    require(actor, "change", round)
    existing = ResearchReport.objects.filter(round=round).first()
    e = Errors()
    title = e.text(title, label="报告标题", field="title", limit=200, required=True)
    text = e.text(text, label="报告正文", field="text", limit=50000)
    e.date(
        submitted_on,
        label="提交日期",
        field="submitted_on",
        today=today,
        not_before=(round.started_on, "调研开始日期"),
    )
    file_name = ""
    if file:
        try:
            file_name = check_upload(file, R.REPORT_EXTENSIONS, label="报告文件", field="file")
        except DomainError as exc:
            e.add(exc.message, exc.field)
    elif not text and not (existing and existing.file):
        e.add("请填写报告正文或上传报告文件（PDF或Word）。", "file")
    e.raise_any()
    with transaction.atomic():
        before = snapshot(existing)
        report = existing or ResearchReport(round=round, org=round.org)
        report.title, report.text, report.submitted_on, report.submitted_by = title, text, submitted_on, actor
        if file:
            report.file, report.file_name = file, file_name
        report.save()
        audit.record(actor, "stations.report", report, org=round.org, before=before, after=snapshot(report))
    return report


def hold_appraisal(
    actor: User,
    township: Org,
    *,
    year: int | None,
    held_on: datetime.date | None,
    reviewers: str,
    note: str = "",
    today: datetime.date | None = None,
) -> ResearchAppraisal:
    """Record the township's appraisal meeting; the reports are scored on its page."""
    today = _today(today)
    require(actor, "add", ResearchAppraisal(org=township))
    _is(township, OrgKind.TOWNSHIP, "乡镇（街道）")
    e = Errors()
    e.date(held_on, label="召开日期", field="held_on", today=today)
    if year is None or (held_on and not held_on.year - 1 <= year <= held_on.year):
        e.add("评比年度应为召开日期的当年或上一年。", "year")
    reviewers = e.text(reviewers, label="评审人员", field="reviewers", limit=300, required=True)
    note = e.text(note, label="会议情况", field="note", limit=4000)
    e.raise_any()
    with transaction.atomic():
        row = ResearchAppraisal.objects.create(
            org=township, year=year, held_on=held_on, reviewers=reviewers, note=note, recorded_by=actor
        )
        audit.record(actor, "stations.appraisal", row, org=township, after=snapshot(row))
    return row


@dataclass(frozen=True)
class ScoreInput:
    report: int
    score: Any
    comment: str = ""


def eligible_reports(appraisal: ResearchAppraisal):
    """Reports of the township's stations for rounds that ended in the appraisal's year."""
    return ResearchReport.objects.filter(
        org__parent=appraisal.org,
        round__ended_on__gte=datetime.date(appraisal.year, 1, 1),
        round__ended_on__lte=datetime.date(appraisal.year, 12, 31),
    )


def ranks(scores: list[Decimal]) -> list[int]:
    """Competition ranking: equal scores share a place and the next place is skipped (1, 2, 2, 4)."""
    return [1 + sum(1 for other in scores if other > s) for s in scores]


def score_reports(actor: User, appraisal: ResearchAppraisal, scores: list[ScoreInput]) -> list[ResearchScore]:
    """Score reports (0–100) at the appraisal meeting and rank every report scored there."""
    require(actor, "change", appraisal)
    e = Errors()
    reports = {r.pk: r for r in eligible_reports(appraisal).select_related("org")}
    seen: set[int] = set()
    clean: list[tuple[ResearchReport, Decimal, str]] = []
    if not scores:
        e.add("请至少为一份调研报告打分。", "scores")
    for n, item in enumerate(scores, 1):
        report = reports.get(item.report)
        if report is None:
            e.add(f"第{n}项：所选报告不是“{appraisal.org.name}”{appraisal.year}年的调研报告。", "scores")
            continue
        if report.pk in seen:
            e.add(f"第{n}项：《{report.title}》重复打分。", "scores")
            continue
        seen.add(report.pk)
        try:
            value = Decimal(str(item.score).strip())
        except (InvalidOperation, ValueError):
            e.add(f"《{report.title}》的得分应为0到100之间的数。", "scores")
            continue
        if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
            e.add(f"《{report.title}》的得分应在0到100之间。", "scores")
            continue
        if value != value.quantize(Decimal("0.1")):
            e.add(f"《{report.title}》的得分最多保留一位小数。", "scores")
            continue
        comment = e.text(item.comment, label="评语", field="scores", limit=300)
        clean.append((report, value, comment))
    e.raise_any()
    with transaction.atomic():
        existing = {
            s.report_id: s for s in ResearchScore.objects.select_for_update().filter(appraisal=appraisal)
        }
        for report, value, comment in clean:
            row = existing.get(report.pk) or ResearchScore(appraisal=appraisal, report=report, org=report.org)
            row.score, row.comment, row.scored_by = value, comment, actor
            row.save()
            existing[report.pk] = row
        rows = list(existing.values())
        for row, place in zip(rows, ranks([r.score for r in rows]), strict=True):
            row.rank = place
        ResearchScore.objects.bulk_update(rows, ["rank"])
        after = {f"《{r.title}》": str(v) for r, v, _ in clean}
        audit.record(actor, "stations.scores", appraisal, org=appraisal.org, after=after)
    return sorted(rows, key=lambda r: (r.rank, r.pk))
