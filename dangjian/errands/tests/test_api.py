"""The /api/v1/ endpoints: scoped lists and objects, creates and updates through the services,
Chinese 400s beside their fields that write nothing, 404 outside scope, and all in the schema."""

import pytest

from dangjian.errands.models import Diary, ErrandService, ServiceCentre, ServiceSession

from .conftest import audit_count

ENDPOINTS = {
    "errand-services": ErrandService,
    "service-centres": ServiceCentre,
    "service-sessions": ServiceSession,
    "diaries": Diary,
}


def api(client, method, url, data=None):
    if method == "get":
        return client.get(url, data, HTTP_ACCEPT="application/json")
    return getattr(client, method)(url, data, content_type="application/json")


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_lists_and_objects_are_scoped(world, users, client_for, rows, name):
    model = ENDPOINTS[name]
    client = client_for(users.admin)
    body = api(client, "get", f"/api/v1/{name}/", {"page_size": 500}).json()
    ids = {row["id"] for row in body["results"]}
    assert ids == set(model.objects.restrict(users.admin).values_list("pk", flat=True)) and ids
    outside = model.objects.exclude(pk__in=ids).first()
    assert api(client, "get", f"/api/v1/{name}/{outside.pk}/").status_code == 404
    assert api(client, "patch", f"/api/v1/{name}/{outside.pk}/", {"name": "越权"}).status_code == 404
    assert api(client, "get", f"/api/v1/{name}/{min(ids)}/").status_code == 200


def test_create_update_and_archive_a_service(world, users, client_for, rows):
    client = client_for(users.office)
    data = {"org": world.orgs["township"].pk, "category": "服务", "name": "医保代缴", "promised_days": 3}
    before = (ErrandService.objects.count(), audit_count())
    bad = api(client, "post", "/api/v1/errand-services/", data | {"name": rows["in_service"].name})
    assert bad.status_code == 400 and bad.json()["name"] == ["“镇甲”的目录中已有事项“甲镇低保申请代办”。"]
    assert api(client, "post", "/api/v1/errand-services/", data | {"promised_days": 999}).status_code == 400
    assert (
        api(
            client, "post", "/api/v1/errand-services/", data | {"org": world.orgs["out_township"].pk}
        ).status_code
        == 404
    )
    assert (ErrandService.objects.count(), audit_count()) == before
    made = api(client, "post", "/api/v1/errand-services/", data | {"documents": "身份证\n户口簿"})
    assert made.status_code == 201 and made.json()["document_list"] == ["身份证", "户口簿"]
    pk = made.json()["id"]
    patched = api(client, "patch", f"/api/v1/errand-services/{pk}/", {"promised_days": 5})
    assert patched.status_code == 200 and patched.json()["promised_days"] == 5
    assert patched.json()["document_list"] == ["身份证", "户口簿"]  # untouched fields stay
    put = api(
        client,
        "put",
        f"/api/v1/errand-services/{pk}/",
        {"category": "服务", "name": "医保代缴（新）", "promised_days": 2},
    )
    assert put.status_code == 200 and put.json()["documents"] == ""
    archived = api(client, "post", f"/api/v1/errand-services/{pk}/archive/", {"archived": True})
    assert archived.status_code == 200 and archived.json()["archived_at"]
    again = api(client, "post", f"/api/v1/errand-services/{pk}/archive/", {"archived": True})
    assert again.status_code == 400 and "已停用" in again.json()["detail"]


def test_a_leader_reads_but_cannot_write(world, users, client_for, rows):
    client = client_for(users.leader)
    s = rows["in_service"]
    assert api(client, "get", f"/api/v1/errand-services/{s.pk}/").status_code == 200
    assert api(client, "patch", f"/api/v1/errand-services/{s.pk}/", {"promised_days": 1}).status_code == 403
    data = {"org": world.orgs["township"].pk, "category": "服务", "name": "新", "promised_days": 3}
    assert api(client, "post", "/api/v1/errand-services/", data).status_code == 403


def test_sessions(world, users, client_for, rows):
    client = client_for(users.office)
    centre = rows["in_centre"]
    data = {"centre": centre.pk, "date": "2026-11-03", "half": "am", "sections": ["司法所", "民政科"]}
    taken = api(client, "post", "/api/v1/service-sessions/", data)
    assert taken.status_code == 400 and taken.json()["date"] == [
        "“甲镇第一便民服务中心”2026-11-03上午已安排便民服务。"
    ]
    other = api(client, "post", "/api/v1/service-sessions/", data | {"centre": rows["out_centre"].pk})
    assert other.status_code == 404
    made = api(client, "post", "/api/v1/service-sessions/", data | {"half": "pm"})
    assert made.status_code == 201 and made.json()["sections"] == ["司法所", "民政科"]
    pk = made.json()["id"]
    served = api(client, "patch", f"/api/v1/service-sessions/{pk}/", {"served": 25})
    assert (
        served.status_code == 200
        and served.json()["served"] == 25
        and served.json()["half_display"] == "下午"
    )
    filtered = api(client, "get", "/api/v1/service-sessions/", {"q": "民政科", "half": "pm"}).json()
    assert pk in [r["id"] for r in filtered["results"]] and {r["half"] for r in filtered["results"]} == {"pm"}


def test_diaries(world, users, client_for, rows):
    d = rows["in_diary"]
    admin = client_for(users.admin)
    body = api(admin, "get", f"/api/v1/diaries/{d.pk}/").json()
    assert (
        body["author_name"] == "甲镇办干部"
        and body["org_name"] == "村甲一"
        and isinstance(body["cases"], list)
    )
    refused = api(admin, "patch", f"/api/v1/diaries/{d.pk}/", {"content": "改写"})
    assert refused.status_code == 403 and refused.json()["detail"] == "只有记录人本人可以修改民情日记。"
    office = client_for(users.office)
    ok = api(office, "patch", f"/api/v1/diaries/{d.pk}/", {"content": "改写"})
    assert ok.status_code == 200 and ok.json()["content"] == "改写" and ok.json()["visited"] == d.visited
    data = {"org": world.orgs["branch"].pk, "written_on": "2026-11-10", "content": "群众反映"}
    made = api(client_for(users.secretary), "post", "/api/v1/diaries/", data)
    assert made.status_code == 201 and made.json()["author"] == users.secretary.pk
    office = client_for(users.office)  # one test client: log the office user back in
    bad = api(office, "post", "/api/v1/diaries/", data | {"org": world.orgs["station"].pk, "content": ""})
    assert bad.status_code == 400 and "content" in bad.json()
    outside = api(office, "post", "/api/v1/diaries/", data | {"org": world.orgs["out_branch"].pk})
    assert outside.status_code == 404
    mine = api(office, "get", "/api/v1/diaries/", {"whose": "mine"}).json()
    assert [r["id"] for r in mine["results"]] == [d.pk]


def test_schema_lists_the_endpoints(world, client):
    schema = client.get("/api/schema/").content.decode()
    for name in ENDPOINTS:
        assert f"/api/v1/{name}/" in schema
    assert "/api/v1/errand-services/{id}/archive/" in schema
