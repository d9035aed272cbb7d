"""From a number to the records behind it: 五寨县's county admin opens the county dashboard, clicks the
worst township in the ranking, and lands on that township's score with the records that cost it points."""

import pytest

from dangjian.orgs.models import Org

from .conftest import shot

pytestmark = pytest.mark.e2e
PANEL = "[data-panel='scoring.ranking']"


def test_the_worst_township_in_the_ranking_opens_its_findings(page_for, site):
    page = page_for("county_wuzhai", width=1400, height=900)
    page.goto(f"{site.url}/dashboards/")
    page.wait_for_selector(f"{PANEL}[data-drawn]")
    worst = page.evaluate(
        """(panel) => {
      const el = document.querySelector(panel + " .dash-chart");
      const chart = echarts.getInstanceByDom(el);
      const option = chart.getOption();
      const data = option.series[0].data;
      const names = option.yAxis[0].data;
      let i = 0;
      data.forEach((d, j) => { if ((d.value ?? d) < (data[i].value ?? data[i])) i = j; });
      const [x, y] = chart.convertToPixel({seriesIndex: 0}, [(data[i].value ?? data[i]) / 2, i]);
      return {x, y, url: data[i].url, name: names[i]};
    }""",
        PANEL,
    )
    township = Org.objects.get(name=worst["name"], kind="township")
    assert township.path.startswith(Org.objects.get(name="五寨县").path)
    box = page.locator(f"{PANEL} .dash-chart").bounding_box()
    page.mouse.click(box["x"] + worst["x"], box["y"] + worst["y"])
    page.wait_for_url(f"**/scoring/org/{township.pk}/**")
    body = page.inner_text("body")
    assert township.name in body and "失分记录" in body and "计分公式" in body
    findings = page.locator("#findings ~ ul a")
    assert findings.count() >= 1
    shot(page, "scoring-township")
    findings.first.click()
    page.wait_for_load_state()
    assert page.url != site.url and "/scoring/" not in page.url
