"""Managing users: creating a user with a role (atomically), granting and revoking roles within one's
own subtree, and the users list with masked phone numbers."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from dangjian.accounts.models import RoleAssignment, User
from dangjian.accounts.services import create_user, grant_role
from dangjian.core.errors import DomainError, NotInScope
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role

pytestmark = pytest.mark.django_db

GOOD = {
    "username": "newstaff",
    "real_name": "新干部",
    "phone": "13812348000",
    "password": "Strong-pass-2026",
    "role": "township_staff",
    "title": "组织委员",
}


def new_user_url(org) -> str:
    return f"/accounts/orgs/{org.pk}/users/new/"


@pytest.fixture
def admin(world):
    return world.user(Role.COUNTY_ADMIN)


@pytest.fixture
def admin_client(world, client_for, admin):
    return client_for(admin)


def messages_on(client, url) -> str:
    return client.get(url).content.decode()


# --- create ---------------------------------------------------------------------------------------


def test_county_admin_creates_a_user_with_a_role_on_a_township(world, admin_client, admin):
    township = world.orgs["township"]
    r = admin_client.get(new_user_url(township))
    assert r.status_code == 200
    assert "在“镇甲”新建用户" in r.content.decode()
    r = admin_client.post(new_user_url(township), GOOD)
    assert r.status_code == 302
    user = User.objects.get(username="newstaff")
    assert r["Location"] == f"/accounts/users/{user.pk}/"
    assert user.real_name == "新干部"
    assert user.name_initials == "xgb"
    assert user.check_password("Strong-pass-2026")
    ra = RoleAssignment.objects.get(user=user)
    assert (ra.org_id, ra.role, ra.title) == (township.pk, "township_staff", "组织委员")
    created = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert created.actor_id == admin.pk
    assert created.after["phone"] == "(已隐藏)", "the audit trail never stores the phone number"
    assert "13812348000" not in str(created.after)
    granted = AuditEvent.objects.get(action="role.grant", object_id=str(ra.pk))
    assert granted.actor_id == admin.pk
    assert granted.org_id == township.pk
    assert granted.after["role"] == "township_staff"


def test_the_new_user_can_sign_in_and_sees_the_township(client, world, admin_client):
    admin_client.post(new_user_url(world.orgs["township"]), GOOD)
    admin_client.post("/accounts/logout/")
    r = client.post("/accounts/login/", {"username": "newstaff", "password": "Strong-pass-2026"})
    assert r.status_code == 302
    r = client.get("/orgs/")
    assert r["Location"] == f"/orgs/{world.orgs['township'].pk}/"


def test_cannot_create_users_on_an_org_outside_the_county(world, admin_client):
    before = User.objects.count()
    url = new_user_url(world.orgs["out_township"])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, GOOD).status_code == 404
    assert User.objects.count() == before


def test_township_staff_cannot_grant_county_admin(world, client_for):
    staff = world.user(Role.TOWNSHIP_STAFF)
    c = client_for(staff)
    before = (User.objects.count(), RoleAssignment.objects.count())
    r = c.post(new_user_url(world.orgs["township"]), {**GOOD, "role": "county_admin"})
    assert r.status_code == 400
    assert "选择一个有效的选项" in r.content.decode()
    assert c.get(new_user_url(world.orgs["county"])).status_code == 404
    assert c.post(new_user_url(world.orgs["county"]), {**GOOD, "role": "county_admin"}).status_code == 404
    secretary = world.user(Role.VILLAGE_SECRETARY)
    with pytest.raises(NotInScope):
        grant_role(staff, user=secretary, org=world.orgs["county"], role=Role.COUNTY_ADMIN)
    assert (User.objects.count(), RoleAssignment.objects.count()) == before


def test_township_staff_cannot_grant_county_admin_through_the_role_form(world, client_for):
    c = client_for(world.user(Role.TOWNSHIP_STAFF))
    secretary = world.user(Role.VILLAGE_SECRETARY)
    url = f"/accounts/users/{secretary.pk}/roles/"
    events = AuditEvent.objects.count()
    r = c.post(url, {"org": world.orgs["township"].pk, "role": "county_admin"})
    assert r.status_code == 302
    assert "“县委组织部管理员”不能设在乡镇（街道）上。" in messages_on(c, r["Location"])
    r = c.post(url, {"org": world.orgs["county"].pk, "role": "county_admin"})
    assert r.status_code == 404
    assert not RoleAssignment.objects.filter(user=secretary, role="county_admin").exists()
    assert AuditEvent.objects.count() == events


def test_township_staff_grants_a_role_within_the_township(world, client_for):
    c = client_for(world.user(Role.TOWNSHIP_STAFF))
    secretary = world.user(Role.VILLAGE_SECRETARY)
    r = c.post(
        f"/accounts/users/{secretary.pk}/roles/",
        {"org": world.orgs["community"].pk, "role": "village_secretary", "title": "兼任"},
    )
    assert r.status_code == 302
    ra = RoleAssignment.objects.get(user=secretary, org=world.orgs["community"])
    assert (ra.role, ra.title) == ("village_secretary", "兼任")
    assert AuditEvent.objects.filter(action="role.grant", object_id=str(ra.pk)).exists()


def test_county_admin_may_grant_county_admin_within_the_county(world, admin):
    staff = world.user(Role.TOWNSHIP_STAFF)
    ra = grant_role(admin, user=staff, org=world.orgs["county"], role=Role.COUNTY_ADMIN)
    assert (ra.org_id, ra.role) == (world.orgs["county"].pk, "county_admin")
    with pytest.raises(NotInScope):
        grant_role(admin, user=staff, org=world.orgs["out_county"], role=Role.COUNTY_ADMIN)


def test_service_refuses_a_role_on_the_wrong_kind_of_org_and_creates_no_user(world, admin):
    before = (User.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as exc:
        create_user(
            admin,
            username="wrongkind",
            real_name="错位书记",
            password="Strong-pass-2026",
            org=world.orgs["county"],
            role=Role.VILLAGE_SECRETARY,
        )
    assert exc.value.message == "“村党支部书记”不能设在县（区）上。"
    assert (User.objects.count(), AuditEvent.objects.count()) == before


def test_page_refuses_a_role_on_the_wrong_kind_of_org(world, admin_client):
    before = User.objects.count()
    r = admin_client.post(new_user_url(world.orgs["county"]), {**GOOD, "role": "village_secretary"})
    assert r.status_code == 400
    assert "选择一个有效的选项" in r.content.decode()
    assert User.objects.count() == before


def test_role_form_refuses_a_role_on_the_wrong_kind_of_org(world, admin_client):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    r = admin_client.post(
        f"/accounts/users/{secretary.pk}/roles/",
        {"org": world.orgs["county"].pk, "role": "village_secretary"},
    )
    assert r.status_code == 302
    assert "“村党支部书记”不能设在县（区）上。" in messages_on(admin_client, r["Location"])
    assert secretary.roles.count() == 1


def test_a_failed_grant_rolls_back_the_new_user(world, admin_client):
    """A liaison without a department fails in grant_role, after the user row was saved: all or nothing."""
    before = (User.objects.count(), AuditEvent.objects.count())
    r = admin_client.post(new_user_url(world.orgs["county"]), {**GOOD, "role": "dept_liaison"})
    assert r.status_code == 400
    assert "部门联络员须指定本县的一个部门。" in r.content.decode()
    assert not User.objects.filter(username="newstaff").exists()
    assert (User.objects.count(), AuditEvent.objects.count()) == before


def test_a_liaison_with_a_department_is_created(world, admin_client):
    dept = world.departments["dept"]
    r = admin_client.post(
        new_user_url(world.orgs["county"]), {**GOOD, "role": "dept_liaison", "department": dept.pk}
    )
    assert r.status_code == 302
    assert RoleAssignment.objects.get(user__username="newstaff").department_id == dept.pk


@pytest.mark.parametrize("username", ["office", "OFFICE", " office "])
def test_duplicate_username_creates_nothing(world, admin_client, username):
    before = (User.objects.count(), RoleAssignment.objects.count(), AuditEvent.objects.count())
    r = admin_client.post(new_user_url(world.orgs["township"]), {**GOOD, "username": username})
    assert r.status_code == 400
    assert f"用户名“{username.strip()}”已被使用。" in r.content.decode()
    assert (User.objects.count(), RoleAssignment.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "ab", "用户名须为3–40位字母、数字或 _ . @ + -。"),
        ("username", "张三", "用户名须为3–40位字母、数字或 _ . @ + -。"),
        ("phone", "12345", "手机号应为11位数字，以1开头。"),
        ("real_name", "名" * 31, "姓名不能超过30个字。"),
        ("password", "12345678", "这个密码太常见了。"),
    ],
)
def test_bad_user_input_creates_nothing(world, admin_client, field, value, message):
    before = User.objects.count()
    r = admin_client.post(new_user_url(world.orgs["township"]), {**GOOD, field: value})
    assert r.status_code == 400
    assert message in r.content.decode()
    assert User.objects.count() == before


def test_roles_that_cannot_manage_users_get_403(world, client_for):
    for role in (Role.READONLY_LEADER, Role.STATION_CHIEF, Role.VILLAGE_SECRETARY):
        c = client_for(world.user(role))
        org = world.orgs["branch"]
        r = c.post(new_user_url(org), {**GOOD, "role": "village_secretary"})
        assert r.status_code == 403, role
        assert "您的角色无权在此新建用户。" in r.content.decode()
    assert not User.objects.filter(username="newstaff").exists()


# --- editing users ------------------------------------------------------------------------------------


def test_manager_edits_a_user_in_the_subtree(world, client_for):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    c = client_for(world.user(Role.TOWNSHIP_STAFF))
    r = c.post(f"/accounts/users/{secretary.pk}/", {"real_name": "甲村新书记", "phone": "13812348000"})
    assert r.status_code == 302
    secretary.refresh_from_db()
    assert (secretary.real_name, secretary.phone, secretary.is_active) == ("甲村新书记", "13812348000", False)
    event = AuditEvent.objects.get(action="user.update", object_id=str(secretary.pk))
    assert event.after["phone"] == "(已隐藏)"


def test_township_staff_cannot_deactivate_a_county_admin(world, client_for, admin):
    grant_role(world.root, user=admin, org=world.orgs["township"], role=Role.READONLY_LEADER)
    c = client_for(world.user(Role.TOWNSHIP_STAFF))
    r = c.post(f"/accounts/users/{admin.pk}/", {"real_name": "甲县管理员", "phone": ""})
    assert r.status_code in (403, 404)
    admin.refresh_from_db()
    assert admin.is_active


# --- revoke ---------------------------------------------------------------------------------------


def test_revoke_a_role(world, admin_client, admin):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    ra = secretary.roles.get()
    r = admin_client.post(f"/accounts/roles/{ra.pk}/revoke/")
    assert r.status_code == 302
    assert r["Location"] == f"/accounts/users/{secretary.pk}/"
    assert not RoleAssignment.objects.filter(pk=ra.pk).exists()
    event = AuditEvent.objects.get(action="role.revoke", object_id=str(ra.pk))
    assert event.actor_id == admin.pk
    assert event.before["role"] == "village_secretary"
    assert event.before["org_id"] == world.orgs["branch"].pk
    assert not any(event.after.values()), "nothing remains after the revoke"


def test_revoke_is_post_only(world, admin_client):
    ra = world.user(Role.VILLAGE_SECRETARY).roles.get()
    assert admin_client.get(f"/accounts/roles/{ra.pk}/revoke/").status_code == 405
    assert RoleAssignment.objects.filter(pk=ra.pk).exists()


def test_cannot_revoke_own_role(world, admin_client, admin):
    ra = admin.roles.get()
    r = admin_client.post(f"/accounts/roles/{ra.pk}/revoke/")
    assert r.status_code == 302
    assert "不能撤销您自己的角色。" in messages_on(admin_client, r["Location"])
    assert RoleAssignment.objects.filter(pk=ra.pk).exists()


def test_cannot_revoke_outside_scope(world, admin_client, client_for):
    out_ra = world.user("out_admin").roles.get()
    assert admin_client.post(f"/accounts/roles/{out_ra.pk}/revoke/").status_code == 404
    county_ra = world.user(Role.READONLY_LEADER).roles.get()
    staff = client_for(world.user(Role.TOWNSHIP_STAFF))
    assert staff.post(f"/accounts/roles/{county_ra.pk}/revoke/").status_code == 404
    assert RoleAssignment.objects.filter(pk__in=[out_ra.pk, county_ra.pk]).count() == 2
    assert not AuditEvent.objects.filter(action="role.revoke").exists()


def test_readonly_leader_cannot_revoke(world, client_for):
    ra = world.user(Role.VILLAGE_SECRETARY).roles.get()
    c = client_for(world.user(Role.READONLY_LEADER))
    r = c.post(f"/accounts/roles/{ra.pk}/revoke/")
    assert r.status_code == 302
    assert "您的角色无权执行此操作。" in messages_on(c, r["Location"])
    assert RoleAssignment.objects.filter(pk=ra.pk).exists()


# --- the users list -------------------------------------------------------------------------------


@pytest.fixture
def phones(world):
    User.objects.filter(username="secretary").update(phone="13812348000")
    User.objects.filter(username="outadmin").update(phone="13900001111")
    User.objects.filter(username="county").update(phone="13700002222")


def list_usernames(page: str) -> set[str]:
    import re

    return set(re.findall(r'<a href="/accounts/users/\d+/">([^<]+)</a>', page))


def test_users_list_shows_the_subtree_only(world, client_for, phones):
    page = client_for(world.user(Role.TOWNSHIP_STAFF)).get("/accounts/users/").content.decode()
    assert list_usernames(page) == {"office", "station", "secretary", "grid"}
    page = client_for(world.user(Role.COUNTY_ADMIN)).get("/accounts/users/").content.decode()
    assert list_usernames(page) == {"county", "office", "station", "secretary", "grid", "dept", "leader"}
    assert "outadmin" not in page and "root" not in page


def test_users_list_masks_phones(world, client_for, phones):
    page = client_for(world.user(Role.TOWNSHIP_STAFF)).get("/accounts/users/").content.decode()
    assert "138****8000" in page
    assert "13812348000" not in page
    assert "13900001111" not in page and "139****1111" not in page


def test_users_export_masks_phones_too(world, client_for, phones):
    r = client_for(world.user(Role.COUNTY_ADMIN)).get("/accounts/users/", {"export": "xlsx"})
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    rows = [row for row in wb.active.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(rows) if "手机号" in row)
    col = rows[header_at].index("手机号")
    user_col = rows[header_at].index("用户名")
    phones_by_user = {row[user_col]: row[col] for row in rows[header_at + 1 :]}
    assert phones_by_user["secretary"] == "138****8000"
    assert phones_by_user["county"] == "137****2222"
    assert "outadmin" not in phones_by_user
    flat = " ".join(str(c) for row in rows for c in row if c)
    assert "13812348000" not in flat and "13700002222" not in flat


def test_users_list_search(world, client_for):
    c = client_for(world.user(Role.COUNTY_ADMIN))
    page = c.get("/accounts/users/", {"search": "jcsj"}).content.decode()  # 甲村书记
    assert list_usernames(page) == {"secretary"}


@pytest.mark.django_db
def test_admin_sets_the_email_reminders_go_to(world, client_for):
    user = world.user(Role.VILLAGE_SECRETARY)
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    data = {"real_name": user.real_name, "phone": "", "email": "bad", "is_active": "on"}
    r = client.post(f"/accounts/users/{user.pk}/", data)
    assert r.status_code == 400 and 'data-field="email"' in r.content.decode()
    assert User.objects.get(pk=user.pk).email == ""
    client.post(f"/accounts/users/{user.pk}/", data | {"email": "jia@example.cn"})
    assert User.objects.get(pk=user.pk).email == "jia@example.cn"
    assert AuditEvent.objects.filter(action="user.update", after__email="jia@example.cn").exists()
