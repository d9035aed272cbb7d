"""The village cadres' office hours (坐班值班, seed 003 连家寨村): the rota's slots, the check-ins of who was
actually there, and the gaps the county reads.

Writes are services (one transaction, permission, audit). `gaps` computes every gap of a window for the
villages a user may see in a fixed number of queries: a working day with fewer cadres on the rota than
the county's rule, a slot whose cadre has left the committee (no one to sit), an absence, and a village
with no rota at all."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import DomainError, DomainErrors
from dangjian.core.holidays import national_adjustments
from dangjian.core.models import WorkdayOverride
from dangjian.core.rules import rule_values
from dangjian.core.scope import require
from dangjian.members.records.common import cite
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of

from . import rules as R
from .models import Committee, DutyCheckIn, DutySlot, DutyStatus, Post, Weekday
from .selectors import latest_q

VILLAGE_KINDS = frozenset({OrgKind.BRANCH, OrgKind.COMMUNITY})
MAX_WINDOW_DAYS = 93


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def on_duty_posts(org: Org) -> list[Post]:
    """The current holders of the village's current committees: who may be put on the rota."""
    from .models import POST_RANK

    return list(
        Post.objects.filter(org=org, committee__in=Committee.objects.filter(org=org).filter(latest_q()))
        .filter(until__isnull=True)
        .exclude(name="")
        .select_related("committee")
        .order_by(POST_RANK, "since", "pk")
    )


def _holder(org: Org, post_id: Any, field: str, day: datetime.date | None = None) -> Post:
    """The post must be a current holding on this village's current committees (rule DUTY_HOLDER)."""
    post = None
    if post_id not in (None, ""):
        try:
            post = Post.objects.select_related("committee").filter(pk=int(post_id)).first()
        except (TypeError, ValueError):
            post = None
    if post is None:
        raise DomainError("请选择值班干部。", field)
    current = {p.pk for p in on_duty_posts(org)}
    if post.pk not in current:
        who = post.name or "该职务"
        raise DomainError(
            f"{who}不是{org.name}“两委”现任成员，不能安排坐班值班"
            f"（坐班值班人员须为本村“两委”现任成员{cite(R.DUTY_HOLDER)}）。",
            field,
        )
    if day is not None and post.since and day < post.since:
        raise DomainError(f"{post.name}于{post.since:%Y-%m-%d}任职，不能安排任职前的值班。", field)
    return post


def add_slot(
    actor,
    org: Org,
    *,
    post_id: Any,
    start: datetime.time | None,
    end: datetime.time | None,
    weekday: Any = None,
    date: datetime.date | None = None,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> DutySlot:
    """Put a cadre on the rota: on one date, or every week on a weekday from `valid_from`."""
    if org.kind not in VILLAGE_KINDS:
        raise DomainError("只能为村（社区）安排坐班值班。", "org")
    today = _today(today)
    county = county_of(org)
    slot = DutySlot(org=org, county=county, created_by=actor)
    require(actor, "change", slot)
    errors: list[DomainError] = []
    if date is not None:
        slot.weekly, slot.weekday, slot.valid_from, slot.valid_until = False, date.weekday(), date, date
    elif weekday not in (None, ""):
        try:
            slot.weekday = int(weekday)
        except (TypeError, ValueError):
            slot.weekday = -1
        if slot.weekday not in Weekday.values:
            errors.append(DomainError("请选择星期几。", "weekday"))
        slot.weekly, slot.valid_from, slot.valid_until = True, valid_from or today, valid_until
        if valid_until is not None and valid_until < slot.valid_from:
            errors.append(DomainError("截止日期不能早于起始日期。", "valid_until"))
    else:
        errors.append(DomainError("请填写值班日期，或选择每周几值班。", "date"))
    if not isinstance(start, datetime.time):
        errors.append(DomainError("请填写开始时间。", "start"))
    if not isinstance(end, datetime.time):
        errors.append(DomainError("请填写结束时间。", "end"))
    elif isinstance(start, datetime.time) and end <= start:
        errors.append(DomainError("结束时间应晚于开始时间。", "end"))
    note = (note or "").strip()
    if len(note) > 100:
        errors.append(DomainError("说明不能超过100个字。", "note"))
    try:
        post = _holder(org, post_id, "post_id", slot.valid_from if not errors else None)
    except DomainError as exc:
        errors.append(exc)
    if errors:
        raise DomainErrors(errors) if len(errors) > 1 else errors[0]
    slot.post, slot.start, slot.end, slot.note = post, start, end, note
    with transaction.atomic():
        list(Committee.objects.select_for_update().filter(org=org).values_list("pk"))
        clash = DutySlot.objects.filter(post=post, weekday=slot.weekday, start__lt=end, end__gt=start).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=slot.valid_from)
        )
        if slot.valid_until is not None:
            clash = clash.filter(valid_from__lte=slot.valid_until)
        if clash.exists():
            raise DomainError(f"{post.name}在这一时段已有值班安排。", "start")
        slot.save()
        audit.record(
            actor, "villages.duty.slot_add", slot, org=org, after=snapshot(slot), note=f"{post.name} {slot}"
        )
    return slot


