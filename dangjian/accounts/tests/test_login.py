"""Signing in and out: the login page, lockout after five failures (django-axes), password change,
demo accounts, and session expiry after 30 minutes without a request."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
BAD_LOGIN = "用户名或密码不正确。连续输错5次，账号将被锁定30分钟。"
NEW_PASSWORD = "Renewed-pass-2027"


@pytest.fixture(autouse=True)
def _clear_throttles():
    cache.clear()
    yield
    cache.clear()


def login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(client) -> bool:
    r = client.get("/")
    return r.status_code == 200


# --- the login page -------------------------------------------------------------------------------


def test_login_page_is_in_chinese(client, db):
    r = client.get(LOGIN)
    assert r.status_code == 200
    page = r.content.decode()
    assert '<html lang="zh-CN">' in page
    for text in ("用户名", "密码", "登录", "乡镇党建办工作平台"):
        assert text in page


def test_good_login_redirects_to_the_workbench(client, world):
    r = login(client, "county")
    assert r.status_code == 302
    assert r["Location"] == "/"
    r = client.get("/")
    assert r.status_code == 200
    assert "甲县管理员" in r.content.decode()


def test_login_honours_a_safe_next_but_not_an_external_one(client, world):
    r = client.post(LOGIN, {"username": "county", "password": PASSWORD, "next": "/orgs/list/"})
    assert r["Location"] == "/orgs/list/"
    client.logout()
    r = client.post(LOGIN, {"username": "county", "password": PASSWORD, "next": "https://evil.example/"})
    assert r["Location"] == "/"


def test_wrong_password_shows_the_chinese_error(client, world):
    r = login(client, "county", "wrong-password")
    assert r.status_code == 200
    assert BAD_LOGIN in r.content.decode()
    assert not signed_in(client)


def test_pages_redirect_anonymous_users_to_login(client, world):
    r = client.get("/orgs/list/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=/orgs/list/"


def test_signed_in_user_visiting_login_is_sent_on(client, world):
    login(client, "county")
    r = client.get(LOGIN)
    assert r.status_code == 302 and r["Location"] == "/"


# --- lockout --------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account(client, world):
    for _ in range(4):
        r = login(client, "county", "wrong-password")
        assert r.status_code == 200
        assert BAD_LOGIN in r.content.decode()
    r = login(client, "county", "wrong-password")  # the fifth failure locks
    assert r.status_code == 429
    r = login(client, "county")  # the sixth attempt, with the right password, is refused too
    assert r.status_code == 429
    assert "登录失败次数过多，该账号已被暂时锁定" in r.content.decode()
    assert not signed_in(client)


def test_lockout_also_closes_the_token_endpoint(client, world):
    for _ in range(5):
        login(client, "county", "wrong-password")
    r = client.post(
        "/api/v1/auth/token/", {"username": "county", "password": PASSWORD}, content_type="application/json"
    )
    assert r.status_code == 429
    assert b'token"' not in r.content


def test_lockout_is_per_account(client, world):
    for _ in range(5):
        login(client, "county", "wrong-password")
    r = login(client, "office")
    assert r.status_code == 302
    assert signed_in(client)


def test_a_good_login_resets_the_failure_count(client, world):
    for _ in range(4):
        login(client, "county", "wrong-password")
    assert login(client, "county").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert login(client, "county", "wrong-password").status_code == 200
    assert login(client, "county").status_code == 302


def test_inactive_user_cannot_log_in(client, world):
    user = world.user(Role.TOWNSHIP_STAFF)
    user.is_active = False
    user.save()
    r = login(client, "office")
    assert r.status_code == 200
    assert not signed_in(client)


# --- logout ---------------------------------------------------------------------------------------


def test_logout_is_a_post(client, world):
    login(client, "county")
    assert client.get("/accounts/logout/").status_code == 405
    assert signed_in(client)
    r = client.post("/accounts/logout/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/"
    assert not signed_in(client)
    assert "您已安全退出。" in client.get(LOGIN).content.decode()


# --- password change ------------------------------------------------------------------------------


def test_password_change_with_a_wrong_old_password(world, client_for):
    c = client_for(world.user(Role.COUNTY_ADMIN))
    assert c.get("/accounts/password/").status_code == 200
    r = c.post(
        "/accounts/password/",
        {"old_password": "not-it", "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 400
    assert "原密码不正确。" in r.content.decode()
    assert world.user(Role.COUNTY_ADMIN).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password").exists()


def test_password_change_with_mismatched_new_passwords(world, client_for):
    c = client_for(world.user(Role.COUNTY_ADMIN))
    r = c.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
    )
    assert r.status_code == 400
    assert "两次输入的新密码不一致。" in r.content.decode()
    assert world.user(Role.COUNTY_ADMIN).check_password(PASSWORD)


def field_errors(response) -> list[str]:
    return re.findall(r'invalid-feedback d-block">([^<]*)<', response.content.decode())


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("12345678", "密码只包含数字。"),
        ("password", "这个密码太常见了。"),
        ("county2026", "密码跟 用户名 太相似了。"),
    ],
)
def test_password_change_refuses_a_weak_password(world, client_for, weak, message):
    c = client_for(world.user(Role.COUNTY_ADMIN))
    r = c.post("/accounts/password/", {"old_password": PASSWORD, "new_password": weak, "new_password2": weak})
    assert r.status_code == 400
    assert any(message in e for e in field_errors(r))
    assert world.user(Role.COUNTY_ADMIN).check_password(PASSWORD)


def test_too_short_password_error_is_in_chinese(world, client_for):
    c = client_for(world.user(Role.COUNTY_ADMIN))
    r = c.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "Zq9!xk2", "new_password2": "Zq9!xk2"},
    )
    assert r.status_code == 400
    errors = " ".join(field_errors(r))
    assert "This password is too short" not in errors
    assert "密码长度太短" in errors


def test_password_change_succeeds_and_is_audited(client, world):
    login(client, "county")
    r = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 302
    assert signed_in(client), "the session survives the user's own password change"
    event = AuditEvent.objects.get(action="user.password")
    assert event.actor.username == "county"
    assert event.after == {"password": "(已修改)"}
    assert NEW_PASSWORD not in str(event.before) + str(event.after)
    client.post("/accounts/logout/")
    assert login(client, "county", PASSWORD).status_code == 200
    assert login(client, "county", NEW_PASSWORD).status_code == 302


# --- demo accounts --------------------------------------------------------------------------------


@pytest.fixture
def demo_user(world):
    return make_user(
        world.root, "demo_secretary", "演示书记", world.orgs["branch"], Role.VILLAGE_SECRETARY, is_demo=True
    )


def test_demo_user_can_log_in_while_demo_logins_are_on(client, demo_user, settings):
    settings.DEMO_LOGINS_ENABLED = True
    assert login(client, "demo_secretary").status_code == 302


def test_demo_user_is_refused_when_demo_logins_are_off(client, demo_user, settings):
    settings.DEMO_LOGINS_ENABLED = False
    r = login(client, "demo_secretary")
    assert r.status_code == 200
    assert BAD_LOGIN in r.content.decode()
    assert not signed_in(client)
    r = client.post(
        "/api/v1/auth/token/",
        {"username": "demo_secretary", "password": PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert "token" not in r.json()
    assert login(client, "secretary").status_code == 302, "real accounts are unaffected"


def test_a_demo_session_ends_when_demo_logins_are_turned_off(client_for, demo_user, settings):
    settings.DEMO_LOGINS_ENABLED = True
    c = client_for(demo_user)
    assert c.get("/").status_code == 200
    settings.DEMO_LOGINS_ENABLED = False
    r = c.get("/")
    assert r.status_code == 302 and r["Location"].startswith(LOGIN)


def test_a_demo_token_stops_working_when_demo_logins_are_turned_off(client, demo_user, settings):
    settings.DEMO_LOGINS_ENABLED = True
    r = client.post(
        "/api/v1/auth/token/",
        {"username": "demo_secretary", "password": PASSWORD},
        content_type="application/json",
    )
    auth = {"HTTP_AUTHORIZATION": f"Token {r.json()['token']}"}
    assert client.get("/api/v1/orgs/", **auth).status_code == 200
    settings.DEMO_LOGINS_ENABLED = False
    assert client.get("/api/v1/orgs/", **auth).status_code in (401, 403)


# --- session expiry -------------------------------------------------------------------------------


def test_session_settings_expire_after_30_idle_minutes():
    assert django_settings.SESSION_COOKIE_AGE == 1800
    assert django_settings.SESSION_REFRESH_SECONDS == 60
    assert not getattr(django_settings, "SESSION_SAVE_EVERY_REQUEST", False)
    assert "dangjian.core.middleware.IdleSessionMiddleware" in django_settings.MIDDLEWARE


def _session_writes(client, url="/"):
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    return [x["sql"] for x in q.captured_queries if "django_session" in x["sql"] and "UPDATE" in x["sql"]]


@pytest.mark.parametrize("seconds, pushed", [(59, False), (60, True), (61, True)])
def test_the_expiry_moves_forward_at_most_once_a_minute(client, world, monkeypatch, seconds, pushed):
    from dangjian.core import middleware

    clock = [1_000_000.0]
    monkeypatch.setattr(middleware, "_now", lambda: clock[0])
    login(client, "county")  # signing in starts the clock
    key = client.session.session_key
    assert _session_writes(client) == []
    soon = timezone.now() + datetime.timedelta(minutes=1)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    clock[0] += seconds
    assert bool(_session_writes(client)) is pushed
    expires = Session.objects.get(session_key=key).expire_date
    if pushed:
        assert expires > timezone.now() + datetime.timedelta(minutes=29)
    else:
        assert expires == soon
        clock[0] += 1
        assert _session_writes(client)


def test_pages_within_the_minute_write_no_session(client, world):
    login(client, "county")
    assert [_session_writes(client, url) for url in ("/", "/orgs/list/", "/")] == [[], [], []]


def test_a_stale_cookie_does_not_make_a_session(client, world):
    login(client, "county")
    key = client.session.session_key
    Session.objects.filter(session_key=key).delete()
    before = Session.objects.count()
    assert client.get("/healthz").status_code == 200  # a page that does not read the session itself
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith(LOGIN)
    assert Session.objects.count() == before


def test_an_idle_session_has_expired(client, world):
    login(client, "county")
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith(LOGIN)
