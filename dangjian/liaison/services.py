"""The only place this app writes: each function is one thing a person does, in one transaction with its
permission check, its validation (DomainError in Chinese, nothing written) and its audit row."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.dates import add_years
from dangjian.core.errors import DomainError
from dangjian.core.scope import require
from dangjian.members.models import Person
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import rules as R
from .choices import ContactWay, DeputyKind, Level
from .models import Consultation, Contact, Deputy

AREA_KINDS = frozenset({OrgKind.TOWNSHIP, OrgKind.STATION, OrgKind.JOINT_BRANCH, OrgKind.COMMUNITY})
CONTACT_KINDS = frozenset({OrgKind.STATION, OrgKind.JOINT_BRANCH, OrgKind.BRANCH, OrgKind.COMMUNITY})


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _text(value: Any, label: str, field: str, limit: int, *, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise DomainError(f"请填写{label}。", field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过{limit}个字。", field)
    return text


def _date(value: Any, label: str, field: str) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise DomainError(f"请填写{label}。", field)
    return value


def _past(value: Any, label: str, field: str, today: datetime.date) -> datetime.date:
    value = _date(value, label, field)
    if value > today:
        raise DomainError(f"{label}不能晚于今天。", field)
    return value


def in_term(deputy: Deputy, day: datetime.date) -> bool:
    return deputy.term_start <= day <= deputy.term_end


def add_deputy(
    actor,
    org: Org,
    *,
    name: Any = "",
    kind: Any,
    level: Any,
    term_start: Any,
    term_end: Any = None,
    unit: Any = "",
    person: Person | None = None,
) -> Deputy:
    """Register a deputy or political consultative member in a station's (or township's) area."""
    if org.kind not in AREA_KINDS:
        raise DomainError("代表委员按党建工作站（或乡镇、社区）登记。", "org")
    deputy = Deputy(org=org)
    require(actor, "change", deputy)
    if kind not in DeputyKind.values:
        raise DomainError("请选择类别（党代表、人大代表或政协委员）。", "kind")
    if level not in Level.values:
        raise DomainError("请选择层级。", "level")
    if kind == DeputyKind.CPPCC and level == Level.TOWNSHIP:
        raise DomainError("乡镇不设政协，政协委员只能登记为县级。", "level")
    if person is not None and not Person.objects.restrict(actor).filter(pk=person.pk).exists():
        raise DomainError("所选人员不存在或不在您的管辖范围内。", "person")
    start = _date(term_start, "任期开始", "term_start")
    years = int(R.TERM_YEARS.value)
    end = term_end if term_end is not None else add_years(start, years)
    end = _date(end, "任期届满", "term_end")
    if end <= start:
        raise DomainError("任期届满日须晚于任期开始日。", "term_end")
    if end > add_years(start, years):
        raise DomainError(
            f"每届任期{years}年，届满日不能晚于{add_years(start, years):%Y-%m-%d}。", "term_end"
        )
    deputy.kind, deputy.level, deputy.term_start, deputy.term_end = kind, level, start, end
    deputy.person = person
    deputy.name = _text(name or (person.name if person else ""), "姓名", "name", 40)
    deputy.unit = _text(unit, "工作单位及职务", "unit", 100, required=False)
    with transaction.atomic():
        if Deputy.objects.filter(
            org=org, name=deputy.name, kind=kind, level=level, term_start=start
        ).exists():
            raise DomainError(
                f"{deputy.name}已登记为本站同届{deputy.get_level_display()}{deputy.get_kind_display()}。",
                "name",
            )
        deputy.save()
        audit.record(actor, "liaison.deputy.add", deputy, org=org, after=snapshot(deputy))
    return deputy


def record_contact(
    actor,
    deputy: Deputy,
    *,
    contacted_on: Any,
    topic: Any,
    outcome: Any,
    branch: Org | None = None,
    resident_name: Any = "",
    way: Any = ContactWay.VISIT,
    case_ref: Any = "",
    today: datetime.date | None = None,
) -> Contact:
    """Record a deputy's contact with a branch of the station or a resident."""
    require(actor, "change", deputy)
    day = _past(contacted_on, "联系日期", "contacted_on", _today(today))
    if not in_term(deputy, day):
        raise DomainError(
            f"{deputy.name}的任期为{deputy.term_start:%Y-%m-%d}至{deputy.term_end:%Y-%m-%d}，联系日期不在任期内。",
            "contacted_on",
        )
    resident = _text(resident_name, "联系群众", "resident_name", 40, required=False)
    if branch is None and not resident:
        raise DomainError("请选择联系的支部或填写联系的群众。", "branch")
    if branch is not None:
        if branch.kind not in CONTACT_KINDS or not branch.path.startswith(deputy.org.path):
            raise DomainError(f"{branch.name}不在{deputy.org.name}的联络范围内。", "branch")
    if way not in ContactWay.values:
        raise DomainError("请选择联系方式。", "way")
    contact = Contact(
        deputy=deputy,
        org=deputy.org,
        branch=branch,
        resident_name=resident,
        way=way,
        contacted_on=day,
        topic=_text(topic, "事由", "topic", 200),
        outcome=_text(outcome, "结果", "outcome", 500),
        case_ref=_text(case_ref, "问题台账编号", "case_ref", 40, required=False),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    with transaction.atomic():
        contact.save()
        audit.record(actor, "liaison.contact.record", contact, org=deputy.org, after=snapshot(contact))
    return contact


def record_consultation(
    actor,
    org: Org,
    *,
    held_on: Any,
    topic: Any,
    result: Any,
    attendees: Iterable[Deputy],
    place: Any = "",
    others: Any = "",
    today: datetime.date | None = None,
) -> Consultation:
    """Record a consultation meeting (协商议事会) of a station and the deputies who attended it."""
    if org.kind not in AREA_KINDS:
        raise DomainError("协商议事会按党建工作站（或乡镇、社区）登记。", "org")
    meeting = Consultation(org=org)
    require(actor, "change", meeting)
    day = _past(held_on, "会议日期", "held_on", _today(today))
    people = list({d.pk: d for d in attendees}.values())
    if not people:
        raise DomainError("协商议事会须至少有一名代表委员参加。", "attendees")
    strangers = [d.name for d in people if not d.org.path.startswith(org.path)]
    if strangers:
        raise DomainError(f"{'、'.join(strangers)}不属于{org.name}，不能列为参会代表委员。", "attendees")
    out_of_term = [d.name for d in people if not in_term(d, day)]
    if out_of_term:
        raise DomainError(f"{'、'.join(out_of_term)}在会议当日不在任期内。", "attendees")
    meeting.held_on = day
    meeting.topic = _text(topic, "议题", "topic", 200)
    meeting.result = _text(result, "协商结果", "result", 500)
    meeting.place = _text(place, "地点", "place", 100, required=False)
    meeting.others = _text(others, "其他参会人员", "others", 300, required=False)
    meeting.created_by = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        meeting.save()
        meeting.attendees.set(people)
        after = snapshot(meeting) | {"attendees": sorted(d.name for d in people)}
        audit.record(actor, "liaison.consultation.record", meeting, org=org, after=after)
    return meeting
