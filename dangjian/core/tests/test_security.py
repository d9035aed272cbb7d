"""Security settings and headers: production settings pass Django's deployment checks; every page carries
a content security policy whose nonce is on every inline script; files are sandboxed; templates hold no
inline event handlers or javascript: links (the policy would block them, breaking the page)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from dangjian.core.roles import Role

BASE = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "example.org",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "DEMO_LOGINS_ENABLED", "SECURE_SSL_REDIRECT")
    }
    return subprocess.run(
        [sys.executable, *args], cwd=BASE, env=clean | env, capture_output=True, text=True, timeout=300
    )


def settings_under(**env: str) -> dict[str, str]:
    code = (
        "import json; from dangjian import settings as s; print(json.dumps({k: str(getattr(s, k)) for k in "
        "['DEBUG', 'DEMO_LOGINS_ENABLED', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS',"
        " 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_PROXY_SSL_HEADER', 'MEDIA_URL',"
        " 'MEDIA_ROOT']}))"
    )
    r = run(["-c", code], **env)
    assert r.returncode == 0, r.stderr
    import json

    return json.loads(r.stdout.strip().splitlines()[-1])


def test_production_settings_pass_the_deployment_checks():
    r = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)
    assert r.returncode == 0 and "no issues" in r.stdout, r.stdout + r.stderr


def test_production_defaults_and_development_defaults():
    prod = settings_under(**PRODUCTION_ENV)
    assert prod["DEMO_LOGINS_ENABLED"] == "False", "demo logins must be off in production"
    assert prod["SECURE_SSL_REDIRECT"] == "True" and int(prod["SECURE_HSTS_SECONDS"]) >= 31536000
    assert prod["SESSION_COOKIE_SECURE"] == prod["CSRF_COOKIE_SECURE"] == "True"
    assert prod["SECURE_PROXY_SSL_HEADER"] == "('HTTP_X_FORWARDED_PROTO', 'https')"
    behind_nothing = settings_under(**PRODUCTION_ENV, TRUST_X_FORWARDED_PROTO="false")
    assert behind_nothing["SECURE_PROXY_SSL_HEADER"] == "None"
    # `make run`: plain http on 127.0.0.1 with the demo logins.
    dev = settings_under()
    assert dev["DEBUG"] == "True" and dev["DEMO_LOGINS_ENABLED"] == "True"
    assert dev["SECURE_SSL_REDIRECT"] == "False" and dev["SESSION_COOKIE_SECURE"] == "False"
    assert dev["SECURE_HSTS_SECONDS"] == "0"
    # Uploaded files have one home, set from the environment, and no URL serves it.
    assert settings_under(MEDIA_ROOT="/tmp/dj-media-test")["MEDIA_ROOT"] == "/tmp/dj-media-test"


def test_media_root_is_not_served_by_any_url(client):
    from django.urls import Resolver404, resolve

    for url in (settings.MEDIA_URL, "/media/", "/files/"):
        with pytest.raises(Resolver404):
            resolve(url + "meetings/2026/01/x.pdf")


# --- headers ----------------------------------------------------------------------------------------

SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)


@pytest.mark.django_db
def test_pages_carry_the_policy_and_every_inline_script_its_nonce(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    nonces = set()
    for url in (
        "/",
        "/members/",
        f"/members/{world.members['member'].pk}/",
        "/meetings/",
        "/orgs/list/",
        "/cases/",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        policy = r["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        nonces.add(nonce)
        for directive in (
            "default-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
        ):
            assert directive in policy, (url, directive)
        assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
        assert "unsafe-eval" not in policy
        for attrs in SCRIPT.findall(r.content.decode()):
            assert "src=" in attrs or f'nonce="{nonce}"' in attrs, (url, attrs)
        assert r["X-Content-Type-Options"] == "nosniff"
        assert r["Referrer-Policy"] == "same-origin"
        assert "camera=()" in r["Permissions-Policy"]
        assert r["X-Frame-Options"] == "DENY"
    assert len(nonces) == 6, "a fresh nonce for every response"


@pytest.mark.django_db
def test_the_login_page_and_api_answer_with_the_headers(client):
    r = client.get("/accounts/login/")
    assert "nonce-" in r["Content-Security-Policy"] and r["X-Content-Type-Options"] == "nosniff"
    r = client.get("/api/v1/orgs/")
    assert r["X-Content-Type-Options"] == "nosniff" and "default-src" in r["Content-Security-Policy"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert all("src=" in attrs for attrs in SCRIPT.findall(docs.content.decode())), "no inline script"
    assert client.get("/api/docs/", {"script": ""}).status_code == 200


@pytest.mark.django_db
def test_exports_are_sandboxed(world, client_for):
    r = client_for(world.user(Role.COUNTY_ADMIN)).get("/members/", {"export": "xlsx"})
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    assert (
        r["Content-Security-Policy"].startswith("sandbox;")
        and "script-src" not in r["Content-Security-Policy"]
    )
    assert r["X-Content-Type-Options"] == "nosniff"


# --- templates --------------------------------------------------------------------------------------

HANDLER = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.S)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)
BARE_SCRIPT = re.compile(
    r"<script(?![^>]*\b(src|nonce)=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I
)


def templates() -> list[Path]:
    roots = [BASE / "dangjian" / "templates", *(BASE / "dangjian").glob("*/templates")]
    return sorted(p for root in roots for p in root.rglob("*.html"))


def offending(text: str) -> list[str]:
    return [m.group(0)[:80] for rx in (HANDLER, JS_URL, BARE_SCRIPT) for m in rx.finditer(text)]


def test_no_template_has_inline_handlers_javascript_urls_or_scripts_without_nonce():
    found = {str(p.relative_to(BASE)): offending(p.read_text()) for p in templates()}
    found = {k: v for k, v in found.items() if v}
    assert not found, found


def test_the_template_scan_catches_what_the_policy_would_block():
    assert offending('<button class="btn" onclick="return confirm(1)">x</button>')
    assert offending('<a href="javascript:history.back()">返回</a>')
    assert offending("{% block scripts %}<script>\nlet a = 1;</script>")
    assert not offending('<script nonce="{{ csp_nonce }}">let a = 1;</script><button data-confirm="x">')
