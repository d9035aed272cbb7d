"""Pages and API: scoped lists with search and Excel, 404 outside scope, refusals as 400 beside the field,
and a constant number of queries whatever the row count."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dangjian.core.roles import Role
from dangjian.volunteers import services
from dangjian.volunteers.choices import CallOutKind, TeamKind
from dangjian.volunteers.models import CallOut, TeamMember
from dangjian.volunteers.testing import at

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LISTS = ("/volunteers/", "/volunteers/callouts/", "/volunteers/members/")


def sheet_text(response) -> str:
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return "\n".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)


@pytest.mark.parametrize("url", LISTS)
def test_lists_are_scoped_and_export(world, client_for, url):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    page = client.get(url).content.decode()
    assert "甲镇党员志愿服务队" in page and "外镇" not in page
    r = client.get(url, {"export": "xlsx"})
    assert r["Content-Type"] == XLSX
    text = sheet_text(r)
    assert "甲镇党员志愿服务队" in text and "外镇" not in text


def test_team_list_search_filter_and_totals(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    page = client.get("/volunteers/", {"kind": TeamKind.EMERGENCY}).content.decode()
    assert "甲镇汛期党员突击队" in page and "甲镇党员志愿服务队" not in page
    page = client.get("/volunteers/", {"q": "志愿服务", "sort": "-total_hours"}).content.decode()
    assert "甲镇党员志愿服务队" in page and "共 1 条" in page
    members = client.get("/volunteers/members/", {"q": "甲党员一"}).content.decode()
    assert "8.0" in members


def test_detail_pages_404_outside_scope(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    out = world.volunteers["外"]
    assert client.get(f"/volunteers/{out['team'].pk}/").status_code == 404
    assert client.get(f"/volunteers/callouts/{out['callout'].pk}/").status_code == 404
    own = world.volunteers["甲"]
    page = client.get(f"/volunteers/{own['team'].pk}/").content.decode()
    assert "甲党员一" in page and "服务时长合计 8.0 小时" in page
    page = client.get(f"/volunteers/callouts/{own['callout'].pk}/").content.decode()
    assert "到岗 1 人" in page and "登记到岗" in page


def test_a_secretary_sees_only_the_village_team(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    page = client.get("/volunteers/").content.decode()
    assert "甲村文明实践志愿队" in page and "甲镇党员志愿服务队" not in page


def test_ui_refusals_show_beside_the_field(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    flood = world.volunteers["甲"]["flood"]
    r = client.post(
        f"/volunteers/{flood.pk}/callout/",
        {
            "kind": CallOutKind.FLOOD,
            "starts_at": "2026-07-20T20:00",
            "ends_at": "2026-07-21T06:00",
            "place": "黄河沿岸",
            "task": "巡堤",
        },
    )
    assert r.status_code == 400 and "尚无在队队员，不能出动" in r.content.decode()
    team = world.volunteers["甲"]
    r = client.post(
        f"/volunteers/{team['team'].pk}/callout/",
        {
            "kind": CallOutKind.HOLIDAY,
            "starts_at": "2026-10-01T18:00",
            "ends_at": "2026-10-01T08:00",
            "place": "景区路口",
            "task": "疏导",
            "members": [team["party"].pk],
        },
    )
    assert r.status_code == 400 and "结束时间须晚于开始时间" in r.content.decode()
    r = client.post(
        f"/volunteers/callouts/{team['callout'].pk}/attendance/", {f"hours_{team['party'].pk}": "30"}
    )
    assert r.status_code == 400 and "超过本次出动可登记的上限" in r.content.decode()


def test_ui_writes(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    r = client.post(
        "/volunteers/new/",
        {
            "org": world.orgs["township"].pk,
            "name": "甲镇防汛突击队",
            "kind": "emergency",
            "founded_on": "2026-06-01",
        },
    )
    assert r.status_code == 302
    team = world.volunteers["甲"]
    r = client.post(f"/volunteers/{team['team'].pk}/enrol/", {"name": "甲群众二", "joined_on": "2026-06-01"})
    assert r.status_code == 302 and TeamMember.objects.filter(name="甲群众二").exists()
    r = client.post(
        f"/volunteers/{team['team'].pk}/callout/",
        {
            "kind": CallOutKind.HOLIDAY,
            "starts_at": "2026-10-01T08:00",
            "ends_at": "2026-10-01T18:00",
            "place": "景区售票处",
            "task": "秩序维持",
            "members": [team["party"].pk, team["resident"].pk],
        },
    )
    assert r.status_code == 302
    callout = CallOut.objects.get(starts_at=at(datetime.date(2026, 10, 1), 8))
    r = client.post(f"/volunteers/callouts/{callout.pk}/attendance/", {f"hours_{team['party'].pk}": "9.5"})
    assert r.status_code == 302
    assert callout.attendance.get(team_member=team["party"]).hours == 9.5


def test_out_of_scope_org_cannot_be_chosen(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    r = client.post(
        "/volunteers/new/",
        {"org": world.orgs["out_township"].pk, "name": "越权", "kind": "service", "founded_on": "2026-06-01"},
    )
    assert r.status_code == 400 and "不在您的管辖范围内" in r.content.decode()


def test_api_lists_are_scoped(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    for url in ("/api/v1/volunteer-teams/", "/api/v1/volunteer-callouts/", "/api/v1/volunteer-members/"):
        body = client.get(url).content.decode()
        assert "甲" in body and "外" not in body, url
    out = world.volunteers["外"]
    assert client.get(f"/api/v1/volunteer-teams/{out['team'].pk}/").status_code == 404
    assert client.get(f"/api/v1/volunteer-callouts/{out['callout'].pk}/").status_code == 404


def test_api_writes_and_refusals(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    v, out = world.volunteers["甲"], world.volunteers["外"]
    body = {
        "team": v["flood"].pk,
        "kind": "flood",
        "starts_at": "2026-07-20T20:00:00+08:00",
        "ends_at": "2026-07-21T06:00:00+08:00",
        "place": "黄河沿岸",
        "task": "巡堤",
        "members": [],
    }
    r = client.post("/api/v1/volunteer-callouts/", body, content_type="application/json")
    assert r.status_code == 400 and "尚无在队队员" in r.json()["detail"] and r.json()["members"]
    r = client.post(
        f"/api/v1/volunteer-teams/{v['flood'].pk}/enrol/",
        {"member": world.members["member"].pk, "joined_on": "2026-06-01"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["name"] == "甲党员一"
    flood_member = r.json()["id"]
    r = client.post(
        "/api/v1/volunteer-callouts/", body | {"members": [flood_member]}, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["called_count"] == 1
    callout = r.json()["id"]
    url = f"/api/v1/volunteer-callouts/{callout}/attendance/"
    r = client.post(
        url, {"present": [{"team_member": v["party"].pk, "hours": 3}]}, content_type="application/json"
    )
    assert r.status_code == 400 and "不是甲镇汛期党员突击队的队员" in r.json()["detail"]
    r = client.post(
        url, {"present": [{"team_member": out["party"].pk, "hours": 3}]}, content_type="application/json"
    )
    assert r.status_code == 404
    r = client.post(
        url, {"present": [{"team_member": flood_member, "hours": 10}]}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["total_hours"] == "10.0"
    r = client.post(
        "/api/v1/volunteer-callouts/",
        body | {"ends_at": "2026-07-20T19:00:00+08:00", "members": [flood_member]},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["ends_at"] == ["结束时间须晚于开始时间。"]


def _grow(world, n: int) -> None:
    v = world.volunteers["甲"]
    for i in range(n):
        team = services.create_team(
            world.root,
            world.orgs["township"],
            name=f"甲增队{i}",
            kind="service",
            founded_on=datetime.date(2026, 1, 10),
        )
        tm = services.enrol(world.root, team, name=f"甲增员{i}", joined_on=datetime.date(2026, 1, 10))
        services.enrol(world.root, v["team"], name=f"甲增员{i}", joined_on=datetime.date(2026, 1, 10))
        c = services.create_callout(
            world.root,
            team,
            kind="holiday",
            starts_at=at(datetime.date(2026, 5, 2), 8),
            ends_at=at(datetime.date(2026, 5, 2), 12),
            place="景区",
            task="疏导",
            members=[tm],
        )
        services.record_attendance(world.root, c, [(tm, 2)])


def test_constant_queries(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    v = world.volunteers["甲"]
    urls = [
        *LISTS,
        f"/volunteers/{v['team'].pk}/",
        f"/volunteers/callouts/{v['callout'].pk}/",
        "/api/v1/volunteer-callouts/",
        "/api/v1/volunteer-teams/",
    ]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    client.get(urls[0])
    small = counts()
    _grow(world, 6)
    assert counts() == small
