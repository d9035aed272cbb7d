"""The joint-village general branch's first review of a village's important matters (重要事务初审权,
安定镇, seed 004): where the county turned it on, a decision of a village in a joint branch goes from the
two-committee deliberation to the joint branch, and only then to the member assembly; the joint branch
alone takes that step, and may send the matter back."""

import datetime

import pytest

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.roles import Role
from dangjian.core.rule_settings import set_county_rule
from dangjian.core.testing import make_user
from dangjian.decisions import rules as R
from dangjian.decisions import services
from dangjian.decisions.models import BASE_ORDER, STEP_ORDER, State, Step
from dangjian.orgs.models import Org
from dangjian.orgs.services import create_org

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 22)


@pytest.fixture
def joint(world):
    """村甲一 in a joint branch (the world's station, turned into one), whose secretary is the station
    chief's login; a second joint branch beside it with its own secretary."""
    Org.objects.filter(pk=world.orgs["station"].pk).update(kind="joint_branch")
    township = world.orgs["township"]
    other = create_org(world.root, parent=township, name="第二联村党总支", kind="joint_branch", code="J2")
    world.other_secretary = make_user(world.root, "joint2d", "二总支书记", other, Role.STATION_CHIEF)
    world.joint_secretary = world.user(Role.STATION_CHIEF)
    world.secretary = world.user(Role.VILLAGE_SECRETARY)
    return world


def turn_on(world):
    set_county_rule(
        world.user(Role.COUNTY_ADMIN),
        world.orgs["county"],
        R.JOINT_FIRST_REVIEW.code,
        True,
        source="县委文件",
    )


def deliberated(world):
    d = services.open_decision(
        world.secretary,
        org=world.orgs["branch"],
        title="村集体土地流转",
        opened_on=D(2026, 10, 1),
        today=TODAY,
    )
    for step, day in ((Step.PROPOSAL, 2), (Step.DELIBERATION, 5)):
        services.record_step(world.secretary, d, step, held_on=D(2026, 10, day), today=TODAY)
    d.refresh_from_db()
    return d


def test_off_by_default_the_assembly_follows_the_deliberation(joint):
    d = deliberated(joint)
    assert not d.joint_review and d.state == State.ASSEMBLY_REVIEW and d.step_order == BASE_ORDER
    with pytest.raises(DomainError, match="无需“联村党总支初审”"):
        services.record_step(joint.joint_secretary, d, Step.JOINT_REVIEW, held_on=D(2026, 10, 8), today=TODAY)


def test_where_turned_on_the_joint_branch_reviews_before_the_assembly(joint):
    turn_on(joint)
    d = deliberated(joint)
    assert d.joint_review and d.state == State.JOINT_REVIEW and d.step_order == STEP_ORDER
    with pytest.raises(DomainError, match="须先经联村党总支初审，才能提交党员大会审议"):
        services.record_step(
            joint.secretary,
            d,
            Step.ASSEMBLY_REVIEW,
            held_on=D(2026, 10, 8),
            expected=10,
            present=9,
            in_favour=9,
            today=TODAY,
        )
    with pytest.raises(ActionDenied, match="须由村甲一所属的站甲办理"):
        services.record_step(joint.secretary, d, Step.JOINT_REVIEW, held_on=D(2026, 10, 8), today=TODAY)
    with pytest.raises(NotInScope):
        services.record_step(joint.other_secretary, d, Step.JOINT_REVIEW, held_on=D(2026, 10, 8), today=TODAY)
    services.record_step(joint.joint_secretary, d, Step.JOINT_REVIEW, held_on=D(2026, 10, 8), today=TODAY)
    d.refresh_from_db()
    assert d.state == State.ASSEMBLY_REVIEW


def test_the_joint_branch_may_send_the_matter_back(joint):
    turn_on(joint)
    d = deliberated(joint)
    services.record_step(
        joint.joint_secretary, d, Step.JOINT_REVIEW, held_on=D(2026, 10, 8), rejected=True, today=TODAY
    )
    d.refresh_from_db()
    assert d.state == State.REJECTED and not d.steps.get(step=Step.JOINT_REVIEW).passed


def test_a_village_outside_any_joint_branch_keeps_the_usual_order(joint):
    turn_on(joint)
    d = services.open_decision(
        joint.user(Role.TOWNSHIP_STAFF), org=joint.orgs["community"], title="社区停车位", today=TODAY
    )
    assert not d.joint_review and d.step_order == BASE_ORDER


def test_the_page_offers_the_step_to_the_joint_branch_only(joint, client_for):
    turn_on(joint)
    d = deliberated(joint)
    mine = client_for(joint.joint_secretary).get(f"/decisions/{d.pk}/").content.decode()
    assert "登记：联村党总支初审" in mine and "初审未通过" in mine
    theirs = client_for(joint.secretary).get(f"/decisions/{d.pk}/").content.decode()
    assert "由站甲办理" in theirs and "登记：联村党总支初审" not in theirs
    assert client_for(joint.other_secretary).get(f"/decisions/{d.pk}/").status_code == 404
