"""The only place the errands app writes: one function per thing a person does, each in one
transaction with its permission check and audit row. Refusals are DomainErrors with Chinese messages,
every problem of a request at once so a form can show them beside their fields."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.scope import require
from dangjian.members.records.common import Errors
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.stations.services import PHONE_RE

from . import rules as R
from .choices import SECTION_SEPARATORS
from .models import Diary, ErrandService, ServiceCentre, ServiceSession
from .selectors import VILLAGE_KINDS

SPLIT = re.compile("[" + re.escape(SECTION_SEPARATORS) + "]")


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _township(org: Org) -> None:
    if org.kind != OrgKind.TOWNSHIP or org.archived_at is not None:
        raise DomainError(f"“{org.name}”不是乡镇（街道）。", field="org")


def _phone(e: Errors, value: str) -> str:
    phone = re.sub(r"\s", "", value or "")
    if phone and not PHONE_RE.match(phone):
        e.add("联系电话格式不正确：手机号为11位数字，座机如010-69201234。", "phone")
    return phone


def _int(e: Errors, value: Any, *, label: str, field: str, low: int, high: int) -> int | None:
    if value is None or value == "":
        e.add(f"请填写{label}。", field)
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        e.add(f"{label}应为整数。", field)
        return None
    if not low <= number <= high:
        e.add(f"{label}应在{low}到{high}之间。", field)
    return number


# --- the catalogue -----------------------------------------------------------------------------------


def _service_fields(
    township: Org,
    *,
    category: str,
    name: str,
    documents: str,
    promised_days: Any,
    handled_by: str,
    sort_order: Any,
    exclude: int | None = None,
) -> dict[str, Any]:
    e = Errors()
    clean = {
        "category": e.text(category, label="类别", field="category", limit=40, required=True),
        "name": e.text(name, label="事项名称", field="name", limit=80, required=True),
        "handled_by": e.text(handled_by, label="承办科室（部门）", field="handled_by", limit=60),
        "promised_days": _int(
            e,
            promised_days,
            label="承诺办结时限（工作日）",
            field="promised_days",
            low=0,
            high=R.PROMISED_DAYS_MAX,
        ),
        "sort_order": _int(e, sort_order or 0, label="排序", field="sort_order", low=-9999, high=9999),
    }
    lines = [line.strip() for line in (documents or "").splitlines() if line.strip()]
    clean["documents"] = e.text("\n".join(lines), label="所需材料", field="documents", limit=1000)
    if clean["name"]:
        twins = ErrandService.objects.filter(org=township, name=clean["name"]).exclude(pk=exclude)
        if twins.exists():
            e.add(f"“{township.name}”的目录中已有事项“{clean['name']}”。", "name")
    e.raise_any()
    return clean


def create_service(
    actor: User,
    township: Org,
    *,
    category: str,
    name: str,
    promised_days: Any,
    documents: str = "",
    handled_by: str = "",
    published: bool = True,
    sort_order: Any = 0,
) -> ErrandService:
    """Add an errand to a township's catalogue (published at once unless unticked)."""
    require(actor, "add", ErrandService(org=township))
    _township(township)
    clean = _service_fields(
        township,
        category=category,
        name=name,
        documents=documents,
        promised_days=promised_days,
        handled_by=handled_by,
        sort_order=sort_order,
    )
    with transaction.atomic():
        service = ErrandService.objects.create(org=township, published=bool(published), **clean)
        audit.record(actor, "errands.service_create", service, org=township, after=snapshot(service))
    return service


def update_service(
    actor: User,
    service: ErrandService,
    *,
    category: str,
    name: str,
    promised_days: Any,
    documents: str = "",
    handled_by: str = "",
    published: bool = True,
    sort_order: Any = 0,
) -> ErrandService:
    """Change an errand of the catalogue; one no longer in use must be restored first."""
    require(actor, "change", service)
    if service.archived_at is not None:
        raise DomainError(f"“{service.name}”已停用，请先恢复再修改。")
    clean = _service_fields(
        service.org,
        category=category,
        name=name,
        documents=documents,
        promised_days=promised_days,
        handled_by=handled_by,
        sort_order=sort_order,
        exclude=service.pk,
    )
    with transaction.atomic():
        before = snapshot(service)
        for key, value in clean.items():
            setattr(service, key, value)
        service.published = bool(published)
        service.save()
        audit.record(
            actor, "errands.service_update", service, org=service.org, before=before, after=snapshot(service)
        )
    return service


def set_service_archived(actor: User, service: ErrandService, archived: bool) -> ErrandService:
    """Stop offering an errand (it leaves the public catalogue; cases that used it keep it) or restore it."""
    require(actor, "change", service)
    if archived == (service.archived_at is not None):
        state = "已停用" if archived else "正在使用"
        raise DomainError(f"“{service.name}”{state}。")
    with transaction.atomic():
        before = snapshot(service)
        service.archived_at = timezone.now() if archived else None
        service.save(update_fields=["archived_at"])
        action = "errands.service_archive" if archived else "errands.service_restore"
        audit.record(actor, action, service, org=service.org, before=before, after=snapshot(service))
    return service


