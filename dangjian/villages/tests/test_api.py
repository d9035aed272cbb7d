"""The API of the two committees: scoped reads, writes through the services, 400 with the Chinese
message beside the field and nothing written, 404 outside scope, and the schema."""

import pytest

from dangjian.core.roles import Role
from dangjian.villages.models import Committee, Post, PostKind

pytestmark = pytest.mark.django_db


def test_committees_and_posts(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    body = client.get("/api/v1/village-committees/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [r["org_name"] for r in rows] == ["村甲一"]
    assert rows[0]["current_posts"][0]["name"] == "甲书记郭凯"
    resp = client.post(
        "/api/v1/village-committees/",
        {"org": world.orgs["sibling"].pk, "kind": "villagers", "term_start": "2025-01-01"},
        content_type="application/json",
    )
    assert resp.status_code == 201 and resp.json()["term_end"] == "2030-01-01"
    pk = resp.json()["id"]
    before = Post.objects.count()
    resp = client.post(
        f"/api/v1/village-committees/{pk}/appoint/",
        {"kind": "subsidy", "name": "电商员", "gender": "female", "since": "2025-02-01"},
        content_type="application/json",
    )
    assert resp.status_code == 400 and "定补干部负责的工作" in resp.json()["answers_for"][0]
    assert Post.objects.count() == before
    resp = client.post(
        f"/api/v1/village-committees/{pk}/appoint/",
        {"kind": "director", "name": "主任", "gender": "male", "since": "2025-02-01"},
        content_type="application/json",
    )
    assert resp.status_code == 201
    post = resp.json()["id"]
    resp = client.post(
        f"/api/v1/village-posts/{post}/end/",
        {"until": "2025-03-01", "reason": "辞职"},
        content_type="application/json",
    )
    assert resp.status_code == 200 and resp.json()["until"] == "2025-03-01"
    body = client.get("/api/v1/village-posts/?state=vacant").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [(r["org_name"], r["kind"], r["vacant_since"]) for r in rows] == [
        ("村甲二", "director", "2025-03-01")
    ]


def test_out_of_scope_is_404_with_nothing_written(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    out = Committee.objects.get(org=world.orgs["out_branch"])
    out_post = out.posts.get(kind=PostKind.SECRETARY)
    before = Post.objects.count()
    assert client.get(f"/api/v1/village-committees/{out.pk}/").status_code == 404
    assert (
        client.post(
            f"/api/v1/village-committees/{out.pk}/appoint/",
            {"kind": "member", "name": "外人", "gender": "male", "since": "2025-02-01"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/village-posts/{out_post.pk}/end/",
            {"until": "2025-03-01", "reason": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/village-committees/",
            {"org": world.orgs["out_branch"].pk, "kind": "villagers", "term_start": "2025-01-01"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert Post.objects.count() == before and Committee.objects.count() == 2
    names = str(client.get("/api/v1/village-posts/").json())
    assert "甲书记郭凯" in names and "外" not in names
    reader = client_for(world.user(Role.READONLY_LEADER))
    own = Committee.objects.get(org=world.orgs["branch"])
    resp = reader.post(
        f"/api/v1/village-committees/{own.pk}/appoint/",
        {"kind": "member", "name": "只读", "gender": "male", "since": "2025-02-01"},
        content_type="application/json",
    )
    assert resp.status_code == 403


def test_schema_lists_the_endpoints(world, client):
    schema = client.get("/api/schema/").content.decode()
    assert (
        "/api/v1/village-committees/{id}/appoint/" in schema and "/api/v1/village-posts/{id}/end/" in schema
    )
