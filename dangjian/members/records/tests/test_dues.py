"""党费: amounts under the 2008 rules, payments one by one and by branch, arrears and the 6-month finding."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dangjian.core.errors import ActionDenied, DomainError, DomainErrors, NotInScope
from dangjian.core.models import AuditEvent, RuleOverride
from dangjian.members.choices import DuesCategory, Standing
from dangjian.members.models import DuesPayment, Member
from dangjian.members.records import checks
from dangjian.members.services import dues

from .conftest import TODAY, audit_count, html

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.mark.parametrize(
    ("category", "base", "amount"),
    [
        (DuesCategory.WORKING, "3000", "15.00"),
        (DuesCategory.WORKING, "3000.01", "30.00"),
        (DuesCategory.WORKING, "5000", "50.00"),
        (DuesCategory.WORKING, "5000.01", "75.00"),
        (DuesCategory.WORKING, "10000", "150.00"),
        (DuesCategory.WORKING, "10000.01", "200.00"),
        (DuesCategory.RETIRED, "5000", "25.00"),
        (DuesCategory.RETIRED, "5000.01", "50.00"),
        (DuesCategory.FARMER, None, "0.50"),
        (DuesCategory.LOW_INCOME, None, "0.20"),
        (DuesCategory.EXEMPT, None, "0.00"),
    ],
)
def test_monthly_amount_by_band(new_member, category, base, amount):
    m = new_member(dues_category=category, dues_base=D(base) if base else None)
    assert dues.monthly_amount(m) == D(amount)


def test_farmer_amount_is_set_per_county(world, new_member):
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="members.dues_farmer_amount",
        value="1",
        source="省委组织部通知",
        effective_from=datetime.date(2026, 1, 1),
    )
    here, there = new_member(), new_member(org="out_branch")
    assert dues.monthly_amount(here) == D("1.00") and dues.monthly_amount(there) == D("0.50")
    calc = dues.DuesCalculator()
    assert calc.amount(Member.objects.select_related("org").get(pk=here.pk)) == D("1.00")
    assert calc.amount(Member.objects.select_related("org").get(pk=there.pk)) == D("0.50")


def pay(actor, member, month, amount="0.50", note="", paid_on=datetime.date(2026, 11, 10)):
    return dues.record_payment(actor, member, month, D(amount), paid_on, note, today=TODAY)


def test_one_payment_per_member_and_month(users, new_member):
    m = new_member()
    p = pay(users.secretary, m, datetime.date(2026, 10, 15))
    assert p.month == datetime.date(2026, 10, 1) and p.org_id == m.org_id
    before = audit_count()
    with pytest.raises(DomainError, match="2026年10月的党费已登记"):
        pay(users.secretary, m, datetime.date(2026, 10, 1))
    assert DuesPayment.objects.filter(member=m).count() == 1 and audit_count() == before


def test_months_outside_membership_or_in_the_future_are_refused(users, new_member):
    m = new_member(joined_on=datetime.date(2026, 3, 15), status="probationary")
    with pytest.raises(DomainError, match="不能登记以后月份"):
        pay(users.secretary, m, datetime.date(2026, 12, 1))
    with pytest.raises(DomainError, match="2026年03月入党"):
        pay(users.secretary, m, datetime.date(2026, 2, 1))
    assert pay(users.secretary, m, datetime.date(2026, 3, 1)).month == datetime.date(2026, 3, 1)
    assert pay(users.secretary, m, datetime.date(2026, 11, 1)).month == datetime.date(2026, 11, 1)


def test_a_different_amount_needs_a_note(users, new_member):
    m = new_member(dues_category=DuesCategory.WORKING, dues_base=D("4000"))
    with pytest.raises(DomainError) as exc:
        pay(users.secretary, m, datetime.date(2026, 10, 1), amount="20")
    assert "40.00元" in exc.value.message and "中组发〔2008〕3号" in exc.value.message
    assert not DuesPayment.objects.filter(member=m).exists()
    assert pay(
        users.secretary, m, datetime.date(2026, 10, 1), amount="20", note="经党委批准减半"
    ).amount == D("20")


def test_who_may_record(users, new_member):
    m = new_member()
    with pytest.raises(NotInScope):
        pay(users.grid, m, datetime.date(2026, 10, 1))
    with pytest.raises(ActionDenied):
        pay(users.leader, m, datetime.date(2026, 10, 1))
    Member.objects.filter(pk=m.pk).update(standing=Standing.SUSPENDED)
    with pytest.raises(DomainError, match="停止党籍"):
        pay(users.secretary, m, datetime.date(2026, 10, 1))
    assert not DuesPayment.objects.filter(member=m).exists()


def bulk(actor, org, members, month=datetime.date(2026, 10, 1)):
    return dues.record_payments_bulk(
        actor, org, month, [m.pk for m in members], datetime.date(2026, 11, 5), today=TODAY
    )


def test_bulk_collection_pays_the_computed_amounts(users, world, new_member):
    a = new_member(dues_category=DuesCategory.WORKING, dues_base=D("6000"))
    b = new_member()
    before = audit_count()
    done = bulk(users.secretary, world.orgs["branch"], [a, b])
    assert {p.member_id: p.amount for p in done} == {a.pk: D("90.00"), b.pk: D("0.50")}
    assert all(p.pk for p in done) and audit_count() == before + 2
    assert AuditEvent.objects.filter(action="dues.pay", object_id=str(done[0].pk)).exists()


def test_bulk_is_all_or_nothing(users, world, new_member):
    a, b = new_member("甲已交"), new_member("甲未交")
    pay(users.secretary, a, datetime.date(2026, 10, 1))
    rows, before = DuesPayment.objects.count(), audit_count()
    with pytest.raises(DomainError, match="甲已交"):
        bulk(users.secretary, world.orgs["branch"], [a, b])
    with pytest.raises(DomainError, match="不在本支部"):
        bulk(users.secretary, world.orgs["branch"], [b, world.members["sibling"]])
    with pytest.raises(ActionDenied):
        bulk(users.leader, world.orgs["branch"], [b])
    with pytest.raises(NotInScope):
        bulk(users.secretary, world.orgs["out_branch"], [world.members["out"]])
    with pytest.raises(DomainErrors):
        dues.record_payments_bulk(users.secretary, world.orgs["branch"], None, [], None, today=TODAY)
    assert DuesPayment.objects.count() == rows and audit_count() == before


def collection_queries(users, world, new_member, n: int, month) -> int:
    members = [new_member() for _ in range(n)]
    secretary = type(users.secretary).objects.get(pk=users.secretary.pk)
    with CaptureQueriesContext(connection) as ctx:
        bulk(secretary, world.orgs["branch"], members, month=month)
    audit_inserts = sum(1 for q in ctx.captured_queries if "core_auditevent" in q["sql"])
    assert audit_inserts == n
    return len(ctx) - audit_inserts


def test_bulk_collection_queries_do_not_grow_besides_the_audit_rows(users, world, new_member):
    few = collection_queries(users, world, new_member, 2, datetime.date(2026, 9, 1))
    many = collection_queries(users, world, new_member, 7, datetime.date(2026, 8, 1))
    assert many == few


def test_arrears_are_the_unpaid_months_of_the_last_year(users, new_member):
    recent = new_member(joined_on=datetime.date(2026, 3, 15), status="probationary")
    pay(users.secretary, recent, datetime.date(2026, 5, 1))
    assert dues.arrears(recent, today=TODAY) == [datetime.date(2026, m, 1) for m in (3, 4, 6, 7, 8, 9, 10)]
    veteran = new_member()
    months = dues.arrears(veteran, today=TODAY)
    assert (
        months[0] == datetime.date(2025, 11, 1)
        and months[-1] == datetime.date(2026, 10, 1)
        and len(months) == 12
    )


@pytest.mark.parametrize(
    ("last_paid", "found"), [(datetime.date(2026, 5, 1), False), (datetime.date(2026, 4, 1), True)]
)
def test_six_consecutive_unpaid_months_ending_last_month(users, new_member, last_paid, found):
    m = new_member("甲欠交党员")
    pay(users.secretary, m, last_paid)
    result = [f for f in checks.dues_arrears(users.secretary, TODAY) if f.subject == "甲欠交党员"]
    assert bool(result) is found
    if found:
        f = result[0]
        assert f.message.startswith("连续6个月未交纳党费（2026年05月至2026年10月）")
        assert f.due_on == datetime.date(2026, 10, 31) and f.url == f"/members/{m.pk}/dues/"


def test_arrears_check_skips_the_exempt_and_the_newly_joined(users, new_member):
    new_member("甲免交", dues_category=DuesCategory.EXEMPT)
    new_member("甲新党员", joined_on=datetime.date(2026, 6, 1), status="probationary")
    subjects = {f.subject for f in checks.dues_arrears(users.secretary, TODAY)}
    assert "甲免交" not in subjects and "甲新党员" not in subjects
    assert "甲党员一" not in subjects, "paid in 2026-10 (test world)"


def test_arrears_check_is_one_query_over_the_scope(users, new_member, django_assert_max_num_queries):
    for i in range(5):
        new_member(f"甲欠{i}")
    new_member("外欠", org="out_branch")
    secretary = type(users.secretary).objects.get(pk=users.secretary.pk)
    with django_assert_max_num_queries(2):
        subjects = {f.subject for f in checks.dues_arrears(secretary, TODAY)}
    assert {f"甲欠{i}" for i in range(5)} <= subjects and "外欠" not in subjects


# --- pages ---------------------------------------------------------------------------------------


def test_dues_page_per_branch_and_month_with_bulk_form(client_for, users, world):
    c = client_for(users.secretary)
    r = c.get("/members/dues/", {"org": world.orgs["branch"].pk, "month": "2026-10"})
    body = html(r)
    assert r.status_code == 200 and "2026年10月党费" in body and "甲党员一" in body and "甲预备党员" in body
    assert "已交 1 人" in body and "未交 1 人" in body and 'id="dues-collect"' in body
    assert "未交" in html(
        c.get("/members/dues/", {"org": world.orgs["branch"].pk, "month": "2026-10", "paid": "no"})
    )
    r = c.get("/members/dues/", {"org": world.orgs["branch"].pk, "month": "2026-10", "export": "xlsx"})
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    cells = [str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "甲党员一" in cells and "应交（元）" in cells and "未交" in cells
    assert 'id="dues-collect"' not in html(
        client_for(users.leader).get("/members/dues/", {"org": world.orgs["branch"].pk})
    )


def test_dues_page_queries_do_not_grow_with_members(client_for, users, world, new_member):
    c = client_for(users.secretary)
    url = f"/members/dues/?org={world.orgs['branch'].pk}&month=2026-10"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx)

    few = count()
    for _ in range(8):
        new_member(dues_category=DuesCategory.WORKING, dues_base=D("3500"))
    assert count() == few


def test_collect_form_posts_a_branch_month(client_for, users, world, new_member):
    m = new_member("甲集中收缴")
    c = client_for(users.secretary)
    data = {"org": world.orgs["branch"].pk, "month": "2026-10", "paid_on": "2026-11-05", "member_ids": [m.pk]}
    r = c.post("/members/dues/collect/", data)
    assert (
        r.status_code == 302
        and r["Location"] == f"/members/dues/?org={world.orgs['branch'].pk}&month=2026-10"
    )
    assert DuesPayment.objects.get(member=m).amount == D("0.50")
    r = c.post("/members/dues/collect/", data, follow=True)
    assert "的党费已登记：甲集中收缴" in html(r)
    assert c.post("/members/dues/collect/", data | {"org": world.orgs["out_branch"].pk}).status_code == 404
    assert c.post("/members/dues/collect/", {"org": "x"}).status_code == 400
    assert client_for(users.leader).post("/members/dues/collect/", data).status_code == 403


def test_member_dues_page(client_for, users, new_member):
    m = new_member(dues_category=DuesCategory.WORKING, dues_base=D("4000"))
    c = client_for(users.secretary)
    r = c.get(f"/members/{m.pk}/dues/")
    assert r.status_code == 200 and "40.00 元" in html(r) and "近12个月未交" in html(r)
    r = c.post(f"/members/{m.pk}/dues/", {"month": "2026-10", "amount": "20", "paid_on": "2026-11-01"})
    assert r.status_code == 400 and "请在备注中说明" in html(r)
    r = c.post(f"/members/{m.pk}/dues/", {"month": "2026-10", "amount": "40.00", "paid_on": "2026-11-01"})
    assert r.status_code == 302 and DuesPayment.objects.filter(member=m, month="2026-10-01").exists()
    leader = client_for(users.leader).get(f"/members/{m.pk}/dues/")
    assert leader.status_code == 200 and "登记党费" not in html(leader)
