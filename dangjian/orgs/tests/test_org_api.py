"""/api/v1/: token sign-in, the orgs endpoints (scoped reads, writes through the services), the read-only
audit trail, the OpenAPI schema and docs, and the health check."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache

from dangjian.core.models import AuditEvent
from dangjian.core.testing import PASSWORD
from dangjian.orgs.models import Org
from dangjian.orgs.services import create_org

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/orgs/"


@pytest.fixture(autouse=True)
def _clear_throttles():
    """The token endpoint is throttled through the cache, which outlives each test's transaction."""
    cache.clear()
    yield
    cache.clear()


def token_for(client, username: str, password: str = PASSWORD):
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, content_type="application/json"
    )


@pytest.fixture
def api(client, world):
    """A client that sends a token for the given username with every request."""

    class Api:
        def __init__(self, username: str):
            r = token_for(client, username)
            assert r.status_code == 200, r.content
            self.auth = {"HTTP_AUTHORIZATION": f"Token {r.json()['token']}"}

        def get(self, url, params=None):
            return client.get(url, params or {}, **self.auth)

        def post(self, url, data=None):
            return client.post(url, json.dumps(data or {}), content_type="application/json", **self.auth)

        def patch(self, url, data):
            return client.patch(url, json.dumps(data), content_type="application/json", **self.auth)

        def put(self, url, data):
            return client.put(url, json.dumps(data), content_type="application/json", **self.auth)

        def delete(self, url):
            return client.delete(url, **self.auth)

    return Api


@pytest.fixture
def admin_api(api):
    return api("county")


# --- token ----------------------------------------------------------------------------------------


def test_token_is_issued_for_good_credentials(client, world):
    r = token_for(client, "county")
    assert r.status_code == 200
    token = r.json()["token"]
    assert re.fullmatch(r"[0-9a-f]{40}", token)
    assert token_for(client, "county").json()["token"] == token
    r = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert r.status_code == 200
    assert r.json()["username"] == "county"


def test_wrong_password_is_400_in_chinese(client, world):
    r = token_for(client, "county", "wrong-password")
    assert r.status_code == 400
    assert r.json() == {"detail": "用户名或密码不正确，或账号已被锁定。"}


def test_unknown_user_gets_the_same_answer(client, world):
    r = token_for(client, "nobody", "wrong-password")
    assert r.status_code == 400
    assert r.json() == {"detail": "用户名或密码不正确，或账号已被锁定。"}


def test_missing_fields_are_400(client, world):
    r = client.post("/api/v1/auth/token/", {"username": "county"}, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["password"] == ["该字段是必填项。"]


def test_no_or_bad_token_is_refused(client, world):
    assert client.get(ORGS).status_code in (401, 403)
    r = client.get(ORGS, HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert r.status_code in (401, 403)
    assert "results" not in r.json()


# --- list and filters -----------------------------------------------------------------------------


def names(response) -> set[str]:
    return {o["name"] for o in response.json()["results"]}


def test_list_is_paginated_and_scoped(world, admin_api):
    r = admin_api.get(ORGS)
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 8
    assert names(r) == {"县甲", "镇甲", "站甲", "村甲一", "村甲二", "组甲", "社区甲", "联甲"}
    first = body["results"][0]
    assert {"id", "name", "kind", "parent", "path"} <= set(first)
    station = next(o for o in body["results"] if o["name"] == "站甲")
    assert station == {
        **station,
        "id": world.orgs["station"].pk,
        "kind": "station",
        "parent": world.orgs["township"].pk,
        "path": world.orgs["station"].path,
    }


def test_list_pages(world, admin_api):
    r = admin_api.get(ORGS, {"page_size": 3})
    body = r.json()
    assert body["count"] == 8 and len(body["results"]) == 3
    assert body["next"]
    r2 = admin_api.get(ORGS, {"page_size": 3, "page": 3})
    assert len(r2.json()["results"]) == 2


def test_village_secretary_sees_only_own_branch(world, api):
    assert names(api("secretary").get(ORGS)) == {"村甲一", "组甲"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "branch"}, {"村甲一", "村甲二", "大辛庄村"}),
        ({"kind": "station"}, {"站甲"}),
        ({"search": "dxz"}, {"大辛庄村"}),
        ({"search": "daxinzhuang"}, {"大辛庄村"}),
        ({"search": "DXZC"}, {"大辛庄村"}),
        ({"search": "辛庄"}, {"大辛庄村"}),
        ({"search": "cjy"}, {"村甲一"}),
        ({"search": "B2"}, {"村甲二"}),
        ({"search": "外"}, set()),
        ({"kind": "branch", "search": "甲"}, {"村甲一", "村甲二"}),
    ],
)
def test_list_filters(world, admin_api, params, expected):
    create_org(world.root, parent=world.orgs["station"], name="大辛庄村", kind="branch")
    r = admin_api.get(ORGS, params)
    assert r.status_code == 200
    assert names(r) == expected