def end_slot(
    actor, slot: DutySlot, *, until: datetime.date | None, today: datetime.date | None = None
) -> DutySlot:
    """A weekly slot stops after `until` (its past days and check-ins stay on record)."""
    require(actor, "change", slot)
    if not isinstance(until, datetime.date):
        raise DomainError("请填写截止日期。", "until")
    if until < slot.valid_from:
        raise DomainError(f"截止日期不能早于起始日期（{slot.valid_from:%Y-%m-%d}）。", "until")
    if slot.valid_until is not None and until >= slot.valid_until:
        raise DomainError(f"该值班安排已于{slot.valid_until:%Y-%m-%d}截止。", "until")
    with transaction.atomic():
        locked = DutySlot.objects.select_for_update().get(pk=slot.pk)
        if DutyCheckIn.objects.filter(slot=locked, date__gt=until).exists():
            raise DomainError("截止日期之后已有值班登记，请先核对登记。", "until")
        before = snapshot(locked)
        locked.valid_until = until
        locked.save(update_fields=["valid_until"])
        audit.record(
            actor, "villages.duty.slot_end", locked, org=locked.org, before=before, after=snapshot(locked)
        )
    return locked


def check_in(
    actor,
    slot: DutySlot,
    *,
    date: datetime.date | None,
    status: str,
    replaced_by_id: Any = None,
    note: str = "",
    today: datetime.date | None = None,
) -> DutyCheckIn:
    """Record who was on duty in a slot on a day (a second record for the same day corrects the first)."""
    require(actor, "change", slot)
    today = _today(today)
    if not isinstance(date, datetime.date):
        raise DomainError("请填写日期。", "date")
    if date > today:
        raise DomainError("不能登记今天以后的值班情况。", "date")
    if not slot.applies_on(date):
        raise DomainError(f"{date:%Y-%m-%d}不在该值班安排之内（{slot}）。", "date")
    if status not in DutyStatus.values:
        raise DomainError("请选择到岗情况。", "status")
    note = (note or "").strip()
    if len(note) > 100:
        raise DomainError("说明不能超过100个字。", "note")
    replaced_by = None
    if status == DutyStatus.REPLACED:
        replaced_by = _holder(slot.org, replaced_by_id, "replaced_by_id", date)
        if (
            replaced_by.pk == slot.post_id
            or (replaced_by.person_id and replaced_by.person_id == slot.post.person_id)
            or replaced_by.name == slot.post.name
        ):
            raise DomainError("替班干部应为值班干部以外的人。", "replaced_by_id")
    with transaction.atomic():
        row = DutyCheckIn.objects.select_for_update().filter(slot=slot, date=date).first()
        before = snapshot(row) if row else None
        row = row or DutyCheckIn(slot=slot, org_id=slot.org_id, date=date)
        row.status, row.replaced_by, row.note, row.recorded_by = status, replaced_by, note, actor
        row.save()
        audit.record(actor, "villages.duty.check_in", row, org=slot.org, before=before, after=snapshot(row))
    return row


# --- gaps ---------------------------------------------------------------------------------------------


class GapKind(models.TextChoices):
    NO_ROTA = "no_rota", "未排班"
    UNCOVERED = "uncovered", "工作日无人坐班"
    UNSTAFFED = "unstaffed", "值班干部已离任"
    ABSENT = "absent", "缺岗"


@dataclass(frozen=True)
class Gap:
    org_id: int
    org_name: str
    township: str
    county_id: int | None
    date: datetime.date  # a village with no rota: the window's first day
    kind: str
    detail: str

    @property
    def kind_label(self) -> str:
        return GapKind(self.kind).label


