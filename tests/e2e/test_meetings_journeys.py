"""Meetings as the village secretary records them: a theme day with verified sign-in, on a phone."""

import pytest
from django.utils import timezone

from dangjian.meetings.models import Meeting

from .conftest import shot

pytestmark = pytest.mark.e2e


def no_sideways_scroll(page, where: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{where} scrolls sideways by {overflow}px at 375px"


def test_secretary_records_a_theme_day_with_sign_in_on_a_phone(page_for, site):
    page = page_for("secretary_laoniuwan", width=375, height=812)
    page.on("dialog", lambda dialog: dialog.accept())
    for path in ("/meetings/", "/meetings/attendance/"):
        page.goto(f"{site.url}{path}")
        no_sideways_scroll(page, path)

    # Plan the theme day, starting now, so sign-in is open.
    page.goto(f"{site.url}/meetings/new/")
    no_sideways_scroll(page, "plan form")
    page.select_option("[name=org]", label="老牛湾村（村党支部）")
    page.select_option("[name=kind]", "theme_day")
    page.fill("[name=topic]", "12月主题党日：学习党章 集中交纳党费")
    page.fill("[name=planned_at]", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.fill("[name=place]", "老牛湾村党员活动室")
    page.click("button:has-text('保存')")
    page.wait_for_selector("[data-testid=meeting-topic]")
    meeting = Meeting.objects.get(topic="12月主题党日：学习党章 集中交纳党费")
    expected = meeting.attendances.count()
    assert expected > 10 and f"应到{expected}人" in page.inner_text("[data-testid=headcount]")
    no_sideways_scroll(page, "meeting page")

    # Open sign-in: a 6-digit code and a QR code on screen.
    page.click("[data-testid=open-sign-in]")
    page.wait_for_selector("[data-testid=signin-code]")
    code = page.inner_text("[data-testid=signin-code]").strip()
    assert len(code) == 6 and code.isdigit()
    assert page.locator("[data-testid=signin-qr] svg").count() == 1
    no_sideways_scroll(page, "meeting page with the code")
    page.locator("[data-testid=signin-code]").scroll_into_view_if_needed()
    shot(page, "meeting-sign-in-phone", full_page=False)

    # The secretary signs a member in with the code the member reads from the screen.
    page.click("text=逐人签到")
    page.wait_for_selector("[data-testid=recorder-sign-in]")
    no_sideways_scroll(page, "sign-in page")
    first = meeting.attendances.order_by("pk").first()
    page.fill("#id_code", "000000" if code != "000000" else "111111")
    page.click(f"[data-testid=sign-in-{first.pk}]")
    page.wait_for_selector("[data-testid=sign-in-error]")
    assert "签到码不正确" in page.inner_text("[data-testid=sign-in-error]")
    page.fill("#id_code", code)
    page.click(f"[data-testid=sign-in-{first.pk}]")
    page.wait_for_selector(f"text={first.name}签到成功")
    first.refresh_from_db()
    assert first.status == "present" and first.signin_method == "manual"

    # Record it as held: everyone else present but one on leave.
    page.goto(f"{site.url}/meetings/{meeting.pk}/held/")
    no_sideways_scroll(page, "held form")
    page.click("[data-all=present]")
    last = meeting.attendances.order_by("pk").last()
    page.select_option(f"[name=status-{last.pk}]", "excused")
    page.fill(f"[name=reason-{last.pk}]", "外出务工")
    page.click("[data-testid=save-held]")
    page.wait_for_selector("text=已登记会议召开情况")
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.held_on == timezone.localdate()
    assert f"出席{expected - 1}人" in page.inner_text("[data-testid=headcount]")

    # Minutes, then the secretary's approval locks them.
    page.fill("[name=minutes]", "杜建军主持。学习党章第二章，全体党员交纳党费，讨论冬季防火安排。")
    page.click("[data-testid=save-minutes]")
    page.wait_for_selector("[data-testid=approve-minutes]")
    page.click("[data-testid=approve-minutes]")
    page.wait_for_selector("[data-testid=minutes-approved]")
    meeting.refresh_from_db()
    assert meeting.minutes_approved_by.username == "secretary_laoniuwan"
    assert page.locator("[name=minutes]").count() == 0  # locked
    no_sideways_scroll(page, "approved meeting")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "meeting-theme-day-phone", full_page=False)
