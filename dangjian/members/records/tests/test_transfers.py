"""Transfers of the organisational relation: by code within the system, out of it, and in from outside."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dangjian.core.errors import ActionDenied, DomainError, DomainErrors, NotInScope
from dangjian.core.models import RuleOverride
from dangjian.members.choices import Standing, TransferKind, TransferStatus
from dangjian.members.models import HouseholdLink, Member, MobileRecord, Person, Transfer
from dangjian.members.records import checks
from dangjian.members.services import transfers
from dangjian.members.services.roster import MemberData
from dangjian.members.testing import make_id_number

from .conftest import TODAY, audit_count, fresh, html

pytestmark = pytest.mark.django_db


@pytest.fixture
def incoming(world):
    """The test world's pending 村甲二 → 村甲一 transfer, issued on a known day."""
    t = Transfer.objects.get(member=world.members["sibling"])
    Transfer.objects.filter(pk=t.pk).update(issued_on=datetime.date(2026, 10, 1))
    return fresh(t)


def internal(actor, member, code="B3", issued_on=datetime.date(2026, 11, 1), **kw):
    return transfers.start_transfer(
        actor, member, kind=TransferKind.INTERNAL, to_org_code=code, issued_on=issued_on, today=TODAY, **kw
    )


def out(actor, member, **kw):
    values = {"outside_org_name": "北京市某街道党工委", "letter_no": "甲转字001号", "issued_on": TODAY} | kw
    return transfers.start_transfer(actor, member, kind=TransferKind.OUT, today=TODAY, **values)


def test_internal_transfer_to_a_branch_the_sender_cannot_see(users, new_member, world):
    m = new_member("甲迁出党员", group=world.orgs["group"])
    t = internal(users.secretary, m)
    assert t.status == TransferStatus.PENDING and t.to_org == world.orgs["out_branch"]
    assert fresh(m).org == world.orgs["branch"], "the member stays on the sending roll while pending"
    with pytest.raises(DomainError, match="待接收"):
        internal(users.secretary, m, code="B2")


def test_the_receiving_side_confirms_and_the_member_moves(users, new_member, world):
    m = new_member("甲迁出党员", group=world.orgs["group"])
    hh = world.records["household"]
    HouseholdLink.objects.create(member=m, household=hh, org=m.org, since=datetime.date(2026, 1, 1))
    MobileRecord.objects.create(member=m, org=m.org, destination="外县", since=datetime.date(2026, 5, 1))
    Member.objects.filter(pk=m.pk).update(is_mobile=True)
    t = internal(users.secretary, m)
    with pytest.raises(ActionDenied, match="接收方"):
        transfers.confirm_receipt(users.secretary, t, TODAY, today=TODAY)
    before = audit_count()
    transfers.confirm_receipt(users.out_admin, t, TODAY, today=TODAY)
    m = Member.objects.select_related("person").get(pk=m.pk)
    assert m.org == world.orgs["out_branch"] and m.person.org == world.orgs["out_branch"] and m.group is None
    assert not m.is_mobile and not m.household_links.filter(ended_on__isnull=True).exists()
    assert MobileRecord.objects.get(member=m).end_note == "组织关系已转至外村"
    assert fresh(t).status == TransferStatus.RECEIVED and fresh(t).confirmed_by == users.out_admin
    assert audit_count() == before + 2
    # The old branch keeps seeing the transfer, no longer the member.
    assert Transfer.objects.restrict(users.secretary).filter(pk=t.pk).exists()
    assert not Member.objects.restrict(users.secretary).filter(pk=m.pk).exists()


def test_confirm_before_issue_or_twice_is_refused(users, world, incoming):
    t = incoming
    with pytest.raises(DomainError, match="不能早于开具日期"):
        transfers.confirm_receipt(users.secretary, t, datetime.date(2026, 9, 30), today=TODAY)
    transfers.confirm_receipt(users.secretary, t, TODAY, today=TODAY)
    with pytest.raises(DomainError, match="状态为“已接收”"):
        transfers.confirm_receipt(users.secretary, t, TODAY, today=TODAY)


def test_a_station_chief_confirms_inside_the_station_but_not_elsewhere(users, world, new_member, incoming):
    t = incoming
    transfers.confirm_receipt(users.station, t, TODAY, today=TODAY)
    t2 = internal(users.station, new_member())
    with pytest.raises(ActionDenied):
        transfers.confirm_receipt(users.station, t2, TODAY, today=TODAY)


@pytest.mark.parametrize(
    ("code", "message"),
    [("NOPE", "未找到编码为“NOPE”"), ("G1", "未找到编码为“G1”"), ("B1", "相同"), ("", "未找到编码")],
)
def test_the_target_must_be_another_branch_by_exact_code(users, new_member, code, message):
    m = new_member()
    with pytest.raises(DomainError, match=message):
        internal(users.secretary, m, code=code)
    assert not Transfer.objects.filter(member=m).exists()


