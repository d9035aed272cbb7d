"""Browser journeys: Playwright (Python) driving Debian's /usr/bin/chromium against a live server.

Where /usr/bin/chromium is missing these tests are skipped with that reason; no browser is ever
downloaded.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls in fixtures are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"浏览器测试跳过：未找到 {CHROMIUM}（Debian 包 chromium）")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def django_db_setup(
    django_test_environment, django_db_blocker, django_db_modify_db_settings, django_db_use_migrations
):
    """The worker's own test database. pytest-django sets one up only for tests marked `django_db`, and
    the journeys are not: a test transaction would hide the live server's writes, and a transactional
    test would empty the tables after each journey. Built from the models like the suite's (.ci/run
    applies the migrations to a fresh database of each engine)."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations

    if not django_db_use_migrations:
        _disable_migrations()
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="session")
def site(django_db_setup, django_db_blocker):
    """The demo counties, loaded once per worker into its test database and served for every journey of
    the session. Loading them for each journey was most of this stage's time. Journeys write as people
    would and are not rolled back, so each acts on records of its own and none counts what others touch."""
    from pytest_django.live_server_helper import LiveServer

    from dangjian.accounts.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()
        server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _database(django_db_blocker):
    """Journeys read the database the live server writes (no test transaction around them)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def page_for(browser, site):
    """A fresh browser context logged in as a demo user, at a given width. A journey fails if the
    content security policy blocked anything on its pages (an inline handler or script left behind)."""
    contexts = []
    violations = []

    def watch(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    def open_as(username, width=1280, height=900):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(ctx)
        ctx.on("console", watch)
        page = ctx.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{site.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "demo12345")
        page.click("button:has-text('登录')")
        page.wait_for_url(f"{site.url}/")
        return page

    yield open_as
    for ctx in contexts:
        ctx.close()
    assert not violations, "content security policy violations:\n" + "\n".join(violations)


def shot(page, name, full_page=True):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if os.environ.get("SAVE_SCREENSHOTS"):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
