"""Mobile members: registering a spell away, its activities, the return, and the 6-month transfer rule."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dangjian.core.dates import add_months
from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.members.choices import TransferKind
from dangjian.members.models import MobileActivity, MobileRecord
from dangjian.members.records import checks
from dangjian.members.services import mobility, transfers

from .conftest import TODAY, audit_count, fresh, html

pytestmark = pytest.mark.django_db


def start(actor, member, **kw):
    values = {"destination": "浙江省宁波市", "since": datetime.date(2026, 9, 1), "today": TODAY} | kw
    return mobility.start_mobility(actor, member, **values)


def test_start_marks_the_member_mobile_and_is_audited(users, new_member):
    m = new_member()
    before = audit_count()
    record = start(
        users.secretary, m, fixed_place=True, contact="13900001111", host_org_name="宁波某社区党委"
    )
    assert fresh(m).is_mobile
    assert record.org_id == m.org_id and record.ended_on is None
    assert audit_count() == before + 1


def test_a_second_open_spell_is_refused_and_nothing_is_written(users, new_member):
    m = new_member()
    start(users.secretary, m)
    rows, before = MobileRecord.objects.count(), audit_count()
    with pytest.raises(DomainError, match="未结束的外出登记"):
        start(users.secretary, m, destination="广东省")
    assert MobileRecord.objects.count() == rows and audit_count() == before


@pytest.mark.parametrize(
    ("expected_until", "refused"),
    [
        (add_months(datetime.date(2026, 9, 1), 6) - datetime.timedelta(days=1), False),
        (add_months(datetime.date(2026, 9, 1), 6), True),
    ],
)
def test_no_certificate_for_six_months_at_a_fixed_place(users, new_member, expected_until, refused):
    m = new_member()
    kw = {
        "fixed_place": True,
        "expected_until": expected_until,
        "certificate_no": "LD-001",
        "certificate_issued_on": datetime.date(2026, 9, 1),
    }
    if refused:
        with pytest.raises(DomainError) as exc:
            start(users.secretary, m, **kw)
        assert "应转移组织关系" in exc.value.message and "党员教育管理工作条例" in exc.value.message
        assert not fresh(m).is_mobile and not MobileRecord.objects.filter(member=m).exists()
    else:
        assert start(users.secretary, m, **kw).certificate_no == "LD-001"


def test_a_long_spell_without_a_fixed_place_may_hold_a_certificate(users, new_member):
    record = start(
        users.secretary,
        new_member(),
        expected_until=datetime.date(2027, 9, 1),
        certificate_no="LD-002",
        certificate_issued_on=datetime.date(2026, 9, 2),
    )
    assert record.certificate_no == "LD-002"


def test_each_problem_is_reported_beside_its_field(users, new_member):
    with pytest.raises(DomainError) as exc:
        start(
            users.secretary,
            new_member(),
            destination=" ",
            since=TODAY + datetime.timedelta(days=1),
            certificate_issued_on=TODAY,
        )
    fields = {e.field for e in exc.value.errors}
    assert {"destination", "since", "certificate_no"} <= fields


def test_roles_outside_or_read_only_are_refused(users, new_member):
    m = new_member()
    with pytest.raises(NotInScope):
        start(users.grid, m)
    with pytest.raises(NotInScope):
        start(users.out_admin, m)
    with pytest.raises(ActionDenied):
        start(users.leader, m)
    assert not MobileRecord.objects.filter(member=m).exists()
    assert start(users.station, m).pk


def test_end_clears_mobile_only_when_no_other_spell_is_open(users, new_member):
    m = new_member()
    first = start(users.secretary, m)
    MobileRecord.objects.create(member=m, org=m.org, destination="北京", since=datetime.date(2026, 10, 1))
    mobility.end_mobility(users.secretary, first, datetime.date(2026, 10, 20), "回乡", today=TODAY)
    assert fresh(m).is_mobile
    second = MobileRecord.objects.get(member=m, ended_on__isnull=True)
    mobility.end_mobility(users.secretary, second, datetime.date(2026, 11, 1), today=TODAY)
    assert not fresh(m).is_mobile
    with pytest.raises(DomainError, match="已于2026-11-01结束"):
        mobility.end_mobility(users.secretary, second, datetime.date(2026, 11, 2), today=TODAY)


def test_end_before_the_spell_began_is_refused(users, new_member):
    record = start(users.secretary, new_member())
    with pytest.raises(DomainError, match="不能早于外出日期"):
        mobility.end_mobility(users.secretary, record, datetime.date(2026, 8, 31), today=TODAY)
    assert fresh(record).ended_on is None


def test_activities_are_recorded_within_the_spell(users, new_member):
    record = start(users.secretary, new_member())
    act = mobility.record_mobile_activity(
        users.secretary, record, "meeting", datetime.date(2026, 10, 8), "参加线上主题党日", today=TODAY
    )
    assert act.org_id == record.org_id
    with pytest.raises(DomainError, match="不能早于外出日期"):
        mobility.record_mobile_activity(
            users.secretary, record, "study", datetime.date(2026, 8, 1), "学习", today=TODAY
        )
    with pytest.raises(DomainError, match="活动类型"):
        mobility.record_mobile_activity(
            users.secretary, record, "party", datetime.date(2026, 10, 1), "x", today=TODAY
        )
    with pytest.raises(ActionDenied):
        mobility.record_mobile_activity(
            users.leader, record, "study", datetime.date(2026, 10, 1), "x", today=TODAY
        )
    assert MobileActivity.objects.filter(record=record).count() == 1


# --- the finding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("back_days", "found"), [(-1, False), (0, True)])
def test_transfer_is_due_at_exactly_six_months_at_a_fixed_place(users, new_member, back_days, found):
    since = add_months(TODAY, -6) - datetime.timedelta(days=back_days)
    m = new_member("甲外出党员")
    MobileRecord.objects.create(member=m, org=m.org, destination="上海", since=since, fixed_place=True)
    result = [f for f in checks.mobile_transfer_due(users.secretary, TODAY) if f.subject == "甲外出党员"]
    assert bool(result) is found
    if found:
        f = result[0]
        assert "应转移组织关系" in f.message and f.severity == "overdue" and f.due_on == TODAY
        assert f.rule == "members.mobile_transfer_months" and f.url.startswith("/members/mobile/")


def test_month_end_counts_like_the_services(users, new_member):
    """31 August + 6 months is 28 February: the check and `reached` agree at month ends."""
    m = new_member("甲月末党员")
    MobileRecord.objects.create(
        member=m, org=m.org, destination="上海", since=datetime.date(2025, 8, 31), fixed_place=True
    )
    assert [f.subject for f in checks.mobile_transfer_due(users.secretary, datetime.date(2026, 2, 28))] == [
        "甲月末党员"
    ]
    assert not checks.mobile_transfer_due(users.secretary, datetime.date(2026, 2, 27))


def test_no_finding_without_fixed_place_after_return_or_with_a_transfer_under_way(users, new_member, world):
    long_ago = datetime.date(2025, 1, 1)
    loose, back, moving = new_member("甲无固定"), new_member("甲已返回"), new_member("甲转接中")
    MobileRecord.objects.create(member=loose, org=loose.org, destination="上海", since=long_ago)
    MobileRecord.objects.create(
        member=back, org=back.org, destination="上海", since=long_ago, fixed_place=True, ended_on=TODAY
    )
    MobileRecord.objects.create(
        member=moving, org=moving.org, destination="上海", since=long_ago, fixed_place=True
    )
    transfers.start_transfer(
        users.secretary, moving, kind=TransferKind.INTERNAL, to_org_code="B2", issued_on=TODAY, today=TODAY
    )
    assert checks.mobile_transfer_due(users.secretary, TODAY) == []


def test_the_check_reads_only_the_users_scope_in_constant_queries(
    users, new_member, world, django_assert_max_num_queries
):
    for i in range(5):
        m = new_member(f"甲长期外出{i}")
        MobileRecord.objects.create(
            member=m, org=m.org, destination="上海", since=datetime.date(2025, 1, 1), fixed_place=True
        )
    out = new_member("外长期外出", org="out_branch")
    MobileRecord.objects.create(
        member=out, org=out.org, destination="上海", since=datetime.date(2025, 1, 1), fixed_place=True
    )
    with django_assert_max_num_queries(2):
        subjects = {f.subject for f in checks.mobile_transfer_due(users.secretary, TODAY)}
    assert len(subjects) == 5 and "外长期外出" not in subjects
    assert "外长期外出" in {f.subject for f in checks.mobile_transfer_due(users.out_admin, TODAY)}


# --- pages ---------------------------------------------------------------------------------------


def test_list_filters_searches_and_exports(client_for, users, new_member):
    m = new_member("甲宁波党员")
    start(users.secretary, m, destination="宁波")
    c = client_for(users.secretary)
    r = c.get("/members/mobile/")
    assert r.status_code == 200 and "流动党员" in html(r) and "甲宁波党员" in html(r)
    assert "甲宁波党员" in html(c.get("/members/mobile/", {"q": "宁波"}))
    assert "甲宁波党员" not in html(c.get("/members/mobile/", {"q": "广州"}))
    assert "甲宁波党员" not in html(c.get("/members/mobile/", {"state": "closed"}))
    assert "甲宁波党员" in html(c.get("/members/mobile/", {"state": "open"}))
    r = c.get("/members/mobile/", {"export": "xlsx"})
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    text = [c for row in wb.active.iter_rows(values_only=True) for c in row if c]
    assert "甲宁波党员" in text and "外出地点" in text and "在外" in text


def test_start_form_creates_and_shows_errors_beside_fields(client_for, users, new_member):
    m = new_member()
    c = client_for(users.secretary)
    assert c.get(f"/members/{m.pk}/mobile/").status_code == 200
    r = c.post(f"/members/{m.pk}/mobile/", {"destination": "", "since": "2026-09-01"})
    assert r.status_code == 400 and "该字段是必填项" in html(r)
    r = c.post(
        f"/members/{m.pk}/mobile/",
        {
            "destination": "宁波",
            "since": "2026-09-01",
            "expected_until": "2027-09-01",
            "fixed_place": "on",
            "certificate_no": "LD-9",
            "certificate_issued_on": "2026-09-01",
        },
    )
    assert r.status_code == 400 and "应转移组织关系" in html(r)
    r = c.post(f"/members/{m.pk}/mobile/", {"destination": "宁波", "since": "2026-09-01"})
    record = MobileRecord.objects.get(member=m)
    assert r.status_code == 302 and r["Location"] == f"/members/mobile/{record.pk}/"
    assert client_for(users.leader).get(f"/members/{m.pk}/mobile/").status_code == 403


def test_detail_page_records_activities_and_the_return(client_for, users, new_member):
    m = new_member()
    record = start(users.secretary, m, since=add_months(TODAY, -7), fixed_place=True, today=TODAY)
    c = client_for(users.secretary)
    r = c.get(f"/members/mobile/{record.pk}/")
    assert r.status_code == 200 and "应转移组织关系" in html(r) and "办理组织关系转接" in html(r)
    on = add_months(TODAY, -1).isoformat()
    r = c.post(f"/members/mobile/{record.pk}/activities/", {"kind": "study", "on": on, "content": "学习党章"})
    assert r.status_code == 302 and MobileActivity.objects.filter(record=record).count() == 1
    r = c.post(f"/members/mobile/{record.pk}/end/", {"ended_on": "2000-01-01"})
    assert r.status_code == 400 and "不能早于外出日期" in html(r)
    r = c.post(f"/members/mobile/{record.pk}/end/", {"ended_on": on})
    assert r.status_code == 302 and not fresh(m).is_mobile
    assert (
        client_for(users.leader).post(f"/members/mobile/{record.pk}/end/", {"ended_on": on}).status_code
        == 403
    )
    assert c.get(f"/members/mobile/{record.pk}/end/").status_code == 405


def test_list_page_queries_do_not_grow_with_rows(client_for, users, new_member):
    c = client_for(users.secretary)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/members/mobile/").status_code == 200
        return len(ctx)

    few = count()
    for i in range(6):
        start(users.secretary, new_member(f"甲流动{i}"))
    assert count() == few