def test_parent_filter(world, admin_api):
    create_org(world.root, parent=world.orgs["station"], name="大辛庄村", kind="branch")
    assert names(admin_api.get(ORGS, {"parent": world.orgs["station"].pk})) == {
        "村甲一",
        "村甲二",
        "大辛庄村",
    }
    assert names(admin_api.get(ORGS, {"parent": world.orgs["out_station"].pk})) == set()


def test_unknown_kind_filter_is_400_not_500(world, admin_api):
    r = admin_api.get(ORGS, {"kind": "village"})
    assert r.status_code == 400


# --- retrieve -------------------------------------------------------------------------------------


def test_retrieve_in_scope(world, admin_api):
    r = admin_api.get(f"{ORGS}{world.orgs['branch'].pk}/")
    assert r.status_code == 200
    assert r.json()["name"] == "村甲一"
    assert r.json()["kind_display"] == "村党支部"


def test_out_of_scope_reads_exactly_like_missing(world, admin_api):
    out = admin_api.get(f"{ORGS}{world.orgs['out_branch'].pk}/")
    missing = admin_api.get(f"{ORGS}99999999/")
    assert out.status_code == missing.status_code == 404
    assert out.json() == missing.json() == {"detail": "未找到。"}


def test_secretary_cannot_read_the_sibling_branch(world, api):
    r = api("secretary").get(f"{ORGS}{world.orgs['sibling'].pk}/")
    assert r.status_code == 404


# --- create ---------------------------------------------------------------------------------------


def test_create_goes_through_the_service(world, admin_api):
    r = admin_api.post(
        ORGS, {"parent": world.orgs["station"].pk, "name": "大辛庄村", "kind": "branch", "code": "DXZ"}
    )
    assert r.status_code == 201, r.content
    body = r.json()
    org = Org.objects.get(pk=body["id"])
    assert (org.name, org.kind, org.code, org.parent_id) == (
        "大辛庄村",
        "branch",
        "DXZ",
        world.orgs["station"].pk,
    )
    assert body["path"] == org.path == f"{world.orgs['station'].path}{org.pk:08d}/"
    assert org.name_initials == "dxzc"
    event = AuditEvent.objects.get(action="org.create", object_id=str(org.pk))
    assert event.actor.username == "county"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "kind": "branch"}, "name", "该字段不能为空。"),
        ({"kind": "branch"}, "name", "该字段是必填项。"),
        ({"name": "村" * 61, "kind": "branch"}, "name", "名称不能超过60个字（现为61个字）。"),
        ({"name": "新村", "kind": "village"}, "kind", "“village” 不是合法选项。"),
        ({"name": "新镇", "kind": "township"}, "parent", "“站甲”（党建工作站）下不能设立乡镇（街道）。"),
        ({"name": "村甲一", "kind": "branch"}, "name", "同一上级下已有名为“村甲一”的组织。"),
        ({"name": "新村", "kind": "branch", "code": "B3"}, "code", "编码“B3”已被使用。"),
        ({"name": "新村", "kind": "branch", "parent": "abc"}, "parent", "请填写合法的整数值。"),
    ],
)
def test_create_refuses_bad_input_with_400(world, admin_api, data, field, message):
    before = (Org.objects.count(), AuditEvent.objects.count())
    r = admin_api.post(ORGS, {"parent": world.orgs["station"].pk, **data})
    assert r.status_code == 400, r.content
    assert r.json()[field] == [message]
    assert (Org.objects.count(), AuditEvent.objects.count()) == before


