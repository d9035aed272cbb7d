"""党员包户: households, the members who look after them, and visits."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dangjian.core.errors import ActionDenied, DomainError, DomainErrors, NotInScope
from dangjian.members.models import Household, HouseholdLink, HouseholdVisit
from dangjian.members.services import households

from .conftest import TODAY, audit_count, fresh, html

pytestmark = pytest.mark.django_db


def test_create_household_checks_and_audits(users, world):
    before = audit_count()
    h = households.create_household(
        users.secretary, world.orgs["branch"], "甲新户主", address="甲村2号", phone="138 0000 1234", size=4
    )
    assert h.phone == "13800001234" and h.org == world.orgs["branch"] and audit_count() == before + 1
    with pytest.raises(DomainErrors) as exc:
        households.create_household(users.secretary, world.orgs["branch"], "", phone="12", size=0)
    assert {e.field for e in exc.value.errors} == {"head_name", "phone", "size"}


def test_household_grid_must_cover_the_branch(users, world):
    with pytest.raises(DomainError, match="网格"):
        households.create_household(users.admin, world.orgs["branch"], "甲户", grid=world.grids["grid"])
    h = households.create_household(
        users.admin, world.orgs["community"], "甲社区户", grid=world.grids["grid"]
    )
    assert h.grid == world.grids["grid"]


def test_household_is_registered_under_a_branch_in_scope(users, world):
    with pytest.raises(DomainError, match="村（社区）党支部"):
        households.create_household(users.admin, world.orgs["station"], "甲户")
    with pytest.raises(NotInScope):
        households.create_household(users.secretary, world.orgs["out_branch"], "外户")
    with pytest.raises(ActionDenied):
        households.create_household(users.leader, world.orgs["branch"], "甲户")
    assert not Household.objects.filter(head_name__in=["甲户", "外户"]).exists()


def test_link_unlink_and_visit(users, world, new_member):
    m, h = new_member("甲包户党员"), world.records["household"]
    link = households.link_household(users.secretary, m, h, datetime.date(2026, 3, 1), today=TODAY)
    with pytest.raises(DomainError, match="已在联系"):
        households.link_household(users.secretary, m, h, datetime.date(2026, 3, 2), today=TODAY)
    visit = households.record_visit(
        users.secretary, link, datetime.date(2026, 4, 1), "了解春耕用工需求", today=TODAY
    )
    assert visit.org == h.org
    with pytest.raises(DomainError, match="不能早于联系起始日期"):
        households.record_visit(users.secretary, link, datetime.date(2026, 2, 1), "x", today=TODAY)
    with pytest.raises(DomainError, match="走访情况"):
        households.record_visit(users.secretary, link, datetime.date(2026, 4, 2), " ", today=TODAY)
    households.unlink(users.secretary, link, datetime.date(2026, 10, 1), today=TODAY)
    with pytest.raises(DomainError, match="不能晚于包户关系结束日期"):
        households.record_visit(users.secretary, fresh(link), datetime.date(2026, 10, 2), "x", today=TODAY)
    with pytest.raises(DomainError, match="已于2026-10-01结束"):
        households.unlink(users.secretary, link, datetime.date(2026, 10, 2), today=TODAY)
    relinked = households.link_household(users.secretary, m, h, datetime.date(2026, 10, 5), today=TODAY)
    assert relinked.pk != link.pk


def test_only_households_of_the_members_branch(users, world, new_member):
    other = new_member("甲二支部党员", org="sibling")
    with pytest.raises(DomainError, match="本党支部"):
        households.link_household(users.admin, other, world.records["household"], TODAY, today=TODAY)
    with pytest.raises(NotInScope):
        households.link_household(
            users.secretary, new_member(), world.records["out_household"], TODAY, today=TODAY
        )
    with pytest.raises(ActionDenied):
        households.link_household(users.leader, new_member(), world.records["household"], TODAY, today=TODAY)
    link = HouseholdLink.objects.get(household=world.records["household"])
    with pytest.raises(ActionDenied):
        households.record_visit(users.leader, link, TODAY, "x", today=TODAY)
    with pytest.raises(NotInScope):
        households.unlink(users.grid, link, TODAY, today=TODAY)
    assert HouseholdVisit.objects.filter(link=link).count() == 1


# --- pages ---------------------------------------------------------------------------------------


def test_list_search_unlinked_filter_and_counts_per_branch(client_for, users, world):
    for i in range(3):
        households.create_household(users.secretary, world.orgs["branch"], f"甲无人联系{i}")
    c = client_for(users.secretary)
    r = c.get("/members/households/")
    body = html(r)
    assert r.status_code == 200 and "甲户主" in body and "甲无人联系0" in body
    assert "各党支部无联系党员的农户数" in body and "3 户</a>" in body
    unlinked = html(c.get("/members/households/", {"unlinked": "true"}))
    assert "甲无人联系1" in unlinked and "甲户主" not in unlinked
    assert "甲户主" in html(c.get("/members/households/", {"unlinked": "false"}))
    found = html(c.get("/members/households/", {"q": "无人联系2"}))
    assert "甲无人联系2" in found and "甲无人联系1" not in found
    r = c.get("/members/households/", {"export": "xlsx"})
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    cells = [c for row in wb.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "甲无人联系0" in cells and "联系党员数" in cells


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_list_page_queries_do_not_grow_with_rows(client_for, users, world):
    c = client_for(users.secretary)
    few = count_queries(c, "/members/households/")
    for i in range(8):
        households.create_household(users.secretary, world.orgs["branch"], f"甲户{i}")
    assert count_queries(c, "/members/households/") == few


def test_create_page(client_for, users, world):
    c = client_for(users.secretary)
    assert c.get("/members/households/new/").status_code == 200
    r = c.post(
        "/members/households/new/", {"org": world.orgs["branch"].pk, "head_name": "甲新户", "phone": "1"}
    )
    assert r.status_code == 400 and "联系电话格式不正确" in html(r)
    r = c.post("/members/households/new/", {"org": world.orgs["out_branch"].pk, "head_name": "外新户"})
    assert r.status_code == 400 and not Household.objects.filter(head_name="外新户").exists()
    r = c.post("/members/households/new/", {"org": world.orgs["branch"].pk, "head_name": "甲新户"})
    h = Household.objects.get(head_name="甲新户")
    assert r.status_code == 302 and r["Location"] == f"/members/households/{h.pk}/"


def test_detail_page_links_visits_and_unlinks(client_for, users, world, new_member):
    h, m = world.records["household"], new_member("甲第二联系人")
    c = client_for(users.secretary)
    r = c.get(f"/members/households/{h.pk}/")
    assert (
        r.status_code == 200 and "甲党员一" in html(r) and "甲走访" in html(r) and "添加联系党员" in html(r)
    )
    r = c.post(f"/members/households/{h.pk}/links/", {"member": m.pk, "since": "2026-11-01"})
    assert r.status_code == 302 and HouseholdLink.objects.filter(member=m, household=h).exists()
    r = c.post(f"/members/households/{h.pk}/links/", {"member": m.pk, "since": "2026-11-02"})
    assert r.status_code == 400 and "已在联系" in html(r)
    link = HouseholdLink.objects.get(member=m, household=h)
    r = c.post(
        f"/members/household-links/{link.pk}/visits/", {"visited_on": "2026-11-05", "note": "帮助申报医保"}
    )
    assert r.status_code == 302 and link.visits.count() == 1
    r = c.post(
        f"/members/household-links/{link.pk}/visits/",
        {"visited_on": "2026-10-01", "note": "早于起始"},
        follow=True,
    )
    assert "不能早于联系起始日期" in html(r) and link.visits.count() == 1
    r = c.post(f"/members/household-links/{link.pk}/end/", {"ended_on": "2026-11-10"})
    assert r.status_code == 302 and fresh(link).ended_on == datetime.date(2026, 11, 10)
    leader = client_for(users.leader)
    assert "添加联系党员" not in html(leader.get(f"/members/households/{h.pk}/"))
    assert (
        leader.post(
            f"/members/household-links/{link.pk}/visits/", {"visited_on": "2026-11-11", "note": "x"}
        ).status_code
        == 403
    )
