"""Helpers for the decisions tests: a fresh decision in 村甲一 moved to a given step."""

from __future__ import annotations

import datetime

from dangjian.decisions import services
from dangjian.decisions.models import Decision, MeetingKind, Step
from dangjian.members.choices import Gender
from dangjian.villages import services as villages_services
from dangjian.villages.models import CommitteeKind, PostKind

TODAY = datetime.date(2026, 11, 20)
DAY = datetime.date(2026, 11, 2)

# Counts that pass each quorum comfortably.
GOOD = {
    Step.ASSEMBLY_REVIEW: {"expected": 30, "present": 25, "in_favour": 22},
    (Step.RESOLUTION, MeetingKind.VILLAGERS): {
        "expected": 62,
        "present": 40,
        "households": 30,
        "households_present": 25,
        "in_favour": 30,
    },
    (Step.RESOLUTION, MeetingKind.REPRESENTATIVES): {"expected": 30, "present": 24, "in_favour": 20},
}


def counts_for(decision: Decision, step: str) -> dict[str, int]:
    if step == Step.ASSEMBLY_REVIEW:
        return dict(GOOD[step])
    if step == Step.RESOLUTION:
        return dict(GOOD[(step, decision.meeting_kind)])
    return {}


def hold_both_posts(world) -> None:
    """Make 村甲一's branch secretary (test world: 甲书记郭凯) its villagers' committee director too."""
    committee = villages_services.create_committee(
        world.root,
        world.orgs["branch"],
        kind=CommitteeKind.VILLAGERS,
        term_start=DAY - datetime.timedelta(days=400),
    )
    villages_services.appoint(
        world.root,
        committee,
        PostKind.DIRECTOR,
        name="甲书记郭凯",
        gender=Gender.MALE,
        since=committee.term_start,
        today=DAY,
    )


def new_decision(world, *, kind=MeetingKind.REPRESENTATIVES, both=False, org="branch", user=None) -> Decision:
    if both:
        hold_both_posts(world)
    return services.open_decision(
        user or world.user("village_secretary"),
        org=world.orgs[org],
        title="村甲一集体果园承包",
        matter="果园30亩对外承包5年",
        meeting_kind=kind,
        opened_on=DAY,
        today=TODAY,
    )


def advance(world, decision: Decision, until: str, user=None) -> Decision:
    """Record every step before `until` with passing counts, one day apart."""
    user = user or world.user("village_secretary")
    for i, step in enumerate(decision.step_order):
        if step == until:
            break
        services.record_step(
            user,
            decision,
            step,
            held_on=DAY + datetime.timedelta(days=i),
            today=TODAY,
            **counts_for(decision, step),
        )
    return Decision.objects.get(pk=decision.pk)
