"""/api/v1/notices, notice-receipts, study-pushes, study-receipts and trainings: scoped reads, writes
through the services with the same Chinese refusals as the pages."""

import datetime

import pytest
from django.utils import timezone

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.notices.models import (
    Notice,
    NoticeReceipt,
    StudyPush,
    StudyReceipt,
    Training,
    TrainingAttendance,
)

from .conftest import pdf

pytestmark = pytest.mark.django_db


def titles(response) -> set[str]:
    return {row["title"] for row in response.json()["results"]}


def test_notices_list_retrieve_and_sign(world, api):
    client = api(world.user(Role.VILLAGE_SECRETARY))
    r = client.get("/api/v1/notices/")
    assert r.status_code == 200 and titles(r) == {"县甲学习通知", "镇甲致各村通知"}
    notice = world.notices["notice"]
    row = next(x for x in r.json()["results"] if x["id"] == notice.pk)
    assert row["total"] == 1 and row["signed"] == 0  # only what she may see: her own receipt
    detail = client.get(f"/api/v1/notices/{notice.pk}/").json()
    assert detail["body"] == "请各单位组织学习。" and detail["files"][0]["name"] == "县甲通知附件.pdf"
    assert detail["my_receipt"]["read_at"] is not None and detail["my_receipt"]["signed_at"] is None
    signed = client.post(f"/api/v1/notices/{notice.pk}/sign/", {"reply": "收到"}, format="json")
    assert signed.status_code == 200 and signed.json()["reply"] == "收到" and signed.json()["signed_at"]
    again = client.post(f"/api/v1/notices/{notice.pk}/sign/", {}, format="json")
    assert again.status_code == 400 and "无需重复签收" in again.json()["detail"]
    out = world.notices["out_notice"]
    assert client.get(f"/api/v1/notices/{out.pk}/").status_code == 404
    assert client.post(f"/api/v1/notices/{out.pk}/sign/", {}, format="json").status_code == 404


def test_create_notice_json_and_multipart(world, api):
    client = api(world.user(Role.TOWNSHIP_STAFF))
    sign_by = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    r = client.post(
        "/api/v1/notices/",
        {
            "org": world.orgs["township"].pk,
            "title": "接口通知",
            "body": "正文",
            "kinds": ["branch"],
            "sign_by": sign_by,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["kinds"] == ["branch"] and r.json()["recipient_count"] >= 1
    r = client.post(
        "/api/v1/notices/",
        {"org": world.orgs["township"].pk, "title": "附件通知", "files": [pdf("方案.pdf")]},
        format="multipart",
    )
    assert r.status_code == 201, r.content
    assert r.json()["files"][0]["name"] == "方案.pdf"


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"title": ""}, "title", "请填写标题"),
        ({"sign_by": "2020-01-01"}, "sign_by", "签阅期限不能早于今天"),
        ({"org": "out"}, "org", "不存在或不在您的管辖范围内"),
    ],
)
def test_create_notice_refusals(world, api, data, field, message):
    client = api(world.user(Role.TOWNSHIP_STAFF))
    body = {"org": world.orgs["township"].pk, "title": "通知", "body": "正文"} | data
    if body["org"] == "out":
        body["org"] = world.orgs["out_township"].pk
    before = (Notice.objects.count(), AuditEvent.objects.count())
    r = client.post("/api/v1/notices/", body, format="json")
    assert r.status_code == 400 and any(message in m for m in r.json()[field]), r.json()
    assert (Notice.objects.count(), AuditEvent.objects.count()) == before


def test_file_of_wrong_type_through_the_api(world, api):
    r = api(world.user(Role.TOWNSHIP_STAFF)).post(
        "/api/v1/notices/",
        {"org": world.orgs["township"].pk, "title": "附件", "files": [pdf("脚本.js", b"alert(1)")]},
        format="multipart",
    )
    assert r.status_code == 400 and "类型不受支持" in r.json()["files"][0]
    assert not Notice.objects.filter(title="附件").exists()