def test_create_under_an_out_of_scope_parent_is_404(world, admin_api):
    before = Org.objects.count()
    for parent in (world.orgs["out_station"].pk, 99999999):
        r = admin_api.post(ORGS, {"parent": parent, "name": "越权村", "kind": "branch"})
        assert r.status_code == 404
        assert r.json() == {"detail": "未找到。"}
    assert Org.objects.count() == before


def test_readonly_leader_cannot_create(world, api):
    r = api("leader").post(ORGS, {"parent": world.orgs["station"].pk, "name": "新村", "kind": "branch"})
    assert r.status_code == 403
    assert r.json() == {"detail": "您的角色无权执行此操作。"}
    assert not Org.objects.filter(name="新村").exists()


def test_eighth_branch_needs_confirmation(world, admin_api):
    station = world.orgs["station"]
    for i in range(5):
        create_org(world.root, parent=station, name=f"新村{i}", kind="branch")
    r = admin_api.post(ORGS, {"parent": station.pk, "name": "第八村", "kind": "branch"})
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "needs_confirmation"
    assert body["detail"] == "“站甲”已管辖7个村级党组织，本县规定每站至多7个。确认仍要加入吗？"
    assert not Org.objects.filter(name="第八村").exists()
    r = admin_api.post(ORGS, {"parent": station.pk, "name": "第八村", "kind": "branch", "confirm": True})
    assert r.status_code == 201
    event = AuditEvent.objects.get(action="org.create", object_id=str(r.json()["id"]))
    assert "用户已确认超出上限" in event.note


# --- update, move, archive ------------------------------------------------------------------------


def test_patch_renames(world, admin_api):
    branch = world.orgs["branch"]
    r = admin_api.patch(f"{ORGS}{branch.pk}/", {"name": "大辛庄村"})
    assert r.status_code == 200
    assert r.json()["name"] == "大辛庄村"
    assert Org.objects.get(pk=branch.pk).code == "B1", "fields not sent stay as they were"
    event = AuditEvent.objects.get(action="org.update", object_id=str(branch.pk))
    assert (event.before, event.after) == ({"name": "村甲一"}, {"name": "大辛庄村"})


def test_patch_bad_name_and_out_of_scope(world, admin_api):
    r = admin_api.patch(f"{ORGS}{world.orgs['branch'].pk}/", {"name": "村甲二"})
    assert r.status_code == 400
    assert r.json()["detail"] == "同一上级下已有名为“村甲二”的组织。"
    r = admin_api.patch(f"{ORGS}{world.orgs['out_branch'].pk}/", {"name": "越权"})
    assert r.status_code == 404
    assert Org.objects.get(pk=world.orgs["out_branch"].pk).name == "外村"


def test_put_and_delete_are_not_offered(world, admin_api):
    url = f"{ORGS}{world.orgs['branch'].pk}/"
    assert admin_api.put(url, {"name": "改名"}).status_code == 405
    assert admin_api.delete(url).status_code == 405
    assert Org.objects.filter(pk=world.orgs["branch"].pk, name="村甲一").exists()


def test_move(world, admin_api):
    branch, township = world.orgs["branch"], world.orgs["township"]
    r = admin_api.post(f"{ORGS}{branch.pk}/move/", {"parent": township.pk})
    assert r.status_code == 200, r.content
    assert r.json()["parent"] == township.pk
    assert r.json()["path"] == f"{township.path}{branch.pk:08d}/"
    assert Org.objects.get(pk=world.orgs["group"].pk).path.startswith(r.json()["path"])


