"""The only place this app writes: one function per thing a person does, each in one transaction with
its permission check, validation (DomainError in Chinese, nothing written) and audit row.

A committee is built one appointment at a time, so a villagers' committee without a woman member or
with fewer than three members is reported (`notes_for`, and the checks), never refused. Refused: an
eighth villagers' committee member, a second current secretary/director, a fixed-subsidy cadre in a
village whose seats (per the county's seat table) are all taken."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.dates import add_years
from dangjian.core.errors import DomainError, DomainErrors, NotInScope
from dangjian.core.scope import can, require
from dangjian.members.choices import Gender
from dangjian.members.models import Person
from dangjian.members.records.common import cite
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of

from . import rules as R
from .models import (
    MEMBER_POSTS,
    POSTS_BY_COMMITTEE,
    SINGLE_POSTS,
    Committee,
    CommitteeKind,
    Post,
    PostKind,
    SeatTable,
    VillageProfile,
    current_holder_q,
    vacancy_q,
)
from .selectors import cross_holdings, holder_key, seats_of

VILLAGE_KINDS = frozenset({OrgKind.BRANCH, OrgKind.COMMUNITY})


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _village(org: Org) -> None:
    if org.kind not in VILLAGE_KINDS:
        raise DomainError("只能为村党组织或社区党组织登记“两委”。", "org")


def _count(value: Any, label: str, field: str, *, required: bool) -> int | None:
    if value in (None, ""):
        if required:
            raise DomainError(f"请填写{label}。", field)
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(f"{label}应为整数。", field) from exc
    if number < 0 or number > 1_000_000:
        raise DomainError(f"{label}应在0到1000000之间。", field)
    return number


# --- profile and seat table -------------------------------------------------------------------------


def set_profile(
    actor,
    org: Org,
    *,
    residents: Any,
    households: Any = None,
    adults: Any = None,
    today: datetime.date | None = None,
) -> VillageProfile:
    _village(org)
    with transaction.atomic():
        profile = VillageProfile.objects.filter(org=org).first() or VillageProfile(org=org)
        require(actor, "change", profile)
        errors: list[DomainError] = []
        values: dict[str, int | None] = {}
        for field, label, value, required in (
            ("residents", "常住人口", residents, True),
            ("households", "户数", households, False),
            ("adults", "18周岁以上村民人数", adults, False),
        ):
            try:
                values[field] = _count(value, label, field, required=required)
            except DomainError as exc:
                errors.append(exc)
        if not errors and values["adults"] is not None and values["adults"] > values["residents"]:
            errors.append(DomainError("18周岁以上村民人数不能多于常住人口。", "adults"))
        if errors:
            raise DomainErrors(errors)
        before = snapshot(profile) if profile.pk else None
        for field, value in values.items():
            setattr(profile, field, value)
        profile.updated_on = _today(today)
        profile.save()
        audit.record(actor, "villages.profile.set", profile, org=org, before=before, after=snapshot(profile))
    return profile


def set_seat_table(actor, county: Org, rows: Iterable[tuple[Any, Any]], *, source: str) -> list[SeatTable]:
    """Replace the county's seat table by `rows` of (up to N residents, seats)."""
    if county.kind != OrgKind.COUNTY:
        raise DomainError("职数表按县设定。", "county")
    require(actor, "change", SeatTable(county=county))
    source = (source or "").strip()
    if not source:
        raise DomainError("请填写职数表的依据（文件名称或文号）。", "source")
    if len(source) > 200:
        raise DomainError("依据不能超过200个字。", "source")
    bands: dict[int, int] = {}
    for i, (limit, seats) in enumerate(rows, start=1):
        top = _count(limit, f"第{i}行的常住人口上限", "rows", required=True)
        count = _count(seats, f"第{i}行的职数", "rows", required=True)
        if not top or not count:
            raise DomainError(f"第{i}行的人口上限和职数都应大于0。", "rows")
        if top in bands:
            raise DomainError(f"第{i}行的人口上限{top}人重复。", "rows")
        bands[top] = count
    if not bands:
        raise DomainError("职数表至少要有一行。", "rows")
    ordered = sorted(bands.items())
    for (_, low), (top, high) in zip(ordered, ordered[1:], strict=False):
        if high < low:
            raise DomainError(f"人口多的档次职数不应更少（{top}人以下→{high}个）。", "rows")
    with transaction.atomic():
        old = list(SeatTable.objects.filter(county=county).order_by("max_residents"))
        before = {"rows": [[b.max_residents, b.seats] for b in old]}
        SeatTable.objects.filter(county=county).delete()
        created = SeatTable.objects.bulk_create(
            SeatTable(county=county, max_residents=top, seats=seats, source=source) for top, seats in ordered
        )
        audit.record(
            actor,
            "villages.seats.set",
            county,
            org=county,
            before=before,
            after={"rows": [list(r) for r in ordered], "source": source},
        )
    return created


