"""Random sequences of actions by random people on cases of every kind: no illegal state is reachable,
every closed case has an acceptance by someone other than its owner and a sign-off, a reopened case is
open again, and the timeline only records moves the kind declares."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.cases import services
from dangjian.cases.choices import EventType
from dangjian.cases.kinds import KINDS
from dangjian.cases.models import CaseEvent
from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.roles import Role

from .support import errand, fresh, problem, whistle

ROLES = [
    Role.COUNTY_ADMIN,
    Role.TOWNSHIP_STAFF,
    Role.STATION_CHIEF,
    Role.VILLAGE_SECRETARY,
    Role.GRID_LEADER,
    Role.DEPT_LIAISON,
    Role.READONLY_LEADER,
]
CODES = sorted({t.code for k in KINDS.values() for t in k.transitions} | {"reopen", "decline", "supervise"})
OPENERS = {"problem": problem, "errand": errand, "whistle": whistle}

steps = st.lists(
    st.tuples(st.sampled_from(ROLES), st.sampled_from(CODES), st.booleans()), min_size=1, max_size=25
)


def apply(world, case, role, code, flag, clock):
    user = world.user(role)
    if code == "route":
        services.route(user, case, [world.departments["dept"]])
    elif code == "answer":
        services.decide_route(user, case, accept=True)
    elif code == "decline":
        services.decide_route(user, case, accept=False, reason="非本部门职责")
    elif code == "reopen":
        services.reopen(user, case, reason="群众反映未解决", now=clock)
    elif code == "supervise":
        services.supervise(user, case, note="督办")
    else:
        services.act(user, case, code, note="办理说明" if flag else "")


def check_invariants(case, reopened: bool) -> None:
    spec = KINDS[case.kind]
    assert case.state in spec.states
    if case.state == "closed":
        assert case.accepted_by_id and case.closed_by_id and case.accepted_at and case.closed_at
        assert case.accepted_by_id != case.owner_id
        assert not case.co_owners.filter(pk=case.accepted_by_id).exists()
    if reopened:
        assert case.state != "closed"
    if case.state in spec.running_states:
        assert case.done_at is None
    legal = {(s, t.target, t.code) for t in spec.transitions for s in t.sources}
    for e in CaseEvent.objects.filter(case=case, type=EventType.TRANSITION):
        assert (e.from_state, e.to_state, e.transition) in legal
    last_reopen = CaseEvent.objects.filter(case=case, type=EventType.REOPEN).order_by("-pk").first()
    if case.state == "closed":
        after = CaseEvent.objects.filter(case=case, type=EventType.TRANSITION)
        if last_reopen:
            after = after.filter(pk__gt=last_reopen.pk)
        assert set(after.values_list("transition", flat=True)) >= {"accept", "sign_off"}


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(sorted(OPENERS)), data=st.data())
def test_no_illegal_state_is_reachable(world, kind, data):
    """Each step is, more often than not, a move the state allows (so long sequences reach closing and
    reopening), taken by a random role, sometimes without the note it needs."""
    case = OPENERS[kind](world)
    clock = timezone.now()
    closed = 0
    for _ in range(data.draw(st.integers(min_value=1, max_value=20))):
        state = fresh(case).state
        plausible = KINDS[kind].available(state)
        if plausible and data.draw(st.integers(min_value=0, max_value=3)) > 0:
            t = data.draw(st.sampled_from(plausible))
            code, role = t.code, data.draw(st.sampled_from(sorted(t.roles)))
        else:
            code, role = data.draw(st.sampled_from(CODES)), data.draw(st.sampled_from(ROLES))
        flag = data.draw(st.integers(min_value=0, max_value=4)) > 0
        clock += datetime.timedelta(minutes=data.draw(st.sampled_from([0, 1, 5])))
        reopened = False
        try:
            apply(world, fresh(case), role, code, flag, clock)
            reopened = code == "reopen"
        except (DomainError, ActionDenied, NotInScope):
            pass
        check_invariants(fresh(case), reopened)
        closed += fresh(case).state == "closed"
    REACHED[kind] = REACHED.get(kind, 0) + closed


REACHED: dict[str, int] = {}


@pytest.mark.django_db
def test_the_random_walks_do_reach_closing(world):
    """Guard against walks that never get anywhere: the walks above (run again if this runs alone) must
    have closed some case."""
    if not REACHED:
        test_no_illegal_state_is_reachable(world)
    assert sum(REACHED.values()) > 0, REACHED
