"""/api/v1/development-cases and development-steps: scoped reads, writes through the services."""

import datetime
import json

import pytest
from rest_framework.test import APIClient

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.development.models import CaseStatus, CaseStep, DevelopmentCase
from dangjian.members.testing import make_id_number

from .test_pipeline_flow import walk

D = datetime.date
CASES = "/api/v1/development-cases/"
STEPS = "/api/v1/development-steps/"


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_user


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def test_list_is_scoped_and_filtered(world, api):
    client = api(world.user(Role.VILLAGE_SECRETARY))
    r = client.get(CASES)
    assert r.status_code == 200 and names(r) == ["甲申请人一"]
    row = r.json()["results"][0]
    assert row["next_step"] == "activist" and row["next_step_title"] == "推荐和确定入党积极分子"
    assert "********" in row["id_number_masked"] and "id_number" not in row
    assert names(client.get(CASES, {"q": "jsqr"})) == ["甲申请人一"]
    assert names(client.get(CASES, {"stage": 3})) == []
    assert names(api(world.user("out_admin")).get(CASES)) == ["外申请人"]


def test_retrieve_has_the_steps_and_what_is_allowed(world, api):
    client = api(world.user(Role.TOWNSHIP_STAFF))
    case = world.cases["case"]
    r = client.get(f"{CASES}{case.pk}/")
    assert r.status_code == 200
    body = r.json()
    assert [s["code"] for s in body["steps"]] == ["application", "talk"]
    assert body["steps"][1]["documents"][0]["name"] == "甲谈话记录.txt"
    assert body["allowed"] == ["activist"]
    assert client.get(f"{CASES}{world.cases['out_case'].pk}/").status_code == 404


def _new(world, **extra):
    data = {
        "org": world.orgs["branch"].pk,
        "name": "甲接口申请人",
        "id_number": make_id_number(D(2000, 8, 8), 71),
        "applied_on": "2026-11-02",
        "responsible": "甲村书记",
    }
    return data | extra


def test_create_opens_a_case(world, api):
    client = api(world.user(Role.VILLAGE_SECRETARY))
    r = client.post(CASES, _new(world), format="json")
    assert r.status_code == 201, r.content
    case = DevelopmentCase.objects.get(pk=r.json()["id"])
    assert case.person.name == "甲接口申请人" and r.json()["steps"][0]["code"] == "application"


def test_create_refusals(world, api):
    client = api(world.user(Role.VILLAGE_SECRETARY))
    before, events = DevelopmentCase.objects.count(), AuditEvent.objects.count()
    young = client.post(CASES, _new(world, id_number=make_id_number(D(2012, 1, 1), 72)), format="json")
    assert young.status_code == 400 and "未满18周岁" in young.json()["detail"]
    assert client.post(CASES, _new(world, org=world.orgs["out_branch"].pk), format="json").status_code == 404
    leader = api(world.user(Role.READONLY_LEADER))
    assert leader.post(CASES, _new(world), format="json").status_code == 403
    assert client.post(CASES, {"name": "缺字段"}, format="json").status_code == 400
    assert DevelopmentCase.objects.count() == before and AuditEvent.objects.count() == events


def test_record_a_step(world, api):
    client = api(world.user(Role.VILLAGE_SECRETARY))
    case = world.cases["case"]
    url = f"{CASES}{case.pk}/steps/"
    skip = client.post(url, {"code": "training", "done_on": "2026-10-01", "responsible": "甲"}, format="json")
    assert skip.status_code == 400 and "步骤不能跳过或提前" in skip.json()["detail"]
    missing = client.post(
        url, {"code": "activist", "done_on": "2026-10-01", "responsible": "甲"}, format="json"
    )
    assert missing.status_code == 400 and missing.json()["decided_by"]
    ok = client.post(
        url,
        {
            "code": "activist",
            "done_on": "2026-10-01",
            "responsible": "甲",
            "data": {"decided_by": "支部大会"},
        },
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["title"] == "推荐和确定入党积极分子"
    outsider = api(world.user("out_admin"))
    assert outsider.post(url, {"code": "activist_filed"}, format="json").status_code == 404


def test_a_higher_committee_step_by_the_secretary_is_403(dev, api):
    case = walk(dev, until="approval")
    body = {
        "code": "approval",
        "done_on": "2024-08-01",
        "responsible": "镇党委",
        "data": {"result": "approved"},
    }
    before = CaseStep.objects.count()
    r = api(dev.secretary).post(f"{CASES}{case.pk}/steps/", body, format="json")
    assert r.status_code == 403 and "上级党委" in r.json()["detail"]
    assert CaseStep.objects.count() == before
    assert api(dev.office).post(f"{CASES}{case.pk}/steps/", body, format="json").status_code == 201


def test_stop(world, api):
    client = api(world.user(Role.VILLAGE_SECRETARY))
    case = world.cases["case"]
    assert client.post(f"{CASES}{case.pk}/stop/", {}, format="json").status_code == 400
    r = client.post(f"{CASES}{case.pk}/stop/", {"reason": "迁出本地", "on": "2026-11-01"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == CaseStatus.STOPPED
    again = client.post(f"{CASES}{case.pk}/stop/", {"reason": "迁出本地"}, format="json")
    assert again.status_code == 400 and "已办结或已终止" in again.json()["detail"]


def test_correct_a_step(world, api):
    client = api(world.user(Role.VILLAGE_SECRETARY))
    old = world.steps["case"]
    no_reason = client.post(
        f"{STEPS}{old.pk}/correct/", {"done_on": "2026-09-11", "responsible": "甲"}, format="json"
    )
    assert no_reason.status_code == 400
    r = client.post(
        f"{STEPS}{old.pk}/correct/",
        {"done_on": "2026-09-11", "responsible": "甲谈话人", "reason": "日期录错"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["correction_reason"] == "日期录错"
    old.refresh_from_db()
    assert old.superseded_by_id == r.json()["id"]
    listed = client.get(STEPS, {"case": old.case_id, "code": "talk"}).json()["results"]
    assert [s["superseded_by"] for s in listed] == [r.json()["id"], None]
    current = client.get(STEPS, {"case": old.case_id, "current": "true"}).json()["results"]
    assert [s["code"] for s in current] == ["application", "talk"]
    outsider = api(world.user("out_admin"))
    body = {"done_on": "2026-09-11", "responsible": "外", "reason": "越权"}
    assert outsider.post(f"{STEPS}{r.json()['id']}/correct/", body, format="json").status_code == 404


def test_steps_list_is_scoped(world, api):
    rows = api(world.user(Role.COUNTY_ADMIN)).get(STEPS).json()["results"]
    assert {s["case"] for s in rows} == {world.cases["case"].pk}


def test_schema_has_the_development_endpoints(client, world):
    doc = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    paths = doc["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/development-cases/"])
    assert "post" in paths["/api/v1/development-cases/{id}/steps/"]
    assert "post" in paths["/api/v1/development-cases/{id}/stop/"]
    assert "post" in paths["/api/v1/development-steps/{id}/correct/"]
    body = paths["/api/v1/development-cases/{id}/steps/"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    assert body["schema"]["$ref"].endswith("StepInputRequest")
