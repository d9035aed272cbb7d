"""This app's part of the two-county test world: one decision inside county 甲 (村甲一, proposed, with
an opinion) and one outside it (外村), so the scope matrix has something to hide on every route."""

from __future__ import annotations

import datetime

from django.utils import timezone

from . import services
from .models import MeetingKind, Step


def populate(world) -> None:
    root, o = world.root, world.orgs
    today = timezone.localdate()
    held = today - datetime.timedelta(days=3)
    world.decisions = {}
    for key, branch, tag in (("decision", "branch", "甲"), ("out_decision", "out_branch", "外")):
        decision = services.open_decision(
            root,
            org=o[branch],
            title=f"村{tag}道路硬化事项",
            matter="村内主干道硬化，约1.2公里",
            meeting_kind=MeetingKind.REPRESENTATIVES,
            opened_on=held,
        )
        services.record_step(root, decision, Step.PROPOSAL, held_on=held, notes="支委会提议")
        services.add_opinion(root, decision, text=f"村{tag}群众：建议先修排水沟", received_on=held)
        world.decisions[key] = decision
