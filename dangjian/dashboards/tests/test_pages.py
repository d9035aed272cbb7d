"""The dashboard pages at each level: the org's own top dashboard, drill-down to children, the month
picker, the big screen, and 404 outside scope."""

import pytest

from dangjian.core.roles import Role
from dangjian.dashboards.panels import panels_for

pytestmark = pytest.mark.django_db


def test_home_redirects_to_the_users_own_top_org(world, client_for):
    for role, key in [
        (Role.COUNTY_ADMIN, "county"),
        (Role.TOWNSHIP_STAFF, "township"),
        (Role.STATION_CHIEF, "station"),
        (Role.VILLAGE_SECRETARY, "branch"),
    ]:
        r = client_for(world.user(role)).get("/dashboards/")
        assert r.status_code == 302
        assert r["Location"] == f"/dashboards/{world.orgs[key].pk}/"


@pytest.mark.parametrize("key", ["county", "township", "station", "branch", "community"])
def test_each_level_shows_its_panels_in_cards(world, client_for, key):
    org = world.orgs[key]
    r = client_for(world.user(Role.COUNTY_ADMIN)).get(f"/dashboards/{org.pk}/")
    assert r.status_code == 200
    text = r.content.decode()
    level = {"community": "branch"}.get(key, key)
    for panel in panels_for(level):
        assert f'data-panel="{panel.code}"' in text
        assert f"/dashboards/{org.pk}/export/?panel={panel.code}" in text
    assert f"/dashboards/{org.pk}/data/?month=" in text
    assert "/static/vendor/echarts/echarts.min.js" in text
    assert "外县" not in text and "外镇" not in text


def test_level_rules_hide_the_plan_progress_at_a_branch(world, client_for):
    text = client_for(world.user(Role.COUNTY_ADMIN)).get(f"/dashboards/{world.orgs['branch'].pk}/").content
    assert b'data-panel="rectification.progress"' not in text
    assert b'data-panel="rectification.status"' in text


def test_a_township_links_to_its_stations_and_communities(world, client_for):
    r = client_for(world.user(Role.TOWNSHIP_STAFF)).get(f"/dashboards/{world.orgs['township'].pk}/")
    children = r.content.decode().split('data-testid="children"')[1].split("</div>")[0]
    assert f"/dashboards/{world.orgs['station'].pk}/" in children
    assert f"/dashboards/{world.orgs['community'].pk}/" in children
    assert "村甲一" not in children  # a station's village is one level further down


def test_breadcrumb_shows_only_ancestors_in_scope(world, client_for):
    text = client_for(world.user(Role.STATION_CHIEF)).get(f"/dashboards/{world.orgs['branch'].pk}/").content
    text = text.decode()
    assert f"/dashboards/{world.orgs['station'].pk}/" in text
    assert f"/dashboards/{world.orgs['township'].pk}/" not in text


@pytest.mark.parametrize(
    "role,key",
    [
        (Role.COUNTY_ADMIN, "out_county"),
        (Role.COUNTY_ADMIN, "out_branch"),
        (Role.TOWNSHIP_STAFF, "county"),
        (Role.STATION_CHIEF, "township"),
        (Role.VILLAGE_SECRETARY, "sibling"),
        (Role.VILLAGE_SECRETARY, "station"),
    ],
)
def test_outside_scope_is_404_everywhere(world, client_for, role, key):
    client = client_for(world.user(role))
    pk = world.orgs[key].pk
    for url in (
        f"/dashboards/{pk}/",
        f"/dashboards/{pk}/screen/",
        f"/dashboards/{pk}/data/",
        f"/dashboards/{pk}/data/?panel=cases.by_state",
        f"/dashboards/{pk}/export/",
        f"/dashboards/{pk}/export/?panel=cases.by_state",
        f"/api/v1/dashboards/{pk}/",
    ):
        assert client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_login(world, client):
    r = client.get(f"/dashboards/{world.orgs['county'].pk}/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_month_picker_keeps_the_month_and_refuses_bad_ones(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    pk = world.orgs["county"].pk
    r = client.get(f"/dashboards/{pk}/", {"month": "2026-01"})
    assert 'value="2026-01" selected' in r.content.decode()
    assert f"/dashboards/{pk}/data/?month=2026-01" in r.content.decode()
    bad = client.get(f"/dashboards/{pk}/", {"month": "2026-13"})
    assert bad.status_code == 200 and "月份格式不正确" in bad.content.decode()
    future = client.get(f"/dashboards/{pk}/", {"month": "2999-01"})
    assert "不能查看尚未开始的月份" in future.content.decode()


def test_big_screen_is_dark_local_and_refreshes(world, client_for):
    r = client_for(world.user(Role.COUNTY_ADMIN)).get(f"/dashboards/{world.orgs['county'].pk}/screen/")
    text = r.content.decode()
    assert 'data-theme="dark"' in text and 'data-refresh="60"' in text
    assert "http://" not in text and "https://" not in text and "//cdn" not in text
    assert "dashboards/dashboards.css" in text


def test_a_party_group_has_no_dashboard_but_is_not_hidden(world, client_for):
    r = client_for(world.user(Role.COUNTY_ADMIN)).get(f"/dashboards/{world.orgs['group'].pk}/")
    assert r.status_code == 200 and "此类组织没有看板" in r.content.decode()
    data = client_for(world.user(Role.COUNTY_ADMIN)).get(f"/dashboards/{world.orgs['group'].pk}/data/")
    assert data.json()["panels"] == []
