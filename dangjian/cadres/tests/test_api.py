"""The API: scoped reads (another county's rows 404), writes through the services with the Chinese
message beside the field and nothing written, the choose action, pay batches generate/approve/lines/export,
and the schema."""

import datetime

import pytest
from django.utils import timezone

from dangjian.cadres.models import Mentorship, PayBatch, PoolSelection, ReserveCadre
from dangjian.core.roles import Role
from dangjian.villages import services as village_services
from dangjian.villages.models import Committee, Post, PostKind

pytestmark = pytest.mark.django_db
JSON = "application/json"


def rows(resp):
    body = resp.json()
    return body["results"] if isinstance(body, dict) else body


def test_pool_mentoring_and_choose(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    assert [r["name"] for r in rows(client.get("/api/v1/reserve-cadres/"))] == ["甲后备一", "甲后备二"]
    data = {"org": world.orgs["branch"].pk, "name": "新人", "gender": "male", "birth_date": "1995-01-01",
            "education": "college", "political_status": "league", "entered_on": "2099-01-01"}  # fmt: skip
    resp = client.post("/api/v1/reserve-cadres/", data, content_type=JSON)
    assert resp.status_code == 400 and "不能晚于今天" in resp.json()["entered_on"][0]
    resp = client.post("/api/v1/reserve-cadres/", data | {"entered_on": "2025-01-01"}, content_type=JSON)
    assert resp.status_code == 201 and resp.json()["age"] >= 30
    new = resp.json()["id"]
    secretary = Post.objects.get(org=world.orgs["branch"], kind=PostKind.SECRETARY)
    resp = client.post(
        "/api/v1/mentorships/",
        {"reserve": new, "mentor_post": secretary.pk, "started_on": "2025-01-02"},
        content_type=JSON,
    )  # noqa: E501
    assert resp.status_code == 201
    m = resp.json()["id"]
    resp = client.post(
        f"/api/v1/mentorships/{m}/activities/",
        {"kind": "governance", "held_on": "2025-02-01", "note": "调解"},
        content_type=JSON,
    )  # noqa: E501
    assert resp.status_code == 201
    resp = client.post(
        f"/api/v1/mentorships/{m}/evaluations/",
        {"evaluated_on": "2025-03-01", "grade": "excellent", "comment": "好", "evaluator": "镇党委"},
        content_type=JSON,
    )  # noqa: E501
    assert resp.status_code == 201
    assert client.get(f"/api/v1/mentorships/{m}/").json()["activities"][0]["kind"] == "governance"
    committee = Committee.objects.get(org=world.orgs["branch"])
    choose = {"committee": committee.pk, "kind": "secretary", "decided_on": "2025-03-01", "basis": "纪要7号",
              "considered": [ReserveCadre.objects.get(name="甲后备一").pk]}  # fmt: skip
    resp = client.post(f"/api/v1/reserve-cadres/{new}/choose/", choose, content_type=JSON)
    assert resp.status_code == 400 and "请先办理离任" in resp.json()["kind"][0]
    village_services.end_post(world.root, secretary, until=datetime.date(2025, 2, 1), reason="辞职")
    resp = client.post(f"/api/v1/reserve-cadres/{new}/choose/", choose, content_type=JSON)
    assert resp.status_code == 201 and resp.json()["considered_names"] == ["甲后备一"]
    assert rows(client.get(f"/api/v1/pool-selections/?reserve={new}"))[0]["basis"] == "纪要7号"
    post = resp.json()["post"]
    resp = client.post(
        "/api/v1/coachings/",
        {"post": post, "coach_name": "主任", "started_on": "2025-03-01"},
        content_type=JSON,
    )  # noqa: E501
    assert resp.status_code == 201
    resp = client.post(
        f"/api/v1/coachings/{resp.json()['id']}/sessions/",
        {"held_on": "2025-03-02", "topic": "三会一课"},
        content_type=JSON,
    )  # noqa: E501
    assert resp.status_code == 201


def test_pay_batches(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    month = timezone.localdate().replace(day=1).isoformat()
    resp = client.post(
        "/api/v1/pay-batches/generate/",
        {"township": world.orgs["township"].pk, "month": month},
        content_type=JSON,
    )  # noqa: E501
    assert resp.status_code == 201 and resp.json()["line_count"] == 2
    pk = resp.json()["id"]
    again = client.post(
        "/api/v1/pay-batches/generate/",
        {"township": world.orgs["township"].pk, "month": month},
        content_type=JSON,
    )  # noqa: E501
    assert again.status_code == 400 and "已有发放批次" in again.json()["month"][0]
    assert {r["name"] for r in client.get(f"/api/v1/pay-batches/{pk}/lines/").json()} == {
        "甲书记郭凯",
        "甲后备二",
    }
    assert client.get(f"/api/v1/pay-batches/{pk}/export/").status_code == 400
    assert client.post(f"/api/v1/pay-batches/{pk}/approve/").json()["status"] == "approved"
    assert client.post(f"/api/v1/pay-batches/{pk}/approve/").status_code == 400
    export = client.get(f"/api/v1/pay-batches/{pk}/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    schemes = rows(client.get("/api/v1/pay-schemes/"))
    assert [s["county_name"] for s in schemes] == ["县甲"] and schemes[0]["base_pay"]["subsidy"] == "1500.00"
    resp = client.post(
        "/api/v1/pay-batches/assessments/",
        {
            "org": world.orgs["branch"].pk,
            "name": "甲书记郭凯",
            "year": 2024,
            "grade": "competent",
            "evidence": "通报",
        },
        content_type=JSON,
    )  # noqa: E501
    assert resp.status_code == 201


def test_other_county_rows_are_404_with_nothing_written(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    out_reserve = ReserveCadre.objects.get(name="外后备一")
    out_m = Mentorship.objects.get(org=world.orgs["out_branch"])
    out_batch = PayBatch.objects.get(township=world.orgs["out_township"])
    out_selection = PoolSelection.objects.get(org=world.orgs["out_branch"])
    for url in (
        f"/api/v1/reserve-cadres/{out_reserve.pk}/",
        f"/api/v1/mentorships/{out_m.pk}/",
        f"/api/v1/pay-batches/{out_batch.pk}/",
        f"/api/v1/pay-batches/{out_batch.pk}/lines/",
        f"/api/v1/pay-batches/{out_batch.pk}/export/",
        f"/api/v1/pool-selections/{out_selection.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    before = (Mentorship.objects.count(), PayBatch.objects.count())
    own = ReserveCadre.objects.get(name="甲后备一")
    out_post = Post.objects.get(org=world.orgs["out_branch"], kind=PostKind.SECRETARY)
    resp = client.post(
        "/api/v1/mentorships/",
        {"reserve": own.pk, "mentor_post": out_post.pk, "started_on": "2025-01-02"},
        content_type=JSON,
    )  # noqa: E501
    assert resp.status_code == 404
    resp = client.post(
        "/api/v1/pay-batches/generate/",
        {"township": world.orgs["out_township"].pk, "month": "2025-01-01"},
        content_type=JSON,
    )  # noqa: E501
    assert resp.status_code == 404
    assert client.post(f"/api/v1/pay-batches/{out_batch.pk}/approve/").status_code == 404
    assert (Mentorship.objects.count(), PayBatch.objects.count()) == before
    assert [r["name"] for r in rows(client.get("/api/v1/reserve-cadres/"))] == ["甲后备一", "甲后备二"]


def test_schema_lists_the_endpoints(world, client_for):
    schema = client_for(world.user(Role.COUNTY_ADMIN)).get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/reserve-cadres/{id}/choose/",
        "/api/v1/pay-batches/generate/",
        "/api/v1/coachings/",
    ):
        assert path in schema["paths"], path
