"""The server errors schemathesis found, each pinned as a plain request that must now be a 4xx/200."""

from __future__ import annotations

import pytest

from dangjian.core.roles import Role


@pytest.fixture
def api(world, client_for):
    return client_for(world.user(Role.COUNTY_ADMIN))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/departments/?county=-3.3072563574262486e%2B72",  # an id no integer column can hold
        "/api/v1/notice-receipts/?notice=99999999999999999999999",
        "/api/v1/task-reports/?assignment=-3.3e72&task=1.6e-34",
        "/api/v1/pay-batches/?year=0.0",  # a year no date can have
        "/api/v1/pay-batches/?year=10000",
    ],
)
def test_out_of_range_numbers_in_filters_are_a_400_in_chinese(api, url):
    r = api.get(url)
    assert r.status_code == 400, r.content
    assert "数值超出范围" in r.content.decode()


def test_in_range_filters_still_filter(api, world):
    r = api.get(f"/api/v1/departments/?county={world.orgs['county'].pk}")
    assert r.status_code == 200
    assert r.json()["count"] >= 1
    assert api.get("/api/v1/pay-batches/?year=2026").status_code == 200


def test_options_on_notification_preferences_describes_the_put(api):
    r = api.options("/api/v1/notifications/preferences/")
    assert r.status_code == 200, r.content
    assert "PUT" in r.json().get("actions", {})
