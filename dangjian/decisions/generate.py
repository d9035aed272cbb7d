"""四议两公开 for every village of the generated province, in bulk.

Each village has a decision of the last year carried through all six steps (proposal and deliberation
merged in half of them) and one under way, stopped at a random step; one in fifty of those under way was
voted down. Counts meet the quorums the services check (members' assembly 2/3 present and a majority of
those expected; representatives' meeting 2/3 present and a majority of those present). Each decision has
two to six residents' opinions. Deterministic from `plan.seed`; written by COPY on PostgreSQL."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from dangjian.cases.generate import copy_rows, county_admins
from dangjian.members.demo import Table
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind

from .models import BASE_ORDER, Channel, Decision, DecisionStep, MeetingKind, Opinion, State, Step

PROVINCE_LABELS: dict[str, str] = {"decision": "四议两公开事项", "decision_opinion": "群众意见"}
TITLES = (
    "村集体经济年度发展计划",
    "村内道路硬化工程",
    "集体土地流转方案",
    "饮水安全工程",
    "村集体收益分配方案",
    "人居环境整治方案",
)
OPINIONS = ("同意，希望尽快实施", "建议账目公开", "施工要注意安全", "请优先照顾困难户", "建议分期实施")
DECISION_COLUMNS = (
    "id",
    "org_id",
    "county_id",
    "title",
    "matter",
    "meeting_kind",
    "state",
    "joint_review",
    "opened_on",
    "opened_by_id",
    "created_at",
    "updated_at",
)
STEP_COLUMNS = (
    "id",
    "decision_id",
    "step",
    "held_on",
    "merged",
    "passed",
    "expected",
    "present",
    "in_favour",
    "households",
    "households_present",
    "notes",
    "recorded_by_id",
    "created_at",
)
OPINION_COLUMNS = (
    "id",
    "decision_id",
    "resident_name",
    "text",
    "received_on",
    "channel",
    "recorded_by_id",
    "created_at",
)


def insert_province_decisions(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    county_of: dict[int, int] = {}
    villages: dict[int, list[int]] = defaultdict(list)
    for i, o in enumerate(plan.orgs):
        if o.kind == OrgKind.COUNTY:
            county_of[i] = i
        elif o.parent is not None and o.parent in county_of:
            county_of[i] = county_of[o.parent]
            if o.kind == OrgKind.BRANCH:
                villages[county_of[i]].append(i)
    admins = county_admins([org_ids[c] for c in villages])
    decisions = Table(Decision, DECISION_COLUMNS)
    steps = Table(DecisionStep, STEP_COLUMNS)
    opinions = Table(Opinion, OPINION_COLUMNS)
    now = timezone.now()
    for county, branch_indexes in villages.items():
        county_id = org_ids[county]
        user = (admins.get(county_id) or admins[None])[0]
        rng = random.Random(f"decisions-{plan.seed}-{plan.orgs[county].code}")
        for b in branch_indexes:
            org_id = org_ids[b]
            for finished in (True, False):
                opened = today - datetime.timedelta(
                    days=rng.randint(120, 360) if finished else rng.randint(5, 60)
                )
                pk = decisions.take_id()
                stop = len(BASE_ORDER) if finished else rng.randint(0, len(BASE_ORDER) - 1)
                rejected = not finished and stop in (2, 3) and rng.random() < 0.02
                state = (
                    State.REJECTED
                    if rejected
                    else (BASE_ORDER[stop] if stop < len(BASE_ORDER) else State.DONE)
                )
                decisions.add(
                    (
                        pk,
                        org_id,
                        county_id,
                        rng.choice(TITLES),
                        "",
                        MeetingKind.REPRESENTATIVES.value,
                        str(state),
                        False,
                        opened,
                        user,
                        now,
                        now,
                    )
                )
                merged = rng.random() < 0.5
                for n, step in enumerate(BASE_ORDER[: stop + 1 if rejected else stop]):
                    day = opened + datetime.timedelta(days=n * 4)
                    _step(steps, rng, pk, step, day, merged, user, now, passed=not (rejected and n == stop))
                for k in range(rng.randint(2, 6)):
                    opinions.add(
                        (
                            opinions.take_id(),
                            pk,
                            "",
                            rng.choice(OPINIONS),
                            opened - datetime.timedelta(days=k),
                            rng.choice(Channel.values),
                            user,
                            now,
                        )
                    )
        copy_rows([decisions, steps, opinions])
    org_demo.reset_sequences(Decision, DecisionStep, Opinion)
    return {"decision": decisions.total, "decision_opinion": opinions.total}


def _step(steps: Table, rng, pk, step, day, merged, user, now, *, passed: bool) -> None:
    counts: tuple = (None, None, None)
    if step == Step.ASSEMBLY_REVIEW:
        expected = rng.randint(12, 60)
        present = rng.randint(-(-2 * expected // 3), expected)
        counts = (expected, present, present if passed else expected // 2)
    elif step == Step.RESOLUTION:
        expected = rng.randint(20, 40)
        present = rng.randint(-(-2 * expected // 3), expected)
        counts = (expected, present, present if passed else present // 2)
    both = merged and step in (Step.PROPOSAL, Step.DELIBERATION)
    steps.add((steps.take_id(), pk, step, day, both, passed, *counts, None, None, "", user, now))
