"""The joint-village general branch's pre-review of development candidates (联村党总支党员发展预审权,
安定镇, seed 004): a step between the branch committee's review and the township's pre-review, only where
the county turned it on and the village is in a joint branch, taken only by that joint branch."""

import datetime

import pytest

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.roles import Role
from dangjian.core.rule_settings import set_county_rule
from dangjian.core.testing import make_user
from dangjian.development import rules as R
from dangjian.development import services
from dangjian.orgs.models import Org
from dangjian.orgs.services import create_org

from .conftest import TODAY
from .test_pipeline_flow import walk

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def joint(dev):
    """村甲一 and 村甲二 in a joint branch (the world's station, turned into one) whose secretary is the
    station chief's login; a second joint branch beside it with its own secretary."""
    Org.objects.filter(pk=dev.orgs["station"].pk).update(kind="joint_branch")
    township = dev.orgs["township"]
    other = create_org(dev.root, parent=township, name="第二联村党总支", kind="joint_branch", code="J2")
    dev.other_secretary = make_user(dev.root, "joint2", "二总支书记", other, Role.STATION_CHIEF)
    dev.joint_secretary = dev.user(Role.STATION_CHIEF)
    return dev


def turn_on(world):
    """As the county organisation department does on its rule settings page."""
    set_county_rule(
        world.user(Role.COUNTY_ADMIN),
        world.orgs["county"],
        R.JOINT_PRE_REVIEW.code,
        "是",
        source="县委组织部：联村党总支七项权限",
        effective_from=D(2020, 1, 1),
    )


JOINT_DAY = D(2024, 6, 5)


def take(who, case, code="joint_pre_review", result="passed", on=JOINT_DAY):
    return services.record_step(
        who, case, code, done_on=on, responsible="总支书记", data={"result": result}, today=TODAY
    )


def test_off_by_default_the_township_pre_reviews_next(joint):
    case = walk(joint, until="pre_review")
    assert case.next_step == "pre_review"
    with pytest.raises(DomainError, match="本县未开启联村党总支预审"):
        take(joint.joint_secretary, case)


def test_where_the_county_turns_it_on_the_joint_branch_pre_reviews_first(joint):
    turn_on(joint)
    case = walk(joint, until="pre_review")
    assert case.next_step == "joint_pre_review"
    with pytest.raises(DomainError, match="当前应办理“联村党总支预审”"):
        take(joint.office, case, "pre_review")
    with pytest.raises(ActionDenied, match="须由村甲一所属的站甲办理"):
        take(joint.office, case)
    take(joint.joint_secretary, case)
    case.refresh_from_db()
    assert case.next_step == "pre_review"
    take(joint.office, case, "pre_review", on=D(2024, 6, 10))
    case.refresh_from_db()
    assert case.next_step == "application_form"


def test_a_failed_joint_pre_review_holds_the_case(joint):
    turn_on(joint)
    case = walk(joint, until="pre_review")
    step = take(joint.joint_secretary, case, result="failed")
    case.refresh_from_db()
    assert not step.passed and case.next_step == "joint_pre_review"


def test_another_joint_branch_cannot_see_the_case(joint):
    turn_on(joint)
    case = walk(joint, until="pre_review")
    with pytest.raises(NotInScope):
        take(joint.other_secretary, case)
    case.refresh_from_db()
    assert case.next_step == "joint_pre_review" and not case.steps.filter(code="joint_pre_review").exists()


def test_the_case_page_offers_the_step_to_the_joint_branch_only(joint, client_for):
    turn_on(joint)
    case = walk(joint, until="pre_review")
    page = client_for(joint.joint_secretary).get(f"/development/cases/{case.pk}/").content.decode()
    assert "联村党总支预审" in page and "联村党总支办理" in page and 'value="joint_pre_review"' in page
    office = client_for(joint.office).get(f"/development/cases/{case.pk}/").content.decode()
    assert "由站甲（联村党总支）办理" in office and 'value="joint_pre_review"' not in office
    assert client_for(joint.other_secretary).get(f"/development/cases/{case.pk}/").status_code == 404


def test_the_timeline_hides_the_step_where_it_does_not_apply(joint, client_for):
    case = walk(joint, until="pre_review")
    page = client_for(joint.office).get(f"/development/cases/{case.pk}/").content.decode()
    assert "联村党总支预审" not in page


def test_turning_it_on_leaves_cases_past_the_township_pre_review_alone(joint):
    case = walk(joint, until="application_form")
    assert case.next_step == "application_form"
    turn_on(joint)
    assert services.plan(case).next_step == "application_form"