# --- committees and posts -------------------------------------------------------------------------------


def create_committee(
    actor,
    org: Org,
    *,
    kind: str,
    term_start: datetime.date,
    next_election_on: datetime.date | None = None,
) -> Committee:
    _village(org)
    if kind not in CommitteeKind.values:
        raise DomainError("请选择班子类别（村党组织委员会或村民委员会）。", "kind")
    if not isinstance(term_start, datetime.date):
        raise DomainError("请填写任期开始日期。", "term_start")
    county = county_of(org)
    committee = Committee(org=org, county=county, kind=kind, term_start=term_start)
    require(actor, "change", committee)
    committee.term_end = add_years(term_start, int(R.TERM_YEARS.value))
    election = next_election_on or committee.term_end
    if election <= term_start or election > committee.term_end:
        raise DomainError(
            f"下次换届日期应在任期内（{term_start:%Y-%m-%d}至{committee.term_end:%Y-%m-%d}），"
            f"每届任期{R.TERM_YEARS.value}年{cite(R.TERM_YEARS)}。",
            "next_election_on",
        )
    committee.next_election_on = election
    with transaction.atomic():
        overlap = Committee.objects.select_for_update().filter(
            org=org, kind=kind, term_start__lt=committee.term_end, term_end__gt=term_start
        )
        if list(overlap.values_list("pk", flat=True)):
            raise DomainError(f"该村{committee.get_kind_display()}在这段任期内已有登记。", "term_start")
        committee.save()
        audit.record(actor, "villages.committee.create", committee, org=org, after=snapshot(committee))
    return committee


def _holder(actor, committee: Committee, person: Person | None, name: str, gender: str) -> tuple:
    if person is not None:
        if not Person.objects.restrict(actor).filter(pk=person.pk).exists():
            raise DomainError("所选人员不存在或不在您的管辖范围内。", "person")
        name = name or person.name
        gender = gender or person.gender
    name = (name or "").strip()
    errors: list[DomainError] = []
    if not name:
        errors.append(DomainError("请填写任职人姓名。", "name"))
    elif len(name) > 40:
        errors.append(DomainError("姓名不能超过40个字。", "name"))
    if gender not in Gender.values:
        errors.append(DomainError("请选择性别。", "gender"))
    if errors:
        raise DomainErrors(errors)
    return name, gender


def appoint(
    actor,
    committee: Committee,
    kind: str,
    *,
    person: Person | None = None,
    name: str = "",
    gender: str = "",
    since: datetime.date | None = None,
    answers_for: str = "",
    duties: str = "",
    today: datetime.date | None = None,
) -> Post:
    require(actor, "change", committee)
    today = _today(today)
    if kind not in POSTS_BY_COMMITTEE[committee.kind]:
        raise DomainError(f"{committee.get_kind_display()}没有这一职务。", "kind")
    name, gender = _holder(actor, committee, person, name, gender)
    if not isinstance(since, datetime.date):
        raise DomainError("请填写任职日期。", "since")
    if since > today:
        raise DomainError("任职日期不能晚于今天。", "since")
    answers_for = (answers_for or "").strip()
    if kind == PostKind.SUBSIDY and not answers_for:
        raise DomainError("请填写定补干部负责的工作（如：电商销售）。", "answers_for")
    if len(answers_for) > 60:
        raise DomainError("负责工作不能超过60个字。", "answers_for")
    if len(duties or "") > 2000:
        raise DomainError("职责清单不能超过2000个字。", "duties")
    with transaction.atomic():
        list(Committee.objects.select_for_update().filter(org_id=committee.org_id).values_list("pk"))
        current = Post.objects.filter(committee=committee).filter(current_holder_q())
        probe = Post(person=person, name=name)
        if kind in SINGLE_POSTS:
            holder = current.filter(kind=kind).first()
            if holder:
                raise DomainError(
                    f"该村{committee.get_kind_display()}已有{holder.get_kind_display()}（{holder.name}），"
                    "请先办理离任。",
                    "kind",
                )
        if current.filter(kind=kind).filter(**_same_person(probe)).exists():
            raise DomainError(f"{name}已担任该职务。", "name")
        if committee.kind == CommitteeKind.VILLAGERS and kind in MEMBER_POSTS:
            size = current.filter(kind__in=MEMBER_POSTS).count()
            if size >= R.VC_MAX.value:
                raise DomainError(
                    f"村民委员会已有{size}名成员，不能超过{R.VC_MAX.value}人{cite(R.VC_MAX)}。", "kind"
                )
        if kind == PostKind.SUBSIDY:
            seats = seats_of(committee.org_id, committee.county_id)
            if seats.full and holder_key(probe) not in seats.holders:
                raise DomainError(f"该村职数已满（{seats.basis()}）。", "kind")
        vacancy = Post.objects.filter(committee=committee, kind=kind).filter(vacancy_q()).first()
        post = vacancy or Post(committee=committee, org_id=committee.org_id, kind=kind)
        before = snapshot(post) if vacancy else None
        post.person, post.name, post.gender, post.since = person, name, gender, since
        post.answers_for, post.duties = answers_for, duties or ""
        post.save()
        audit.record(
            actor,
            "villages.post.appoint",
            post,
            org=committee.org,
            before=before,
            after=snapshot(post),
            note=f"{committee.get_kind_display()}{post.get_kind_display()}",
        )
    return post