def clamp_window(
    start: datetime.date, end: datetime.date, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    end = min(end, today)
    start = max(start, end - datetime.timedelta(days=MAX_WINDOW_DAYS - 1))
    return start, end


def workday_map(start: datetime.date, end: datetime.date, county_ids) -> dict[int | None, dict]:
    """County id → {date: worked?} for the days that differ from Monday–Friday (one query)."""
    national = {d: a.is_workday for d, a in national_adjustments(start, end).items()}
    out: dict[int | None, dict] = defaultdict(lambda: dict(national))
    for county_id, day, worked in WorkdayOverride.objects.filter(
        county_id__in=[c for c in county_ids if c], date__range=(start, end)
    ).values_list("county_id", "date", "is_workday"):
        out[county_id][day] = worked
    return out


def is_workday(adjust: dict, day: datetime.date) -> bool:
    return adjust.get(day, day.weekday() < 5)


def _townships(org_paths: list[str]) -> dict[str, str]:
    ids = {int(i) for p in org_paths for i in p.strip("/").split("/") if i}
    return {
        path: name
        for path, name in Org.objects.filter(pk__in=ids, kind=OrgKind.TOWNSHIP).values_list("path", "name")
    }


def gaps(
    user,
    start: datetime.date,
    end: datetime.date,
    *,
    villages: Any = None,
    today: datetime.date | None = None,
) -> list[Gap]:
    """Every gap from `start` to `end` (not after today) in the villages with a current committee the user
    may see (`villages`: an Org queryset or id list to narrow them)."""
    today = _today(today)
    start, end = clamp_window(start, end, today)
    committees = Committee.objects.restrict(user).filter(latest_q(), term_start__lte=end)
    if villages is not None:
        committees = committees.filter(org__in=villages)
    rows = list(
        committees.order_by("org__path")
        .values_list("org_id", "org__name", "org__path", "county_id")
        .distinct()
    )
    if not rows or end < start:
        return []
    org_ids = [r[0] for r in rows]
    townships = _townships([r[2] for r in rows])
    county_ids = {r[3] for r in rows}
    minimum = {c: int(v) for c, v in rule_values(R.DUTY_PER_WORKDAY.code, county_ids).items()}
    adjust = workday_map(start, end, county_ids)
    slots: dict[int, list[DutySlot]] = defaultdict(list)
    for slot in (
        DutySlot.objects.filter(org_id__in=org_ids, valid_from__lte=end)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
        .select_related("post")
        .order_by("start", "pk")
    ):
        slots[slot.org_id].append(slot)
    absences: dict[int, list[DutyCheckIn]] = defaultdict(list)
    for row in (
        DutyCheckIn.objects.filter(org_id__in=org_ids, date__range=(start, end), status=DutyStatus.ABSENT)
        .select_related("slot__post")
        .order_by("date", "pk")
    ):
        absences[row.org_id].append(row)
    days = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    found: list[Gap] = []
    for org_id, name, path, county_id in rows:
        township = next((t for p, t in townships.items() if path.startswith(p)), "")

        def gap(day, kind, detail, org_id=org_id, name=name, township=township, county_id=county_id):
            found.append(Gap(org_id, name, township, county_id, day, kind, detail))

        mine = slots.get(org_id, [])
        required = minimum.get(county_id, R.DUTY_PER_WORKDAY.value)
        if not mine:
            if required > 0:  # only where the county requires a rota of every village
                gap(
                    start,
                    GapKind.NO_ROTA,
                    f"{start:%Y-%m-%d}至{end:%Y-%m-%d}没有坐班值班安排{cite(R.DUTY_PER_WORKDAY)}。",
                )
            continue
        need = max(required, 1)  # a village that keeps a rota keeps at least one cadre on duty
        for day in days:
            today_slots = [s for s in mine if s.applies_on(day)]
            staffed = [s for s in today_slots if s.post.until is None or s.post.until >= day]
            for s in today_slots:
                if s not in staffed:
                    gap(
                        day,
                        GapKind.UNSTAFFED,
                        f"{s.start:%H:%M}-{s.end:%H:%M} 安排的{s.post.name}"
                        f"已于{s.post.until:%Y-%m-%d}离任，该时段无人值班。",
                    )
            if is_workday(adjust[county_id], day):
                people = {s.post.person_id or s.post.name for s in staffed}
                if len(people) < need:
                    gap(
                        day,
                        GapKind.UNCOVERED,
                        f"工作日安排坐班{len(people)}人，少于{need}人{cite(R.DUTY_PER_WORKDAY)}。",
                    )
        for row in absences.get(org_id, []):
            note = f"（{row.note}）" if row.note else ""
            slot = row.slot
            gap(row.date, GapKind.ABSENT, f"{slot.start:%H:%M}-{slot.end:%H:%M} {slot.post.name}缺岗{note}。")
    found.sort(key=lambda g: (g.date, g.township, g.org_name, g.kind))
    return found
