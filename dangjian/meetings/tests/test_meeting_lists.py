"""The meeting list and the attendance list: filters, search, sorting, Excel export, constant query
counts; and the API: scoped lists, retrieve, create and the actions, in the OpenAPI schema."""

import datetime
import io
import json

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.meetings import services
from dangjian.meetings.choices import Attendance, MeetingKind, MeetingStatus
from dangjian.meetings.models import Meeting
from dangjian.meetings.testing import plan
from dangjian.members.testing import add_member

pytestmark = pytest.mark.django_db


def sheet(response) -> list[tuple]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    ws = load_workbook(io.BytesIO(data), read_only=True).active
    return [tuple(c for c in row) for row in ws.iter_rows(values_only=True)]


def text(response) -> str:
    return response.content.decode()


def test_the_list_shows_only_meetings_in_scope(world, client_for):
    page = text(client_for(world.user(Role.VILLAGE_SECRETARY)).get("/meetings/"))
    assert "甲村十月主题党日" in page and "甲组学习会" in page
    assert "甲二村支委会" not in page and "外村" not in page and "甲镇第42周小结" not in page
    office = text(client_for(world.user(Role.TOWNSHIP_STAFF)).get("/meetings/"))
    assert "甲二村支委会" in office and "甲镇第42周小结" in office and "外村" not in office


@pytest.mark.parametrize(
    "query,shown,hidden",
    [
        ({"kind": "office_weekly"}, "甲镇第42周小结", "甲村十月主题党日"),
        ({"status": "held"}, "甲站十月小结", "甲二村支委会"),
        ({"q": "支委"}, "甲二村支委会", "甲村十月主题党日"),
        ({"q": "甲站活动室"}, "甲站十月小结", "甲村十月主题党日"),
        ({"month": "2026-10"}, "甲村十月主题党日", "甲村十二月会议"),
        ({"month": "2026-12"}, "甲村十二月会议", "甲村十月主题党日"),
        ({"date_from": "2026-12-01", "date_to": "2026-12-31"}, "甲村十二月会议", "甲站十月小结"),
        ({"date_to": "2026-10-31"}, "甲站十月小结", "甲村十二月会议"),
    ],
)
def test_filters(world, client_for, query, shown, hidden):
    plan(world, topic="甲村十二月会议", planned_at=timezone.make_aware(datetime.datetime(2026, 12, 20, 9)))
    page = text(client_for(world.user(Role.TOWNSHIP_STAFF)).get("/meetings/", query))
    assert shown in page and hidden not in page


