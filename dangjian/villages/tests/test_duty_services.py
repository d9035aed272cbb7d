"""The duty services: every refusal (nothing written, a clear message), check-ins and corrections, the
audit trail."""

import datetime

import pytest

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.villages import duty, services
from dangjian.villages.models import DutyCheckIn, DutySlot, DutyStatus, Post, PostKind

from .duty_world import MONDAY, TODAY, T, day, village, weekly

pytestmark = pytest.mark.django_db


def test_a_slot_for_someone_not_on_the_village_committees_is_refused(world):
    village(world)
    other = Post.objects.get(org=world.orgs["branch"], kind=PostKind.SECRETARY)  # 村甲一's secretary
    before = DutySlot.objects.count()
    with pytest.raises(DomainError) as exc:
        duty.add_slot(
            world.root,
            world.orgs["sibling"],
            post_id=other.pk,
            date=MONDAY,
            start=T(8),
            end=T(12),
            today=TODAY,
        )
    assert "甲书记郭凯不是村甲二“两委”现任成员，不能安排坐班值班" in exc.value.message
    assert exc.value.field == "post_id"
    assert DutySlot.objects.count() == before


def test_a_cadre_who_has_left_cannot_be_put_on_the_rota(world):
    secretary, member = village(world)
    services.end_post(world.root, member, until=MONDAY, reason="辞职", today=TODAY)
    with pytest.raises(DomainError, match="不是村甲二“两委”现任成员"):
        weekly(world, member, 0)


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"date": None, "weekday": None}, "date", "请填写值班日期，或选择每周几值班"),
        ({"end": T(8, 0)}, "end", "结束时间应晚于开始时间"),
        ({"end": T(8, 30)}, "end", "结束时间应晚于开始时间"),
        ({"weekday": 9, "date": None}, "weekday", "请选择星期几"),
        ({"post_id": None}, "post_id", "请选择值班干部"),
    ],
)
def test_bad_slots_are_refused_beside_their_field(world, kwargs, field, text):
    secretary, _ = village(world)
    data = {"post_id": secretary.pk, "date": MONDAY, "start": T(8, 30), "end": T(12), "today": TODAY} | kwargs
    with pytest.raises(DomainError) as exc:
        duty.add_slot(world.root, world.orgs["sibling"], **data)
    errors = getattr(exc.value, "errors", None) or [exc.value]
    assert any(e.field == field and text in e.message for e in errors)


def test_a_clashing_slot_for_the_same_cadre_is_refused_and_a_later_one_is_not(world):
    secretary, _ = village(world)
    weekly(world, secretary, 0)
    with pytest.raises(DomainError, match="郭凯在这一时段已有值班安排"):
        weekly(world, secretary, 0, start=T(11), end=T(14))
    assert weekly(world, secretary, 0, start=T(12), end=T(17)).pk


def test_only_workers_in_scope_may_plan(world):
    secretary, _ = village(world)
    with pytest.raises(NotInScope):
        duty.add_slot(
            world.user("out_admin"), world.orgs["sibling"], post_id=secretary.pk, date=MONDAY,
            start=T(8), end=T(12), today=TODAY,
        )  # fmt: skip
    with pytest.raises(ActionDenied):
        duty.add_slot(
            world.user(Role.READONLY_LEADER), world.orgs["sibling"], post_id=secretary.pk, date=MONDAY,
            start=T(8), end=T(12), today=TODAY,
        )  # fmt: skip


def test_check_in_present_absent_replaced_and_correction(world):
    secretary, member = village(world)
    slot = weekly(world, secretary, 0)
    staff = world.user(Role.TOWNSHIP_STAFF)
    row = duty.check_in(staff, slot, date=MONDAY, status=DutyStatus.ABSENT, note="外出开会", today=TODAY)
    assert row.status == DutyStatus.ABSENT
    again = duty.check_in(
        staff, slot, date=MONDAY, status=DutyStatus.REPLACED, replaced_by_id=member.pk, today=TODAY
    )
    assert again.pk == row.pk and again.replaced_by == member
    assert DutyCheckIn.objects.filter(slot=slot).count() == 1
    event = AuditEvent.objects.filter(action="villages.duty.check_in").order_by("-pk").first()
    assert event.before["status"] == "absent" and event.after["status"] == "replaced"


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"date": TODAY + datetime.timedelta(days=1)}, "不能登记今天以后的值班情况"),
        ({"date": day(1)}, "不在该值班安排之内"),
        ({"date": MONDAY - datetime.timedelta(days=7)}, "不在该值班安排之内"),
        ({"status": "late"}, "请选择到岗情况"),
        ({"status": DutyStatus.REPLACED}, "请选择值班干部"),
        ({"status": DutyStatus.REPLACED, "replaced_by_id": "self"}, "替班干部应为值班干部以外的人"),
    ],
)
def test_bad_check_ins_are_refused(world, kwargs, text):
    secretary, _ = village(world)
    slot = weekly(world, secretary, 0)
    if kwargs.get("replaced_by_id") == "self":
        kwargs["replaced_by_id"] = secretary.pk
    data = {"date": MONDAY, "status": DutyStatus.PRESENT, "today": TODAY} | kwargs
    with pytest.raises(DomainError, match=text):
        duty.check_in(world.root, slot, **data)
    assert not DutyCheckIn.objects.filter(slot=slot).exists()


def test_a_replacement_from_another_village_is_refused(world):
    secretary, _ = village(world)
    slot = weekly(world, secretary, 0)
    other = Post.objects.get(org=world.orgs["branch"], kind=PostKind.SECRETARY)
    with pytest.raises(DomainError, match="不是村甲二“两委”现任成员"):
        duty.check_in(
            world.root, slot, date=MONDAY, status=DutyStatus.REPLACED, replaced_by_id=other.pk, today=TODAY
        )


def test_end_slot_keeps_the_past_and_refuses_dropping_recorded_days(world):
    secretary, _ = village(world)
    slot = weekly(world, secretary, 0)
    duty.check_in(world.root, slot, date=day(7), status=DutyStatus.PRESENT, today=TODAY)
    with pytest.raises(DomainError, match="截止日期之后已有值班登记"):
        duty.end_slot(world.root, slot, until=MONDAY)
    with pytest.raises(DomainError, match="截止日期不能早于起始日期"):
        duty.end_slot(world.root, slot, until=MONDAY - datetime.timedelta(days=1))
    ended = duty.end_slot(world.root, slot, until=day(7))
    assert ended.valid_until == day(7) and not ended.applies_on(day(14))
    assert AuditEvent.objects.filter(action="villages.duty.slot_end", object_id=str(slot.pk)).exists()
