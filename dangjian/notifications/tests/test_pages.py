"""The notification centre, the bell, the settings page, the delivery log (scoped, Excel) and the API."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.notifications import services
from dangjian.notifications.models import Channel, Delivery, DeliveryState, Kind, Notification, Preference

pytestmark = pytest.mark.django_db


def make(user, n, kind=Kind.TASK, prefix="消息"):
    made = []
    for i in range(n):
        made.append(
            Notification.objects.create(
                user=user, kind=kind, title=f"{prefix}{i}", key=f"{prefix}:{kind}:{i}", url="/cases/"
            )
        )
    services.fan_out(timezone.now())
    return made


def test_list_unread_first_filter_paging_and_marking(world, client_for):
    sec = world.user(Role.VILLAGE_SECRETARY)
    tasks = make(sec, 3)
    meetings = make(sec, 2, kind=Kind.MEETING, prefix="会议")
    services.mark_read(sec, tasks[2])
    client = client_for(sec)
    body = client.get("/notifications/").content.decode()
    assert body.index("会议1") < body.index("消息2")  # unread before read
    assert "未读 5" in body  # the world's test notification, 消息0, 消息1, 会议0, 会议1
    only = client.get("/notifications/", {"kind": "meeting"}).content.decode()
    assert "会议0" in only and "消息0" not in only
    unread = client.get("/notifications/", {"unread": "true"}).content.decode()
    assert "消息2" not in unread and "消息1" in unread
    # Mark one read (htmx answers the item), then all of a kind, then everything.
    r = client.post(f"/notifications/{meetings[0].pk}/read/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "已读" in r.content.decode()
    assert Notification.objects.get(pk=meetings[0].pk).read_at is not None
    assert client.get(f"/notifications/{meetings[0].pk}/read/").status_code == 405
    r = client.post("/notifications/read-all/", {"kind": "meeting", "next": "/notifications/?kind=meeting"})
    assert r.status_code == 302 and r["Location"] == "/notifications/?kind=meeting"
    assert not Notification.objects.filter(user=sec, kind=Kind.MEETING, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=sec, kind=Kind.TASK, read_at__isnull=True).count() == 2
    r = client.post("/notifications/read-all/", {"next": "https://evil.example/"})
    assert r["Location"] == "/notifications/"
    assert not Notification.objects.filter(user=sec, read_at__isnull=True).exists()
    # Paging: 30 a page.
    make(sec, 35, prefix="批量")
    page2 = client.get("/notifications/", {"page": 2}).content.decode()
    assert "第 2 / 2 页" in page2


def test_open_marks_read_and_goes_to_the_page_and_others_are_404(world, client_for):
    sec, chief = world.user(Role.VILLAGE_SECRETARY), world.user(Role.STATION_CHIEF)
    (mine,) = make(sec, 1)
    (theirs,) = make(chief, 1, prefix="站长的")
    client = client_for(sec)
    r = client.get(f"/notifications/{mine.pk}/open/")
    assert r.status_code == 302 and r["Location"] == "/cases/"
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    out = world.notifications["out"]
    assert client.get(f"/notifications/{out.pk}/open/").status_code == 404


def test_bell_shows_the_unread_count(world):
    sec = world.user(Role.VILLAGE_SECRETARY)
    make(sec, 2)
    request = RequestFactory().get("/")
    request.user = sec
    html = Template("{% load notifications %}{% notification_bell %}").render(Context({"request": request}))
    assert 'data-testid="notification-bell"' in html and ">3<" in html
    Notification.objects.filter(user=sec).update(read_at=timezone.now())
    html = Template("{% load notifications %}{% notification_bell %}").render(Context({"request": request}))
    assert "badge" not in html


def test_preferences_page_saves_and_shows_errors_beside_fields(world, client_for):
    sec = world.user(Role.VILLAGE_SECRETARY)
    client = client_for(sec)
    assert "提醒设置" in client.get("/notifications/preferences/").content.decode()
    before = AuditEvent.objects.count()
    r = client.post("/notifications/preferences/", {"sms": "on", "digest_hour": "8"})
    assert r.status_code == 400
    assert "您的账号没有手机号，无法开启短信提醒：请联系管理员在“用户与角色”中填写。" in r.content.decode()
    r = client.post("/notifications/preferences/", {"email": "on", "digest_hour": "30"})
    assert r.status_code == 400 and "30" in r.content.decode()
    assert not Preference.objects.filter(user=sec).exists() and AuditEvent.objects.count() == before
    r = client.post(
        "/notifications/preferences/",
        {"email": "on", "digest": "on", "digest_hour": "7", "muted_kinds": ["meeting", "development"]},
    )
    assert r.status_code == 302
    pref = Preference.objects.get(user=sec)
    assert (pref.email, pref.sms, pref.digest, pref.digest_hour) == (True, False, True, 7)
    assert pref.muted_kinds == ["development", "meeting"]
    assert AuditEvent.objects.filter(action="notifications.preferences").count() == 1


def _deliveries_for(world):
    sec, chief = world.user(Role.VILLAGE_SECRETARY), world.user(Role.STATION_CHIEF)
    make(sec, 2, prefix="甲书记提醒")
    make(chief, 1, prefix="甲站长提醒")
    return sec, chief


def test_delivery_log_is_scoped_and_exports(world, client_for):
    _deliveries_for(world)
    admin = world.user(Role.COUNTY_ADMIN)
    body = client_for(admin).get("/notifications/deliveries/").content.decode()
    assert "甲书记提醒1" in body and "甲站长提醒0" in body and "甲村书记" in body
    assert "外测试提醒" not in body and "外县管理员" not in body
    r = client_for(admin).get("/notifications/deliveries/", {"export": "xlsx"})
    data = b"".join(r.streaming_content) if r.streaming else r.content
    wb = load_workbook(io.BytesIO(data), read_only=True)
    cells = [str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "甲书记提醒0" in cells and not any("外" in c for c in cells)
    # A station chief reads only their own deliveries; the other county's admin only theirs.
    chief = world.user(Role.STATION_CHIEF)
    body = client_for(chief).get("/notifications/deliveries/").content.decode()
    assert "甲站长提醒0" in body and "甲书记提醒" not in body
    body = client_for(world.user("out_admin")).get("/notifications/deliveries/").content.decode()
    table = body.split('data-testid="deliveries"')[1].split("</table>")[0]
    assert "外测试提醒" in table and "甲" not in table
    # Filters.
    body = client_for(admin).get("/notifications/deliveries/", {"q": "站长"}).content.decode()
    assert "甲站长提醒0" in body and "甲书记提醒0" not in body


def test_delivery_log_runs_a_constant_number_of_queries(world, client_for):
    sec = world.user(Role.VILLAGE_SECRETARY)
    admin = world.user(Role.COUNTY_ADMIN)
    client = client_for(admin)
    client.get("/notifications/deliveries/")
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/deliveries/")
    make(sec, 20, prefix="多")
    with CaptureQueriesContext(connection) as many:
        client.get("/notifications/deliveries/")
    assert len(many) == len(few)
    client = client_for(sec)
    client.get("/notifications/")
    with CaptureQueriesContext(connection) as listing:
        client.get("/notifications/")
    make(sec, 20, prefix="更多")
    with CaptureQueriesContext(connection) as more:
        client.get("/notifications/")
    assert len(more) == len(listing)


def test_api_notifications_read_and_preferences(world, client_for):
    sec, chief = world.user(Role.VILLAGE_SECRETARY), world.user(Role.STATION_CHIEF)
    mine = make(sec, 2)
    (theirs,) = make(chief, 1, prefix="站长的")
    client = client_for(sec)
    data = client.get("/api/v1/notifications/").json()
    titles = [row["title"] for row in data["results"]]
    assert "消息0" in titles and "站长的0" not in titles and data["results"][0]["unread"] is True
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    r = client.post(f"/api/v1/notifications/{mine[0].pk}/read/")
    assert r.status_code == 200 and r.json()["read_at"]
    r = client.post("/api/v1/notifications/read-all/", {"kind": "task"}, content_type="application/json")
    assert r.json() == {"marked": 1}
    assert client.get("/api/v1/notifications/preferences/").json()["email"] is True
    r = client.put(
        "/api/v1/notifications/preferences/",
        {"email": False, "sms": True, "wechat": False, "digest": False, "digest_hour": 8},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["sms"] == ["您的账号没有手机号，无法开启短信提醒：请联系管理员在“用户与角色”中填写。"]
    r = client.put(
        "/api/v1/notifications/preferences/",
        {"email": True, "sms": False, "wechat": True, "digest": True, "digest_hour": 25},
        content_type="application/json",
    )
    assert r.status_code == 400 and "digest_hour" in r.json()
    assert not Preference.objects.filter(user=sec).exists()
    r = client.put(
        "/api/v1/notifications/preferences/",
        {
            "email": True,
            "sms": False,
            "wechat": True,
            "digest": True,
            "digest_hour": 6,
            "muted_kinds": ["case"],
        },
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["muted_kinds"] == ["case"]
    r = client.put("/api/v1/notifications/preferences/", {"digest_hour": 9}, content_type="application/json")
    assert r.status_code == 200 and r.json()["digest_hour"] == 9 and r.json()["wechat"] is True
    assert r.json()["muted_kinds"] == ["case"]
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/notifications/preferences/" in schema and "/api/v1/notification-deliveries/" in schema


def test_api_delivery_log_is_scoped(world, client_for):
    sec, chief = _deliveries_for(world)
    admin = world.user(Role.COUNTY_ADMIN)
    rows = client_for(admin).get("/api/v1/notification-deliveries/", {"page_size": 500}).json()["results"]
    names = {r["user_name"] for r in rows}
    assert {"甲村书记", "甲站站长"} <= names and "外县管理员" not in names
    out = Delivery.objects.filter(notification=world.notifications["out"]).first()
    assert client_for(admin).get(f"/api/v1/notification-deliveries/{out.pk}/").status_code == 404
    rows = client_for(chief).get("/api/v1/notification-deliveries/").json()["results"]
    assert {r["user_name"] for r in rows} == {"甲站站长"}
    rows = (
        client_for(admin)
        .get("/api/v1/notification-deliveries/", {"channel": "inapp", "state": "sent"})
        .json()
    )
    assert all(r["channel"] == Channel.INAPP and r["state"] == DeliveryState.SENT for r in rows["results"])
