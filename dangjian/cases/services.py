"""The only place the case engine writes: one function per thing a person does, each in one
transaction with its permission check, its timeline event and its audit row.

Transitions are taken by a conditional UPDATE on (state, version), so of two people signing off the
same case at once exactly one succeeds and the other is told the case has just changed."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from dangjian.accounts.models import RoleAssignment, User
from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import ActionDenied, DomainError, DomainErrors, NotInScope
from dangjian.core.roles import Role
from dangjian.core.rules import rule_value
from dangjian.core.scope import can, role_paths, side_ids
from dangjian.core.uploads import content_matches, extension
from dangjian.core.workdays import add_working_days
from dangjian.members.records.common import Errors
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Department, Grid, Org

from . import rules as R
from .choices import CaseKind, EventType, Level, Priority, RouteState, Satisfaction, Source
from .kinds import ACCEPT, KINDS, LEADS, SIGN_OFF, KindSpec, Transition
from .models import Case, CaseEvent, CaseFile, CaseRoute, Category

FILE_TYPES = ("jpg", "jpeg", "png", "pdf", "docx", "xlsx")
VILLAGE_KINDS = {OrgKind.BRANCH, OrgKind.COMMUNITY, OrgKind.GROUP}
TOWNSHIP_KINDS = {OrgKind.TOWNSHIP, OrgKind.STATION, OrgKind.JOINT_BRANCH}
RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _now() -> datetime.datetime:
    return timezone.now()


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


# --- who may do what ----------------------------------------------------------------------------------


def roles_on(user: User, case: Case) -> set[str]:
    """The roles through which `user` reaches `case`: tree roles held on an ancestor of its org, grid
    leader of its grid, liaison of a department it is routed to."""
    if user.is_superuser:
        return set(Role.values)
    path = case.org.path
    roles = {
        r
        for r, p in role_paths(user)
        if path.startswith(p) and r not in (Role.GRID_LEADER, Role.DEPT_LIAISON)
    }
    grids, departments = side_ids(user)
    if case.grid_id and case.grid_id in grids:
        roles.add(Role.GRID_LEADER)
    if departments and case.pk and case.routes.filter(department_id__in=departments).exists():
        roles.add(Role.DEPT_LIAISON)
    return roles


def _my_routes(user: User, case: Case, state: str) -> list[CaseRoute]:
    departments = side_ids(user)[1]
    if user.is_superuser:
        return list(case.routes.filter(state=state))
    return list(case.routes.filter(state=state, department_id__in=departments))


def signoff_roles(case: Case) -> frozenset[str]:
    """Problems and errands: the station chief where there is a station, else the township office (its
    director); whistles: the township office; a case above any township: the county."""
    if case.township_id is None:
        return frozenset({Role.COUNTY_ADMIN})
    if case.kind != CaseKind.WHISTLE and case.station_id:
        return frozenset({Role.STATION_CHIEF})
    return frozenset({Role.TOWNSHIP_STAFF})


def refusal(user: User, case: Case, t: Transition) -> str | None:
    """Why `user` may not take `t` on `case` now, or None if they may."""
    if not case.spec.transition(t.code) or case.state not in t.sources:
        return f"案件当前状态为“{case.state_label}”，不能{t.label}。"
    roles = roles_on(user, case)
    mine = roles & t.roles
    if t.who == "signoff":
        mine &= signoff_roles(case)
        if not mine and not user.is_superuser:
            names = "、".join(Role(r).label for r in sorted(signoff_roles(case)))
            return f"{t.label}须由{names}办理。"
    if not mine and not user.is_superuser:
        return f"您的角色无权{t.label}。"
    is_owner = case.owner_id == user.pk or case.co_owners.filter(pk=user.pk).exists()
    if t.who == "owner":
        acting_for = bool(roles & LEADS)
        routed = Role.DEPT_LIAISON in roles and bool(_my_routes(user, case, RouteState.ACCEPTED))
        if not (is_owner or acting_for or routed or user.is_superuser):
            return f"只有责任人、协办人或上级才能{t.label}。"
    if t.who == "acceptor":
        if is_owner:
            return "验收须由责任人以外的人办理，责任人和协办人不能验收自己的案件。"
        if case.acceptor_id and case.acceptor_id != user.pk:
            return f"本案件指定由{case.acceptor.display_name}验收。"
    if t.who == "route" and not _my_routes(user, case, RouteState.PENDING):
        return "本案件未派单到您的部门，或您的部门已处理过。"
    return None


def available(user: User, case: Case) -> list[Transition]:
    """The transitions `user` may take now (for buttons); route and answer have their own forms."""
    return [t for t in case.spec.available(case.state) if refusal(user, case, t) is None]


def _require_view(user: User, case: Case) -> None:
    if not can(user, "view", case):
        raise NotInScope


def _require_roles(user: User, case: Case, roles: Iterable[str], what: str) -> None:
    _require_view(user, case)
    if not user.is_superuser and not roles_on(user, case) & set(roles):
        raise ActionDenied(f"您的角色无权{what}。")


# --- files --------------------------------------------------------------------------------------------


def check_files(files: Sequence[Any], county: Org | None, field: str = "files") -> None:
    """Photos and documents only, each within the size limit, content matching the name."""
    limit = int(rule_value(R.FILE_MAX_MB.code, county))
    for f in files:
        name = getattr(f, "name", "") or ""
        ext = extension(name)
        if ext not in FILE_TYPES:
            raise DomainError(
                f"“{name}”不是图片或文档：只能上传 JPG、PNG、PDF、Word（docx）、Excel（xlsx）文件。", field
            )
        if (getattr(f, "size", 0) or 0) > limit * 1024 * 1024:
            raise DomainError(f"“{name}”超过{limit}MB，请压缩后再上传。", field)
        if not content_matches(f, ext):
            raise DomainError(f"“{name}”的内容不是有效的{ext.upper()}文件。", field)


def _attach(case: Case, event: CaseEvent, files: Sequence[Any], actor: User) -> None:
    for f in files:
        CaseFile.objects.create(
            case=case,
            event=event,
            file=f,
            name=(getattr(f, "name", "") or "")[-200:],
            size=getattr(f, "size", 0) or 0,
            uploaded_by=actor,
        )


def _event(
    case: Case,
    actor: User | None,
    type: str,
    *,
    note: str = "",
    transition: str = "",
    from_state: str = "",
    to_state: str = "",
    data: dict | None = None,
    at: datetime.datetime | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        type=type,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=actor.display_name if getattr(actor, "pk", None) else "系统",
        at=at or _now(),
        note=note,
        data=data or {},
    )


# --- opening ------------------------------------------------------------------------------------------


def _places(org: Org) -> dict[str, Org | None]:
    """The township, station and county an org lies in (itself where it is one), from one query."""
    rows = {o.kind: o for o in Org.objects.filter(pk__in=[*org.ancestor_ids(), org.pk])}
    return {
        "township": rows.get(OrgKind.TOWNSHIP),
        "station": rows.get(OrgKind.STATION) or rows.get(OrgKind.JOINT_BRANCH),
        "county": rows.get(OrgKind.COUNTY),
    }


def level_of(org: Org) -> int:
    if org.kind in VILLAGE_KINDS:
        return Level.VILLAGE
    if org.kind in TOWNSHIP_KINDS:
        return Level.TOWNSHIP
    return Level.COUNTY


def new_receipt_no(kind: str, day: datetime.date) -> str:
    """Short, unguessable, and readable over the phone: D-261202-7KQ3M (kind, date, 5 random)."""
    tail = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(5))
    return f"{KINDS[kind].receipt_prefix}-{day:%y%m%d}-{tail}"


def _member_of(user: User | None, county: Org | None) -> bool:
    """Whether `user` works somewhere in `county` (any role held on or under it)."""
    if user is None or county is None:
        return user is not None
    return (
        RoleAssignment.objects.filter(user=user, org__path__startswith=county.path).exists()
        and user.is_active
    )


def sla_days(case_kind: str, category: Category | None, county: Org | None) -> dict[str, int]:
    """Deadlines in days: the category's own where it sets them, else the county's rule values."""

    def pick(own: int | None, rule: Any) -> int:
        return int(own) if own else int(rule_value(rule.code, county))

    return {
        "deadline": pick(category.deadline_days if category else None, R.PROBLEM_DEADLINE_DAYS),
        "answer": pick(category.answer_days if category else None, R.WHISTLE_ANSWER_DAYS),
        "solve": pick(category.solve_days if category else None, R.WHISTLE_SOLVE_DAYS),
    }


def open_case(
    actor: User,
    *,
    kind: str,
    org: Org | None = None,
    title: str,
    source: str = "",
    category: Category | None = None,
    description: str = "",
    measures: str = "",
    responsibility: str = "",
    owner: User | None = None,
    co_owners: Iterable[User] = (),
    acceptor: User | None = None,
    priority: str = Priority.NORMAL,
    grid: Grid | None = None,
    place: str = "",
    resident_name: str = "",
    resident_phone: str = "",
    deadline: datetime.date | None = None,
    opened_on: datetime.date | None = None,
    service: Any = None,
    field_visit: Any = None,
    inspection: Any = None,
    diary: Any = None,
    files: Sequence[Any] = (),
    today: datetime.date | None = None,
) -> Case:
    """Open a case of `kind` against `org` (a whistle's org defaults to its grid's). Every problem of the
    request is reported at once."""
    today = _today(today)
    if kind not in KINDS:
        raise DomainError("案件类型无效。", "kind")
    spec: KindSpec = KINDS[kind]
    if org is None and grid is not None:
        org = grid.org
    if org is None:
        raise DomainError("请选择所属组织。", "org")
    probe = Case(kind=kind, org=org, grid=grid)
    if not can(actor, "view", probe):
        raise NotInScope
    if not can(actor, "add", probe):
        raise ActionDenied("您的角色无权登记案件。")
    roles = roles_on(actor, probe)
    if not actor.is_superuser and not roles & spec.open_roles:
        raise ActionDenied(f"您的角色无权登记{spec.label}。")
    if org.archived_at is not None:
        raise DomainError(f"“{org.name}”已撤销，不能登记案件。", "org")
    places = _places(org)
    county = places["county"]
    e = Errors()
    title = e.text(title, label="标题", field="title", limit=100, required=True)
    description = e.text(description, label="情况描述", field="description", limit=3000)
    measures = e.text(measures, label="措施", field="measures", limit=3000)
    responsibility = e.text(responsibility, label="责任清单", field="responsibility", limit=2000)
    place = e.text(place, label="地点", field="place", limit=120)
    resident_name = e.text(resident_name, label="群众姓名", field="resident_name", limit=30)
    resident_phone = e.text(resident_phone, label="群众电话", field="resident_phone", limit=20)
    opened_on = opened_on or today
    if opened_on > today:
        e.add("立项日期不能晚于今天。", "opened_on")
    source = source or spec.sources[0]
    if source not in spec.sources:
        e.add(f"{spec.label}的来源只能是：{'、'.join(Source(s).label for s in spec.sources)}。", "source")
    if priority not in Priority.values:
        e.add("紧急程度无效。", "priority")
    if category is not None and (category.kind != kind or category.county_id != getattr(county, "pk", None)):
        e.add("类别不属于本县的这类案件。", "category")
    if (
        grid is not None
        and places["township"] is not None
        and not grid.org.path.startswith(places["township"].path)
    ):
        e.add("网格不在本乡镇。", "grid")
    if grid is not None and not org.path.startswith(grid.org.path) and org.pk != grid.org_id:
        if not grid.org.path.startswith(org.path):
            e.add("网格与所属组织不一致。", "grid")
    if kind == CaseKind.WHISTLE and grid is None:
        e.add("网格吹哨须选择网格。", "grid")
    if kind == CaseKind.ERRAND:
        if service is None:
            e.add("请选择代办事项。", "service")
        elif places["township"] is None or service.org_id != places["township"].pk or service.archived_at:
            e.add("代办事项不在本乡镇的目录中。", "service")
        if not resident_name:
            e.add("请填写群众姓名。", "resident_name")
        owner = owner or actor
    if kind == CaseKind.PROBLEM and owner is None:
        e.add("请指定责任人。", "owner")
    co_owners = list(co_owners)
    for person, field in [(owner, "owner"), (acceptor, "acceptor"), *[(c, "co_owners") for c in co_owners]]:
        if person is not None and not person.is_superuser and not _member_of(person, county):
            e.add(f"{person.display_name}不在本县工作，不能担任。", field)
    if acceptor is not None and (acceptor == owner or acceptor in co_owners):
        e.add("验收人不能是责任人或协办人。", "acceptor")
    days = sla_days(kind, category, county)
    answer_due = None
    if kind == CaseKind.WHISTLE:
        answer_due = opened_on + datetime.timedelta(days=days["answer"])
        deadline = deadline or opened_on + datetime.timedelta(days=days["solve"])
    elif kind == CaseKind.ERRAND and service is not None and deadline is None:
        deadline = add_working_days(opened_on, service.promised_days, county)
    elif deadline is None:
        deadline = opened_on + datetime.timedelta(days=days["deadline"])
    if deadline < opened_on:
        e.add("办结时限不能早于立项日期。", "deadline")
    for link, field in ((field_visit, "field_visit"), (inspection, "inspection"), (diary, "diary")):
        if link is not None and not can(actor, "view", link):
            e.add("来源记录不在您的管辖范围内。", field)
    if e.items:
        raise e.items[0] if len(e.items) == 1 else _errors(e)
    check_files(files, county)
    with transaction.atomic():
        for _ in range(5):
            case = Case(
                kind=kind,
                receipt_no=new_receipt_no(kind, opened_on),
                org=org,
                township=places["township"],
                station=places["station"],
                county=county or org,
                category=category,
                source=source,
                title=title,
                description=description,
                measures=measures,
                responsibility=responsibility,
                owner=owner,
                acceptor=acceptor,
                priority=priority,
                level=level_of(org),
                grid=grid,
                place=place,
                resident_name=resident_name,
                resident_phone=resident_phone,
                state=spec.initial,
                opened_on=opened_on,
                opened_by=actor,
                answer_due=answer_due,
                deadline=deadline,
                service=service,
                field_visit=field_visit,
                inspection=inspection,
                diary=diary,
            )
            try:
                with transaction.atomic():
                    case.save()
                break
            except IntegrityError:
                continue
        else:
            raise DomainError("受理编号生成失败，请重试。")
        if co_owners:
            case.co_owners.set(co_owners)
        event = _event(case, actor, EventType.OPEN, to_state=case.state, note=description[:2000])
        _attach(case, event, files, actor)
        audit.record(actor, "cases.open", case, org=org, after=snapshot(case))
    return case


def _errors(e: Errors) -> DomainError:
    return DomainErrors(e.items)


# --- transitions --------------------------------------------------------------------------------------


def _save_state(case: Case, target: str, **changes: Any) -> None:
    """Move `case` to `target` only if nobody moved it since it was read; else refuse."""
    updated = Case.objects.filter(pk=case.pk, state=case.state, version=case.version).update(
        state=target, version=F("version") + 1, updated_at=_now(), **changes
    )
    if updated != 1:
        raise DomainError("该案件刚被他人办理，请刷新后再试。", code="conflict")
    case.state = target
    case.version += 1
    for k, v in changes.items():
        setattr(case, k, v)


def act(
    actor: User,
    case: Case,
    code: str,
    *,
    note: str = "",
    files: Sequence[Any] = (),
    deadline: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Case:
    """Take transition `code` on `case` (start, report done, accept, reject, sign off, promise, …)."""
    _require_view(actor, case)
    t = case.spec.transition(code)
    if t is None or code in ("route", "answer"):
        raise DomainError("无此办理动作。", "transition")
    why = refusal(actor, case, t)
    if why is not None:
        if case.state not in t.sources:
            raise DomainError(why, "transition")
        raise ActionDenied(why)
    note = (note or "").strip()
    if t.note_required and not note:
        raise DomainError(f"{t.label}须填写说明。", "note")
    if len(note) > 2000:
        raise DomainError("说明不能超过2000个字。", "note")
    check_files(files, case.county)
    now = _now()
    changes: dict[str, Any] = {}
    if t.target == "answered" and case.answered_at is None:
        changes["answered_at"] = now
    if code == "take" and case.owner_id is None:
        changes["owner"] = actor
    if t.target == "done":
        changes["done_at"] = now
    if code == "reject" or (t.target in case.spec.running_states and case.done_at):
        changes["done_at"] = None
    if code == ACCEPT:
        changes.update(accepted_at=now, accepted_by=actor)
    if code == SIGN_OFF:
        changes.update(closed_at=now, closed_by=actor)
    if code == "promise" and deadline is not None:
        if deadline < case.opened_on:
            raise DomainError("承诺办结时限不能早于受理日期。", "deadline")
        changes["deadline"] = deadline
    before = snapshot(case)
    from_state = case.state
    with transaction.atomic():
        _save_state(case, t.target, **changes)
        event = _event(
            case,
            actor,
            EventType.TRANSITION,
            transition=code,
            from_state=from_state,
            to_state=t.target,
            note=note,
        )
        _attach(case, event, files, actor)
        audit.record(
            actor, f"cases.{code}", case, org=case.org, before=before, after=snapshot(case), note=note
        )
    return case


def route(
    actor: User,
    case: Case,
    departments: Sequence[Department],
    *,
    lead: Department | None = None,
    acceptor: User | None = None,
    note: str = "",
) -> Case:
    """The office routes a whistle to county departments (部门报到); the first is the lead unless named."""
    _require_view(actor, case)
    t = case.spec.transition("route")
    if t is None:
        raise DomainError(f"{case.spec.label}不派单到部门。", "departments")
    why = refusal(actor, case, t)
    if why is not None:
        if case.state not in t.sources:
            raise DomainError(why, "departments")
        raise ActionDenied(why)
    departments = list(dict.fromkeys(departments))
    if not departments:
        raise DomainError("请至少选择一个部门。", "departments")
    outside = [d.name for d in departments if d.county_id != case.county_id or d.archived_at]
    if outside:
        raise DomainError(f"只能派单到本县部门：{'、'.join(outside)}不属于本县。", "departments")
    lead = lead or departments[0]
    if lead not in departments:
        raise DomainError("牵头部门须在派单部门之中。", "lead")
    if acceptor is not None and (acceptor.pk == case.owner_id or not _member_of(acceptor, case.county)):
        raise DomainError("验收人须是本县工作人员，且不能是责任人。", "acceptor")
    now = _now()
    before = snapshot(case)
    from_state = case.state
    with transaction.atomic():
        existing = {r.department_id: r for r in case.routes.select_for_update()}
        for d in departments:
            r = existing.get(d.pk)
            if r is None:
                CaseRoute.objects.create(
                    case=case, department=d, lead=d == lead, routed_by=actor, routed_at=now
                )
            elif r.state == RouteState.DECLINED:
                CaseRoute.objects.filter(pk=r.pk).update(
                    state=RouteState.PENDING,
                    lead=d == lead,
                    routed_by=actor,
                    routed_at=now,
                    decided_by=None,
                    decided_at=None,
                    reason="",
                )
        _save_state(case, "routed", acceptor=acceptor or case.acceptor or actor)
        names = "、".join(d.name for d in departments)
        _event(
            case,
            actor,
            EventType.ROUTE,
            from_state=from_state,
            to_state="routed",
            note=note or f"派单至{names}（牵头：{lead.name}）",
            data={"departments": [d.pk for d in departments], "lead": lead.pk},
        )
        audit.record(
            actor, "cases.route", case, org=case.org, before=before, after=snapshot(case), note=names
        )
    return case


def decide_route(actor: User, case: Case, *, accept: bool, reason: str = "") -> Case:
    """A department liaison reports for duty (报到) or sends the whistle back with a reason."""
    _require_view(actor, case)
    mine = _my_routes(actor, case, RouteState.PENDING)
    if not mine:
        raise ActionDenied("本案件未派单到您的部门，或您的部门已处理过。")
    reason = (reason or "").strip()
    if not accept and not reason:
        raise DomainError("退回须说明理由。", "reason")
    if len(reason) > 300:
        raise DomainError("理由不能超过300个字。", "reason")
    route_row = mine[0]
    now = _now()
    before = snapshot(case)
    from_state = case.state
    with transaction.atomic():
        updated = CaseRoute.objects.filter(pk=route_row.pk, state=RouteState.PENDING).update(
            state=RouteState.ACCEPTED if accept else RouteState.DECLINED,
            decided_by=actor,
            decided_at=now,
            reason=reason,
        )
        if updated != 1:
            raise DomainError("该派单刚被他人处理，请刷新后再试。", code="conflict")
        name = route_row.department.name
        if accept and case.state == "routed":
            changes: dict[str, Any] = {"answered_at": case.answered_at or now}
            if case.owner_id is None:
                changes["owner"] = actor
            _save_state(case, "answered", **changes)
        elif (
            not accept
            and case.state == "routed"
            and not case.routes.exclude(state=RouteState.DECLINED).exists()
        ):
            _save_state(case, "raised")
        _event(
            case,
            actor,
            EventType.DEPT_ACCEPT if accept else EventType.DEPT_DECLINE,
            from_state=from_state if case.state != from_state else "",
            to_state=case.state if case.state != from_state else "",
            note=f"{name}报到" if accept else f"{name}退回：{reason}",
            data={"department": route_row.department_id},
        )
        audit.record(
            actor,
            "cases.answer" if accept else "cases.decline",
            case,
            org=case.org,
            before=before,
            after=snapshot(case),
            note=reason,
        )
    return case


# --- supervision, notes, hand-over, reopen, escalation, publication, satisfaction ---------------------


def supervise(
    actor: User, case: Case, *, note: str, files: Sequence[Any] = (), today: datetime.date | None = None
) -> CaseEvent:
    """A supervision record (督办): the station, township or county chases an open case."""
    _require_roles(actor, case, LEADS, "督办")
    if case.is_closed:
        raise DomainError("已销号的案件无需督办。", "note")
    note = (note or "").strip()
    if not note:
        raise DomainError("请填写督办意见。", "note")
    if len(note) > 2000:
        raise DomainError("督办意见不能超过2000个字。", "note")
    check_files(files, case.county)
    today = _today(today)
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(last_supervised_on=today, updated_at=_now())
        case.last_supervised_on = today
        event = _event(case, actor, EventType.SUPERVISE, note=note)
        _attach(case, event, files, actor)
        audit.record(
            actor,
            "cases.supervise",
            case,
            org=case.org,
            after={"last_supervised_on": today.isoformat()},
            note=note,
        )
    return event


def add_note(actor: User, case: Case, *, note: str, files: Sequence[Any] = ()) -> CaseEvent:
    """Progress notes and evidence from anyone who may act on the case."""
    _require_view(actor, case)
    if not can(actor, "act", case):
        raise ActionDenied("您的角色无权在案件中记录。")
    note = (note or "").strip()
    if not note and not files:
        raise DomainError("请填写说明或上传佐证材料。", "note")
    if len(note) > 2000:
        raise DomainError("说明不能超过2000个字。", "note")
    check_files(files, case.county)
    with transaction.atomic():
        event = _event(case, actor, EventType.NOTE, note=note)
        _attach(case, event, files, actor)
        audit.record(actor, "cases.note", case, org=case.org, note=note[:200])
    return event


def hand_over(actor: User, case: Case, *, to: User, note: str = "") -> Case:
    """First-contact responsibility: whoever owns a case keeps it until they (or a lead) hand it over."""
    _require_view(actor, case)
    roles = roles_on(actor, case)
    if not (actor.is_superuser or case.owner_id == actor.pk or roles & LEADS):
        raise ActionDenied("只有责任人本人或上级才能移交案件。")
    if case.is_closed:
        raise DomainError("已销号的案件不能移交。", "to")
    if to.pk == case.owner_id:
        raise DomainError("新责任人与原责任人相同。", "to")
    if to.pk == case.acceptor_id:
        raise DomainError("验收人不能同时担任责任人。", "to")
    if not _member_of(to, case.county):
        raise DomainError(f"{to.display_name}不在本县工作，不能接收。", "to")
    before = snapshot(case)
    previous = case.owner.display_name if case.owner_id else "（无）"
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(owner=to, updated_at=_now())
        case.owner = to
        _event(
            case,
            actor,
            EventType.HANDOVER,
            note=note or f"由{previous}移交{to.display_name}",
            data={"from": before.get("owner_id"), "to": to.pk},
        )
        audit.record(
            actor, "cases.handover", case, org=case.org, before=before, after=snapshot(case), note=note
        )
    return case


def reopen(actor: User, case: Case, *, reason: str, now: datetime.datetime | None = None) -> Case:
    """Reopen an accepted or closed case with a reason; it counts against the case (重新打开次数)."""
    now = now or _now()
    _require_roles(actor, case, case.spec.reopen_roles, "重新打开案件")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("重新打开须说明理由。", "reason")
    if len(reason) > 2000:
        raise DomainError("理由不能超过2000个字。", "reason")
    if case.reopened_at and case.reopened_at.replace(second=0, microsecond=0) == now.replace(
        second=0, microsecond=0
    ):
        raise DomainError("同一分钟内不能重复重新打开同一案件。", "reason")
    if case.state not in case.spec.reopen_from:
        raise DomainError(f"案件当前状态为“{case.state_label}”，尚未办结，无需重新打开。", "reason")
    target = case.spec.reopen_to
    if case.kind == CaseKind.WHISTLE and case.owner_id is None:
        target = "raised"
    before = snapshot(case)
    from_state = case.state
    with transaction.atomic():
        _save_state(
            case,
            target,
            reopen_count=case.reopen_count + 1,
            reopened_at=now,
            done_at=None,
            accepted_at=None,
            accepted_by=None,
            closed_at=None,
            closed_by=None,
        )
        _event(case, actor, EventType.REOPEN, from_state=from_state, to_state=target, note=reason, at=now)
        audit.record(
            actor, "cases.reopen", case, org=case.org, before=before, after=snapshot(case), note=reason
        )
    return case


def escalate(actor: User | None, case: Case, *, note: str = "", today: datetime.date | None = None) -> Case:
    """Move a case one level up (村→镇→县): by hand, or by `escalate_overdue` when it is overdue."""
    if actor is not None:
        _require_roles(
            actor,
            case,
            {
                Role.COUNTY_ADMIN,
                Role.TOWNSHIP_STAFF,
                Role.STATION_CHIEF,
                Role.VILLAGE_SECRETARY,
                Role.GRID_LEADER,
            },
            "上报案件",
        )
    if case.is_closed:
        raise DomainError("已销号的案件不能上报。", "note")
    if case.level >= Level.COUNTY:
        raise DomainError("案件已在县级办理，不能再上报。", "note")
    today = _today(today)
    before = snapshot(case)
    new_level = case.level + 1
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(level=new_level, escalated_on=today, updated_at=_now())
        case.level, case.escalated_on = new_level, today
        text = note or f"上报至{Level(new_level).label}办理"
        _event(case, actor, EventType.ESCALATE, note=text, data={"level": new_level})
        audit.record(
            actor, "cases.escalate", case, org=case.org, before=before, after=snapshot(case), note=text
        )
    return case


def escalate_overdue(today: datetime.date | None = None) -> int:
    """Escalate every running case past its deadline one level, then once more each interval; safe to run
    any number of times a day (a case moves at most one level a day). Returns how many moved."""
    from .selectors import escalation_due

    today = _today(today)
    moved = 0
    for case in escalation_due(today):
        escalate(
            None,
            case,
            note=f"逾期未办结（时限{case.deadline:%Y-%m-%d}），自动上报至{Level(case.level + 1).label}",
            today=today,
        )
        moved += 1
    return moved


def publish(actor: User, case: Case, *, public_title: str = "", public_result: str = "") -> Case:
    """Show the case on the township's public board: a title and result with no personal data."""
    _require_roles(actor, case, LEADS, "公开案件")
    e = Errors()
    public_title = e.text(
        public_title or case.title, label="公开标题", field="public_title", limit=100, required=True
    )
    public_result = e.text(public_result, label="公开办理结果", field="public_result", limit=300)
    for value, field in ((public_title, "public_title"), (public_result, "public_result")):
        if case.resident_name and case.resident_name in value:
            e.add("公开内容不能包含群众姓名。", field)
        if case.resident_phone and case.resident_phone in value:
            e.add("公开内容不能包含电话号码。", field)
    if e.items:
        raise e.items[0] if len(e.items) == 1 else _errors(e)
    before = snapshot(case)
    now = _now()
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(
            published_at=case.published_at or now,
            public_title=public_title,
            public_result=public_result,
            updated_at=now,
        )
        case.published_at = case.published_at or now
        case.public_title, case.public_result = public_title, public_result
        _event(case, actor, EventType.PUBLISH, note=public_title)
        audit.record(actor, "cases.publish", case, org=case.org, before=before, after=snapshot(case))
    return case