# --- service centres ---------------------------------------------------------------------------------


def _centre_fields(township: Org, *, name: str, place: str, phone: str, exclude: int | None = None):
    e = Errors()
    clean = {
        "name": e.text(name, label="名称", field="name", limit=60, required=True),
        "place": e.text(place, label="地点", field="place", limit=120),
        "phone": _phone(e, phone),
    }
    if clean["name"]:
        twins = ServiceCentre.objects.filter(org=township, name=clean["name"]).exclude(pk=exclude)
        if twins.exists():
            e.add(f"“{township.name}”已有便民服务中心“{clean['name']}”。", "name")
    e.raise_any()
    return clean


def create_centre(
    actor: User, township: Org, *, name: str, place: str = "", phone: str = ""
) -> ServiceCentre:
    """Set up a township's service centre where sections come on scheduled half-days."""
    require(actor, "add", ServiceCentre(org=township))
    _township(township)
    clean = _centre_fields(township, name=name, place=place, phone=phone)
    with transaction.atomic():
        centre = ServiceCentre.objects.create(org=township, **clean)
        audit.record(actor, "errands.centre_create", centre, org=township, after=snapshot(centre))
    return centre


def update_centre(
    actor: User, centre: ServiceCentre, *, name: str, place: str = "", phone: str = ""
) -> ServiceCentre:
    require(actor, "change", centre)
    clean = _centre_fields(centre.org, name=name, place=place, phone=phone, exclude=centre.pk)
    with transaction.atomic():
        before = snapshot(centre)
        for key, value in clean.items():
            setattr(centre, key, value)
        centre.save()
        audit.record(
            actor, "errands.centre_update", centre, org=centre.org, before=before, after=snapshot(centre)
        )
    return centre


def set_centre_archived(actor: User, centre: ServiceCentre, archived: bool) -> ServiceCentre:
    """Close a centre (its past half-days stay on the schedule) or reopen it."""
    require(actor, "change", centre)
    if archived == (centre.archived_at is not None):
        raise DomainError(f"“{centre.name}”{'已停用' if archived else '正在使用'}。")
    with transaction.atomic():
        before = snapshot(centre)
        centre.archived_at = timezone.now() if archived else None
        centre.save(update_fields=["archived_at"])
        action = "errands.centre_archive" if archived else "errands.centre_restore"
        audit.record(actor, action, centre, org=centre.org, before=before, after=snapshot(centre))
    return centre


# --- the half-day schedule ---------------------------------------------------------------------------


def parse_sections(value: str | Iterable[str] | None) -> list[str]:
    """Section names from one typed line (、，; or new lines between them) or a list, blanks and
    repeats dropped, in the order given."""
    parts = SPLIT.split(value) if isinstance(value, str) else [str(v) for v in value or []]
    seen: list[str] = []
    for part in parts:
        name = part.strip()
        if name and name not in seen:
            seen.append(name)
    return seen


def _session_fields(
    e: Errors,
    centre: ServiceCentre | None,
    *,
    date: datetime.date | None,
    half: str,
    sections: str | Iterable[str] | None,
    note: str,
    served: Any,
    today: datetime.date,
    exclude: int | None = None,
) -> dict[str, Any]:
    names = parse_sections(sections)
    if not names:
        e.add("请填写下村科室（部门），如：司法所、规划科、民政科。", "sections")
    elif len(names) > R.SECTIONS_MAX:
        e.add(f"下村科室（部门）最多{R.SECTIONS_MAX}个。", "sections")
    long = [n for n in names if len(n) > R.SECTION_NAME_MAX]
    if long:
        e.add(f"科室（部门）名称不能超过{R.SECTION_NAME_MAX}个字：{'、'.join(long)}。", "sections")
    if half not in ServiceSession.Half.values:
        e.add("请选择上午或下午。", "half")
    span = datetime.timedelta(days=366 * R.SCHEDULE_YEARS)
    if date is None:
        e.add("请填写日期。", "date")
    elif not today - span <= date <= today + span:
        e.add("日期应在今天前后一年之内。", "date")
    note = e.text(note, label="说明", field="note", limit=200)
    count = None
    if served not in (None, ""):
        count = _int(e, served, label="服务群众人次", field="served", low=0, high=100000)
        if date is not None and date > today:
            e.add("尚未到来的半天不能登记服务群众人次。", "served")
    if centre is not None and date is not None and half in ServiceSession.Half.values:
        taken = ServiceSession.objects.filter(centre=centre, date=date, half=half).exclude(pk=exclude)
        if taken.exists():
            label = ServiceSession.Half(half).label
            e.add(f"“{centre.name}”{date:%Y-%m-%d}{label}已安排便民服务。", "date")
    return {"date": date, "half": half, "sections": names, "note": note, "served": count}


def _open_centre(e: Errors, centre: ServiceCentre | None) -> None:
    if centre is None:
        e.add("请选择便民服务中心。", "centre")
    elif centre.archived_at is not None:
        e.add(f"“{centre.name}”已停用，不能安排便民服务。", "centre")