def test_out_of_the_system_needs_a_letter_and_ends_with_the_return_slip(users, new_member):
    m = new_member()
    with pytest.raises(DomainErrors) as exc:
        out(users.secretary, m, letter_no="", outside_org_name="")
    assert {e.field for e in exc.value.errors} == {"letter_no", "outside_org_name"}
    t = out(users.secretary, m)
    transfers.confirm_receipt(users.secretary, t, TODAY, today=TODAY)
    m = fresh(m)
    assert m.standing == Standing.TRANSFERRED and m.standing_since == TODAY and m.org_id == t.from_org_id


def test_kind_in_is_not_started_from_a_member(users, new_member):
    with pytest.raises(DomainError, match="接收转入党员"):
        transfers.start_transfer(
            users.secretary, new_member(), kind=TransferKind.IN, issued_on=TODAY, today=TODAY
        )


def test_who_may_start_and_cancel(users, new_member, world, incoming):
    m = new_member()
    with pytest.raises(NotInScope):
        internal(users.grid, m)
    with pytest.raises(ActionDenied):
        internal(users.leader, m)
    t = incoming
    with pytest.raises(ActionDenied, match="转出党组织"):
        transfers.cancel_transfer(users.secretary, t)
    with pytest.raises(NotInScope):
        transfers.cancel_transfer(users.grid, t)
    transfers.cancel_transfer(users.station, t, "信息有误")
    t = fresh(t)
    assert t.status == TransferStatus.CANCELLED and "撤回：信息有误" in t.note
    with pytest.raises(DomainError, match="不能撤回"):
        transfers.cancel_transfer(users.station, t)


def arrival(name="甲转入党员", seq=301, id_number=None):
    return MemberData(
        name=name,
        id_number=id_number or make_id_number(datetime.date(1990, 5, 1), seq),
        status="full",
        joined_on=datetime.date(2015, 7, 1),
        full_on=datetime.date(2016, 7, 1),
    )


def test_receive_from_outside_creates_the_member_and_a_received_transfer(users, world):
    t = transfers.receive_from_outside(
        users.secretary,
        world.orgs["branch"],
        arrival(),
        letter_no="京转字9号",
        outside_org_name="北京市某街道党工委",
        received_on=TODAY,
        today=TODAY,
    )
    assert t.kind == TransferKind.IN and t.status == TransferStatus.RECEIVED and t.from_org is None
    assert t.member.org == world.orgs["branch"] and t.member.person.name == "甲转入党员"
    assert Transfer.objects.restrict(users.secretary).filter(pk=t.pk).exists()


def test_a_refused_arrival_saves_nothing(users, world):
    counts = (Person.objects.count(), Transfer.objects.count(), audit_count())
    with pytest.raises(DomainError, match="介绍信编号"):
        transfers.receive_from_outside(
            users.secretary,
            world.orgs["branch"],
            arrival(),
            letter_no="",
            outside_org_name="某党委",
            received_on=TODAY,
            today=TODAY,
        )
    with pytest.raises(DomainError):
        transfers.receive_from_outside(
            users.secretary,
            world.orgs["branch"],
            arrival(id_number="140932199005010000"),
            letter_no="1",
            outside_org_name="某党委",
            received_on=TODAY,
            today=TODAY,
        )
    with pytest.raises(ActionDenied):
        transfers.receive_from_outside(
            users.leader,
            world.orgs["branch"],
            arrival(),
            letter_no="1",
            outside_org_name="某党委",
            received_on=TODAY,
            today=TODAY,
        )
    assert (Person.objects.count(), Transfer.objects.count(), audit_count()) == counts


# --- the finding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "found"), [(30, False), (31, True)])
def test_unconfirmed_after_thirty_days(users, new_member, days, found):
    m = new_member("甲待接收")
    internal(users.secretary, m, code="B2", issued_on=TODAY - datetime.timedelta(days=days))
    result = [f for f in checks.transfer_unconfirmed(users.secretary, TODAY) if f.subject == "甲待接收"]
    assert bool(result) is found
    if found:
        f = result[0]
        assert f.message.startswith("转接超过一个月未确认接收") and f.org_name == "村甲二"
        assert f.url == f"/members/transfers/{Transfer.objects.get(member=m).pk}/"


def test_a_county_sets_its_own_limit(users, new_member, world):
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="members.transfer_confirm_days",
        value=15,
        source="县委组织部通知",
        effective_from=datetime.date(2026, 1, 1),
    )
    here, there = new_member("甲本县转接"), new_member("甲外县转接")
    internal(users.secretary, here, code="B2", issued_on=TODAY - datetime.timedelta(days=16))
    internal(users.secretary, there, code="B3", issued_on=TODAY - datetime.timedelta(days=16))
    subjects = {f.subject: f for f in checks.transfer_unconfirmed(users.admin, TODAY)}
    assert "甲本县转接" in subjects and "转接超过15天未确认接收" in subjects["甲本县转接"].message
    assert "甲外县转接" not in subjects, "外县 keeps the 30 days"