def unpublish(actor: User, case: Case, *, reason: str = "") -> Case:
    _require_roles(actor, case, LEADS, "撤回公开")
    if case.published_at is None:
        raise DomainError("该案件尚未公开。")
    before = snapshot(case)
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(published_at=None, updated_at=_now())
        case.published_at = None
        _event(case, actor, EventType.UNPUBLISH, note=reason)
        audit.record(
            actor, "cases.unpublish", case, org=case.org, before=before, after=snapshot(case), note=reason
        )
    return case


def record_satisfaction(actor: User, case: Case, *, score: int, note: str = "") -> Case:
    """The follow-up call after closing (满意度回访)."""
    _require_roles(
        actor,
        case,
        {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.STATION_CHIEF, Role.VILLAGE_SECRETARY},
        "回访",
    )
    if not case.is_closed:
        raise DomainError("案件销号（归档）后才能回访满意度。", "score")
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if score not in Satisfaction.values:
        raise DomainError("满意度只能是：满意、基本满意、不满意。", "score")
    note = (note or "").strip()
    if len(note) > 300:
        raise DomainError("回访记录不能超过300个字。", "note")
    before = snapshot(case)
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(satisfaction=score, satisfaction_note=note, updated_at=_now())
        case.satisfaction, case.satisfaction_note = score, note
        _event(
            case,
            actor,
            EventType.SATISFACTION,
            note=f"{Satisfaction(score).label}。{note}".rstrip("。") + "。",
        )
        audit.record(actor, "cases.satisfaction", case, org=case.org, before=before, after=snapshot(case))
    return case