def test_receipts_filter_by_notice_org_and_status(world, api):
    client = api(world.user(Role.COUNTY_ADMIN))
    notice = world.notices["notice"]
    r = client.get("/api/v1/notice-receipts/", {"notice": notice.pk, "org": world.orgs["branch"].pk})
    assert [x["user_name"] for x in r.json()["results"]] == ["甲村书记"]
    assert r.json()["results"][0]["role_display"] == "村党支部书记"
    assert (
        client.get("/api/v1/notice-receipts/", {"notice": notice.pk, "status": "signed"}).json()["count"] == 0
    )
    liaison = api(world.user(Role.DEPT_LIAISON)).get("/api/v1/notice-receipts/").json()
    assert [x["user_name"] for x in liaison["results"]] == ["甲部门联络员"]


def test_study_pushes_and_receipts(world, api):
    client = api(world.user(Role.TOWNSHIP_STAFF))
    r = client.get("/api/v1/study-pushes/")
    assert titles(r) == {"镇甲学习第一期"}
    push = world.pushes["push"]
    detail = client.get(f"/api/v1/study-pushes/{push.pk}/").json()
    assert detail["body"] == "学习内容。" and detail["read"] == 0
    receipts = client.get("/api/v1/study-receipts/", {"push": push.pk}).json()["results"]
    mine = next(x for x in receipts if x["member_name"] == "甲党员一")
    token = StudyReceipt.objects.get(pk=mine["id"]).token
    assert mine["link"] == f"http://testserver/notices/s/{token}/"
    made = client.post(
        "/api/v1/study-pushes/",
        {"org": world.orgs["township"].pk, "title": "接口推送", "link": "https://www.12371.cn/"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["audience"] == "all"
    bad = client.post(
        "/api/v1/study-pushes/",
        {"org": world.orgs["out_township"].pk, "title": "越权推送", "body": "x"},
        format="json",
    )
    assert bad.status_code == 400 and not StudyPush.objects.filter(title="越权推送").exists()
    assert api(world.user(Role.DEPT_LIAISON)).get("/api/v1/study-pushes/").json()["count"] == 0


def test_trainings_create_and_attendance(world, api):
    client = api(world.user(Role.TOWNSHIP_STAFF))
    day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    r = client.post(
        "/api/v1/trainings/",
        {
            "org": world.orgs["township"].pk,
            "title": "接口党课",
            "kind": "lecture",
            "start_on": day,
            "hours": "2",
            "place": "礼堂",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    member = world.members["member"]
    a = client.post(
        f"/api/v1/trainings/{pk}/attendance/",
        {
            "entries": [
                {"member": member.pk},
                {"user": world.users[Role.VILLAGE_SECRETARY].pk, "present": False},
            ]
        },
        format="json",
    )
    assert a.status_code == 200, a.content
    body = a.json()
    assert body["present"] == 1 and body["attendees"] == 2
    assert {x["name"]: x["hours"] for x in body["attendance"]} == {"甲党员一": "2.0", "甲村书记": "0.0"}
    bad = client.post(
        f"/api/v1/trainings/{pk}/attendance/",
        {"entries": [{"member": world.members["out"].pk}]},
        format="json",
    )
    assert bad.status_code == 400 and "党员名册" in bad.json()["detail"]
    assert TrainingAttendance.objects.filter(training_id=pk).count() == 2
    leader = api(world.user(Role.READONLY_LEADER))
    assert (
        leader.post(
            f"/api/v1/trainings/{pk}/attendance/", {"entries": [{"member": member.pk}]}, format="json"
        ).status_code
        == 403
    )
    out = world.trainings["out_training"]
    assert client.get(f"/api/v1/trainings/{out.pk}/").status_code == 404
    assert (
        client.post(f"/api/v1/trainings/{out.pk}/attendance/", {"entries": []}, format="json").status_code
        == 404
    )
    listed = client.get("/api/v1/trainings/", {"kind": "lecture"}).json()
    assert {t["title"] for t in listed["results"]} == {"接口党课", "镇甲党课"}
    assert not Training.objects.filter(title="外镇党课", org=world.orgs["township"]).exists()


def test_schema_lists_the_endpoints(world, client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/notices/",
        "/api/v1/notices/{id}/sign/",
        "/api/v1/notice-receipts/",
        "/api/v1/study-pushes/",
        "/api/v1/study-receipts/",
        "/api/v1/trainings/{id}/attendance/",
    ):
        assert path in schema, path
    assert NoticeReceipt.objects.exists()
