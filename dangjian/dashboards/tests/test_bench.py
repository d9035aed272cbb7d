"""The benchmark: the app's panels and the raw SQL agree on the test world, and rows come out shaped for
bench/results."""

import pytest
from django.utils import timezone

from dangjian.core.roles import Role
from dangjian.dashboards.bench import app_figures, dashboard_benchmark, raw_figures

pytestmark = pytest.mark.django_db


def test_app_and_raw_sql_agree_and_rows_are_shaped(world):
    county, user, today = world.orgs["county"], world.user(Role.COUNTY_ADMIN), timezone.localdate()
    app, raw = app_figures(user, county, today), raw_figures(county, today)
    assert app == raw
    assert raw["cases"] and raw["rectification"] and raw["tasks"]
    rows = dashboard_benchmark(user=user, county=county, today=today, runs=1)
    assert [set(r) for r in rows] == [{"name", "rows", "app", "raw_sql"}] * 2
    assert all(r["app"]["median_ms"] > 0 and r["raw_sql"]["runs"] == 1 for r in rows)


def test_the_benchmark_notices_a_disagreement(world, monkeypatch):
    county, user = world.orgs["county"], world.user(Role.COUNTY_ADMIN)
    monkeypatch.setattr("dangjian.dashboards.bench.raw_rectification", lambda path, year: [("closed", 99)])
    with pytest.raises(AssertionError, match="rectification"):
        dashboard_benchmark(user=user, county=county, runs=1)
