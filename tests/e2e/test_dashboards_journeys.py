"""Dashboards in a browser: 五寨县's county admin opens their dashboard, every chart is drawn, a bar opens
the case list behind it, a chart saves as PNG and its figures as Excel, and the township's dashboard is a
click away; the big screen renders at 1920×1080 on its dark theme with every chart drawn and no request to
any host but this server."""

from urllib.parse import urlparse

import pytest

from .conftest import shot

pytestmark = pytest.mark.e2e

ALL_DRAWN = """() => {
  const cards = [...document.querySelectorAll('[data-panel]')];
  return window.dashboardState && window.dashboardState.loads > 0 &&
    cards.every(c => c.hasAttribute('data-drawn') || c.querySelector('.dash-error'));
}"""


def wait_drawn(page) -> dict:
    page.wait_for_function(ALL_DRAWN)
    return page.evaluate(
        """() => ({
      panels: [...document.querySelectorAll('[data-panel]')].map(c => c.dataset.panel),
      drawn: [...document.querySelectorAll('[data-panel][data-drawn]')].map(c => c.dataset.panel),
      failed: [...document.querySelectorAll('[data-panel] .dash-error')]
        .map(e => e.closest('[data-panel]').dataset.panel),
      errors: window.dashboardState.errors,
    })"""
    )


def test_the_county_reads_its_dashboard_and_opens_the_cases_behind_a_bar(page_for, site):
    page = page_for("county_wuzhai", width=1400, height=900)
    page.goto(f"{site.url}/dashboards/")
    page.wait_for_selector("text=五寨县")
    state = wait_drawn(page)
    mine = [
        "meetings.obligations",
        "tasks.trend",
        "cases.by_state",
        "development.funnel",
        "rectification.status",
    ]
    assert set(mine) <= set(state["drawn"]), state
    assert sorted(state["drawn"]) == sorted(state["panels"]) and not state["errors"], state
    shot(page, "dashboard-county")

    card = page.locator("[data-panel='cases.by_state']")
    with page.expect_download() as png:
        card.locator("[data-role=png]").click()
    assert png.value.suggested_filename.endswith(".png")
    with page.expect_download() as xlsx:
        card.locator("[data-role=xlsx]").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")

    point = page.evaluate(
        """() => {
      const el = document.querySelector("[data-panel='cases.by_state'] .dash-chart");
      const chart = echarts.getInstanceByDom(el);
      const data = chart.getOption().series[0].data;
      const i = data.findIndex(d => d.value > 0);
      const [x, y] = chart.convertToPixel({seriesIndex: 0}, [data[i].value / 2, i]);
      return {x, y, url: data[i].url};
    }"""
    )
    box = page.locator("[data-panel='cases.by_state'] .dash-chart").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_url(f"**{point['url']}")
    assert "/cases/" in page.url and "state=" in page.url
    assert page.locator("table tbody tr").count() >= 1

    page.go_back()
    page.locator("[data-testid=children] a").first.click()
    page.wait_for_selector("[data-panel='meetings.obligations']")
    assert urlparse(page.url).path != "/dashboards/"
    wait_drawn(page)


def test_the_big_screen_draws_every_chart_at_1920_by_1080_without_leaving_the_machine(page_for, site):
    page = page_for("county_wuzhai", width=1920, height=1080)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{site.url}/dashboards/")
    page.get_by_test_id("screen-link").click()
    page.wait_for_url("**/screen/**")
    state = wait_drawn(page)
    assert state["drawn"] and sorted(state["drawn"]) == sorted(state["panels"]) and not state["errors"], state
    size = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
        " getComputedStyle(document.body).backgroundColor]"
    )
    assert size[0] <= 1920 and size[1] <= 1080, size
    assert size[2] == "rgb(6, 18, 41)"
    for code in state["drawn"]:
        canvas = page.locator(f"[data-panel='{code}'] canvas").first
        assert canvas.bounding_box()["height"] > 100, code
    shot(page, "dashboard-screen", full_page=False)
    hosts = {urlparse(u).netloc for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {urlparse(site.url).netloc}, hosts
