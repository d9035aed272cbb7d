"""The case API: the same journeys as the pages, the list's tabs and filters, the resident's phone
masked, the timeline and categories, the grid leader and liaison seeing only their own, 404 outside
scope, the same refusals as the pages, and the OpenAPI schema."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from dangjian.cases import services
from dangjian.cases.models import Case, CaseFile, Category
from dangjian.core.models import RuleOverride
from dangjian.core.roles import Role

from . import test_pages_support as support
from .test_pages_support import RESIDENT_NAME, RESIDENT_PHONE, add_cases, audit_count, exe_as_pdf, png

pytestmark = pytest.mark.django_db
cases, media, users = support.cases, support.media, support.users  # shared fixtures
API = "/api/v1/cases/"


def post(client, url, data=None, multipart=False):
    if multipart:
        return client.post(url, data or {})
    return client.post(url, data or {}, content_type="application/json")


def action(client, case, name, multipart=False, **data):
    return post(client, f"{API}{case.pk}/{name}/", data, multipart)


def receipts(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["receipt_no"] for row in response.json()["results"]}


def test_problem_journey(client_for, users, cases):
    problem = cases["in_problem"]
    files = CaseFile.objects.filter(case=problem).count()
    r = action(client_for(users.secretary), problem, "transition", code="start")
    assert r.status_code == 200 and r.json()["state"] == "rectifying"
    r = action(
        client_for(users.secretary),
        problem,
        "transition",
        multipart=True,
        code="report_done",
        note="已上墙",
        files=[png()],
    )
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "done" and CaseFile.objects.filter(case=problem).count() == files + 1
    chief = client_for(users.chief)
    assert "accept" in chief.get(f"{API}{problem.pk}/").json()["actions"]
    assert action(chief, problem, "transition", code="accept").json()["state"] == "accepted"
    body = action(chief, problem, "transition", code="sign_off").json()
    assert body["state"] == "closed" and body["state_display"] == "已销号"
    events = chief.get("/api/v1/case-events/", {"case": problem.pk}).json()["results"]
    assert [e["label"] for e in events][-4:] == ["开始整改", "报告整改完成", "验收通过", "销号"]
    assert events[-3]["files"][0]["url"].startswith("/cases/files/")


def test_errand_journey_with_open(client_for, users, world, cases):
    secretary = client_for(users.secretary)
    r = post(
        secretary,
        API,
        {
            "kind": "errand",
            "org": world.orgs["branch"].pk,
            "service": cases["in_errand"].service_id,
            "source": "window",
            "resident_name": "赵某",
            "resident_phone": "13700002222",
        },
    )
    assert r.status_code == 201, r.content
    errand = Case.objects.get(pk=r.json()["id"])
    assert errand.title == "甲医保代缴" and r.json()["resident_phone"] == "13700002222"
    assert action(secretary, errand, "transition", code="promise", deadline="2099-01-01").status_code == 200
    assert action(secretary, errand, "transition", code="feedback", note="已办结").json()["state"] == "done"
    chief = client_for(users.chief)
    assert action(chief, errand, "transition", code="accept").json()["state"] == "accepted"
    assert action(chief, errand, "transition", code="sign_off").json()["state"] == "closed"
    r = action(client_for(users.chief), errand, "satisfaction", score=2, note="基本满意")
    assert r.status_code == 200 and r.json()["satisfaction_display"] == "基本满意"


def test_whistle_journey(client_for, users, world):
    category = world.cases["in_whistle"].category
    r = post(
        client_for(users.grid),
        API,
        {"kind": "whistle", "grid": world.grids["grid"].pk, "category": category.pk, "title": "楼道堆物"},
    )
    assert r.status_code == 201, r.content
    whistle = Case.objects.get(pk=r.json()["id"])
    assert r.json()["org_name"] == "社区甲" and r.json()["state"] == "raised"
    r = action(client_for(users.office), whistle, "route")  # the category's default departments
    assert r.status_code == 200, r.content
    assert r.json()["departments"] == ["部门甲住建"] and r.json()["state"] == "routed"
    liaison = client_for(users.liaison)
    assert action(liaison, whistle, "decide", accept=True).json()["state"] == "answered"
    assert action(liaison, whistle, "transition", code="solve", note="已清理").json()["state"] == "done"
    office = client_for(users.office)
    assert action(office, whistle, "transition", code="accept").json()["state"] == "accepted"
    assert action(office, whistle, "transition", code="sign_off").json()["state"] == "closed"
    r = action(office, whistle, "publish", public_result="楼道已清理")
    assert r.status_code == 200 and r.json()["published_at"]
    r = action(office, whistle, "unpublish", reason="更正")
    assert r.status_code == 200 and r.json()["published_at"] is None


def test_supervise_note_handover_reopen_escalate(client_for, users, cases):
    problem = cases["in_problem"]
    chief = client_for(users.chief)
    assert action(chief, problem, "supervise", multipart=True, note="督办", files=[png()]).status_code == 200
    assert action(chief, problem, "note", note="电话提醒").status_code == 200
    r = action(chief, problem, "handover", to=users.office.pk)
    assert r.status_code == 200 and r.json()["owner_name"] == "甲镇办干部"
    assert action(chief, problem, "escalate").json()["level"] == 2
    r = action(chief, problem, "reopen", reason="未办结")
    assert r.status_code == 400 and "尚未办结，无需重新打开" in r.json()["detail"]


def test_list_tabs_and_filters(client_for, users, cases, world):
    office = client_for(users.office)
    inside = {cases[k].receipt_no for k in ("in_problem", "in_errand", "in_whistle")}
    assert receipts(office.get(API)) == inside
    assert receipts(office.get(API, {"kind": "whistle"})) == {cases["in_whistle"].receipt_no}
    assert receipts(office.get(API, {"state": "whistle:routed"})) == {cases["in_whistle"].receipt_no}
    assert receipts(office.get(API, {"department": world.departments["dept"].pk})) == {
        cases["in_whistle"].receipt_no
    }
    assert receipts(office.get(API, {"q": "停车"})) == {cases["in_whistle"].receipt_no}
    secretary = client_for(users.secretary)
    assert receipts(secretary.get(API, {"view": "mine"})) == {
        cases["in_problem"].receipt_no,
        cases["in_errand"].receipt_no,
    }
    today = timezone.localdate()
    Case.objects.filter(pk=cases["in_problem"].pk).update(deadline=today - datetime.timedelta(days=1))
    Case.objects.filter(pk=cases["in_errand"].pk).update(deadline=today + datetime.timedelta(days=30))
    r = client_for(users.office).get(API, {"view": "overdue"})
    assert receipts(r) == {cases["in_problem"].receipt_no}
    assert r.json()["results"][0]["deadline_status"] == "overdue"
    services.act(users.secretary, Case.objects.get(pk=cases["in_problem"].pk), "report_done", note="完成")
    assert receipts(client_for(users.chief).get(API, {"view": "acceptance"})) == {
        cases["in_problem"].receipt_no
    }
    rows = client_for(users.office).get(API, {"ordering": "receipt_no"}).json()["results"]
    assert [r["receipt_no"] for r in rows] == sorted(r["receipt_no"] for r in rows)


def test_list_has_no_resident_data_and_detail_masks_the_phone(client_for, users, cases):
    errand = cases["in_errand"]
    listing = client_for(users.chief).get(API).content.decode()
    assert RESIDENT_NAME not in listing and RESIDENT_PHONE not in listing
    assert client_for(users.chief).get(f"{API}{errand.pk}/").json()["resident_phone"] == "138****1234"
    assert client_for(users.secretary).get(f"{API}{errand.pk}/").json()["resident_phone"] == RESIDENT_PHONE
    assert client_for(users.office).get(f"{API}{errand.pk}/").json()["resident_phone"] == RESIDENT_PHONE
    assert client_for(users.admin).get(f"{API}{errand.pk}/").json()["resident_phone"] == RESIDENT_PHONE


@pytest.mark.parametrize("role", [Role.GRID_LEADER, Role.DEPT_LIAISON])
def test_grid_leader_and_liaison_see_only_their_whistles(client_for, world, cases, role):
    client = client_for(world.user(role))
    assert receipts(client.get(API)) == {cases["in_whistle"].receipt_no}
    assert client.get(f"{API}{cases['in_whistle'].pk}/").status_code == 200
    assert client.get(f"{API}{cases['in_problem'].pk}/").status_code == 404
    assert client.get(f"{API}{cases['out_whistle'].pk}/").status_code == 404
    events = client.get("/api/v1/case-events/").json()["results"]
    assert {e["case"] for e in events} == {cases["in_whistle"].pk}


def test_outside_scope_is_404_and_nothing_written(client_for, users, cases):
    out = cases["out_problem"]
    admin = client_for(users.admin)
    audits = audit_count()
    assert admin.get(f"{API}{out.pk}/").status_code == 404
    for name, data in (("transition", {"code": "start"}), ("supervise", {"note": "x"}), ("publish", {})):
        assert action(admin, out, name, **data).status_code == 404
    r = post(admin, API, {"kind": "problem", "org": out.org_id, "title": "越权", "owner": users.admin.pk})
    assert r.status_code == 404
    assert audit_count() == audits and Case.objects.get(pk=out.pk).state == out.state


def done_problem(users, cases):
    problem = cases["in_problem"]
    services.act(users.secretary, problem, "report_done", note="已整改")
    return Case.objects.get(pk=problem.pk)


def test_bad_input_is_refused_with_the_services_message(client_for, users, world, cases):
    problem = done_problem(users, cases)
    audits = audit_count()
    r = action(client_for(users.chief), problem, "transition", code="sign_off")
    assert r.status_code == 400 and r.json()["detail"] == "案件当前状态为“待验收”，不能销号。"
    r = action(client_for(users.secretary), problem, "transition", code="accept")
    assert r.status_code == 403 and "验收须由责任人以外的人办理" in r.json()["detail"]
    r = action(
        client_for(users.office), cases["in_whistle"], "route", departments=[world.departments["out_dept"].pk]
    )
    assert r.status_code == 400 and r.json()["departments"] == [
        "只能派单到本县部门，所选部门不存在或不属于本县。"
    ]
    r = post(
        client_for(users.chief),
        API,
        {
            "kind": "problem",
            "org": world.orgs["branch"].pk,
            "title": "时限早于立项",
            "owner": users.secretary.pk,
            "deadline": "2000-01-01",
        },
    )
    assert r.status_code == 400 and r.json()["deadline"] == ["办结时限不能早于立项日期。"]
    assert audit_count() == audits


def test_files_refused(client_for, users, world, cases):
    problem = cases["in_problem"]
    audits, files = audit_count(), CaseFile.objects.filter(case=problem).count()
    r = action(client_for(users.chief), problem, "note", multipart=True, note="报告", files=[exe_as_pdf()])
    assert r.status_code == 400 and r.json()["files"] == ["“整改报告.pdf”的内容不是有效的PDF文件。"]
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="cases.file_max_mb",
        value=1,
        source="县通知",
        effective_from="2020-01-01",
    )
    r = action(
        client_for(users.chief),
        problem,
        "supervise",
        multipart=True,
        note="督办",
        files=[png(size=2 * 1024 * 1024)],
    )
    assert r.status_code == 400 and "超过1MB" in r.json()["detail"]
    assert audit_count() == audits and CaseFile.objects.filter(case=problem).count() == files


def test_reopen_twice_in_the_same_minute_and_stale_version(client_for, users, cases):
    problem = done_problem(users, cases)
    services.act(users.chief, problem, "accept")
    chief = client_for(users.chief)
    stale = Case.objects.get(pk=problem.pk).version
    assert action(chief, problem, "transition", code="sign_off", version=stale).status_code == 200
    r = action(client_for(users.office), problem, "transition", code="sign_off", version=stale)
    assert r.status_code == 400 and r.json()["detail"] == "该案件刚被他人办理，请刷新后再试。"
    office = client_for(users.office)
    moment = timezone.now().replace(second=1)
    with mock.patch("dangjian.cases.services._now", return_value=moment):
        assert action(office, problem, "reopen", reason="群众反映").status_code == 200
        r = action(office, problem, "reopen", reason="再次")
    assert r.status_code == 400 and r.json()["reason"] == ["同一分钟内不能重复重新打开同一案件。"]
    assert Case.objects.get(pk=problem.pk).reopen_count == 1


def test_categories(client_for, users, world):
    admin = client_for(users.admin)
    names = {c["name"] for c in admin.get("/api/v1/case-categories/").json()["results"]}
    assert names == {"甲停车难", "甲组织建设"}
    r = post(
        admin,
        "/api/v1/case-categories/",
        {
            "county": world.orgs["county"].pk,
            "kind": "whistle",
            "name": "甲噪音扰民",
            "solve_days": 5,
            "departments": [world.departments["dept"].pk],
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["department_names"] == ["部门甲住建"]
    pk = r.json()["id"]
    r = admin.patch(f"/api/v1/case-categories/{pk}/", {"solve_days": 4}, content_type="application/json")
    assert (
        r.status_code == 200
        and r.json()["solve_days"] == 4
        and r.json()["department_names"] == ["部门甲住建"]
    )
    r = post(
        admin,
        "/api/v1/case-categories/",
        {"county": world.orgs["out_county"].pk, "kind": "problem", "name": "越权"},
    )
    assert r.status_code == 404
    r = post(
        client_for(users.office),
        "/api/v1/case-categories/",
        {"county": world.orgs["county"].pk, "kind": "problem", "name": "镇里设的"},
    )
    assert r.status_code == 404 and not Category.objects.filter(name="镇里设的").exists()


def test_schema_lists_the_case_endpoints(client):
    r = client.get("/api/schema/", {"format": "json"})
    assert r.status_code == 200
    paths = r.json()["paths"]
    for p in (
        "/api/v1/cases/",
        "/api/v1/cases/{id}/",
        "/api/v1/cases/{id}/transition/",
        "/api/v1/cases/{id}/route/",
        "/api/v1/cases/{id}/decide/",
        "/api/v1/cases/{id}/satisfaction/",
        "/api/v1/case-events/",
        "/api/v1/case-categories/{id}/",
    ):
        assert p in paths, p
    params = {p["name"] for p in paths["/api/v1/cases/"]["get"]["parameters"]}
    assert {"view", "kind", "state", "department", "grid", "q", "ordering"} <= params
    assert "multipart/form-data" in paths["/api/v1/cases/{id}/transition/"]["post"]["requestBody"]["content"]


def test_list_queries_do_not_grow_with_rows(client_for, users, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        office = client_for(users.office)
        with CaptureQueriesContext(connection) as ctx:
            assert office.get(API, {"page_size": 100}).status_code == 200
        return len(ctx)

    add_cases(world, users, 2, "少")
    few = count()
    add_cases(world, users, 12, "多")
    assert count() == few
