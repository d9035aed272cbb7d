"""Members and development, as a village secretary and the township office walk them."""

import datetime

import pytest
from django.utils import timezone

from dangjian.development.models import DevelopmentCase
from dangjian.members.testing import make_id_number

from .conftest import shot

pytestmark = pytest.mark.e2e


def fill_step(page, code, **fields):
    box = page.locator(f"[data-testid=step-form-{code}]")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for name, value in fields.items():
        target = box.locator(f"[name$=-{name}]")
        if target.count() == 0:  # the field belongs to another rule version's form
            continue
        if target.first.evaluate("e => e.tagName") == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)
    box.locator("button:has-text('登记')").click()
    page.wait_for_load_state()


def test_secretary_takes_an_applicant_to_activist_and_is_refused_candidate_early(page_for, site):
    today = timezone.localdate()
    day = lambda n: (today - datetime.timedelta(days=n)).isoformat()  # noqa: E731
    page = page_for("secretary_laoniuwan")
    page.click("text=发展党员")
    page.click("text=登记入党申请")
    page.select_option("[name=org]", index=1)
    page.fill("[name=name]", "郝新苗")
    page.fill("[name=id_number]", make_id_number(datetime.date(2001, 8, 15), 321, male=False))
    page.fill("[name=phone]", "13912345678")
    page.fill("[name=applied_on]", day(60))
    page.fill("[name=responsible]", "村党支部书记")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=郝新苗")
    case = DevelopmentCase.objects.get(person__name="郝新苗")
    assert page.url.endswith(f"/development/cases/{case.pk}/")

    fill_step(page, "talk", done_on=day(50), responsible="村党支部书记")
    fill_step(page, "activist", done_on=day(40), responsible="村党支部书记", decided_by="支部委员会")
    case.refresh_from_db()
    assert case.activist_on == today - datetime.timedelta(days=40)
    assert case.next_step == "activist_filed"
    assert "由上级党委办理" in page.content()  # the secretary cannot file it with the township

    office = page_for("office_laoniuwan")
    office.goto(f"{site.url}/development/cases/{case.pk}/")
    fill_step(office, "activist_filed", done_on=day(35), responsible="镇党建办")

    page.reload()
    box = page.locator("[data-testid=step-form-contacts]")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.locator("[name$=-members]").first.check()
    box.locator("[name$=-done_on]").fill(day(30))
    box.locator("[name$=-responsible]").fill("村党支部书记")
    box.locator("button:has-text('登记')").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    # Cases opened from 2026-05-18 run under the revised rules, where a publicity period comes first.
    assert case.next_step in ("candidate", "candidate_publicity")
    fill_step(
        page,
        case.next_step,
        done_on=day(1),
        responsible="支部委员会",
        publicity_from=day(8),
        publicity_to=day(1),
    )
    text = page.content()
    assert "满1年后" in text and "方可确定为发展对象" in text
    case.refresh_from_db()
    assert case.candidate_on is None and case.stage == 2
    shot(page, "development-refused")
    page.goto(f"{site.url}/development/")
    shot(page, "development-board")
    page.goto(f"{site.url}/members/")
    assert "郝新苗" not in page.inner_text("main")  # an applicant is not a member
    shot(page, "member-roster")
