"""Pages of the organisation tree through the test client, as different roles."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.accounts.services import grant_role
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.core.testing import make_user
from dangjian.orgs.models import Org
from dangjian.orgs.services import archive_org, create_org, update_org

pytestmark = pytest.mark.django_db


def fresh(org: Org) -> Org:
    return Org.objects.get(pk=org.pk)


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def admin_client(world, client_for):
    return client_for(world.user(Role.COUNTY_ADMIN))


# --- tree and detail ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "org_key"),
    [
        (Role.COUNTY_ADMIN, "county"),
        (Role.TOWNSHIP_STAFF, "township"),
        (Role.VILLAGE_SECRETARY, "branch"),
        (Role.STATION_CHIEF, "station"),
        (Role.GRID_LEADER, "community"),
    ],
)
def test_tree_redirects_to_the_single_scope_root(world, client_for, role, org_key):
    r = client_for(world.user(role)).get("/orgs/")
    assert r.status_code == 302
    assert r["Location"] == f"/orgs/{world.orgs[org_key].pk}/"


def test_tree_lists_several_roots(world, client_for):
    user = make_user(world.root, "twohats", "两地干部", world.orgs["township"], Role.TOWNSHIP_STAFF)
    grant_role(world.root, user=user, org=world.orgs["out_township"], role=Role.TOWNSHIP_STAFF)
    r = client_for(user).get("/orgs/")
    assert r.status_code == 200
    assert "镇甲" in html(r) and "外镇" in html(r)
    assert "县甲" not in html(r)


def test_tree_requires_login(client, world):
    r = client.get("/orgs/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_township_page_shows_children_with_counts_per_kind(world, admin_client):
    r = admin_client.get(f"/orgs/{world.orgs['township'].pk}/")
    assert r.status_code == 200
    page = html(r)
    rows = re.findall(r"<tr><td><a href=\"/orgs/(\d+)/\">([^<]+)</a>.*?</tr>", page, re.S)
    assert {name for _, name in rows} == {"站甲", "社区甲", "联甲"}
    station_row = re.search(r"站甲</a>.*?</tr>", page, re.S).group(0)
    assert "村党支部 2" in station_row
    assert "党小组 1" in station_row
    assert "村甲一" not in station_row


def test_counts_leave_out_archived_orgs(world, admin_client):
    archive_org(world.user(Role.COUNTY_ADMIN), world.orgs["sibling"])
    page = html(admin_client.get(f"/orgs/{world.orgs['township'].pk}/"))
    station_row = re.search(r"站甲</a>.*?</tr>", page, re.S).group(0)
    assert "村党支部 1" in station_row


def test_detail_of_another_county_is_404(world, admin_client):
    assert admin_client.get(f"/orgs/{world.orgs['out_branch'].pk}/").status_code == 404
    assert admin_client.get("/orgs/999999/").status_code == 404


def test_village_secretary_cannot_open_sibling_branch_pages(world, client_for):
    c = client_for(world.user(Role.VILLAGE_SECRETARY))
    sibling = world.orgs["sibling"].pk
    assert c.get(f"/orgs/{world.orgs['branch'].pk}/").status_code == 200
    for suffix in ("", "edit/", "new/", "move/", "history/"):
        r = c.get(f"/orgs/{sibling}/{suffix}")
        assert r.status_code == 404, suffix
        assert "村甲二" not in html(r)


def test_readonly_leader_is_refused_the_edit_form(world, client_for):
    c = client_for(world.user(Role.READONLY_LEADER))
    branch = world.orgs["branch"]
    assert c.get(f"/orgs/{branch.pk}/").status_code == 200
    assert c.get(f"/orgs/{branch.pk}/edit/").status_code == 403
    r = c.post(f"/orgs/{branch.pk}/edit/", {"name": "改名", "code": "B1", "sort_order": 0})
    assert r.status_code == 403
    assert fresh(branch).name == "村甲一"


def test_township_staff_is_refused_the_move_page(world, client_for):
    c = client_for(world.user(Role.TOWNSHIP_STAFF))
    assert c.get(f"/orgs/{world.orgs['branch'].pk}/move/").status_code == 403


# --- create ---------------------------------------------------------------------------------------


def test_create_child_form(world, admin_client):
    station = world.orgs["station"]
    r = admin_client.get(f"/orgs/{station.pk}/new/")
    assert r.status_code == 200
    assert "在“站甲”下新建组织" in html(r)
    r = admin_client.post(
        f"/orgs/{station.pk}/new/", {"name": "大辛庄村", "kind": "branch", "code": "DXZ", "sort_order": "3"}
    )
    assert r.status_code == 302
    org = Org.objects.get(name="大辛庄村")
    assert r["Location"] == f"/orgs/{org.pk}/"
    assert (org.parent_id, org.kind, org.code, org.sort_order) == (station.pk, "branch", "DXZ", 3)
    assert AuditEvent.objects.filter(action="org.create", object_id=str(org.pk)).exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "该字段是必填项。"),
        ("   ", "该字段是必填项。"),
        ("村" * 61, "名称不能超过60个字（现为61个字）。"),
        ("村甲二", "同一上级下已有名为“村甲二”的组织。"),
    ],
)
def test_create_child_form_refuses_bad_input(world, admin_client, name, message):
    before = (Org.objects.count(), AuditEvent.objects.count())
    r = admin_client.post(f"/orgs/{world.orgs['station'].pk}/new/", {"name": name, "kind": "branch"})
    assert r.status_code == 400
    assert message in html(r)
    assert (Org.objects.count(), AuditEvent.objects.count()) == before


def test_create_child_form_offers_only_allowed_kinds(world, admin_client):
    page = html(admin_client.get(f"/orgs/{world.orgs['branch'].pk}/new/"))
    assert 'value="group"' in page
    assert 'value="township"' not in page
    before = Org.objects.count()
    r = admin_client.post(f"/orgs/{world.orgs['branch'].pk}/new/", {"name": "新镇", "kind": "township"})
    assert r.status_code == 400
    assert "选择一个有效的选项" in html(r)
    assert Org.objects.count() == before


def test_create_child_form_asks_for_confirmation_on_the_eighth_branch(world, admin_client):
    station = world.orgs["station"]
    admin = world.user(Role.COUNTY_ADMIN)
    for i in range(5):
        create_org(admin, parent=station, name=f"新村{i}", kind="branch")
    r = admin_client.post(f"/orgs/{station.pk}/new/", {"name": "第八村", "kind": "branch"})
    assert r.status_code == 400
    assert "本县规定每站至多7个" in html(r)
    assert re.search(r'<input type="hidden" name="confirm" value="on"', html(r))
    assert not Org.objects.filter(name="第八村").exists()
    r = admin_client.post(f"/orgs/{station.pk}/new/", {"name": "第八村", "kind": "branch", "confirm": "on"})
    assert r.status_code == 302
    assert Org.objects.filter(name="第八村", parent=station).exists()


def test_village_secretary_gets_403_on_the_create_form(world, client_for):
    c = client_for(world.user(Role.VILLAGE_SECRETARY))
    r = c.post(f"/orgs/{world.orgs['branch'].pk}/new/", {"name": "新组", "kind": "group"})
    assert r.status_code == 403
    assert not Org.objects.filter(name="新组").exists()


# --- edit and history -----------------------------------------------------------------------------


def test_edit_renames_and_history_shows_before_after_and_actor(world, client_for):
    branch = world.orgs["branch"]
    staff = client_for(world.user(Role.TOWNSHIP_STAFF))
    r = staff.get(f"/orgs/{branch.pk}/edit/")
    assert r.status_code == 200 and 'value="村甲一"' in html(r)
    r = staff.post(f"/orgs/{branch.pk}/edit/", {"name": "大辛庄村", "code": "B1", "sort_order": "0"})
    assert r.status_code == 302
    assert fresh(branch).name == "大辛庄村"
    assert fresh(branch).code == "B1"
    admin = client_for(world.user(Role.COUNTY_ADMIN))
    r = admin.get(f"/orgs/{branch.pk}/history/")
    assert r.status_code == 200
    page = html(r)
    assert "甲镇办干部" in page
    assert "修改组织" in page
    assert re.search(r"村甲一.{0,80}→.{0,80}大辛庄村", page, re.S)


def test_edit_form_refuses_an_over_long_name(world, admin_client):
    branch = world.orgs["branch"]
    r = admin_client.post(f"/orgs/{branch.pk}/edit/", {"name": "村" * 61, "code": "B1", "sort_order": "0"})
    assert r.status_code == 400
    assert "名称不能超过60个字（现为61个字）。" in html(r)
    assert fresh(branch).name == "村甲一"


def test_history_lists_only_this_orgs_events(world, admin_client):
    admin = world.user(Role.COUNTY_ADMIN)
    update_org(admin, world.orgs["sibling"], name="村甲二改")
    page = html(admin_client.get(f"/orgs/{world.orgs['branch'].pk}/history/"))
    assert "村甲二改" not in page
    assert "新建组织" in page


# --- move and archive -----------------------------------------------------------------------------


def test_move_page_moves(world, admin_client):
    branch, township = world.orgs["branch"], world.orgs["township"]
    r = admin_client.get(f"/orgs/{branch.pk}/move/")
    assert r.status_code == 200
    page = html(r)
    assert f'<option value="{township.pk}"' in page
    assert f'<option value="{world.orgs["station"].pk}"' not in page, "the current parent is not offered"
    assert f'<option value="{world.orgs["out_station"].pk}"' not in page
    r = admin_client.post(f"/orgs/{branch.pk}/move/", {"new_parent": township.pk})
    assert r.status_code == 302
    assert fresh(branch).parent_id == township.pk
    assert fresh(world.orgs["group"]).path.startswith(township.path)


def test_move_page_refuses_a_cycle(world, admin_client):
    station = world.orgs["station"]
    r = admin_client.post(f"/orgs/{station.pk}/move/", {"new_parent": world.orgs["branch"].pk})
    assert r.status_code == 400
    assert "不能把组织移动到它自己或它的下级组织之下。" in html(r)
    assert fresh(station).parent_id == world.orgs["township"].pk


def test_move_page_treats_an_out_of_scope_target_as_missing(world, admin_client):
    r = admin_client.post(
        f"/orgs/{world.orgs['branch'].pk}/move/", {"new_parent": world.orgs["out_station"].pk}
    )
    assert r.status_code == 404
    assert fresh(world.orgs["branch"]).parent_id == world.orgs["station"].pk


def test_archive_and_restore_through_the_page(world, admin_client):
    station = world.orgs["station"]
    r = admin_client.post(f"/orgs/{station.pk}/archive/")
    assert r.status_code == 302 and r["Location"] == f"/orgs/{station.pk}/"
    assert fresh(station).archived_at is not None
    assert fresh(world.orgs["group"]).archived_at is not None
    r = admin_client.get(r["Location"])
    assert "已归档“站甲”（连同下级共4个组织）。" in html(r)
    r = admin_client.post(f"/orgs/{station.pk}/archive/", {"restore": "1"})
    assert r.status_code == 302
    assert fresh(station).archived_at is None
    assert fresh(world.orgs["group"]).archived_at is None


def test_archive_page_is_post_only_and_for_county_admins(world, client_for, admin_client):
    station = world.orgs["station"]
    assert admin_client.get(f"/orgs/{station.pk}/archive/").status_code == 405
    staff = client_for(world.user(Role.TOWNSHIP_STAFF))
    assert staff.post(f"/orgs/{station.pk}/archive/").status_code == 403
    assert fresh(station).archived_at is None


# --- query counts ---------------------------------------------------------------------------------


def _township_with(world, n: int, name: str) -> Org:
    admin = world.user(Role.COUNTY_ADMIN)
    township = create_org(admin, parent=world.orgs["county"], name=name, kind="township")
    for i in range(n):
        branch = create_org(admin, parent=township, name=f"{name}村{i}", kind="branch")
        create_org(admin, parent=branch, name="一组", kind="group")
    return township


def _queries(client, url, params=None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, params or {})
    assert r.status_code == 200
    return len(ctx.captured_queries), html(r)


def test_detail_page_query_count_does_not_grow_with_children(world, admin_client):
    small, big = _township_with(world, 5, "小镇"), _township_with(world, 40, "大镇")
    admin_client.get("/")  # warm the session
    n_small, page_small = _queries(admin_client, f"/orgs/{small.pk}/")
    n_big, page_big = _queries(admin_client, f"/orgs/{big.pk}/")
    assert page_small.count("党小组 1") == 5
    assert page_big.count("党小组 1") == 40
    assert n_small == n_big


def test_list_page_query_count_does_not_grow_with_rows(world, admin_client):
    small, big = _township_with(world, 5, "小镇"), _township_with(world, 40, "大镇")
    admin_client.get("/")
    n_small, page_small = _queries(admin_client, "/orgs/list/", {"parent": small.pk})
    n_big, page_big = _queries(admin_client, "/orgs/list/", {"parent": big.pk})
    assert page_small.count("小镇村") == 5
    assert page_big.count("大镇村") == 40
    assert n_small == n_big


def test_list_page_searches_by_initials(world, admin_client):
    admin = world.user(Role.COUNTY_ADMIN)
    create_org(admin, parent=world.orgs["station"], name="大辛庄村", kind="branch")
    page = html(admin_client.get("/orgs/list/", {"search": "dxz"}))
    assert "大辛庄村" in page
    assert "村甲一" not in page


def test_list_page_hides_archived_unless_asked(world, admin_client):
    archive_org(world.user(Role.COUNTY_ADMIN), world.orgs["sibling"])
    assert "村甲二" not in html(admin_client.get("/orgs/list/"))
    assert "村甲二" in html(admin_client.get("/orgs/list/", {"archived": "true"}))
