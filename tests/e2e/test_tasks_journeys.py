"""The two-down two-up week as 榆舍 station lives it (source 002): the station chief opens the latest week on
a phone, sees that all villages reported and one of them late, drafts the week's compilation from their
reports, adds a line and sends it on to the township; the county then sees 榆舍 reported."""

import pytest
from django.utils import timezone

from dangjian.orgs.models import Org
from dangjian.reviews.models import MonthlyReview
from dangjian.tasks.choices import CompilationState
from dangjian.tasks.models import Compilation, WeeklyCycle

from .conftest import shot

pytestmark = pytest.mark.e2e
ADDED = "榆舍站补充：下周重点督促逾期村按时汇报。"


def no_sideways_scroll(page, where):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{where} scrolls sideways by {overflow}px at 375px"


def test_station_chief_compiles_the_week_and_sends_it_on(page_for, site):
    station = Org.objects.get(name="榆舍党建工作站")
    cycle = (
        WeeklyCycle.objects.filter(org=station.parent, report_due__lt=timezone.localdate())
        .order_by("-week_start")
        .first()
    )
    page = page_for("station_yushe", width=375, height=812)
    page.goto(f"{site.url}/tasks/weeks/mine/")
    page.wait_for_selector("[data-testid=station-state]")
    if page.locator("#cycle-select").count():
        with page.expect_navigation():
            page.select_option("#cycle-select", str(cycle.pk))
    assert "逾期报送 1 个村" in page.inner_text("[data-testid=late-villages]")
    no_sideways_scroll(page, "本周（工作站）")

    with page.expect_navigation():
        page.click("[data-testid=draft]")
    body = page.locator("[data-testid=compilation-form] textarea")
    drafted = body.input_value()
    late = [v for v in page.inner_text("[data-testid=village-summary]").split("、") if "逾期" in v]
    assert len(late) == 1 and late[0].split("（")[0] in drafted
    body.fill(drafted + "\n" + ADDED)
    shot(page, "weekly-compile-phone")
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        page.click("[data-testid=compilation-form] button[value='1']")
    page.wait_for_selector("[data-testid=station-state]")
    # The week's compile day may be past when the demo is loaded, so on time or late, it is reported.
    assert page.inner_text("[data-testid=station-state]").strip() in ("已上报", "逾期上报")
    compilation = Compilation.objects.get(cycle=cycle, org=station)
    assert compilation.state == CompilationState.SUBMITTED and ADDED in compilation.body

    county = page_for("county_yijun")
    county.goto(f"{site.url}{cycle.get_absolute_url()}")
    row = county.locator("tr", has_text="榆舍党建工作站").first
    assert "已上报" in row.inner_text() or "逾期上报" in row.inner_text()


def test_county_reads_its_3x_pack_and_takes_the_word_file(page_for, site):
    """五寨县's latest 3+X analysis: the key tasks' completion, the scorecard with 孙家坪乡 asked to rectify,
    and the editable Word file to take to the meeting."""
    review = MonthlyReview.objects.filter(org__name="五寨县").order_by("-month").first()
    page = page_for("county_wuzhai")
    page.goto(f"{site.url}/reviews/")
    page.click(f"a[href='/reviews/{review.pk}/']")
    page.wait_for_selector("[data-testid=completion]")
    assert "孙家坪乡" in page.inner_text("[data-testid=rectified]")
    assert page.locator("[data-testid=completion] a").count() > 0  # every figure opens its records
    shot(page, "review-3x")
    with page.expect_download() as download:
        page.click("[data-testid=download-docx]")
    assert download.value.suggested_filename.endswith(".docx")
