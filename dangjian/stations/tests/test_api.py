"""The /api/v1/ endpoints: scoped lists and objects, creates through the services, Chinese 400s that
write nothing, and every endpoint in the schema."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.stations.models import (
    ResearchAppraisal,
    ResearchPlan,
    ResearchReport,
    ResearchRound,
    ResearchScore,
    ServiceHalfDay,
    StationChecklist,
    StationInspection,
    StationStaff,
    StationSystem,
)

from .conftest import audit_count

ENDPOINTS = {
    "station-staff": StationStaff,
    "station-checklist": StationChecklist,
    "station-systems": StationSystem,
    "station-inspections": StationInspection,
    "service-half-days": ServiceHalfDay,
    "research-plans": ResearchPlan,
    "research-rounds": ResearchRound,
    "research-reports": ResearchReport,
    "research-appraisals": ResearchAppraisal,
}


def api(client, method, url, data=None, **kw):
    if method == "get":
        return client.get(url, data, HTTP_ACCEPT="application/json")
    return getattr(client, method)(url, data, content_type="application/json", **kw)


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_lists_and_objects_are_scoped(world, users, client_for, name):
    model = ENDPOINTS[name]
    client = client_for(users.admin)
    body = api(client, "get", f"/api/v1/{name}/").json()
    ids = {row["id"] for row in body["results"]}
    assert ids == set(model.objects.restrict(users.admin).values_list("pk", flat=True)) and ids
    outside = model.objects.exclude(pk__in=ids).first()
    assert api(client, "get", f"/api/v1/{name}/{outside.pk}/").status_code == 404
    inside = model.objects.get(pk=min(ids))
    assert api(client, "get", f"/api/v1/{name}/{inside.pk}/").status_code == 200


def test_staff_phone_is_masked(world, users, client_for):
    rows = api(client_for(users.office), "get", "/api/v1/station-staff/", {"post": "chief"}).json()["results"]
    assert [(r["name"], r["phone"]) for r in rows] == [("甲站长", "139****5678")]


def test_create_an_inspection_and_refusals(world, users, client_for):
    client = client_for(users.chief)
    data = {
        "org": world.orgs["station"].pk,
        "branch": world.orgs["sibling"].pk,
        "inspected_at": "2026-11-20T10:00:00",
        "inspectors": "甲站长",
        "items_checked": "三会一课",
    }
    before = (StationInspection.objects.count(), audit_count())
    bad = api(client, "post", "/api/v1/station-inspections/", data | {"branch": world.orgs["out_branch"].pk})
    assert bad.status_code == 400 and "所辖的村党组织" in bad.json()["branch"][0]
    future = api(
        client, "post", "/api/v1/station-inspections/", data | {"inspected_at": "2099-01-01T10:00:00+08:00"}
    )
    assert future.status_code == 400 and future.json()["inspected_at"] == ["督查时间不能晚于现在。"]
    assert (StationInspection.objects.count(), audit_count()) == before
    other = api(client, "post", "/api/v1/station-inspections/", data | {"org": world.orgs["out_station"].pk})
    assert other.status_code == 404
    ok = api(client, "post", "/api/v1/station-inspections/", data)
    assert (
        ok.status_code == 201
        and ok.json()["inspected_on"] == "2026-11-20"
        and ok.json()["branch_name"] == "村甲二"
    )


def test_create_staff_half_day_plan_round_report_appraisal_and_scores(world, users, client_for):
    office = client_for(users.office)
    station, township = world.orgs["station"], world.orgs["township"]
    r = api(
        office,
        "post",
        "/api/v1/station-staff/",
        {
            "org": station.pk,
            "name": "甲专职二",
            "post": "worker",
            "since": "2026-11-01",
            "phone": "13800001234",
        },
    )
    assert r.status_code == 201 and r.json()["phone"] == "138****1234"
    r = api(
        office,
        "post",
        "/api/v1/station-checklist/",
        {"org": station.pk, "item": "funds", "met": False, "checked_on": "2026-11-01"},
    )
    assert r.status_code == 400 and r.json()["note"] == ["请填写情况说明。"]
    r = api(
        office,
        "post",
        "/api/v1/station-systems/",
        {
            "org": station.pk,
            "system": "errand",
            "posted": True,
            "in_force": True,
            "adopted_on": "2026-01-01",
            "checked_on": "2026-11-01",
        },
    )
    assert r.status_code == 201
    r = api(
        office,
        "post",
        "/api/v1/service-half-days/",
        {
            "org": station.pk,
            "held_on": "2026-11-25",
            "session": "afternoon",
            "place": "服务室",
            "staff_on_duty": "甲专职",
        },
    )
    assert r.status_code == 201 and r.json()["session_display"] == "下午"
    r = api(office, "post", "/api/v1/research-plans/", {"org": station.pk, "year": 2026, "topics": "x"})
    assert r.status_code == 400 and "不是乡镇" in r.json()["detail"]
    r = api(
        office,
        "post",
        "/api/v1/research-rounds/",
        {
            "org": station.pk,
            "topic": "调研",
            "started_on": "2026-11-10",
            "ended_on": "2026-11-11",
            "villages": [world.orgs["branch"].pk, world.orgs["sibling"].pk],
            "participants": "甲站长",
        },
    )
    assert r.status_code == 201 and sorted(r.json()["villages"]) == sorted(
        [world.orgs["branch"].pk, world.orgs["sibling"].pk]
    )
    rnd = r.json()["id"]
    bad = office.post(
        "/api/v1/research-reports/",
        {
            "round": rnd,
            "title": "报告",
            "submitted_on": "2026-11-12",
            "file": SimpleUploadedFile("r.txt", b"x"),
        },
    )
    assert bad.status_code == 400 and "报告文件只能是PDF、DOCX文件" in bad.json()["file"][0]
    ok = office.post(
        "/api/v1/research-reports/",
        {
            "round": rnd,
            "title": "报告",
            "submitted_on": "2026-11-12",
            "file": SimpleUploadedFile("r.pdf", b"%PDF-1.4"),
        },
    )
    assert ok.status_code == 201 and ok.json()["file_url"].endswith("/file/")
    r = api(
        office,
        "post",
        "/api/v1/research-appraisals/",
        {"org": township.pk, "year": 2026, "held_on": "2026-11-28", "reviewers": "镇党委"},
    )
    assert r.status_code == 201
    meeting = r.json()["id"]
    reports = [world.station_rows["in_report"].pk, ok.json()["id"]]
    before = (ResearchScore.objects.count(), audit_count())
    bad = api(
        office,
        "post",
        f"/api/v1/research-appraisals/{meeting}/scores/",
        {"scores": [{"report": reports[0], "score": "120"}]},
    )
    assert bad.status_code == 400 and "0到100之间" in bad.json()["scores"][0]
    assert (ResearchScore.objects.count(), audit_count()) == before
    r = api(
        office,
        "post",
        f"/api/v1/research-appraisals/{meeting}/scores/",
        {
            "scores": [
                {"report": reports[0], "score": 80},
                {"report": reports[1], "score": "92.5", "comment": "好"},
            ]
        },
    )
    assert r.status_code == 200
    assert [(s["report"], s["rank"]) for s in r.json()["scores"]] == [(reports[1], 1), (reports[0], 2)]
    chief = client_for(users.leader)
    assert (
        api(
            chief,
            "post",
            f"/api/v1/research-appraisals/{meeting}/scores/",
            {"scores": [{"report": reports[0], "score": 1}]},
        ).status_code
        == 403
    )


def test_no_update_or_delete(world, users, client_for):
    client = client_for(users.admin)
    staff = world.station_rows["in_chief"]
    url = f"/api/v1/station-inspections/{world.station_rows['in_inspection'].pk}/"
    assert api(client, "patch", url, {"problems": "x"}).status_code == 405
    assert api(client, "put", f"/api/v1/station-staff/{staff.pk}/", {"name": "x"}).status_code == 405
    assert api(client, "delete", f"/api/v1/station-staff/{staff.pk}/").status_code == 405


def test_schema_lists_every_endpoint(world, client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for name in ENDPOINTS:
        assert f"/api/v1/{name}/" in schema["paths"], name
        assert "post" in schema["paths"][f"/api/v1/{name}/"]
    assert "/api/v1/research-appraisals/{id}/scores/" in schema["paths"]
