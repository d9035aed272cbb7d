"""Correcting a staff row (title, phone, account) and ending a post, through the service, the API and
the page; PATCH on a checklist or system row is a new check through the same service as POST."""

import pytest

from dangjian.core.errors import ActionDenied, DomainError, DomainErrors, NotInScope
from dangjian.core.models import AuditEvent
from dangjian.stations import services
from dangjian.stations.models import StationChecklist, StationStaff, StationSystem

from .conftest import D, audit_count, html


def api(client, method, url, data=None):
    return getattr(client, method)(url, data, content_type="application/json")


def staff_row(world, key="in_chief") -> StationStaff:
    return StationStaff.objects.get(pk=world.station_rows[key].pk)


# --- the service ---------------------------------------------------------------------------------


def test_update_staff_saves_and_audits_with_the_phone_hidden(world, users):
    staff = staff_row(world)
    services.update_staff(users.office, staff, title="镇党委委员", phone="0919 1234567", user=users.chief)
    staff.refresh_from_db()
    assert (staff.title, staff.phone, staff.user) == ("镇党委委员", "09191234567", users.chief)
    event = AuditEvent.objects.filter(action="stations.staff_update").get()
    assert event.get_action_display() == "修改工作站人员信息" and event.org_id == world.orgs["station"].pk
    assert event.before == {"title": "", "user_id": None}
    assert event.after == {"title": "镇党委委员", "user_id": users.chief.pk}
    assert event.note == "联系电话已更改"
    assert "13912345678" not in str(event.before) + str(event.after) + event.note
    assert "09191234567" not in str(event.after)


def test_clearing_the_phone_shows_in_the_trail_and_nothing_changed_writes_nothing(world, users):
    staff = staff_row(world)
    services.update_staff(users.office, staff, title="", phone="", user=None)
    event = AuditEvent.objects.filter(action="stations.staff_update").get()
    assert event.before == {"phone": "(已隐藏)"} and event.after == {"phone": ""}
    before = audit_count()
    services.update_staff(users.office, staff, title="", phone="", user=None)
    assert audit_count() == before


def test_bad_input_is_refused_with_every_message_and_writes_nothing(world, users):
    staff = staff_row(world)
    before = (audit_count(), staff.title, staff.phone)
    with pytest.raises(DomainErrors) as exc:
        services.update_staff(users.office, staff, title="长" * 61, phone="12ab", user=users.secretary)
    assert {e.field: e.message for e in exc.value.errors} == {
        "title": "本职不能超过60个字。",
        "phone": "联系电话格式不正确：手机号为11位数字，座机如0919-1234567。",
        "user": "所选平台账号在本站或本乡镇（街道）没有任职角色。",
    }
    staff.refresh_from_db()
    assert (audit_count(), staff.title, staff.phone) == before


def test_an_account_is_checked_only_when_it_changes(world, users):
    staff = staff_row(world)
    services.update_staff(users.office, staff, title="", phone=staff.phone, user=users.chief)
    users.chief.is_active = False
    users.chief.save(update_fields=["is_active"])
    services.update_staff(users.office, staff, title="站长", phone=staff.phone, user=users.chief)
    other = staff_row(world, "in_deputy")
    with pytest.raises(DomainError, match="所选平台账号已停用"):
        services.update_staff(users.office, other, title="", phone="", user=users.chief)


def test_who_may_update(world, users):
    staff = staff_row(world)
    for user in (users.chief, users.leader):
        with pytest.raises(ActionDenied):
            services.update_staff(user, staff, title="x", phone="", user=None)
    for user in (users.secretary, users.out_admin):
        with pytest.raises(NotInScope):
            services.update_staff(user, staff, title="x", phone="", user=None)
    services.update_staff(users.admin, staff, title="县里改的", phone=staff.phone, user=None)
    assert staff_row(world).title == "县里改的"


# --- the API ----------------------------------------------------------------------------------------


def test_api_patch_staff(world, users, client_for):
    staff = world.station_rows["in_chief"]
    url = f"/api/v1/station-staff/{staff.pk}/"
    client = client_for(users.office)
    r = api(client, "patch", url, {"phone": "13800001234", "user": users.chief.pk})
    assert r.status_code == 200
    body = r.json()
    assert (body["phone"], body["user"], body["title"], body["name"]) == (
        "138****1234",
        users.chief.pk,
        "",
        "甲站长",
    )
    r = api(client, "patch", url, {"title": "镇党委委员"})
    assert r.status_code == 200 and r.json()["user"] == users.chief.pk and r.json()["phone"] == "138****1234"
    assert api(client, "patch", url, {"user": None}).json()["user"] is None
    assert staff_row(world).phone == "13800001234"


