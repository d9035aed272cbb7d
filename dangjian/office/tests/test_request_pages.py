"""The pages and API of 人员提级管理 and of the county's staffing view: scope (404 outside), the refusal of
a township approving its own request (a 403 with the message), exports, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.roles import Role
from dangjian.core.testing import make_user
from dangjian.office.choices import RequestKind, RequestStatus
from dangjian.office.models import StaffRequest
from dangjian.office.services import posts
from dangjian.office.services import requests as svc

from .conftest import TODAY, html, xlsx_rows

pytestmark = pytest.mark.django_db


def post_json(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_request_list_is_scoped_filtered_and_exports(world, users, client_for):
    client = client_for(users.admin)
    page = html(client.get("/office/requests/"))
    assert "镇甲" in page and "外镇" not in page and "待县委组织部审批" in page
    assert "报送申请" not in page  # the county approves; it does not submit
    assert "报送申请" in html(client_for(users.office).get("/office/requests/"))
    assert (
        "甲镇办干部" not in html(client.get("/office/requests/", {"status": "approved"})).split("<tbody")[1]
    )
    rows = xlsx_rows(client.get("/office/requests/", {"export": "xlsx"}))
    assert rows[1][:4] == ("编号", "乡镇", "事项", "人员")
    assert [r[1] for r in rows[2:]] == ["镇甲"]
    assert "外镇" not in html(client.get(f"/office/requests/{world.office['request'].pk}/"))
    assert client.get(f"/office/requests/{world.office['out_request'].pk}/").status_code == 404
    assert client_for(users.dept).get(f"/office/requests/{world.office['request'].pk}/").status_code == 404


def test_township_cannot_approve_its_own_request_on_the_page(world, users, client_for):
    req = world.office["request"]
    client = client_for(users.office)
    detail = html(client.get(f"/office/requests/{req.pk}/"))
    assert "县委组织部审批" in detail and 'data-testid="decide-form"' not in detail
    answer = client.post(f"/office/requests/{req.pk}/decide/", {"decision": "approve"})
    assert answer.status_code == 403
    assert "乡镇党建办不能审批本乡镇报送的申请" in html(answer)
    assert StaffRequest.objects.get(pk=req.pk).status == RequestStatus.PENDING


def test_county_returns_with_a_reason_and_approves_after_resubmission(world, users, client_for):
    req = world.office["request"]

    def county():
        return client_for(users.admin)

    def office():
        return client_for(users.office)

    assert 'data-testid="decide-form"' in html(county().get(f"/office/requests/{req.pk}/"))
    bad = county().post(f"/office/requests/{req.pk}/decide/", {"decision": "return", "note": ""})
    assert bad.status_code == 400 and "请填写退回理由" in html(bad)
    assert (
        county()
        .post(f"/office/requests/{req.pk}/decide/", {"decision": "return", "note": "补材料"})
        .status_code
        == 302
    )
    assert 'data-testid="resubmit-form"' in html(office().get(f"/office/requests/{req.pk}/"))
    assert office().post(f"/office/requests/{req.pk}/resubmit/", {"reason": "已补"}).status_code == 302
    assert county().post(f"/office/requests/{req.pk}/decide/", {"decision": "approve"}).status_code == 302
    page = html(county().get(f"/office/requests/{req.pk}/"))
    assert "已批准" in page and "补材料" in page and "已补" in page


def test_the_form_submits_and_refuses_beside_the_field(world, users, client_for):
    def county():
        return client_for(users.admin)

    def office():
        return client_for(users.office)

    propaganda = posts.create_post(world.root, world.orgs["township"], "宣传岗")
    assert office().get("/office/requests/new/").status_code == 200
    assert county().get("/office/requests/new/").status_code == 403
    data = {"township": world.orgs["township"].pk, "kind": RequestKind.TRANSFER, "person": users.office.pk,
            "post": world.office["post"].pk, "reason": "轮岗"}  # fmt: skip
    bad = office().post("/office/requests/new/", data)
    assert bad.status_code == 400 and "请选择调整到的岗位，或填写调出到的单位" in html(bad)
    ok = office().post("/office/requests/new/", data | {"to_post": propaganda.pk})
    assert ok.status_code == 302
    assert StaffRequest.objects.filter(kind=RequestKind.TRANSFER, to_post=propaganda).exists()


def test_staffing_shows_holders_vacancies_and_tenure_and_exports(world, users, client_for):
    posts.create_post(world.root, world.orgs["township"], "宣传岗")
    client = client_for(users.admin)
    page = html(client.get("/office/staffing/"))
    assert "组织岗" in page and "甲镇办干部" in page and "宣传岗" in page and "外镇" not in page
    assert 'data-testid="offices"' in page
    rows = xlsx_rows(client.get("/office/staffing/", {"export": "xlsx"}))
    header = rows[1]
    assert "任职年限（年）" in header
    by_post = {r[1]: dict(zip(header, r, strict=False)) for r in rows[2:]}
    assert by_post["宣传岗"]["在岗人员"] == "空缺"
    assert by_post["组织岗"]["待审批申请"] == 1
    assert by_post["组织岗"]["任职年限（年）"] > 0
    vacant = html(client.get("/office/staffing/", {"state": "vacant"})).split("<tbody")[-1]
    assert "宣传岗" in vacant and "组织岗" not in vacant


def test_staffing_runs_constant_queries(world, users, client_for):
    client = client_for(users.admin)
    with CaptureQueriesContext(connection) as small:
        client.get("/office/staffing/")
    for i in range(4):
        post = posts.create_post(world.root, world.orgs["township"], f"岗位{i}")
        person = make_user(world.root, f"staff_x{i}", f"干部{i}", world.orgs["township"], Role.TOWNSHIP_STAFF)
        posts.appoint_holder(world.root, post, person, TODAY, today=TODAY)
    with CaptureQueriesContext(connection) as big:
        client.get("/office/staffing/")
    assert len(big) == len(small)
    with CaptureQueriesContext(connection) as small:
        client.get("/office/requests/")
    for i in range(3):
        post = posts.create_post(world.root, world.orgs["township"], f"新岗位{i}")
        person = make_user(
            world.root, f"staff_y{i}", f"新干部{i}", world.orgs["township"], Role.TOWNSHIP_STAFF
        )
        svc.submit_request(
            world.root,
            world.orgs["township"],
            RequestKind.APPOINT,
            person=person,
            post=post,
            reason="x",
            today=TODAY,
        )
    with CaptureQueriesContext(connection) as big:
        client.get("/office/requests/")
    assert len(big) == len(small)


def test_api_requests_and_staffing(world, users, client_for):
    def county():
        return client_for(users.admin)

    def office():
        return client_for(users.office)

    req = world.office["request"]
    listed = office().get("/api/v1/office-staff-requests/").json()["results"]
    assert [r["org_name"] for r in listed] == ["镇甲"]
    assert listed[0]["steps"][0]["action"] == "submit"
    denied = office().post(
        f"/api/v1/office-staff-requests/{req.pk}/approve/", {}, content_type="application/json"
    )
    assert denied.status_code == 403 and "乡镇党建办不能审批" in denied.json()["detail"]
    assert (
        county()
        .post(f"/api/v1/office-staff-requests/{req.pk}/return/", {}, content_type="application/json")
        .status_code
        == 400
    )
    back = county().post(
        f"/api/v1/office-staff-requests/{req.pk}/return/", {"note": "补材料"}, content_type="application/json"
    )
    assert back.status_code == 200 and back.json()["status"] == "returned"
    assert [s["action"] for s in back.json()["steps"]] == ["submit", "return"]
    propaganda = posts.create_post(world.root, world.orgs["township"], "宣传岗")
    made = office().post(
        "/api/v1/office-staff-requests/",
        {"township": world.orgs["township"].pk, "kind": "appoint", "person": users.staff2.pk,
         "post": propaganda.pk, "reason": "工作需要"},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    ok = county().post(
        f"/api/v1/office-staff-requests/{made.json()['id']}/approve/", {}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    assert client_for(users.out_office).get(f"/api/v1/office-staff-requests/{req.pk}/").status_code == 404
    assert (
        client_for(users.out_office)
        .post(f"/api/v1/office-staff-requests/{req.pk}/approve/", {}, content_type="application/json")
        .status_code
        == 404
    )
    staffing = county().get("/api/v1/office-staffing/").json()["results"]
    names = {(r["org_name"], r["name"]): r for r in staffing}
    assert names[("镇甲", "宣传岗")]["holder_name"] == "甲镇办干部二"
    assert names[("镇甲", "宣传岗")]["tenure_years"] is not None
    assert all(r["org_name"] != "外镇" for r in staffing)
