"""A person's own data: everything the platform holds about them, exported in one go (个人信息查阅、复制，
《个人信息保护法》第四十五条), and anonymisation where the law allows it (删除权，第四十七条).

Party records must be kept (《中国共产党党员教育管理工作条例》、党员档案管理规定), so a person on a branch's
roll, one whose development case is still open, or one holding a village post cannot be anonymised;
a former member (removed, transferred out of the system, deceased) or an applicant whose case stopped
can. Anonymising keeps every row (counts, meetings and dues stay right) but blanks what identifies the
person, here and in the copies of their name that other records keep. The audit trail is append-only
and is left as it is: it names who acted on what (ID numbers and phones are masked there already) and
is the record that the anonymisation itself was lawful."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.scope import can, require

from ..models import Member, Person

ANONYMOUS = "已匿名"
# Internal columns that tell the person nothing (search keys, demo markers).
SKIP_FIELDS = {"name_pinyin", "name_initials", "id_tail", "demo_source"}
# Fields that identify a person wherever a record keeps its own copy of them.
IDENTIFYING = {"name": ANONYMOUS, "phone": "", "contact": "", "id_number": None, "address": ""}


def _value(obj: models.Model, field: models.Field) -> Any:
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    if isinstance(field, models.ForeignKey):
        related = getattr(obj, field.name)
        return str(related) if related is not None else ""
    value = getattr(obj, field.attname)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value if value is not None else ""


def _row(obj: models.Model) -> dict[str, Any]:
    return {
        str(f.verbose_name): _value(obj, f)
        for f in obj._meta.concrete_fields
        if f.name not in SKIP_FIELDS and not f.primary_key
    }


def _related(obj: models.Model) -> list[tuple[str, list[models.Model]]]:
    """Every record that points at `obj` (a person or a member), by model, following the schema so a
    new app's records appear without a change here."""
    groups = []
    for rel in obj._meta.related_objects:
        if rel.many_to_many or rel.related_model in (Member, Person):
            continue
        rows = list(rel.related_model._default_manager.filter(**{rel.field.name: obj}))
        if rows:
            groups.append((str(rel.related_model._meta.verbose_name), rows))
    return groups


def _member_of(person: Person) -> Member | None:
    return Member.objects.filter(person=person).first()


def _audit_events(person: Person, member: Member | None) -> models.QuerySet[AuditEvent]:
    q = Q(object_type="members.person", object_id=str(person.pk))
    if member is not None:
        q |= Q(object_type="members.member", object_id=str(member.pk))
    return AuditEvent.objects.filter(q).order_by("created_at", "pk")


def _require_privacy(actor: User, person: Person) -> None:
    require(actor, "view", person)
    if not can(actor, "privacy", person):
        raise ActionDenied("只有县委组织部管理员可以导出或匿名化个人信息。")


@transaction.atomic
def export_person(actor: User, person: Person) -> dict[str, Any]:
    """Everything held about `person`, as sections of rows with Chinese column names. The export shows
    the full ID number and phone, so it is written to the audit trail like any other reveal."""
    _require_privacy(actor, person)
    member = _member_of(person)
    sections: list[dict[str, Any]] = [{"title": "个人信息", "rows": [_row(person)]}]
    if member is not None:
        sections.append({"title": "党员信息", "rows": [_row(member)]})
    for holder in (person, member):
        if holder is None:
            continue
        for title, rows in _related(holder):
            sections.append({"title": title, "rows": [_row(r) for r in rows]})
    events = [
        {"时间": e.created_at.isoformat(), "操作人": e.actor_name, "操作": e.action, "说明": e.note}
        for e in _audit_events(person, member)
    ]
    if events:
        sections.append({"title": "操作记录", "rows": events})
    audit.record(actor, "person.export", person, org=person.org, note="导出个人全部信息")
    return {"person": person.pk, "name": person.name, "sections": sections}


def export_workbook(data: dict[str, Any]) -> bytes:
    """The export as an .xlsx with one sheet per section."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    used: set[str] = set()
    for section in data["sections"]:
        title = section["title"][:28]
        while title in used:
            title += "_"
        used.add(title)
        ws = wb.create_sheet(title)
        headers = list(section["rows"][0]) if section["rows"] else []
        cells = []
        for h in headers:
            c = WriteOnlyCell(ws, value=h)
            c.font = bold
            cells.append(c)
        ws.append(cells)
        for row in section["rows"]:
            ws.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def anonymise_refusal(person: Person) -> str:
    """Why `person` may not be anonymised, or `` if they may."""
    member = _member_of(person)
    if member is not None and member.on_roll:
        return "该同志仍是在册党员，党员档案须长期保存，不能匿名化。"
    if person.development_cases.filter(status__in=("open", "probation")).exists():
        return "该同志的发展党员档案尚未办结或终止，不能匿名化。"
    if person.village_posts.filter(until__isnull=True).exclude(name="").exists():
        return "该同志仍在村（社区）任职，请先登记离任。"
    if person.name == ANONYMOUS and not person.id_number and not person.phone:
        return "该人员已经匿名化。"
    return ""


def _scrub(obj: models.Model) -> None:
    names = {f.name for f in obj._meta.concrete_fields}
    changed = []
    for field, blank in IDENTIFYING.items():
        if field in names and getattr(obj, field) not in ("", None):
            setattr(obj, field, blank if blank is not None or obj._meta.get_field(field).null else "")
            changed.append(field)
    if changed:
        obj.save(update_fields=changed)


@transaction.atomic
def anonymise_person(actor: User, person: Person, reason: str) -> Person:
    """Blank what identifies a former member or non-member, keeping every record they appear in."""
    _require_privacy(actor, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not (reason or "").strip():
        raise DomainError("请填写匿名化的依据（如本人申请、法定保存期限届满）。", field="reason")
    refusal = anonymise_refusal(person)
    if refusal:
        raise DomainError(refusal)
    member = _member_of(person)
    before = audit.snapshot(person)
    for holder in (person, member):
        if holder is None:
            continue
        for _title, rows in _related(holder):
            for row in rows:
                _scrub(row)
    person.name = ANONYMOUS
    person.name_pinyin = person.name_initials = ""
    person.id_number, person.id_tail, person.phone = None, "", ""
    person.occupation, person.household, person.grid = "", None, None
    person.birth_date = datetime.date(person.birth_date.year, 1, 1)
    person.save()
    audit.record(
        actor,
        "person.anonymise",
        person,
        org=person.org,
        before={k: ("已删除" if before.get(k) else "") for k in ("name", "id_number", "phone")},
        after={"name": ANONYMOUS, "id_number": "", "phone": ""},
        note=reason.strip()[:200],
    )
    return person
