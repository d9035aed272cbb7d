"""The only writer of the projects app: one function per thing a person does, each validating first, then
checking permission, writing in one transaction with its audit row (before → after). Refusals are
DomainErrors in Chinese naming the rule, tied to the field."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import DomainError
from dangjian.core.rules import rule_value
from dangjian.core.scope import can, require
from dangjian.core.uploads import content_matches, extension
from dangjian.decisions.models import Decision
from dangjian.members.records.common import Errors, cite
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import rules as R
from .choices import NEXT, UNITS, FileKind, ProgressMode, ProjectKind, ProjectStatus, SourceKind
from .models import FundingSource, Milestone, Outcome, Project, ProjectFile, Unit

PROJECT_ORG_KINDS = frozenset(
    {OrgKind.TOWNSHIP, OrgKind.STATION, OrgKind.JOINT_BRANCH, OrgKind.BRANCH, OrgKind.COMMUNITY}
)
VILLAGE_KINDS = frozenset({OrgKind.BRANCH, OrgKind.COMMUNITY})
UPLOAD_TYPES = frozenset({"jpg", "jpeg", "png", "webp", "pdf", "docx", "xlsx"})
MAX_BUDGET = Decimal("999999999999.99")
EDITABLE_FIELDS = (
    "title",
    "kind",
    "year",
    "description",
    "budget",
    "start_on",
    "planned_end",
    "progress_mode",
    "villages",
    "decision",
)


def ensure_units() -> dict[str, Unit]:
    """The standard units (choices.UNITS) by code, creating any that are missing: migration 0002 seeds
    them, and this restores them where a database was emptied without migrating again (tests, restores)."""
    have = {u.code: u for u in Unit.objects.all()}
    missing = [
        Unit(code=code, name=name, measures=measures, sort_order=order)
        for order, (code, name, measures) in enumerate(UNITS, 1)
        if code not in have
    ]
    if missing:
        Unit.objects.bulk_create(missing)
        have = {u.code: u for u in Unit.objects.all()}
    return have


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def places(org: Org) -> tuple[Org | None, Org | None]:
    """(township, county) above or at `org`."""
    rows = {o.kind: o for o in Org.objects.filter(pk__in=[*org.ancestor_ids(), org.pk])}
    return rows.get(OrgKind.TOWNSHIP), rows.get(OrgKind.COUNTY)


def money(value: Any, e: Errors, *, label: str, field: str, positive: bool = True) -> Decimal:
    """Yuan as a Decimal with two places; refuses blanks, non-numbers, negatives (and zero if positive)."""
    try:
        amount = Decimal(str(value).replace(",", "").strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        e.add(f"{label}须为数字（单位：元）。", field)
        return Decimal(0)
    if amount < 0 or (positive and amount == 0) or amount > MAX_BUDGET:
        e.add(f"{label}须为大于0的金额（单位：元）。", field)
    return amount


def _source_total(project: Project, exclude: int | None = None) -> Decimal:
    rows = FundingSource.objects.filter(project=project)
    if exclude:
        rows = rows.exclude(pk=exclude)
    return rows.aggregate(t=Sum("amount"))["t"] or Decimal(0)


def _check_sources_fit(e: Errors, budget: Decimal, total: Decimal, field: str) -> None:
    if total > budget:
        e.add(
            f"各渠道资金合计{total:,.2f}元，超过项目预算{budget:,.2f}元{cite(R.SOURCES_NOT_OVER_BUDGET)}。",
            field,
        )


def _check_villages(e: Errors, org: Org, villages: Iterable[Org]) -> list[Org]:
    villages = list(villages)
    township, county = places(org)
    root = (township or county or org).path
    for v in villages:
        if v.kind not in VILLAGE_KINDS:
            e.add(f"受益村须为村（社区），“{v.name}”不是。", "villages")
        elif not v.path.startswith(root):
            e.add(f"受益村“{v.name}”不在{(township or county or org).name}。", "villages")
    return villages


def _check_decision(e: Errors, actor: User, org: Org, villages: list[Org], decision: Decision | None) -> None:
    if decision is None:
        return
    if not can(actor, "view", decision):
        e.add("所选四议两公开事项不存在或不在您的管辖范围内。", "decision")
    elif not (decision.org.path.startswith(org.path) or decision.org_id in {v.pk for v in villages}):
        e.add(
            f"四议两公开事项“{decision.title}”属于{decision.org.name}，不是本项目的实施单位或受益村。",
            "decision",
        )


def _clean(
    actor: User,
    e: Errors,
    org: Org,
    *,
    title: str,
    kind: str,
    year: int,
    budget: Any,
    description: str,
    start_on: datetime.date | None,
    planned_end: datetime.date | None,
    progress_mode: str,
    villages: Iterable[Org],
    decision: Decision | None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": e.text(title, label="项目名称", field="title", limit=120, required=True),
        "description": e.text(description, label="建设内容", field="description", limit=3000),
        "budget": money(budget, e, label="项目预算", field="budget"),
        "start_on": start_on,
        "planned_end": planned_end,
    }
    if kind not in ProjectKind.values:
        e.add("请选择项目类别（民生实事、产业发展、基础设施）。", "kind")
    if progress_mode not in ProgressMode.values:
        e.add("请选择进度计算方式。", "progress_mode")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        e.add("请填写项目年度（如2026）。", "year")
    if start_on and planned_end and planned_end < start_on:
        e.add("计划完工日期不能早于开工日期。", "planned_end")
    if org.kind not in PROJECT_ORG_KINDS:
        e.add("项目的实施单位须为乡镇、党建工作站、联村党总支或村（社区）。", "org")
    data["villages"] = _check_villages(e, org, villages)
    _check_decision(e, actor, org, data["villages"], decision)
    data.update(kind=kind, year=year, progress_mode=progress_mode, decision=decision)
    return data


def create_project(
    actor: User,
    *,
    org: Org,
    title: str,
    kind: str,
    year: int,
    budget: Any,
    description: str = "",
    start_on: datetime.date | None = None,
    planned_end: datetime.date | None = None,
    progress_mode: str = ProgressMode.MILESTONES,
    villages: Iterable[Org] = (),
    decision: Decision | None = None,
    sources: Sequence[tuple[str, str, Any]] = (),
    demo_source: str = "",
) -> Project:
    """Register a project with its funding sources (kind, name, amount); their sum may fall short of the
    budget (the gap is shown) but not exceed it."""
    require(actor, "add", Project(org=org))
    e = Errors()
    data = _clean(
        actor,
        e,
        org,
        title=title,
        kind=kind,
        year=year,
        budget=budget,
        description=description,
        start_on=start_on,
        planned_end=planned_end,
        progress_mode=progress_mode,
        villages=villages,
        decision=decision,
    )
    lines = [_source_line(e, k, n, a) for k, n, a in sources]
    _check_sources_fit(e, data["budget"], sum((a for _, _, a in lines), Decimal(0)), "sources")
    e.raise_any()
    villages = data.pop("villages")
    township, county = places(org)
    with transaction.atomic():
        project = Project.objects.create(
            org=org,
            township=township,
            county=county or org,
            created_by=actor,
            demo_source=demo_source[:160],
            **data,
        )
        project.villages.set(villages)
        FundingSource.objects.bulk_create(
            [FundingSource(project=project, kind=k, name=n, amount=a) for k, n, a in lines]
        )
        after = snapshot(project) | {
            "villages": sorted(v.pk for v in villages),
            "sources": [[k, n, str(a)] for k, n, a in lines],
        }
        audit.record(actor, "projects.create", project, org=org, after=after)
    return project


def update_project(actor: User, project: Project, **fields: Any) -> Project:
    """Change what the project is (name, kind, budget, dates, villages, decision); status moves apart."""
    require(actor, "change", project)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"不能在此修改：{'、'.join(sorted(unknown))}。")
    current = {name: getattr(project, name) for name in EDITABLE_FIELDS if name != "villages"}
    current["villages"] = list(project.villages.all())
    e = Errors()
    data = _clean(actor, e, project.org, **(current | fields))
    _check_sources_fit(e, data["budget"], _source_total(project), "budget")
    e.raise_any()
    villages = data.pop("villages")
    before = snapshot(project) | {"villages": sorted(v.pk for v in current["villages"])}
    with transaction.atomic():
        for name, value in data.items():
            setattr(project, name, value)
        project.save()
        project.villages.set(villages)
        after = snapshot(project) | {"villages": sorted(v.pk for v in villages)}
        audit.record(actor, "projects.update", project, org=project.org, before=before, after=after)
    return project


def _source_line(e: Errors, kind: str, name: str, amount: Any) -> tuple[str, str, Decimal]:
    if kind not in SourceKind.values:
        e.add("请选择资金渠道。", "kind")
    name = e.text(name, label="出资单位或说明", field="name", limit=100)
    return kind, name, money(amount, e, label="资金金额", field="amount")


def add_source(actor: User, project: Project, *, kind: str, name: str = "", amount: Any) -> FundingSource:
    require(actor, "change", project)
    e = Errors()
    kind, name, value = _source_line(e, kind, name, amount)
    _check_sources_fit(e, project.budget, _source_total(project) + value, "amount")
    e.raise_any()
    with transaction.atomic():
        source = FundingSource.objects.create(project=project, kind=kind, name=name, amount=value)
        audit.record(actor, "projects.source.add", project, org=project.org, after=snapshot(source))
    return source


def remove_source(actor: User, source: FundingSource) -> None:
    project = source.project
    require(actor, "change", project)
    before = snapshot(source)
    with transaction.atomic():
        source.delete()
        audit.record(actor, "projects.source.remove", project, org=project.org, before=before, after={})


def add_milestone(actor: User, project: Project, *, title: str, due: datetime.date | None) -> Milestone:
    """A milestone at the end of the list; its due date may not precede the last one's (rule: in order)."""
    require(actor, "change", project)
    e = Errors()
    title = e.text(title, label="节点名称", field="title", limit=100, required=True)
    last = Milestone.objects.filter(project=project).order_by("-sort_order", "-pk").first()
    if due is None:
        e.add("请填写节点的计划完成日期。", "due")
    elif last is not None and due < last.due:
        e.add(
            f"计划完成日期不能早于上一节点“{last.title}”（{last.due:%Y-%m-%d}）{cite(R.MILESTONES_IN_ORDER)}。",
            "due",
        )
    elif project.start_on and due < project.start_on:
        e.add(f"计划完成日期不能早于开工日期（{project.start_on:%Y-%m-%d}）。", "due")
    if project.status == ProjectStatus.COMPLETED:
        e.add("项目已完成，不能再增加节点。", "title")
    e.raise_any()
    with transaction.atomic():
        m = Milestone.objects.create(
            project=project, title=title, due=due, sort_order=(last.sort_order + 1) if last else 1
        )
        audit.record(actor, "projects.milestone.add", project, org=project.org, after=snapshot(m))
    return m


