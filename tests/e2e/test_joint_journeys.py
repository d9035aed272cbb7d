"""安定镇's joint-village general branches (seed 004) hold the pre-review of development candidates where
大兴区 turned it on: the secretary of 第二联村党总支 pre-reviews a candidate of 后安定村, the case moves on to
the township's pre-review, and a village of 第一联村党总支 is as if it did not exist for him."""

import pytest

from dangjian.development.models import DevelopmentCase
from dangjian.orgs.models import Org

from .conftest import shot

pytestmark = pytest.mark.e2e


def test_the_joint_branch_pre_reviews_a_candidate_of_its_village(page_for, site):
    case = DevelopmentCase.objects.get(org__name="后安定村", next_step="joint_pre_review")
    page = page_for("joint_anding", width=375, height=800)
    page.goto(f"{site.url}/development/cases/")
    page.get_by_role("link", name=case.person.name).first.click()
    page.wait_for_url(f"{site.url}/development/cases/{case.pk}/")
    step = page.locator("[data-testid='step-form-joint_pre_review']")
    assert "联村党总支预审" in step.inner_text()
    step.get_by_label("负责人").fill("邢立伟")
    step.get_by_label("预审结论").select_option("passed")
    shot(page, "joint-pre-review-phone")
    step.locator("button:has-text('登记')").click()
    page.wait_for_selector("[data-step='joint_pre_review'][data-state='done']")
    assert "上级党委预审" in page.inner_text("body")
    case.refresh_from_db()
    assert case.next_step == "pre_review"
    assert case.steps.get(code="joint_pre_review").recorded_by.username == "joint_anding"

    first = Org.objects.get(name="第一联村党总支")
    other = Org.objects.filter(parent=first, kind="branch").order_by("pk").first()
    assert page.goto(f"{site.url}/orgs/{other.pk}/").status == 404
    assert page.goto(f"{site.url}/orgs/{first.pk}/").status == 404
    page.goto(f"{site.url}/development/cases/")
    assert other.name not in page.inner_text("body")


def test_the_joint_branch_secretary_reads_his_team_on_a_phone(page_for, site):
    page = page_for("joint_anding", width=375, height=800)
    page.goto(f"{site.url}/joint/")
    page.get_by_role("link", name="第二联村党总支").click()
    roster = page.locator("[data-testid='roster']")
    text = roster.inner_text()
    assert "邢立伟" in text and "后安定村" in text and "副书记" in text and "委员" in text
    assert roster.count() == 1 and "第一联村党总支" not in page.inner_text("body")
    roster.locator("summary", has_text="七项权限").click()
    assert "干部考核评议权" in roster.inner_text() and "已开启" in roster.inner_text()
    shot(page, "joint-roster-phone")
