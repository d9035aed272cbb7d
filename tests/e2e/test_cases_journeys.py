"""A grid whistle from the grid to the public board, as 砚城镇 walks it: the grid leader raises it, the
office routes it to 住建, the department reports for duty and reports it solved, the office accepts and
signs it off and publishes it, and anyone can see it on the township's board without logging in."""

import pytest

from dangjian.cases.models import Case
from dangjian.orgs.models import Org

from .conftest import shot

pytestmark = pytest.mark.e2e
TITLE = "阳光家园小区夜间乱停车堵塞消防通道"


def form(page, key):
    return page.locator(f"[data-testid='form-{key}']")


def test_a_whistle_from_the_grid_to_the_public_board(page_for, site, browser):
    grid = page_for("grid_yancheng", width=375, height=800)
    grid.goto(f"{site.url}/cases/new/?kind=whistle")
    f = grid.locator("[data-testid=case-form]")
    f.locator("[name=title]").fill(TITLE)
    f.locator("[name=description]").fill("晚上八点后车辆占用消防通道，居民多次反映。")
    f.locator("[name=place]").fill("阳光家园小区3号楼")
    f.locator("button:has-text('保存')").click()
    grid.wait_for_selector("[data-testid=receipt]")
    assert grid.inner_text("[data-testid=case-state]").strip() == "已吹哨"
    case = Case.objects.get(title=TITLE)
    url = f"{site.url}/cases/{case.pk}/"
    shot(grid, "whistle-raised-phone")

    office = page_for("office_yancheng")
    office.goto(url)
    route = form(office, "route")
    route.get_by_label("五寨县住房和城乡建设局").check()
    route.locator("button").click()
    office.wait_for_selector("[data-testid=routes]")
    assert office.inner_text("[data-testid=case-state]").strip() == "待部门报到"

    dept = page_for("dept_zhujian")
    dept.goto(url)
    form(dept, "decide").locator("button[value=accept]").click()
    dept.wait_for_selector("[data-testid='form-act:solve']")
    assert dept.inner_text("[data-testid=case-state]").strip() == "办理中"
    solve = form(dept, "act:solve")
    solve.locator("[name=note]").fill("协调物业划定临时停车区，清理消防通道。")
    solve.locator("button").click()
    dept.wait_for_selector("[data-testid=timeline]")
    assert dept.inner_text("[data-testid=case-state]").strip() == "待验收"

    office.goto(url)
    form(office, "act:accept").locator("button").click()
    office.wait_for_selector("[data-testid='form-act:sign_off']")
    form(office, "act:sign_off").locator("button").click()
    office.wait_for_selector("[data-testid=case-state]")
    assert office.inner_text("[data-testid=case-state]").strip() == "已销号"
    publish = form(office, "publish")
    office.locator("[data-testid=panel-publish] summary").click()
    publish.locator("[name=public_title]").fill("阳光家园小区消防通道乱停车")
    publish.locator("[name=public_result]").fill("已划定临时停车区，消防通道畅通。")
    publish.locator("button").click()
    office.wait_for_selector("[data-testid=published]")
    shot(office, "whistle-closed")

    case.refresh_from_db()
    assert case.state == "closed" and case.accepted_by.username == "office_yancheng"
    assert case.routes.get().decided_by.username == "dept_zhujian"

    township = Org.objects.get(name="砚城镇")
    public = browser.new_page(viewport={"width": 375, "height": 800})
    public.goto(f"{site.url}/cases/board/{township.pk}/")
    text = public.inner_text("body")
    assert "阳光家园小区消防通道乱停车" in text and "已划定临时停车区" in text
    assert TITLE not in text and "霍晓梅" not in text and case.receipt_no not in text
    shot(public, "public-board-phone")
    public.close()