EDITABLE = (
    "title",
    "description",
    "measures",
    "responsibility",
    "place",
    "priority",
    "deadline",
    "category",
    "acceptor",
    "co_owners",
)


def update_case(actor: User, case: Case, **changes: Any) -> Case:
    """Edit what the case says (not its state): the owner or a lead, while it is open."""
    _require_view(actor, case)
    roles = roles_on(actor, case)
    if not (actor.is_superuser or case.owner_id == actor.pk or roles & LEADS):
        raise ActionDenied("只有责任人或上级才能修改案件。")
    if case.is_closed:
        raise DomainError("已销号的案件不能修改，如需继续办理请先重新打开。")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(f"不能修改：{'、'.join(sorted(unknown))}。")
    e = Errors()
    limits = {
        "title": (100, "标题", True),
        "description": (3000, "情况描述", False),
        "measures": (3000, "措施", False),
        "responsibility": (2000, "责任清单", False),
        "place": (120, "地点", False),
    }
    for name, (limit, label, required) in limits.items():
        if name in changes:
            changes[name] = e.text(changes[name], label=label, field=name, limit=limit, required=required)
    if "priority" in changes and changes["priority"] not in Priority.values:
        e.add("紧急程度无效。", "priority")
    if "deadline" in changes:
        if changes["deadline"] is None or changes["deadline"] < case.opened_on:
            e.add("办结时限不能早于立项日期。", "deadline")
    if changes.get("category") is not None:
        c = changes["category"]
        if c.kind != case.kind or c.county_id != case.county_id:
            e.add("类别不属于本县的这类案件。", "category")
    co_owners = changes.pop("co_owners", None)
    acceptor = changes.get("acceptor")
    if acceptor is not None:
        if acceptor.pk == case.owner_id or (co_owners and acceptor in co_owners):
            e.add("验收人不能是责任人或协办人。", "acceptor")
        elif not _member_of(acceptor, case.county):
            e.add(f"{acceptor.display_name}不在本县工作，不能担任验收人。", "acceptor")
    for person in co_owners or ():
        if not _member_of(person, case.county):
            e.add(f"{person.display_name}不在本县工作，不能担任协办人。", "co_owners")
    if e.items:
        raise e.items[0] if len(e.items) == 1 else _errors(e)
    before = snapshot(case)
    with transaction.atomic():
        for k, v in changes.items():
            setattr(case, k, v)
        case.save(update_fields=[*changes, "updated_at"] if changes else ["updated_at"])
        if co_owners is not None:
            case.co_owners.set(co_owners)
        after = snapshot(case)
        changed = [k for k in after if after[k] != before.get(k)]
        _event(
            case,
            actor,
            EventType.EDIT,
            note="修改了"
            + "、".join(str(Case._meta.get_field(k.removesuffix("_id")).verbose_name) for k in changed)
            if changed
            else "更新了协办人",
        )
        audit.record(actor, "cases.edit", case, org=case.org, before=before, after=after)
    return case


