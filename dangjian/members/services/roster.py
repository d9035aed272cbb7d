"""Adding and changing people and members. The checks here serve the form, the API and the import."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.dates import add_years
from dangjian.core.errors import ActionDenied, DomainError, DomainErrors
from dangjian.core.pinyin import pinyin_keys
from dangjian.core.scope import can, require
from dangjian.development.rules import MIN_AGE, PROBATION_YEARS
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Grid, Org

from ..choices import DuesCategory, Education, Gender, MemberStatus
from ..models import Household, Member, Person, years_between
from .identity import parse_id

MEMBER_ORG_KINDS = frozenset({OrgKind.BRANCH, OrgKind.COMMUNITY})
PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$")
# Choices.values builds a new list on every call; an import checks 100,000 rows against these.
GENDERS = frozenset(Gender.values)
EDUCATIONS = frozenset(Education.values)
STATUSES = frozenset(MemberStatus.values)
DUES_CATEGORIES = frozenset(DuesCategory.values)


@dataclass
class PersonData:
    name: str
    gender: str = ""
    birth_date: datetime.date | None = None
    id_number: str | None = None
    phone: str = ""
    ethnicity: str = "汉族"
    education: str = ""
    occupation: str = ""
    grid: Grid | None = None
    household: Household | None = None


@dataclass
class MemberData(PersonData):
    status: str = MemberStatus.FULL
    joined_on: datetime.date | None = None
    full_on: datetime.date | None = None
    group: Org | None = None
    dues_category: str = DuesCategory.FARMER
    dues_base: Decimal | None = None


PERSON_FIELDS = [f.name for f in fields(PersonData)]
MEMBER_ONLY_FIELDS = [f.name for f in fields(MemberData) if f.name not in PERSON_FIELDS]


def check_person(
    data: PersonData, org: Org, *, exclude_pk: int | None = None, today=None
) -> list[DomainError]:
    """Every problem with `data`, so a form or an import row can show them all at once.
    Normalises the ID number and fills birth date and gender from it where they are missing."""
    today = today or timezone.localdate()
    errors: list[DomainError] = []
    data.name = (data.name or "").strip()
    if not data.name:
        errors.append(DomainError("请填写姓名。", field="name"))
    elif len(data.name) > 40:
        errors.append(DomainError("姓名不能超过40个字。", field="name"))
    if org.kind not in MEMBER_ORG_KINDS:
        errors.append(DomainError("党员和申请人应登记在村（社区）党支部下。", field="org"))
    if data.id_number:
        try:
            number, birth, gender = parse_id(data.id_number)
        except DomainError as exc:
            errors.append(exc)
        else:
            data.id_number = number
            if data.birth_date is None:
                data.birth_date = birth
            elif data.birth_date != birth:
                errors.append(
                    DomainError(
                        f"出生日期{data.birth_date:%Y-%m-%d}与公民身份号码中的{birth:%Y-%m-%d}不一致。",
                        field="birth_date",
                    )
                )
            if not data.gender:
                data.gender = gender
            elif data.gender != gender:
                errors.append(
                    DomainError(
                        f"性别与公民身份号码不一致：号码第17位表示{Gender(gender).label}性。", field="gender"
                    )
                )
            clash = Person.objects.filter(id_number=number).exclude(pk=exclude_pk).first()
            if clash is not None:
                errors.append(DomainError(_clash_message(clash, org), field="id_number"))
    else:
        data.id_number = None
    if data.birth_date is None:
        errors.append(DomainError("请填写出生日期或公民身份号码。", field="birth_date"))
    elif data.birth_date > today:
        errors.append(DomainError("出生日期不能晚于今天。", field="birth_date"))
    if data.gender not in GENDERS:
        errors.append(DomainError("请选择性别（男或女）。", field="gender"))
    if data.education and data.education not in EDUCATIONS:
        errors.append(DomainError("学历不在可选范围内。", field="education"))
    data.phone = re.sub(r"\s", "", data.phone or "")
    if data.phone and not PHONE_RE.match(data.phone):
        errors.append(
            DomainError("联系电话格式不正确：手机号为11位数字，座机如0350-1234567。", field="phone")
        )
    if data.grid is not None and not org.path.startswith(data.grid.org.path):
        errors.append(DomainError("所选网格不属于该党支部所在的乡镇或社区。", field="grid"))
    if data.household is not None and data.household.org_id != org.pk:
        errors.append(DomainError("所选农户不属于该党支部。", field="household"))
    return errors


def _clash_message(clash: Person, org: Org) -> str:
    """Name the existing record only where it sits in the same county, so existence elsewhere does not
    tell a clerk who someone is."""
    same_county = clash.org.path.split("/")[:4] == org.path.split("/")[:4]
    where = f"（{clash.name}，{clash.org.name}）" if same_county else "（在其他县，请联系县委组织部核实）"
    return f"该公民身份号码已在系统中登记{where}。"


def check_member(
    data: MemberData, org: Org, *, exclude_pk: int | None = None, today=None
) -> list[DomainError]:
    today = today or timezone.localdate()
    errors = check_person(data, org, exclude_pk=exclude_pk, today=today)
    if data.status not in STATUSES:
        errors.append(DomainError("党员类别应为正式党员或预备党员。", field="status"))
    if data.joined_on is None:
        errors.append(DomainError("请填写入党时间。", field="joined_on"))
    else:
        if data.joined_on > today:
            errors.append(DomainError("入党时间不能晚于今天。", field="joined_on"))
        if data.birth_date and data.joined_on <= data.birth_date:
            errors.append(DomainError("入党时间不能早于出生日期。", field="joined_on"))
        elif data.birth_date and years_between(data.birth_date, data.joined_on) < MIN_AGE.value:
            errors.append(
                DomainError(
                    f"入党时未满{MIN_AGE.value}周岁（依据：{MIN_AGE.source} {MIN_AGE.article}）。",
                    field="joined_on",
                )
            )
    if data.status == MemberStatus.FULL and data.full_on is None:
        errors.append(DomainError("正式党员请填写转正时间。", field="full_on"))
    if data.status == MemberStatus.PROBATIONARY and data.full_on is not None:
        errors.append(DomainError("预备党员不应有转正时间。", field="full_on"))
    if data.full_on and data.joined_on:
        if data.full_on < data.joined_on:
            errors.append(DomainError("转正时间不能早于入党时间。", field="full_on"))
        elif data.full_on < add_years(data.joined_on, PROBATION_YEARS.value):
            errors.append(
                DomainError(
                    f"转正时间早于预备期满（入党后满{PROBATION_YEARS.value}年，"
                    f"依据：{PROBATION_YEARS.source} {PROBATION_YEARS.article}）。",
                    field="full_on",
                )
            )
    if data.full_on and data.full_on > today:
        errors.append(DomainError("转正时间不能晚于今天。", field="full_on"))
    if data.group is not None and (data.group.parent_id != org.pk or data.group.kind != OrgKind.GROUP):
        errors.append(DomainError("所选党小组不属于该党支部。", field="group"))
    if data.dues_category not in DUES_CATEGORIES:
        errors.append(DomainError("党费类别不在可选范围内。", field="dues_category"))
    if data.dues_category in (DuesCategory.WORKING, DuesCategory.RETIRED) and data.dues_base is None:
        errors.append(DomainError("在职和离退休党员请填写党费计算基数（月收入）。", field="dues_base"))
    if data.dues_base is not None and data.dues_base < 0:
        errors.append(DomainError("党费计算基数不能为负数。", field="dues_base"))
    return errors


def _fill_person(person: Person, data: PersonData) -> None:
    for name in PERSON_FIELDS:
        setattr(person, name, getattr(data, name))
    person.name_pinyin, person.name_initials = pinyin_keys(person.name)
    person.id_tail = (person.id_number or "")[-6:]


def _fill_member(member: Member, data: MemberData) -> None:
    for name in MEMBER_ONLY_FIELDS:
        setattr(member, name, getattr(data, name))


def member_snapshot(member: Member) -> dict[str, Any]:
    return audit.snapshot(member.person) | audit.snapshot(member)


@transaction.atomic
def create_member(actor: User, org: Org, data: MemberData, *, skip_checks: bool = False) -> Member:
    if not skip_checks:
        require(actor, "add", _member_probe(org))
    errors = check_member(data, org)
    if errors:
        raise DomainErrors(errors)
    person = Person(org=org)
    _fill_person(person, data)
    person.save()
    member = Member(person=person, org=org)
    _fill_member(member, data)
    member.save()
    audit.record(actor, "member.create", member, org=org, after=member_snapshot(member))
    return member


@transaction.atomic
def update_member(actor: User, member: Member, data: MemberData) -> Member:
    """Change a member's particulars (not their branch: that is a transfer)."""
    member = Member.objects.select_for_update().select_related("person", "org").get(pk=member.pk)
    require(actor, "change", member)
    errors = check_member(data, member.org, exclude_pk=member.person_id)
    if errors:
        raise DomainErrors(errors)
    before = member_snapshot(member)
    _fill_person(member.person, data)
    member.person.save()
    _fill_member(member, data)
    member.save()
    audit.record(actor, "member.update", member, org=member.org, before=before, after=member_snapshot(member))
    return member


def member_data(member: Member) -> MemberData:
    """The current values as a MemberData, to change a few and pass to update_member."""
    values = {name: getattr(member.person, name) for name in PERSON_FIELDS}
    values |= {name: getattr(member, name) for name in MEMBER_ONLY_FIELDS}
    return MemberData(**values)


@transaction.atomic
def reveal_pii(actor: User, member: Member, reason: str = "") -> dict[str, str]:
    """Full ID number and phone for a role allowed to see them; every look is in the audit trail."""
    require(actor, "view", member)
    if not can(actor, "view_pii", member):
        raise ActionDenied("您的角色无权查看完整的身份证号和电话。")
    audit.record(
        actor, "member.reveal_pii", member, org=member.org, note=reason[:200] or "查看完整身份证号和电话"
    )
    return {"id_number": member.person.id_number or "", "phone": member.person.phone}


def _member_probe(org: Org) -> Member:
    """An unsaved member at `org`, to ask the scope layer whether the actor may add one there."""
    return Member(org=org)
