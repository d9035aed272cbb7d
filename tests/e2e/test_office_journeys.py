"""The township office's contact coverage, as 老牛湾镇's office walks it."""

import pytest

from dangjian.office.models import ContactPoint
from dangjian.orgs.models import Org

from .conftest import shot

pytestmark = pytest.mark.e2e


def test_office_sees_the_uncovered_branch_and_assigns_a_contact(page_for, site):
    page = page_for("office_laoniuwan")
    page.goto(f"{site.url}/office/coverage/")
    rows = page.locator("[data-testid=branch-row]")
    assert rows.count() == 9
    gaps = page.locator("[data-testid=branch-row].table-danger")
    assert gaps.count() == 1
    assert page.inner_text("[data-testid=uncovered-count]").strip() == "1"
    assert page.inner_text("[data-testid=idle-count]").strip() == "0"
    name = gaps.first.get_attribute("data-branch")
    shot(page, "office-coverage")

    gaps.first.locator("select[name=staff]").select_option(index=1)
    gaps.first.locator("button:has-text('指派')").click()
    page.wait_for_selector("[data-testid=flash]")
    assert f"联系{name}" in page.inner_text("[data-testid=flash]")
    assert page.locator("[data-testid=branch-row].table-danger").count() == 0
    assert page.inner_text("[data-testid=uncovered-count]").strip() == "0"

    branch = Org.objects.get(name=name)
    assert ContactPoint.objects.filter(org=branch, until__isnull=True).count() == 1
    page.reload()
    assert page.locator("[data-testid=branch-row].table-danger").count() == 0
    assert "无联系人" not in page.inner_text("[data-testid=branches]")