def test_the_org_filter_is_a_subtree_and_an_unseen_org_shows_nothing(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    page = text(client.get("/meetings/", {"org": world.orgs["station"].pk}))
    assert "甲村十月主题党日" in page and "甲二村支委会" in page and "甲镇第42周小结" not in page
    page = text(client.get("/meetings/", {"org": world.orgs["out_branch"].pk}))
    assert "没有符合条件的会议" in page


def test_sorting(world, client_for):
    plan(world, topic="甲村更早的会议", planned_at=timezone.make_aware(datetime.datetime(2026, 1, 5, 9)))
    page = text(client_for(world.user(Role.VILLAGE_SECRETARY)).get("/meetings/", {"ordering": "planned_at"}))
    assert page.index("甲村更早的会议") < page.index("甲村十月主题党日")


def test_the_meeting_export_is_the_ledger(world, client_for):
    r = client_for(world.user(Role.TOWNSHIP_STAFF)).get("/meetings/", {"export": "xlsx", "kind": "theme_day"})
    rows = sheet(r)
    header = rows[1]
    assert "主题" in header and "出席/应到" in header and "会议记录" in header
    body = {row[header.index("主题")]: row for row in rows[2:]}
    mine = body["甲村十月主题党日"]
    assert mine[header.index("出席/应到")] == "1/2" and mine[header.index("会议记录")] == "已审定"
    assert mine[header.index("时间")] == "2026-10-15 09:05"
    assert "外村十月主题党日" not in body


def test_the_attendance_list_and_its_export(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    page = text(client.get("/meetings/attendance/"))
    assert "甲党员一" in page and "甲预备党员" in page and "外党员" not in page
    page = text(client.get("/meetings/attendance/", {"status": "excused"}))
    assert "甲预备党员" in page and "甲党员一" not in page
    rows = sheet(client.get("/meetings/attendance/", {"export": "xlsx"}))
    header = rows[1]
    assert header[:6] == ("姓名", "会议", "组织", "会议类型", "日期", "出席情况")
    found = {(r[0], r[5], r[6]) for r in rows[2:]}
    assert ("甲预备党员", "请假", "家中有事") in found and ("甲党员一", "出席", None) in found


def grow(world, n: int) -> None:
    """`n` more held meetings at the branch, each with every member expected."""
    for i in range(n):
        m = plan(world, topic=f"甲村加会{i}", planned_at=timezone.now() - datetime.timedelta(days=i + 1))
        services.record_held(world.root, m, m.planned_at)


@pytest.mark.parametrize("url", ["/meetings/", "/meetings/attendance/"])
def test_list_queries_do_not_grow_with_rows(world, client_for, django_assert_max_num_queries, url):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    grow(world, 2)
    client.get(url)
    with django_assert_max_num_queries(14) as small:
        client.get(url)
    grow(world, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


# --- API -----------------------------------------------------------------------------------------------


def test_api_lists_are_scoped_and_filterable(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    data = client.get("/api/v1/meetings/", HTTP_ACCEPT="application/json").json()
    topics = {m["topic"] for m in data["results"]}
    assert "甲村十月主题党日" in topics and not any("外" in t for t in topics)
    mine = next(m for m in data["results"] if m["topic"] == "甲村十月主题党日")
    assert (mine["expected_count"], mine["present_count"], mine["minutes_approved"]) == (2, 1, True)
    rows = client.get("/api/v1/meeting-attendances/", {"status": "present", "format": "json"}).json()[
        "results"
    ]
    assert {r["name"] for r in rows} == {"甲党员一"} and rows[0]["held_on"] == "2026-10-15"
    detail = client.get(f"/api/v1/meetings/{mine['id']}/", format="json").json()
    assert {a["name"] for a in detail["attendances"]} == {"甲党员一", "甲预备党员"}
    assert detail["files"][0]["url"].startswith("/meetings/files/")
    out = world.meetings["out"]
    assert client.get(f"/api/v1/meetings/{out.pk}/", format="json").status_code == 404


def test_api_create_held_attendance_and_cancel(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    when = (timezone.localtime() - datetime.timedelta(hours=1)).isoformat()
    r = client.post(
        "/api/v1/meetings/",
        {"org": world.orgs["branch"].pk, "kind": "lecture", "topic": "甲村书记讲党课", "planned_at": when},
        content_type="application/json",
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["expected_count"] == 2 and body["status"] == "planned"
    pk = body["id"]
    member = world.members["member"].pk
    r = client.post(
        f"/api/v1/meetings/{pk}/held/",
        {"held_at": when, "items": [{"member": member, "status": "present"}]},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "held"
    probationary = world.members["probationary"].pk
    r = client.post(
        f"/api/v1/meetings/{pk}/attendance/",
        {"items": [{"member": probationary, "status": "excused", "reason": "外出"}]},
        content_type="application/json",
    )
    assert r.status_code == 200
    statuses = {a["name"]: a["status"] for a in r.json()["attendances"]}
    assert statuses == {"甲党员一": Attendance.PRESENT, "甲预备党员": Attendance.EXCUSED}
    r = client.post(f"/api/v1/meetings/{pk}/cancel/", {"reason": "重复"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"] == "只有计划中的会议可以取消。"
    planned = plan(world)
    r = client.post(
        f"/api/v1/meetings/{planned.pk}/cancel/", {"reason": "改期"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == MeetingStatus.CANCELLED


def test_api_sign_in_and_minutes(world, client_for):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    client = client_for(secretary)
    meeting = plan(world, planned_at=timezone.now())
    r = client.post(f"/api/v1/meetings/{meeting.pk}/open-sign-in/")
    assert r.status_code == 200
    code = r.json()["code"]
    assert r.json()["url"].endswith(f"/meetings/{meeting.pk}/sign-in/?code={code}")
    row = meeting.attendances.get(name="甲党员一")
    wrong = "111111" if code != "111111" else "222222"
    r = client.post(
        f"/api/v1/meetings/{meeting.pk}/sign-in/",
        {"code": wrong, "attendance": row.pk},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["detail"] == "签到码不正确。"
    r = client.post(
        f"/api/v1/meetings/{meeting.pk}/sign-in/",
        {"code": code, "attendance": row.pk},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "present"
    services.record_held(secretary, meeting, timezone.now())
    r = client.post(
        f"/api/v1/meetings/{meeting.pk}/minutes/", {"minutes": "记录"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["minutes"] == "记录"


def test_api_create_refuses_an_org_outside_scope(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    before = (Meeting.objects.count(), AuditEvent.objects.count())
    r = client.post(
        "/api/v1/meetings/",
        {
            "org": world.orgs["out_branch"].pk,
            "kind": "theme_day",
            "topic": "越权",
            "planned_at": "2026-12-20T09:00",
        },
        content_type="application/json",
    )
    assert r.status_code == 404 and (Meeting.objects.count(), AuditEvent.objects.count()) == before


def test_the_schema_lists_the_endpoints(world, client_for):
    r = client_for(world.root).get("/api/schema/", {"format": "json"})
    assert r.status_code == 200
    paths = json.loads(r.content)["paths"]
    for path in (
        "/api/v1/meetings/",
        "/api/v1/meetings/{id}/held/",
        "/api/v1/meetings/{id}/cancel/",
        "/api/v1/meetings/{id}/attendance/",
        "/api/v1/meetings/{id}/sign-in/",
        "/api/v1/meetings/{id}/approve-minutes/",
        "/api/v1/meeting-attendances/",
    ):
        assert path in paths, path


def test_group_meeting_counts_members_of_the_group_only(world):
    grouped = add_member(world.orgs["branch"], "甲小组党员", 41, group=world.orgs["group"])
    meeting = plan(world, org="group", kind=MeetingKind.GROUP)
    assert list(meeting.attendances.values_list("member", flat=True)) == [grouped.pk]
