"""The tasks API: scoped lists, create through the services, dispatch/relay/report actions, report_for,
the roll-up endpoint; bad input is a 400 with the Chinese message beside its field, nothing written."""

import pytest

from dangjian.core.roles import Role
from dangjian.tasks import services
from dangjian.tasks.models import Assignment, Task, TaskReport
from dangjian.tasks.testing import scenario

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_lists_are_scoped(world, client_for):
    s = scenario(world)
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    data = client.get(f"{API}/task-lists/", {"month": "2027-03"}).json()
    assert [r["title"] for r in data["results"]] == ["镇甲三月任务"]
    names = {r["org_name"] for r in client.get(f"{API}/assignments/", {"page_size": 500}).json()["results"]}
    assert "村甲一" in names and "外村" not in names
    assert client.get(f"{API}/tasks/{s['canal'].pk}/").json()["target_amount"] == "1000.00"
    out = client_for(world.user("out_admin"))
    for url in (
        f"{API}/tasks/{s['canal'].pk}/",
        f"{API}/assignments/{s['branch'].pk}/",
        f"{API}/task-lists/{s['list'].pk}/",
    ):
        assert out.get(url).status_code == 404
    assert (
        out.post(
            f"{API}/assignments/{s['branch'].pk}/report/",
            {"text": "x", "amount": 1},
            content_type="application/json",
        ).status_code
        == 404
    )
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/task-rollup/" in text and "/api/v1/assignments/{id}/report/" in text


def test_create_dispatch_report_over_api(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    r = client.post(
        f"{API}/task-lists/",
        {"org": world.orgs["township"].pk, "period_start": "2027-06-09"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["period_start"] == "2027-06-01"
    tl = r.json()["id"]
    weekly = client.post(
        f"{API}/task-lists/",
        {"org": world.orgs["township"].pk, "period_start": "2027-06-07", "kind": "weekly"},
        content_type="application/json",
    )
    assert weekly.status_code == 400 and "两下两上" in weekly.json()["kind"][0]
    r = client.post(
        f"{API}/tasks/",
        {"task_list": tl, "title": "甲镇修路", "due": "2027-06-30", "target_value": "50", "unit": "米"},
        content_type="application/json",
    )
    assert r.status_code == 201
    task = r.json()["id"]
    r = client.post(
        f"{API}/tasks/{task}/dispatch/",
        {"orgs": [world.orgs["out_branch"].pk]},
        content_type="application/json",
    )
    assert r.status_code == 400 and "不在您的管辖范围内" in r.json()["orgs"][0]
    r = client.post(
        f"{API}/tasks/{task}/dispatch/",
        {"kind": "branch", "due": "2020-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "完成期限不能早于下达日期" in r.json()["due"][0]
    assert not Assignment.objects.filter(task_id=task).exists()
    r = client.post(
        f"{API}/tasks/{task}/dispatch/", {"orgs": [world.orgs["station"].pk]}, content_type="application/json"
    )
    assert r.status_code == 201
    station = r.json()[0]["id"]
    chief = client_for(world.user(Role.STATION_CHIEF))
    r = chief.post(f"{API}/assignments/{station}/relay/", {"kind": "branch"}, content_type="application/json")
    assert r.status_code == 201 and len(r.json()) == 2
    branch = next(a["id"] for a in r.json() if a["org"] == world.orgs["branch"].pk)
    secretary = client_for(world.user(Role.VILLAGE_SECRETARY))
    r = secretary.post(
        f"{API}/assignments/{branch}/report/",
        {"text": "修了60米", "amount": "60"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["amount"] == "60.00"
    assert Assignment.objects.get(pk=station).done_amount == 60
    r = secretary.post(
        f"{API}/assignments/{branch}/report/", {"text": "负", "amount": "-1"}, content_type="application/json"
    )
    assert r.status_code == 400 and "不能为负数" in r.json()["amount"][0]
    chief = client_for(world.user(Role.STATION_CHIEF))  # one test client: log in again
    r = chief.post(
        f"{API}/assignments/{station}/report/",
        {"text": "站里报", "amount": "1"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "由下级报告" in r.json()["detail"], r.content.decode()


def test_task_reports_create_is_report_for(world, client_for):
    s = scenario(world)
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    before = TaskReport.objects.count()
    r = client.post(
        f"{API}/task-reports/",
        {"task": s["study"].pk, "org": world.orgs["community"].pk, "text": "x", "checklist_done": [0]},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["org"] == ["该组织未承办此任务，不能报告。"]
    r = client.post(
        f"{API}/task-reports/",
        {"task": s["study"].pk, "org": world.orgs["branch"].pk, "text": "x", "checklist_done": [0, 1, 2, 3]},
        content_type="application/json",
    )
    assert r.status_code == 400 and "完成事项超过清单总数" in r.json()["checklist_done"][0]
    assert TaskReport.objects.count() == before
    r = client.post(
        f"{API}/task-reports/",
        {
            "task": s["study"].pk,
            "org": world.orgs["branch"].pk,
            "text": "全部完成",
            "checklist_done": [0, 1, 2],
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["checklist_done"] == [0, 1, 2]
    listed = client.get(f"{API}/task-reports/", {"task": s["study"].pk}).json()["results"]
    assert {x["org_name"] for x in listed} == {"村甲一", "村甲二"}


def test_rollup_endpoint(world, client_for):
    s = scenario(world)
    client = client_for(world.user(Role.COUNTY_ADMIN))
    data = client.get(f"{API}/task-rollup/", {"org": world.orgs["township"].pk, "month": "2027-03"}).json()
    by_org = {r["org_name"]: r for r in data["children"]}
    assert by_org["站甲"]["target"] == "2006.00" and by_org["社区甲"]["percent"] == 0
    assert [t["task_id"] for t in data["tasks"]] == [s["canal"].pk, s["study"].pk]
    assert (
        client_for(world.user("out_admin"))
        .get(f"{API}/task-rollup/", {"org": world.orgs["township"].pk})
        .status_code
        == 404
    )
    assert Task.objects.filter(pk=s["canal"].pk).exists()
    assert services  # the API writes only through services
