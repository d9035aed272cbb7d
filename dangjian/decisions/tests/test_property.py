"""Random sequences of record_step calls (any step, any role, random counts, dates and merge flags) on
decisions of both meeting kinds, in a joint branch with the first-review power or not: the steps recorded
are always a prefix of the decision's order (six, or seven with the joint branch's first review), so no
resolution is published before the member assembly reviewed it and the meeting resolved it, no assembly
reviews before the joint branch did where it must, every recorded meeting met its quorum, every passed
vote its majority, and a vote or first review recorded as failed ends the decision."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.rule_settings import set_county_rule
from dangjian.decisions import rules as R
from dangjian.decisions import services
from dangjian.decisions.models import STEP_ORDER, Decision, DecisionStep, MeetingKind, State, Step
from dangjian.orgs.models import Org

from .support import DAY, TODAY, counts_for, new_decision

ROLES = [
    "county_admin",
    "township_staff",
    "station_chief",
    "village_secretary",
    "readonly_leader",
    "grid_leader",
]
COUNT = st.one_of(st.none(), st.integers(min_value=-2, max_value=70))

REACHED: list[str] = []


def check(decision: Decision) -> None:
    steps = list(DecisionStep.objects.filter(decision=decision).order_by("pk"))
    codes = [s.step for s in steps]
    order = decision.step_order
    assert codes == list(order[: len(codes)]), codes
    if steps and not steps[-1].passed:
        expected_state = State.REJECTED
    else:
        expected_state = order[len(codes)] if len(codes) < len(order) else State.DONE
    assert decision.state == expected_state
    held = [s.held_on for s in steps]
    assert held == sorted(held)
    by_code = {s.step: s for s in steps}
    if Step.RESOLUTION_PUBLISHED in by_code:
        assert Step.ASSEMBLY_REVIEW in by_code and Step.RESOLUTION in by_code
        assert (
            by_code[Step.ASSEMBLY_REVIEW].pk
            < by_code[Step.RESOLUTION].pk
            < by_code[Step.RESOLUTION_PUBLISHED].pk
        )
    if Step.ASSEMBLY_REVIEW in by_code:
        a = by_code[Step.ASSEMBLY_REVIEW]
        assert (Step.JOINT_REVIEW in by_code) == decision.joint_review
        assert 3 * a.present >= 2 * a.expected and a.present <= a.expected
        assert (2 * a.in_favour > a.expected) == a.passed
    if Step.RESOLUTION in by_code:
        r = by_code[Step.RESOLUTION]
        assert (2 * r.in_favour > r.present) == r.passed and r.present <= r.expected
        if decision.meeting_kind == MeetingKind.VILLAGERS:
            assert 2 * r.present > r.expected or 3 * r.households_present >= 2 * r.households
        else:
            assert 3 * r.present >= 2 * r.expected
    if any(s.merged for s in steps):
        assert services.both_posts_holder(decision.org_id)
    if not all(s.passed for s in steps):
        assert decision.state == State.REJECTED and not steps[-1].passed
        assert all(s.passed for s in steps[:-1]) and steps[-1].step in services.REFUSABLE_STEPS


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    kind=st.sampled_from(MeetingKind.values),
    both=st.booleans(),
    joint=st.booleans(),
    data=st.data(),
)
def test_no_sequence_publishes_a_resolution_before_its_review(world, kind, both, joint, data):
    """Each example in its own savepoint, rolled back, so no example sees another's committees."""
    with transaction.atomic():
        walk(world, kind, both, joint, data)
        transaction.set_rollback(True)


def walk(world, kind, both, joint, data):
    if joint:  # 村甲一's station becomes a joint branch (its chief the secretary) with the power on
        Org.objects.filter(pk=world.orgs["station"].pk).update(kind="joint_branch")
        code = R.JOINT_FIRST_REVIEW.code
        set_county_rule(world.user("county_admin"), world.orgs["county"], code, True, source="县委文件")
    decision = new_decision(world, kind=kind, both=both)
    clock = DAY
    # An earnest walk mostly takes the step due next as it should, so some walks get to the end; a
    # wayward one tries anything (any step, any role, any counts, dates backwards, failed votes).
    earnest = data.draw(st.booleans())
    for _ in range(data.draw(st.integers(min_value=3, max_value=20))):
        decision = Decision.objects.get(pk=decision.pk)
        stray = data.draw(st.integers(min_value=0, max_value=9 if earnest else 2)) == 0
        if decision.state not in (State.DONE, State.REJECTED) and not stray:
            step = decision.state
        else:
            step = data.draw(st.sampled_from(STEP_ORDER))
        if not stray or data.draw(st.booleans()):
            counts = counts_for(decision, step)
        else:
            counts = {
                k: data.draw(COUNT)
                for k in ("expected", "present", "in_favour", "households", "households_present")
            }
        usual = "station_chief" if step == Step.JOINT_REVIEW else "village_secretary"
        role = data.draw(st.sampled_from(ROLES)) if stray else usual
        # forward in time, a wayward step sometimes back before the previous one
        clock += datetime.timedelta(days=data.draw(st.sampled_from([0, 1, 2, 3, -2] if stray else [0, 1, 2])))
        held_on = clock
        try:
            services.record_step(
                world.user(role),
                decision,
                step,
                held_on=held_on,
                merge=(stray or step == Step.PROPOSAL) and data.draw(st.booleans()),
                rejected=stray and data.draw(st.booleans()),
                today=TODAY,
                **counts,
            )
        except (DomainError, ActionDenied, NotInScope):
            pass
        check(Decision.objects.get(pk=decision.pk))
    REACHED.append(Decision.objects.get(pk=decision.pk).state)


@pytest.mark.django_db
def test_the_random_walks_do_reach_publication(world):
    """Guard against walks that never get anywhere: some walk must have published its resolution."""
    if not REACHED:
        test_no_sequence_publishes_a_resolution_before_its_review(world)
    assert {State.RESULT_PUBLISHED, State.DONE} & set(REACHED), REACHED