def test_move_errors(world, admin_api, api):
    station = world.orgs["station"]
    r = admin_api.post(f"{ORGS}{station.pk}/move/", {"parent": world.orgs["branch"].pk})
    assert r.status_code == 400
    assert r.json()["detail"] == "不能把组织移动到它自己或它的下级组织之下。"
    r = admin_api.post(f"{ORGS}{station.pk}/move/", {"parent": world.orgs["out_township"].pk})
    assert r.status_code == 404
    r = api("office").post(f"{ORGS}{world.orgs['branch'].pk}/move/", {"parent": world.orgs["township"].pk})
    assert r.status_code == 403
    assert Org.objects.get(pk=world.orgs["branch"].pk).parent_id == station.pk


def test_archive_and_restore(world, admin_api):
    station = world.orgs["station"]
    r = admin_api.post(f"{ORGS}{station.pk}/archive/")
    assert r.status_code == 200
    assert r.json()["archived"] is True
    assert Org.objects.get(pk=world.orgs["group"].pk).archived_at is not None
    r = admin_api.post(f"{ORGS}{station.pk}/archive/")
    assert r.status_code == 400
    assert r.json()["detail"] == "该组织已归档。"
    r = admin_api.post(f"{ORGS}{station.pk}/restore/")
    assert r.status_code == 200
    assert r.json()["archived"] is False


# --- the audit trail ------------------------------------------------------------------------------


def test_audit_events_show_the_changes(world, admin_api):
    branch = world.orgs["branch"]
    admin_api.patch(f"{ORGS}{branch.pk}/", {"name": "大辛庄村"})
    r = admin_api.get("/api/v1/audit-events/", {"action": "org.update"})
    assert r.status_code == 200
    results = r.json()["results"]
    assert len(results) == 1
    event = results[0]
    assert event["action"] == "org.update"
    assert event["action_display"] == "修改组织"
    assert event["object_id"] == str(branch.pk)
    assert event["before"] == {"name": "村甲一"} and event["after"] == {"name": "大辛庄村"}
    assert event["actor_name"] == "甲县管理员"


def test_audit_events_are_scoped(world, api):
    results = api("outadmin").get("/api/v1/audit-events/", {"page_size": 500}).json()["results"]
    reprs = {e["object_repr"] for e in results}
    assert "外村" in reprs
    assert not reprs & {"村甲一", "镇甲", "县甲"}


def test_audit_events_cannot_be_changed_or_deleted_through_the_api(world, admin_api):
    event = AuditEvent.objects.get(action="org.create", object_id=str(world.orgs["branch"].pk))
    url = f"/api/v1/audit-events/{event.pk}/"
    assert admin_api.get(url).status_code == 200
    assert admin_api.put(url, {"action": "forged"}).status_code == 405
    assert admin_api.patch(url, {"action": "forged"}).status_code == 405
    assert admin_api.delete(url).status_code == 405
    assert admin_api.post("/api/v1/audit-events/", {"action": "forged"}).status_code == 405
    again = AuditEvent.objects.get(pk=event.pk)
    assert again.action == event.action == "org.create"


def test_audit_event_rows_are_append_only(world):
    event = AuditEvent.objects.first()
    event.note = "篡改"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).note != "篡改"


# --- schema, docs, health -------------------------------------------------------------------------


def test_schema_lists_the_orgs_endpoints(client, world):
    r = client.get("/api/schema/", {"format": "json"})
    assert r.status_code == 200
    doc = json.loads(r.content)
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "乡镇党建办工作平台 API"
    assert "/api/v1/orgs/" in doc["paths"]
    assert {"get", "post"} <= set(doc["paths"]["/api/v1/orgs/"])
    assert "/api/v1/orgs/{id}/move/" in doc["paths"]
    assert "/api/v1/auth/token/" in doc["paths"]


def test_schema_default_format(client, world):
    r = client.get("/api/schema/")
    assert r.status_code == 200
    assert b"/api/v1/orgs/" in r.content


def test_docs_page_uses_no_external_host(client, world):
    r = client.get("/api/docs/")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/html")
    page = r.content.decode()
    assert "swagger" in page.lower()
    assert "cdn" not in page.lower()
    external = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert external == []
    assert "/static/drf_spectacular_sidecar/" in page


def test_healthz(client, db):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"
    assert r.json()["status"] == "ok"