def test_the_transfer_check_is_constant_in_queries(users, new_member, django_assert_max_num_queries):
    for i in range(4):
        internal(users.secretary, new_member(f"甲待{i}"), code="B2", issued_on=datetime.date(2026, 9, 1))
    admin = fresh(users.admin)
    with django_assert_max_num_queries(4):
        found = checks.transfer_unconfirmed(admin, TODAY)
    assert len(found) >= 4


# --- pages ---------------------------------------------------------------------------------------


def test_list_filters_by_direction_and_status_and_exports(client_for, users, new_member):
    internal(users.secretary, new_member("甲转出党员"), code="B3")
    c = client_for(users.secretary)
    r = c.get("/members/transfers/")
    assert r.status_code == 200 and "甲转出党员" in html(r) and "甲党员二" in html(r)
    incoming = html(c.get("/members/transfers/", {"direction": "incoming"}))
    assert "甲党员二" in incoming and "甲转出党员" not in incoming
    outgoing = html(c.get("/members/transfers/", {"direction": "outgoing"}))
    assert "甲转出党员" in outgoing and "甲党员二" not in outgoing
    assert "甲转出党员" not in html(c.get("/members/transfers/", {"status": "received"}))
    r = c.get("/members/transfers/", {"export": "xlsx"})
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    cells = [c for row in wb.active.iter_rows(values_only=True) for c in row if c]
    assert "甲转出党员" in cells and "外村" in cells and "待接收" in cells


def test_detail_offers_confirm_to_the_receiver_and_cancel_to_the_sender(client_for, users, world, incoming):
    t = incoming
    c = client_for(users.secretary)
    body = html(c.get(f"/members/transfers/{t.pk}/"))
    assert "确认接收" in body and "撤回转接" not in body and "已超过30天未确认接收" in body
    assert c.post(f"/members/transfers/{t.pk}/cancel/", {}).status_code == 403
    r = c.post(f"/members/transfers/{t.pk}/confirm/", {"received_on": "2026-09-01"})
    assert r.status_code == 400 and "不能早于开具日期" in html(r)
    r = c.post(f"/members/transfers/{t.pk}/confirm/", {"received_on": "2026-11-01"})
    assert r.status_code == 302 and fresh(world.members["sibling"]).org == world.orgs["branch"]


def test_start_form_by_code(client_for, users, new_member):
    m = new_member()
    c = client_for(users.secretary)
    assert c.get(f"/members/{m.pk}/transfer/").status_code == 200
    r = c.post(
        f"/members/{m.pk}/transfer/", {"kind": "internal", "to_org_code": "XX", "issued_on": "2026-11-01"}
    )
    assert r.status_code == 400 and "未找到编码为“XX”的村（社区）党支部" in html(r)
    r = c.post(
        f"/members/{m.pk}/transfer/", {"kind": "internal", "to_org_code": "B2", "issued_on": "2026-11-01"}
    )
    t = Transfer.objects.get(member=m)
    assert r.status_code == 302 and r["Location"] == f"/members/transfers/{t.pk}/"
    assert client_for(users.leader).get(f"/members/{m.pk}/transfer/").status_code == 403


def test_receive_page(client_for, users, world):
    c = client_for(users.secretary)
    assert c.get("/members/transfers/receive/").status_code == 200
    data = {
        "org": world.orgs["branch"].pk,
        "outside_org_name": "北京市某街道党工委",
        "letter_no": "京9",
        "received_on": "2026-11-01",
        "name": "甲转入党员",
        "id_number": make_id_number(datetime.date(1990, 5, 1), 302),
        "status": "full",
        "joined_on": "2015-07-01",
        "full_on": "2016-07-01",
        "dues_category": "farmer",
    }
    r = c.post("/members/transfers/receive/", data | {"org": world.orgs["out_branch"].pk})
    assert r.status_code == 400 and not Person.objects.filter(name="甲转入党员").exists()
    r = c.post("/members/transfers/receive/", data)
    assert r.status_code == 302 and Member.objects.get(person__name="甲转入党员").org == world.orgs["branch"]
    assert client_for(users.leader).get("/members/transfers/receive/").status_code == 403


def test_list_page_queries_do_not_grow_with_rows(client_for, users, new_member):
    c = client_for(users.secretary)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/members/transfers/").status_code == 200
        return len(ctx)

    few = count()
    for i in range(6):
        internal(users.secretary, new_member(f"甲转出{i}"), code="B2")
    assert count() == few