def test_api_patch_staff_refusals_write_nothing(world, users, client_for):
    staff = world.station_rows["in_chief"]
    url = f"/api/v1/station-staff/{staff.pk}/"
    client = client_for(users.office)
    before = audit_count()
    r = api(client, "patch", url, {"phone": "12ab", "user": users.secretary.pk})
    assert r.status_code == 400
    assert r.json()["phone"] == ["联系电话格式不正确：手机号为11位数字，座机如0919-1234567。"]
    assert r.json()["user"] == ["所选平台账号在本站或本乡镇（街道）没有任职角色。"]
    r = api(client, "patch", url, {"user": 999999})
    assert r.status_code == 400 and r.json()["user"] == ["所选平台账号不存在。"]
    r = api(client, "patch", url, {"name": "改名", "title": "x"})
    assert r.status_code == 400 and "不能修改姓名" in r.json()["name"][0]
    r = api(client, "patch", url, {"until": "2026-11-20"})
    assert r.status_code == 400 and f"/api/v1/station-staff/{staff.pk}/end/" in r.json()["until"][0]
    # Sending back what GET returned is not a change of the fixed fields.
    same = {k: v for k, v in client.get(url).json().items() if k in ("org", "name", "post", "since", "until")}
    assert api(client, "patch", url, same | {"title": "同"}).status_code == 200
    assert audit_count() == before + 1
    assert api(client, "put", url, {"title": "x"}).status_code == 405
    assert api(client, "delete", url).status_code == 405


def test_api_patch_and_end_outside_scope_is_404_and_the_chief_gets_403(world, users, client_for):
    out = world.station_rows["out_chief"]
    client = client_for(users.office)
    before = audit_count()
    assert api(client, "patch", f"/api/v1/station-staff/{out.pk}/", {"title": "x"}).status_code == 404
    assert (
        api(client, "post", f"/api/v1/station-staff/{out.pk}/end/", {"until": "2026-11-20"}).status_code
        == 404
    )
    chief = client_for(users.chief)
    staff = world.station_rows["in_worker"]
    r = api(chief, "patch", f"/api/v1/station-staff/{staff.pk}/", {"title": "x"})
    assert r.status_code == 403 and r.json()["detail"] == "您的角色无权执行此操作。"
    assert (
        api(chief, "post", f"/api/v1/station-staff/{staff.pk}/end/", {"until": "2026-11-20"}).status_code
        == 403
    )
    assert audit_count() == before and StationStaff.objects.get(pk=out.pk).title == ""


def test_api_end_staff(world, users, client_for):
    staff = world.station_rows["in_worker"]
    url = f"/api/v1/station-staff/{staff.pk}/end/"
    client = client_for(users.office)
    r = api(client, "post", url, {})
    assert r.status_code == 400 and r.json()["until"] == ["请填写离任日期。"]
    r = api(client, "post", url, {"until": "2026-11-01"})
    assert r.status_code == 400 and "离任日期不能早于任职日期" in r.json()["until"][0]
    r = api(client, "post", url, {"until": "2026-11-20"})
    assert r.status_code == 200 and r.json()["until"] == "2026-11-20"
    assert AuditEvent.objects.filter(action="stations.staff_end", object_id=str(staff.pk)).exists()
    r = api(client, "post", url, {"until": "2026-11-21"})
    assert r.status_code == 400 and "已于2026-11-20离任" in r.json()["until"][0]


def test_api_patch_checklist_is_a_new_check(world, users, client_for):
    row = world.station_rows["in_check"]
    url = f"/api/v1/station-checklist/{row.pk}/"
    client = client_for(users.office)
    r = api(client, "patch", url, {"met": False, "note": ""})
    assert r.status_code == 400 and r.json()["note"] == ["请填写情况说明。"]
    r = api(client, "patch", url, {"item": "funds"})
    assert r.status_code == 400 and "不能修改所属工作站或项目" in r.json()["item"][0]
    r = api(client, "patch", url, {"met": False, "note": "挂牌已拆除", "checked_on": "2026-11-20"})
    assert r.status_code == 200
    assert (r.json()["met"], r.json()["note"], r.json()["checked_on"], r.json()["checked_by"]) == (
        False,
        "挂牌已拆除",
        "2026-11-20",
        users.office.pk,
    )
    saved = StationChecklist.objects.get(pk=row.pk)
    assert saved.evidence_name and StationChecklist.objects.filter(org=row.org, item=row.item).count() == 1
    out = world.station_rows["out_check"]
    assert api(client, "patch", f"/api/v1/station-checklist/{out.pk}/", {"met": True}).status_code == 404
    chief = client_for(users.chief)
    assert api(chief, "patch", url, {"met": True}).status_code == 403