def set_category(
    actor: User,
    county: Org,
    *,
    kind: str,
    name: str,
    deadline_days: int | None = None,
    answer_days: int | None = None,
    solve_days: int | None = None,
    departments: Iterable[Department] = (),
    category: Category | None = None,
) -> Category:
    """Create or change a county's category of cases with its own deadlines and default departments."""
    probe = category or Category(county=county, kind=kind)
    if not can(actor, "view", probe):
        raise NotInScope
    if not can(actor, "change" if category else "add", probe):
        raise ActionDenied("只有县委组织部可以设置案件类别。")
    e = Errors()
    name = e.text(name, label="类别名称", field="name", limit=40, required=True)
    if kind not in KINDS:
        e.add("案件类型无效。", "kind")
    for value, field in (
        (deadline_days, "deadline_days"),
        (answer_days, "answer_days"),
        (solve_days, "solve_days"),
    ):
        if value is not None and not (1 <= int(value) <= 365):
            e.add("时限须在1到365天之间。", field)
    if answer_days and solve_days and int(answer_days) > int(solve_days):
        e.add("响应时限不能长于办结时限。", "answer_days")
    departments = list(departments)
    if any(d.county_id != county.pk for d in departments):
        e.add("默认派单部门须是本县部门。", "departments")
    clash = Category.objects.filter(county=county, kind=kind, name=name)
    if category is not None:
        clash = clash.exclude(pk=category.pk)
    if name and clash.exists():
        e.add(f"已有同名类别“{name}”。", "name")
    if e.items:
        raise e.items[0] if len(e.items) == 1 else _errors(e)
    before = snapshot(category) if category else None
    with transaction.atomic():
        obj = category or Category(county=county, kind=kind)
        obj.name, obj.deadline_days, obj.answer_days, obj.solve_days = (
            name,
            deadline_days,
            answer_days,
            solve_days,
        )
        obj.save()
        obj.departments.set(departments)
        audit.record(actor, "cases.category", obj, org=county, before=before, after=snapshot(obj))
    return obj
