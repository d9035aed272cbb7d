"""The audit trail page and export, the rules page, append-only audit rows, and Excel cell cleaning."""

from __future__ import annotations

import io
import re

import pytest
from django.utils.html import escape
from openpyxl import load_workbook

from dangjian.core.excel import clean_cell
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.core.rules import REGISTRY, all_rules
from dangjian.orgs.services import update_org


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def renamed(world):
    update_org(world.user(Role.TOWNSHIP_STAFF), world.orgs["branch"], name="大辛庄村")
    return world


def rows_of(page: str) -> list[str]:
    body = page.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr.*?</tr>", body, re.S)


# --- /audit/ --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_page_lists_events_in_scope(renamed, client_for):
    c = client_for(renamed.user(Role.COUNTY_ADMIN))
    r = c.get("/audit/", {"page_size": 500})
    assert r.status_code == 200
    page = r.content.decode()
    assert "修改组织" in page and "新建组织" in page
    assert "大辛庄村" in page
    for outside in ("外村", "外站", "外镇", "外县"):
        assert outside not in page


@pytest.mark.django_db
def test_audit_page_for_a_village_secretary_covers_the_branch_only(renamed, client_for):
    client = client_for(renamed.user(Role.VILLAGE_SECRETARY))
    for name in ("大辛庄村", "组甲"):  # the branch's many events fill more than the first page
        assert name in client.get("/audit/", {"q": name}).content.decode()
    page = client.get("/audit/").content.decode()
    assert "村甲二" not in page and "站甲" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.DEPT_LIAISON, Role.GRID_LEADER])
def test_roles_without_audit_access_see_no_events(world, client_for, role):
    page = client_for(world.user(role)).get("/audit/").content.decode()
    assert rows_of(page) == [] or all("colspan" in row for row in rows_of(page))


@pytest.mark.django_db
def test_audit_page_filters_by_action(renamed, client_for):
    c = client_for(renamed.user(Role.COUNTY_ADMIN))
    rows = rows_of(c.get("/audit/", {"action": "org.update"}).content.decode())
    assert len(rows) == 1
    assert "修改组织" in rows[0] and "甲镇办干部" in rows[0]
    assert re.search(r"村甲一.*→.*大辛庄村", rows[0], re.S)


@pytest.mark.django_db
def test_audit_page_searches_actor_and_object(renamed, client_for):
    c = client_for(renamed.user(Role.COUNTY_ADMIN))
    # the user "甲镇办干部" was created (object) and renamed a branch (actor)
    found = rows_of(c.get("/audit/", {"q": "甲镇办干部"}).content.decode())
    assert found and all("甲镇办干部" in row for row in found)  # other apps' test rows act as them too
    assert any("新建用户" in row for row in found) and any("修改组织" in row for row in found)
    by_object = rows_of(c.get("/audit/", {"q": "站甲", "action": "org.create"}).content.decode())
    assert len(by_object) == 1 and "站甲" in by_object[0]
    nothing = rows_of(c.get("/audit/", {"q": "外村"}).content.decode())
    assert all("colspan" in row for row in nothing)


@pytest.mark.django_db
def test_audit_export_is_scoped_and_filtered(renamed, client_for):
    c = client_for(renamed.user(Role.COUNTY_ADMIN))
    r = c.get("/audit/", {"export": "xlsx", "action": "org.update"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0].startswith("操作记录（导出时间 ")
    header = rows[1]
    assert {"时间", "操作人", "操作", "对象", "所属组织", "修改前 → 修改后", "说明"} <= set(header)
    data = [dict(zip(header, row, strict=False)) for row in rows[2:]]
    assert len(data) == 1
    assert data[0]["操作"] == "修改组织"
    assert data[0]["操作人"] == "甲镇办干部"
    assert data[0]["修改前 → 修改后"] == 'name: "村甲一" → name: "大辛庄村"'


@pytest.mark.django_db
def test_full_audit_export_leaves_out_other_counties(renamed, client_for):
    r = client_for(renamed.user(Role.COUNTY_ADMIN)).get("/audit/", {"export": "xlsx"})
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    text = " ".join(str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c)
    assert "站甲" in text
    assert "外村" not in text and "外县管理员" not in text


@pytest.mark.django_db
def test_audit_page_requires_login(client, world):
    r = client.get("/audit/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


# --- append-only ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_rows_cannot_be_saved_again(renamed):
    event = AuditEvent.objects.get(action="org.update")
    event.after = {"name": "伪造"}
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).after == {"name": "大辛庄村"}


@pytest.mark.django_db
def test_audit_rows_cannot_be_deleted(renamed):
    event = AuditEvent.objects.get(action="org.update")
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_audit_rows_cannot_be_changed_in_bulk(renamed):
    events = AuditEvent.objects.filter(action="org.update")
    with pytest.raises(RuntimeError):
        events.update(note="伪造")
    with pytest.raises(RuntimeError):
        events.delete()
    assert AuditEvent.objects.get(action="org.update").note == ""


@pytest.mark.django_db
def test_new_audit_rows_are_written(world):
    before = AuditEvent.objects.count()
    AuditEvent(
        actor_name="测试", action="org.update", object_type="orgs.org", object_id="1", object_repr="x"
    ).save()
    assert AuditEvent.objects.count() == before + 1


# --- /rules/ --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rules_page_lists_every_registered_rule_with_its_source(world, client_for):
    r = client_for(world.user(Role.VILLAGE_SECRETARY)).get("/rules/")
    assert r.status_code == 200
    page = r.content.decode()
    rules = all_rules()
    assert {rule.code for rule in rules} >= {
        "orgs.station_max_branches",
        "orgs.station_min_branches",
        "orgs.name_max_length",
    }
    for rule in rules:
        assert f"<code>{rule.code}</code>" in page
        assert escape(rule.source) in page
        assert escape(rule.title) in page
    assert page.count("<code>") == len(REGISTRY)
    assert "可由县设置" in page


@pytest.mark.django_db
def test_rules_page_requires_login(client):
    assert client.get("/rules/").status_code == 302


# --- Excel cells ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("１２３　", "123"),
        ("　ＡＢＣ－１　", "ABC-1"),
        ("  村甲一 ", "村甲一"),
        ("　", None),
        ("", None),
        (None, None),
        (12, 12),
        (1.5, 1.5),
    ],
)
def test_clean_cell(raw, clean):
    assert clean_cell(raw) == clean
