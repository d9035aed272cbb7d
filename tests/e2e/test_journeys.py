"""The foundation's journeys, as the people who use it would walk them."""

import pytest

from dangjian.orgs.models import Org

from .conftest import shot

pytestmark = pytest.mark.e2e

LAONIUWAN_BRANCHES = ["老牛湾村", "乾坤湾村", "柏林峁村", "麦虎村", "滑石村", "阳洼子村"]


def test_office_sees_its_nine_branches(page_for, site):
    page = page_for("office_laoniuwan")
    shot(page, "workbench")
    page.click("text=组织树")
    page.wait_for_selector("[data-testid=org-name]")
    assert page.inner_text("[data-testid=org-name]") == "老牛湾镇"
    rows = page.locator("[data-testid=children] tbody tr")
    assert rows.count() == 9
    text = page.inner_text("[data-testid=children]")
    for name in LAONIUWAN_BRANCHES:
        assert name in text
    shot(page, "tree-laoniuwan")


def test_secretary_gets_404_for_a_neighbouring_village(page_for, site):
    page = page_for("secretary_laoniuwan")
    other = Org.objects.get(name="乾坤湾村")
    response = page.goto(f"{site.url}/orgs/{other.pk}/")
    assert response.status == 404
    assert "不在您管辖的范围内" in page.content()
    api = page.request.get(f"{site.url}/api/v1/orgs/{other.pk}/")
    assert api.status == 404
    own = Org.objects.get(name="老牛湾村")
    assert page.request.get(f"{site.url}/api/v1/orgs/{own.pk}/").status == 200


def test_create_rename_move_shows_history(page_for, site):
    page = page_for("county_wuzhai")
    town = Org.objects.get(name="小河头镇")
    page.goto(f"{site.url}/orgs/{town.pk}/new/")
    page.fill("#id_name", "演示新村")
    page.select_option("#id_kind", "branch")
    page.click("button:has-text('保存')")
    page.wait_for_selector("[data-testid=org-name]")
    new = Org.objects.get(name="演示新村")
    page.goto(f"{site.url}/orgs/{new.pk}/edit/")
    page.fill("#id_name", "演示更名村")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已保存")
    target = Org.objects.get(name="胡会乡")
    page.goto(f"{site.url}/orgs/{new.pk}/move/")
    page.select_option("#id_new_parent", str(target.pk))
    page.click("button:has-text('移动')")
    page.wait_for_selector("text=已将")
    page.goto(f"{site.url}/orgs/{new.pk}/history/")
    history = page.inner_text("table")
    assert "新建组织" in history and "修改组织" in history and "移动组织" in history
    assert "演示新村" in history and "演示更名村" in history
    actor = page.inner_text("header")
    assert actor.strip() and actor.strip().split()[-1] in history
    shot(page, "history")


def test_phone_width_has_no_page_scroll(page_for, site):
    page = page_for("office_laoniuwan", width=375, height=740)
    for path in ["/", "/orgs/", "/orgs/list/", "/audit/"]:
        page.goto(f"{site.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375px"
    page.goto(f"{site.url}/orgs/")
    shot(page, "phone-tree")
