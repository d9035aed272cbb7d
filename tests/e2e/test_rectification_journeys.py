"""A weak and lax branch, as 五寨县 follows it: the county sees 小武州村 flagged in this year's ledger,
opens its plan and takes the plan item still open (党员包户) through the case engine to signed off; the
plan's progress counts it."""

import pytest

from dangjian.cases.models import Case
from dangjian.rectification.models import RectificationCase

from .conftest import shot

pytestmark = pytest.mark.e2e
ITEM = "推行“党员包户”制度，15名党员分片联户听民意"


def form(page, key):
    return page.locator(f"[data-testid='form-{key}']")


def test_the_county_follows_a_plan_item_of_xiaowuzhou_to_signed_off(page_for, site):
    county = page_for("county_wuzhai")
    county.goto(f"{site.url}/rectification/?q=小武州村")
    row = county.locator("table tbody tr", has_text="小武州村")
    assert "整顿中" in row.inner_text()
    row.get_by_role("link", name="小武州村").click()

    county.wait_for_selector("text=一村一策方案")
    case = RectificationCase.objects.get(org__name="小武州村")
    assert county.url.endswith(f"/rectification/case/{case.pk}/")
    assert "（事项 1/3 已销号）" in county.inner_text("body")
    plan_row = county.locator("tr", has_text=ITEM)
    assert "待整改" in plan_row.inner_text()
    shot(county, "rectification-plan")
    plan_row.get_by_role("link", name=ITEM).click()

    item = Case.objects.get(title=ITEM)
    county.wait_for_url(f"{site.url}/cases/{item.pk}/")
    assert county.inner_text("[data-testid=case-state]").strip() == "待整改"
    for code, state in [
        ("start", "整改中"),
        ("report_done", "待验收"),
        ("accept", "待销号"),
        ("sign_off", "已销号"),
    ]:
        step = form(county, f"act:{code}")
        note = step.locator("[name=note]")
        if note.count():
            note.fill("15名党员分片联户，每月汇总民意，已形成台账。")
        step.locator("button").click()
        county.wait_for_function(
            "s => document.querySelector('[data-testid=case-state]').innerText.trim() === s", arg=state
        )
    shot(county, "rectification-item-signed-off")

    county.goto(f"{site.url}/rectification/case/{case.pk}/")
    assert "（事项 2/3 已销号）" in county.inner_text("body")
    assert "已销号" in county.locator("tr", has_text=ITEM).inner_text()
    item.refresh_from_db()
    assert item.state == "closed" and item.closed_by.username == "county_wuzhai"