def complete_milestone(
    actor: User,
    milestone: Milestone,
    *,
    done_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Milestone:
    """Mark a milestone done; the ones before it must be done first, and not later than it."""
    project = milestone.project
    require(actor, "change", project)
    today = _today(today)
    done_on = done_on or today
    e = Errors()
    if milestone.done_on is not None:
        e.add(f"节点“{milestone.title}”已于{milestone.done_on:%Y-%m-%d}完成。", "done_on")
    earlier = list(
        Milestone.objects.filter(project=project, sort_order__lt=milestone.sort_order).order_by("sort_order")
    )
    pending = [m.title for m in earlier if m.done_on is None]
    if pending:
        e.add(f"请先完成前面的节点：{'、'.join(pending)}{cite(R.MILESTONES_IN_ORDER)}。", "done_on")
    latest = max((m.done_on for m in earlier if m.done_on), default=None)
    e.date(
        done_on,
        label="完成日期",
        field="done_on",
        today=today,
        not_before=(latest, "前一节点的完成日期") if latest else None,
    )
    if project.start_on and done_on < project.start_on:
        e.add(f"完成日期不能早于开工日期（{project.start_on:%Y-%m-%d}）。", "done_on")
    e.raise_any()
    before = snapshot(milestone)
    with transaction.atomic():
        milestone.done_on = done_on
        milestone.save(update_fields=["done_on"])
        if project.status == ProjectStatus.PLANNED:
            project.start_on = project.start_on or done_on
            _move(actor, project, ProjectStatus.UNDER_WAY, note=f"节点“{milestone.title}”完成，项目开始实施")
        audit.record(
            actor,
            "projects.milestone.done",
            project,
            org=project.org,
            before=before,
            after=snapshot(milestone),
            note=f"节点完成：{milestone.title}",
        )
    return milestone


def record_outcome(
    actor: User,
    project: Project,
    *,
    measure: str,
    quantity: Any,
    unit: Unit | None,
    recorded_on: datetime.date | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> Outcome:
    """What the project achieved, in a unit of the unit table (so township and county totals add up)."""
    require(actor, "change", project)
    today = _today(today)
    recorded_on = recorded_on or today
    e = Errors()
    measure = e.text(measure, label="成效内容", field="measure", limit=60, required=True)
    note = e.text(note, label="说明", field="note", limit=200)
    if unit is None:
        e.add(
            "请选择成效的计量单位（亩、米、户、人、个、斤等），没有单位的成效无法汇总"
            f"{cite(R.OUTCOME_NEEDS_UNIT)}。",
            "unit",
        )
    try:
        value = Decimal(str(quantity).replace(",", "").strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        e.add("成效数量须为数字。", "quantity")
        value = Decimal(0)
    else:
        if value <= 0 or value > MAX_BUDGET:
            e.add("成效数量须大于0。", "quantity")
    e.date(recorded_on, label="登记日期", field="recorded_on", today=today)
    e.raise_any()
    with transaction.atomic():
        outcome = Outcome.objects.create(
            project=project, measure=measure, quantity=value, unit=unit, recorded_on=recorded_on, note=note
        )
        audit.record(actor, "projects.outcome.add", project, org=project.org, after=snapshot(outcome))
    return outcome


def remove_outcome(actor: User, outcome: Outcome) -> None:
    project = outcome.project
    require(actor, "change", project)
    before = snapshot(outcome)
    with transaction.atomic():
        outcome.delete()
        audit.record(actor, "projects.outcome.remove", project, org=project.org, before=before, after={})


def _move(actor: User, project: Project, to: str, *, note: str = "") -> None:
    before = snapshot(project)
    project.status = to
    project.save(update_fields=["status", "finished_on", "start_on", "updated_at"])
    audit.record(
        actor, "projects.status", project, org=project.org, before=before, after=snapshot(project), note=note
    )


def set_status(
    actor: User,
    project: Project,
    *,
    status: str,
    on: datetime.date | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> Project:
    """Move the project: planned → under way → completed; suspended and back. Completing needs every
    milestone done when progress counts milestones, and records the completion date."""
    require(actor, "change", project)
    today = _today(today)
    on = on or today
    e = Errors()
    allowed = NEXT.get(project.status, ())
    if status not in allowed:
        names = "、".join(f"“{ProjectStatus(s).label}”" for s in allowed) or "无"
        e.add(
            f"项目当前为“{project.get_status_display()}”，只能转为{names}"
            "（计划中→实施中→已完成；可暂停后恢复）。",
            "status",
        )
    note = e.text(note, label="说明", field="note", limit=200)
    e.date(on, label="日期", field="on", today=today)
    if status == ProjectStatus.COMPLETED and project.progress_mode == ProgressMode.MILESTONES:
        pending = list(
            Milestone.objects.filter(project=project, done_on__isnull=True).values_list("title", flat=True)
        )
        if pending:
            e.add(f"还有节点未完成：{'、'.join(pending)}{cite(R.COMPLETE_NEEDS_MILESTONES)}。", "status")
    if status == ProjectStatus.COMPLETED and project.start_on and on < project.start_on:
        e.add(f"完工日期不能早于开工日期（{project.start_on:%Y-%m-%d}）。", "on")
    e.raise_any()
    with transaction.atomic():
        if status == ProjectStatus.COMPLETED:
            project.finished_on = on
        if status == ProjectStatus.UNDER_WAY and project.start_on is None:
            project.start_on = on
        _move(actor, project, status, note=note)
    return project


def report_progress(actor: User, project: Project, *, percent: int) -> Project:
    """The reported percent, for projects whose progress is not counted from milestones."""
    require(actor, "change", project)
    if project.progress_mode != ProgressMode.REPORTED:
        raise DomainError("本项目的进度按节点完成情况自动计算，不需填报。", "percent")
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise DomainError("进度须为0到100之间的整数（%）。", "percent")
    if project.status == ProjectStatus.COMPLETED:
        raise DomainError("项目已完成，进度为100%。", "percent")
    before = snapshot(project)
    with transaction.atomic():
        project.reported_progress = percent
        project.save(update_fields=["reported_progress", "updated_at"])
        audit.record(
            actor, "projects.progress", project, org=project.org, before=before, after=snapshot(project)
        )
    return project


def upload_file(actor: User, project: Project, upload: Any, kind: str = FileKind.PHOTO) -> ProjectFile:
    """A photo or document; its content must be what its extension says (core.uploads)."""
    require(actor, "change", project)
    if upload is None:
        raise DomainError("请选择要上传的文件。", "file")
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    ext = extension(name)
    if ext not in UPLOAD_TYPES:
        raise DomainError("只能上传 jpg、png、webp 图片或 pdf、docx、xlsx 文件。", "file")
    limit = int(rule_value(R.FILE_MAX_MB.code, project.county))
    if getattr(upload, "size", 0) > limit * 1024 * 1024:
        raise DomainError(f"单个文件不能超过{limit}MB。", "file")
    if not content_matches(upload, ext):
        raise DomainError(f"文件内容与扩展名.{ext}不符，请上传真实的图片或文档。", "file")
    if kind not in FileKind.values:
        raise DomainError("请选择材料类别。", "kind")
    with transaction.atomic():
        item = ProjectFile.objects.create(
            project=project, org=project.org, kind=kind, file=upload, name=name[:200], uploaded_by=actor
        )
        audit.record(
            actor,
            "projects.file",
            project,
            org=project.org,
            after={"file": item.name, "kind": item.get_kind_display()},
            note=f"上传：{item.name}",
        )
    return item


def delete_file(actor: User, item: ProjectFile) -> None:
    project = item.project
    require(actor, "change", project)
    name, stored, storage = item.name, item.file.name, item.file.storage
    with transaction.atomic():
        item.delete()
        audit.record(
            actor,
            "projects.file_delete",
            project,
            org=project.org,
            before={"file": name},
            note=f"删除：{name}",
        )
        transaction.on_commit(lambda: storage.delete(stored) if stored and storage.exists(stored) else None)
