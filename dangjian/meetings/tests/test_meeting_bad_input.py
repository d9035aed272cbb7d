"""The issue's bad-input list, through the API and the pages: each refused with a 400 and a clear Chinese
message, and nothing written (no meeting, attendance or audit row changes)."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.meetings import services
from dangjian.meetings.models import Meeting, MeetingAttendance
from dangjian.meetings.testing import plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def state():
    rows = MeetingAttendance.objects.values_list("pk", "status", "reason", "signin_method")
    meetings = Meeting.objects.values_list("pk", "status", "held_at", "minutes_approved_at", "kind")
    return set(rows), set(meetings), AuditEvent.objects.count()


def refused(response, message: str) -> None:
    assert response.status_code == 400, response.content.decode()[:300]
    body = response.json() if response["Content-Type"].startswith("application/json") else None
    text = body["detail"] if body else response.content.decode()
    assert message in text


@pytest.fixture
def setup(world, client_for):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    meeting = plan(world, planned_at=timezone.now() - datetime.timedelta(minutes=10))
    services.open_signin(secretary, meeting)
    meeting.refresh_from_db()
    expired = plan(world, topic="甲村昨日会议", planned_at=timezone.now() - datetime.timedelta(days=1))
    expired.signin_code, expired.signin_opens_at = (
        "123456",
        expired.planned_at - datetime.timedelta(minutes=30),
    )
    expired.signin_expires_at = expired.planned_at + datetime.timedelta(hours=2)
    expired.save()
    held = plan(world, topic="甲村已开会议", planned_at=timezone.now() - datetime.timedelta(hours=3))
    services.record_held(secretary, held, timezone.now() - datetime.timedelta(hours=2))
    services.save_minutes(secretary, held, "会议记录")
    return {
        "client": client_for(secretary),
        "meeting": meeting,
        "expired": expired,
        "held": held,
        "world": world,
    }


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_held_in_the_future(setup):
    before, m = state(), setup["meeting"]
    future = (timezone.localtime() + datetime.timedelta(hours=1)).isoformat()
    refused(
        post(setup["client"], f"/api/v1/meetings/{m.pk}/held/", {"held_at": future}),
        "会议召开时间不能晚于当前时间",
    )
    page = setup["client"].post(f"/meetings/{m.pk}/held/", {"held_at": future[:16]})
    refused(page, "会议召开时间不能晚于当前时间")
    assert state() == before


def test_attendance_for_someone_not_in_the_branch(setup):
    before, m, w = state(), setup["meeting"], setup["world"]
    for member in (w.members["sibling"], w.members["out"]):
        r = post(
            setup["client"],
            f"/api/v1/meetings/{m.pk}/attendance/",
            {"items": [{"member": member.pk, "status": "present"}]},
        )
        refused(r, f"{member.person.name}不是村甲一党员，不能登记参会。")
    assert state() == before


def test_more_attendees_than_members(setup):
    before, m, w = state(), setup["meeting"], setup["world"]
    items = [{"attendance": r.pk, "status": "present"} for r in m.attendances.all()]
    items.append({"member": w.members["sibling"].pk, "status": "present"})
    r = post(setup["client"], f"/api/v1/meetings/{m.pk}/attendance/", {"items": items})
    refused(r, "出席人数（3人）超过村甲一党员人数（2人）")
    assert state() == before


def test_sign_in_with_a_wrong_code(setup):
    before, m = state(), setup["meeting"]
    row = m.attendances.first()
    wrong = "000000" if m.signin_code != "000000" else "999999"
    refused(
        post(setup["client"], f"/api/v1/meetings/{m.pk}/sign-in/", {"code": wrong, "attendance": row.pk}),
        "签到码不正确",
    )
    page = setup["client"].post(f"/meetings/{m.pk}/sign-in/", {"code": wrong, "attendance": row.pk})
    refused(page, "签到码不正确")
    assert state() == before


def test_sign_in_with_an_expired_code(setup):
    before, m = state(), setup["expired"]
    row = m.attendances.first()
    refused(
        post(setup["client"], f"/api/v1/meetings/{m.pk}/sign-in/", {"code": "123456", "attendance": row.pk}),
        "签到码已过期",
    )
    assert state() == before


def test_sign_in_by_someone_not_expected(setup, client_for):
    before, m = state(), setup["meeting"]
    office = client_for(setup["world"].user(Role.TOWNSHIP_STAFF))
    refused(
        post(office, f"/api/v1/meetings/{m.pk}/sign-in/", {"code": m.signin_code}),
        "甲镇办干部不是本次会议的应到人员",
    )
    assert state() == before


def test_minutes_approved_by_someone_not_the_secretary(setup, client_for):
    before, held = state(), setup["held"]
    for role in (Role.TOWNSHIP_STAFF, Role.COUNTY_ADMIN, Role.STATION_CHIEF):
        client = client_for(setup["world"].user(role))
        refused(client.post(f"/api/v1/meetings/{held.pk}/approve-minutes/"), "只有本支部书记可以审定会议记录")
        refused(client.post(f"/meetings/{held.pk}/approve/"), "只有本支部书记可以审定会议记录")
    assert state() == before


def test_a_kind_not_allowed_at_the_org_kind(setup, client_for):
    before, w = state(), setup["world"]
    client = client_for(w.user(Role.TOWNSHIP_STAFF))
    when = (timezone.localtime() + datetime.timedelta(days=1)).isoformat()
    r = post(
        client,
        "/api/v1/meetings/",
        {"org": w.orgs["township"].pk, "kind": "theme_day", "topic": "镇主题党日", "planned_at": when},
    )
    refused(r, "乡镇（街道）不能召开“主题党日”。")
    assert r.json()["kind"] == ["乡镇（街道）不能召开“主题党日”。"]
    assert state() == before


def test_absent_without_a_reason(setup):
    before, m = state(), setup["meeting"]
    row = m.attendances.first()
    r = post(
        setup["client"],
        f"/api/v1/meetings/{m.pk}/attendance/",
        {"items": [{"attendance": row.pk, "status": "absent"}]},
    )
    refused(r, f"请填写{row.name}的缺席原因")
    page = setup["client"].post(f"/meetings/{m.pk}/attendance/", {f"status-{row.pk}": "absent"})
    refused(page, f"请填写{row.name}的缺席原因")
    assert state() == before


def test_malformed_input_is_a_400_not_a_500(setup):
    m, client = setup["meeting"], setup["client"]
    assert post(client, f"/api/v1/meetings/{m.pk}/held/", {"held_at": "昨天"}).status_code == 400
    assert (
        post(client, f"/api/v1/meetings/{m.pk}/attendance/", {"items": [{"status": "present"}]}).status_code
        == 400
    )
    assert post(client, f"/api/v1/meetings/{m.pk}/attendance/", {"items": "x"}).status_code == 400
    assert client.post(f"/meetings/{m.pk}/sign-in/", {"code": "1", "attendance": "abc"}).status_code == 400
    assert client.post(f"/meetings/{m.pk}/held/", {"held_at": "not a time"}).status_code == 400
    assert post(client, "/api/v1/meetings/", {"org": "x"}).status_code == 400