def test_api_patch_system_is_a_new_check(world, users, client_for):
    row = world.station_rows["in_system"]
    url = f"/api/v1/station-systems/{row.pk}/"
    client = client_for(users.office)
    r = api(client, "patch", url, {"adopted_on": None})
    assert r.status_code == 400 and r.json()["adopted_on"] == ["制度已建立并执行的，请填写建立日期。"]
    r = api(client, "patch", url, {"posted": False, "note": "公示栏更换中"})
    assert r.status_code == 200
    assert (r.json()["posted"], r.json()["in_force"], r.json()["note"]) == (False, True, "公示栏更换中")
    saved = StationSystem.objects.get(pk=row.pk)
    assert (saved.posted, saved.adopted_on, saved.checked_on) == (False, D(2026, 11, 3), D(2026, 11, 3))
    out = world.station_rows["out_system"]
    assert api(client, "patch", f"/api/v1/station-systems/{out.pk}/", {"posted": True}).status_code == 404


def test_schema_shows_patch_and_end(world, client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for name in ("station-staff", "station-checklist", "station-systems"):
        assert "patch" in paths[f"/api/v1/{name}/{{id}}/"], name
        assert "put" not in paths[f"/api/v1/{name}/{{id}}/"], name
    assert "post" in paths["/api/v1/station-staff/{id}/end/"]
    assert "patch" not in paths["/api/v1/station-inspections/{id}/"]


# --- the pages ---------------------------------------------------------------------------------------


def test_station_page_links_edit_and_end_for_managers_only(world, users, client_for):
    station = world.orgs["station"]
    staff = world.station_rows["in_chief"]
    page = html(client_for(users.office).get(f"/stations/{station.pk}/"))
    assert f"/stations/staff/{staff.pk}/edit/" in page and f"/stations/staff/{staff.pk}/end/" in page
    page = html(client_for(users.chief).get(f"/stations/{station.pk}/"))
    assert f"/stations/staff/{staff.pk}/edit/" not in page


def test_edit_through_the_page(world, users, client_for):
    staff = world.station_rows["in_chief"]
    url = f"/stations/staff/{staff.pk}/edit/"
    client = client_for(users.office)
    page = html(client.get(url))
    assert "当前：139****5678" in page and "13912345678" not in page
    r = client.post(url, {"title": "镇党委委员", "phone": "12ab", "user": users.chief.pk})
    assert r.status_code == 400
    assert '<div class="invalid-feedback d-block" data-field="phone">联系电话格式不正确' in html(r)
    r = client.post(url, {"title": "镇党委委员", "user": users.secretary.pk})
    assert r.status_code == 400 and 'data-field="user"' in html(r)
    r = client.post(url, {"title": "镇党委委员", "phone": "13800001234", "clear_phone": "on"})
    assert r.status_code == 400 and 'data-field="clear_phone"' in html(r)
    assert staff_row(world).title == ""
    r = client.post(url, {"title": "镇党委委员", "phone": "", "user": users.chief.pk})
    assert r.status_code == 302 and r["Location"] == f"/stations/{world.orgs['station'].pk}/"
    saved = staff_row(world)
    assert (saved.title, saved.phone, saved.user) == ("镇党委委员", "13912345678", users.chief)
    assert (
        client.post(url, {"title": "镇党委委员", "clear_phone": "on", "user": users.chief.pk}).status_code
        == 302
    )
    assert staff_row(world).phone == ""


def test_edit_page_outside_scope_is_404_and_the_chief_gets_403(world, users, client_for):
    out = world.station_rows["out_chief"]
    staff = world.station_rows["in_chief"]
    office = client_for(users.office)
    assert office.get(f"/stations/staff/{out.pk}/edit/").status_code == 404
    assert office.post(f"/stations/staff/{out.pk}/edit/", {"title": "x"}).status_code == 404
    chief = client_for(users.chief)
    assert chief.get(f"/stations/staff/{staff.pk}/edit/").status_code == 403
    assert chief.post(f"/stations/staff/{staff.pk}/edit/", {"title": "x"}).status_code == 403
    assert chief.post(f"/stations/staff/{staff.pk}/end/", {"until": "2026-11-20"}).status_code == 403
    assert staff_row(world).title == ""
