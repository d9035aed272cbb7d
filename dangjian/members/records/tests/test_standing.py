"""Lost contact and standing: 6 months lost before suspension, 2 years suspended before removal,
restoration within the 2 years by the county only."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dangjian.core.dates import add_months, add_years
from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.members.choices import MemberStatus, Standing
from dangjian.members.models import StandingDecision
from dangjian.members.records import checks
from dangjian.members.services import standing

from .conftest import TODAY, audit_count, fresh, html

pytestmark = pytest.mark.django_db
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def lost(users, new_member):
    """A member lost since 2026-01-10, as the branch registered it."""
    m = new_member("甲失联党员")
    standing.mark_lost_contact(
        users.secretary, m, datetime.date(2026, 1, 10), "外出务工后电话停机", today=TODAY
    )
    return fresh(m)


@pytest.fixture
def suspended(users, lost):
    standing.suspend(users.secretary, lost, datetime.date(2026, 7, 10), "村甲一党支部", today=TODAY)
    return fresh(lost)


def test_mark_lost_records_a_decision_and_the_date(lost):
    assert lost.lost_contact_since == datetime.date(2026, 1, 10) and lost.standing == Standing.NORMAL
    d = lost.decisions.get()
    assert d.kind == "lost" and d.decided_by == "村甲一"


def test_lost_twice_is_refused(users, lost):
    with pytest.raises(DomainError, match="已登记自2026-01-10起失联"):
        standing.mark_lost_contact(users.secretary, lost, datetime.date(2026, 2, 1), today=TODAY)


@pytest.mark.parametrize(
    ("decided_on", "allowed"), [(datetime.date(2026, 7, 9), False), (datetime.date(2026, 7, 10), True)]
)
def test_suspension_only_after_six_full_months(users, lost, decided_on, allowed):
    rows, before = StandingDecision.objects.count(), audit_count()
    if allowed:
        d = standing.suspend(users.secretary, lost, decided_on, "村甲一党支部", today=TODAY)
        m = fresh(lost)
        assert d.kind == "suspend" and m.standing == Standing.SUSPENDED and m.standing_since == decided_on
        assert audit_count() == before + 1
    else:
        with pytest.raises(DomainError) as exc:
            standing.suspend(users.secretary, lost, decided_on, "村甲一党支部", today=TODAY)
        assert "未满6个月" in exc.value.message and "2026-07-10" in exc.value.message
        assert "党员教育管理工作条例" in exc.value.message
        assert fresh(lost).standing == Standing.NORMAL
        assert StandingDecision.objects.count() == rows and audit_count() == before


def test_suspension_needs_lost_contact_and_a_deciding_body(users, new_member, lost):
    with pytest.raises(DomainError, match="未登记失联"):
        standing.suspend(users.secretary, new_member(), TODAY, "村甲一党支部", today=TODAY)
    with pytest.raises(DomainError, match="请填写作出决定的党组织"):
        standing.suspend(users.secretary, lost, TODAY, " ", today=TODAY)


def test_a_lost_probationary_member_is_not_suspended(users, new_member):
    m = new_member(status=MemberStatus.PROBATIONARY, joined_on=datetime.date(2025, 12, 1))
    standing.mark_lost_contact(users.secretary, m, datetime.date(2026, 1, 10), today=TODAY)
    with pytest.raises(DomainError, match="取消预备党员资格"):
        standing.suspend(users.secretary, m, TODAY, "村甲一党支部", today=TODAY)


def test_who_may_decide(users, lost):
    with pytest.raises(NotInScope):
        standing.suspend(users.grid, lost, TODAY, "x", today=TODAY)
    with pytest.raises(ActionDenied):
        standing.suspend(users.leader, lost, TODAY, "x", today=TODAY)
    assert fresh(lost).standing == Standing.NORMAL
    standing.suspend(users.station, lost, TODAY, "站甲", today=TODAY)
    assert fresh(lost).standing == Standing.SUSPENDED


def test_found_clears_lost_contact_but_not_for_the_suspended(users, lost, suspended):
    with pytest.raises(DomainError, match="应申请恢复党籍"):
        standing.mark_found(users.secretary, suspended, TODAY, today=TODAY)


def test_found_before_suspension(users, lost):
    with pytest.raises(DomainError, match="不能早于失联日期"):
        standing.mark_found(users.secretary, lost, datetime.date(2026, 1, 1), today=TODAY)
    standing.mark_found(users.secretary, lost, datetime.date(2026, 3, 1), "已回村", today=TODAY)
    assert fresh(lost).lost_contact_since is None


@pytest.mark.parametrize(("days", "allowed"), [(-1, False), (0, True)])
def test_removal_only_after_two_full_years(users, suspended, days, allowed):
    on = add_years(suspended.standing_since, 2) + datetime.timedelta(days=days)
    if allowed:
        standing.remove(users.secretary, suspended, on, "村甲一党支部", today=on)
        assert fresh(suspended).standing == Standing.REMOVED
    else:
        with pytest.raises(DomainError, match="未满2年.*2028-07-10"):
            standing.remove(users.secretary, suspended, on, "村甲一党支部", today=on)
        assert fresh(suspended).standing == Standing.SUSPENDED


def test_restore_is_for_the_county_only(users, suspended):
    for who in (users.secretary, users.office, users.station):
        with pytest.raises(ActionDenied, match="县级组织部门"):
            standing.restore(who, suspended, TODAY, today=TODAY)
    with pytest.raises(NotInScope):
        standing.restore(users.out_admin, suspended, TODAY, today=TODAY)
    d = standing.restore(users.admin, suspended, TODAY, "本人申请，经核实", today=TODAY)
    m = fresh(suspended)
    assert d.decided_by == "县委组织部"
    assert m.standing == Standing.NORMAL and m.lost_contact_since is None and m.standing_since == TODAY


@pytest.mark.parametrize(("days", "allowed"), [(-1, True), (0, False)])
def test_restore_only_within_the_two_years(users, suspended, days, allowed):
    on = add_years(suspended.standing_since, 2) + datetime.timedelta(days=days)
    if allowed:
        standing.restore(users.admin, suspended, on, today=on)
        assert fresh(suspended).standing == Standing.NORMAL
    else:
        with pytest.raises(DomainError, match="已满2年"):
            standing.restore(users.admin, suspended, on, today=on)


def test_decide_dispatches_and_rejects_unknown_kinds(users, lost):
    assert standing.decide(users.secretary, lost, "found", TODAY, today=TODAY).kind == "found"
    with pytest.raises(DomainError, match="未知"):
        standing.decide(users.secretary, lost, "expel", TODAY, today=TODAY)


# --- findings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("back", "found"), [(-1, False), (0, True)])
def test_suspension_proposed_at_six_months_lost(users, new_member, back, found):
    m = new_member("甲待处置")
    since = add_months(TODAY, -6) - datetime.timedelta(days=back)
    standing.mark_lost_contact(users.secretary, m, since, today=TODAY)
    result = checks.lost_contact_suspend(users.secretary, TODAY)
    assert bool(result) is found
    if found:
        assert result[0].message.startswith("建议停止党籍") and result[0].url == f"/members/{m.pk}/standing/"


@pytest.mark.parametrize(("back", "found"), [(-1, False), (0, True)])
def test_removal_proposed_at_two_years_suspended(users, suspended, back, found):
    today = add_years(suspended.standing_since, 2) + datetime.timedelta(days=back)
    result = checks.suspension_remove(users.secretary, today)
    assert bool(result) is found
    if found:
        assert result[0].message.startswith("建议按自行脱党除名") and result[0].subject == "甲失联党员"


def test_standing_checks_are_scoped_and_constant(users, new_member, django_assert_max_num_queries):
    for i in range(4):
        m = new_member(f"甲失联{i}")
        standing.mark_lost_contact(users.secretary, m, datetime.date(2025, 1, 1), today=TODAY)
    out = new_member("外失联", org="out_branch")
    standing.mark_lost_contact(users.out_admin, out, datetime.date(2025, 1, 1), today=TODAY)
    secretary = fresh(users.secretary)
    with django_assert_max_num_queries(2):
        names = {f.subject for f in checks.lost_contact_suspend(secretary, TODAY)}
    assert len(names) == 4 and "外失联" not in names


# --- pages ---------------------------------------------------------------------------------------


def test_list_shows_what_is_proposed_with_decision_buttons(client_for, users, lost, new_member):
    m = new_member("甲近期失联")
    standing.mark_lost_contact(users.secretary, m, TODAY, today=TODAY)
    c = client_for(users.secretary)
    r = c.get("/members/lost-contact/")
    body = html(r)
    assert r.status_code == 200 and "甲失联党员" in body and "建议停止党籍" in body and "继续查找" in body
    assert f"/members/{lost.pk}/standing/?kind=suspend" in body
    assert "甲近期失联" not in html(c.get("/members/lost-contact/", {"proposal": "suspend"}))
    r = c.get("/members/lost-contact/", {"export": "xlsx"})
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    cells = [c for row in wb.active.iter_rows(values_only=True) for c in row if c]
    assert "建议停止党籍" in cells and "处置" not in cells


def test_standing_page_decides_and_shows_errors(client_for, users, lost):
    c = client_for(users.secretary)
    r = c.get(f"/members/{lost.pk}/standing/?kind=suspend")
    assert r.status_code == 200 and "建议停止党籍" in html(r) and "停止党籍" in html(r)
    r = c.post(
        f"/members/{lost.pk}/standing/",
        {"kind": "suspend", "decided_on": "2026-07-09", "decided_by": "村甲一党支部"},
    )
    assert r.status_code == 400 and "未满6个月" in html(r)
    r = c.post(
        f"/members/{lost.pk}/standing/",
        {"kind": "suspend", "decided_on": "2026-07-10", "decided_by": "村甲一党支部"},
    )
    assert r.status_code == 302 and fresh(lost).standing == Standing.SUSPENDED
    # Restoration is not offered to the branch, and a forged post is refused by the form.
    r = c.get(f"/members/{lost.pk}/standing/")
    assert 'value="restore"' not in html(r) and 'value="remove"' in html(r)
    r = c.post(f"/members/{lost.pk}/standing/", {"kind": "restore", "decided_on": "2026-08-01"})
    assert r.status_code == 400 and fresh(lost).standing == Standing.SUSPENDED
    assert 'value="restore"' in html(client_for(users.admin).get(f"/members/{lost.pk}/standing/"))
    assert client_for(users.leader).get(f"/members/{lost.pk}/standing/").status_code == 403


def test_list_page_queries_do_not_grow_with_rows(client_for, users, lost, new_member):
    c = client_for(users.secretary)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/members/lost-contact/").status_code == 200
        return len(ctx)

    few = count()
    for i in range(6):
        standing.mark_lost_contact(
            users.secretary, new_member(f"甲失联多{i}"), datetime.date(2025, 1, 1), today=TODAY
        )
    assert count() == few