def schedule_session(
    actor: User,
    centre: ServiceCentre | None,
    *,
    date: datetime.date | None,
    half: str,
    sections: str | Iterable[str] | None,
    note: str = "",
    served: Any = None,
    today: datetime.date | None = None,
) -> ServiceSession:
    """Put a half-day on a centre's schedule with the sections that come; people served are added
    once it has taken place."""
    today = _today(today)
    if centre is not None:
        require(actor, "add", ServiceSession(org=centre.org, centre=centre))
    e = Errors()
    _open_centre(e, centre)
    clean = _session_fields(
        e, centre, date=date, half=half, sections=sections, note=note, served=served, today=today
    )
    e.raise_any()
    with transaction.atomic():
        session = ServiceSession.objects.create(centre=centre, org=centre.org, **clean)
        audit.record(actor, "errands.session_create", session, org=centre.org, after=snapshot(session))
    return session


def update_session(
    actor: User,
    session: ServiceSession,
    *,
    centre: ServiceCentre | None,
    date: datetime.date | None,
    half: str,
    sections: str | Iterable[str] | None,
    note: str = "",
    served: Any = None,
    today: datetime.date | None = None,
) -> ServiceSession:
    """Change a half-day: move it, change who comes, or record how many people were served."""
    today = _today(today)
    require(actor, "change", session)
    e = Errors()
    if centre is not None and centre.pk != session.centre_id:
        _open_centre(e, centre)
        if centre.org_id != session.org_id:
            e.add("只能改到本乡镇的便民服务中心。", "centre")
    centre = centre or session.centre
    clean = _session_fields(
        e,
        centre,
        date=date,
        half=half,
        sections=sections,
        note=note,
        served=served,
        today=today,
        exclude=session.pk,
    )
    e.raise_any()
    with transaction.atomic():
        before = snapshot(session)
        session.centre = centre
        for key, value in clean.items():
            setattr(session, key, value)
        session.save()
        audit.record(
            actor, "errands.session_update", session, org=session.org, before=before, after=snapshot(session)
        )
    return session


# --- diaries -----------------------------------------------------------------------------------------


def _diary_fields(
    e: Errors, org: Org | None, *, written_on: datetime.date | None, visited: str, content: str, today
) -> dict[str, Any]:
    if org is None:
        e.add("请选择村（社区）。", "org")
    elif org.kind not in VILLAGE_KINDS or org.archived_at is not None:
        e.add(f"“{org.name}”不是村（社区）党组织，民情日记须记在走访的村（社区）下。", "org")
    e.date(written_on, label="日期", field="written_on", today=today)
    return {
        "written_on": written_on,
        "visited": e.text(visited, label="走访对象", field="visited", limit=100),
        "content": e.text(content, label="民情记录", field="content", limit=2000, required=True),
    }


def write_diary(
    actor: User,
    org: Org | None,
    *,
    written_on: datetime.date | None,
    content: str,
    visited: str = "",
    today: datetime.date | None = None,
) -> Diary:
    """A staff member's diary of what residents told them in a village; the author is the writer."""
    today = _today(today)
    if org is not None:
        require(actor, "add", Diary(org=org))
    e = Errors()
    clean = _diary_fields(e, org, written_on=written_on, visited=visited, content=content, today=today)
    e.raise_any()
    with transaction.atomic():
        diary = Diary.objects.create(org=org, author=actor, **clean)
        audit.record(actor, "errands.diary_create", diary, org=org, after=snapshot(diary))
    return diary


def update_diary(
    actor: User,
    diary: Diary,
    *,
    org: Org | None,
    written_on: datetime.date | None,
    content: str,
    visited: str = "",
    today: datetime.date | None = None,
) -> Diary:
    """Only the author corrects their diary; a new village must be one they may write about."""
    today = _today(today)
    require(actor, "change", diary)
    if diary.author_id != actor.pk:
        raise ActionDenied("只有记录人本人可以修改民情日记。")
    if org is not None and org.pk != diary.org_id:
        require(actor, "add", Diary(org=org))
    e = Errors()
    clean = _diary_fields(e, org, written_on=written_on, visited=visited, content=content, today=today)
    e.raise_any()
    with transaction.atomic():
        before = snapshot(diary)
        diary.org = org
        for key, value in clean.items():
            setattr(diary, key, value)
        diary.save()
        audit.record(actor, "errands.diary_update", diary, org=org, before=before, after=snapshot(diary))
    return diary


# --- contact cards -----------------------------------------------------------------------------------


def record_card_print(actor: User, org: Org, cards: list[Any], paper: str) -> None:
    """Contact cards carry staff phones in full: who printed which, and when, is kept like any reveal."""
    titles = "、".join(card.title for card in cards)
    note = f"打印连心卡（{paper.upper()}，{len(cards)}张，含工作人员完整电话）：{titles}"
    with transaction.atomic():
        audit.record(actor, "errands.cards_print", org, org=org, after={"cards": len(cards)}, note=note[:300])