def _same_person(post: Post) -> dict[str, Any]:
    return {"person_id": post.person_id} if post.person_id else {"name": post.name, "person__isnull": True}


def end_post(
    actor, post: Post, *, until: datetime.date, reason: str, today: datetime.date | None = None
) -> Post:
    """The holder leaves; a secretary or director post becomes a vacancy open from that day."""
    require(actor, "change", post)
    today = _today(today)
    if not post.is_current:
        raise DomainError("该职务当前无人任职。", "until")
    if not isinstance(until, datetime.date):
        raise DomainError("请填写离任日期。", "until")
    if until < post.since:
        raise DomainError(f"离任日期不能早于任职日期（{post.since:%Y-%m-%d}）。", "until")
    if until > today:
        raise DomainError("离任日期不能晚于今天。", "until")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写离任原因。", "reason")
    if len(reason) > 100:
        raise DomainError("离任原因不能超过100个字。", "reason")
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if not locked.is_current:
            raise DomainError("该职务刚刚已办理离任。", "until")
        before = snapshot(locked)
        locked.until, locked.end_reason = until, reason
        locked.save(update_fields=["until", "end_reason"])
        audit.record(
            actor, "villages.post.end", locked, org=locked.org, before=before, after=snapshot(locked)
        )
        if locked.kind in SINGLE_POSTS:
            _open_vacancy(actor, locked.committee, locked.kind, until)
    return locked


def open_vacancy(actor, committee: Committee, kind: str, *, since: datetime.date, today=None) -> Post:
    """Record that a post stands empty (e.g. a new committee elected without a secretary)."""
    require(actor, "change", committee)
    if kind not in POSTS_BY_COMMITTEE[committee.kind] or kind == PostKind.SUBSIDY:
        raise DomainError(f"{committee.get_kind_display()}没有这一职务。", "kind")
    if not isinstance(since, datetime.date) or since > _today(today):
        raise DomainError("请填写空缺起始日期（不能晚于今天）。", "since")
    with transaction.atomic():
        if (
            kind in SINGLE_POSTS
            and Post.objects.filter(committee=committee, kind=kind).filter(current_holder_q()).exists()
        ):
            raise DomainError("该职务当前有人任职，请先办理离任。", "kind")
        return _open_vacancy(actor, committee, kind, since)


def _open_vacancy(actor, committee: Committee, kind: str, since: datetime.date) -> Post:
    existing = Post.objects.filter(committee=committee, kind=kind).filter(vacancy_q()).first()
    if existing:
        return existing
    post = Post.objects.create(committee=committee, org_id=committee.org_id, kind=kind, vacant_since=since)
    audit.record(actor, "villages.post.vacancy", post, org=committee.org, after=snapshot(post))
    return post


# --- what a page shows beside a committee -------------------------------------------------------------


def notes_for(user, org: Org) -> list[str]:
    """Non-blocking remarks on a village's committees: size, woman member, seats, 一肩挑."""
    if not can(user, "view", Committee(org=org)):
        raise NotInScope
    notes: list[str] = []
    posts = Post.objects.filter(org=org, committee__in=_latest(org)).filter(current_holder_q())
    members = [p for p in posts if p.committee.kind == CommitteeKind.VILLAGERS and p.kind in MEMBER_POSTS]
    if _latest(org).filter(kind=CommitteeKind.VILLAGERS).exists():
        if len(members) < R.VC_MIN.value:
            notes.append(f"村民委员会现有{len(members)}人，少于{R.VC_MIN.value}人{cite(R.VC_MIN)}。")
        if not any(p.gender == Gender.FEMALE for p in members):
            notes.append(f"村民委员会成员中没有妇女成员{cite(R.VC_WOMAN)}。")
    county = county_of(org)
    seats = seats_of(org.pk, county.pk if county else None)
    if seats.seats is not None and seats.used > seats.seats:
        notes.append(f"“两委”现有{seats.used}人，超出核定职数（{seats.basis()}）。")
    name = cross_holdings([org.pk]).get(org.pk)
    if name:
        notes.append(f"{name}：村党组织书记、村民委员会主任“一肩挑”。")
    return notes


def _latest(org: Org):
    from .selectors import current_committees

    return current_committees(Committee.objects.filter(org=org))
