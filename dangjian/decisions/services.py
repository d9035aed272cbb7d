"""Writes of 四议两公开: open a decision, record its steps in order with their quorums, add opinions.

Every count check is exact integer arithmetic on the counts entered: "more than half of n" is
2*x > n, "at least a/b of n" is b*x >= a*n. A meeting short of its quorum is refused (it could not
decide); a vote that did not pass is recorded only when the user says so (`rejected`), and ends the
decision. Whether steps 1 and 2 may be merged is read from the two committees' roll (一肩挑)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.rules import rule_value
from dangjian.core.scope import can, require
from dangjian.members.records.common import Errors
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of, joint_branch_of, speaks_for
from dangjian.villages.selectors import cross_holdings

from . import rules as R
from .models import DONE, Channel, Decision, DecisionStep, MeetingKind, Opinion, State, Step

VILLAGE_KINDS = frozenset({OrgKind.BRANCH, OrgKind.COMMUNITY})
ORDER_SOURCE = "（四议两公开，农村基层组织工作条例）"
COUNT_FIELDS = ("expected", "present", "in_favour", "households", "households_present")
VOTED_STEPS = frozenset({Step.ASSEMBLY_REVIEW, Step.RESOLUTION})
# Steps that may end a decision as not passed: the two votes, and the joint branch's first review.
REFUSABLE_STEPS = VOTED_STEPS | {Step.JOINT_REVIEW}
FRACTION_WORDS = {(1, 2): "半数", (2, 3): "三分之二", (3, 4): "四分之三", (4, 5): "五分之四"}


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def share_words(share: tuple[int, int]) -> str:
    return FRACTION_WORDS.get(tuple(share), f"{share[0]}/{share[1]}")


def _share(value: Any, default: list[int]) -> tuple[int, int]:
    """A [numerator, denominator] rule value; a malformed county value falls back to the default."""
    try:
        a, b = int(value[0]), int(value[1])
    except (TypeError, ValueError, IndexError, KeyError):
        a, b = default
    if a < 0 or b <= 0 or a > b:
        a, b = default
    return a, b


def assembly_attendance_share(county: Org | None) -> tuple[int, int]:
    """The county's attendance share for the member assembly, never below the national floor."""
    a, b = _share(rule_value(R.ASSEMBLY_ATTENDANCE.code, county), R.ASSEMBLY_ATTENDANCE.value)
    fa, fb = R.ASSEMBLY_FLOOR.value
    return (a, b) if a * fb >= fa * b else (fa, fb)


def merge_allowed(county: Org | None) -> bool:
    return bool(rule_value(R.MERGE_ALLOWED.code, county))


def at_least(x: int, n: int, share: tuple[int, int]) -> bool:
    """x >= a/b of n, exactly."""
    return share[1] * x >= share[0] * n


def more_than_half(x: int, n: int) -> bool:
    return 2 * x > n


def _meeting(decision: Decision) -> str:
    return MeetingKind(decision.meeting_kind).label


def _done_phrase(step: str, decision: Decision) -> str:
    return {
        Step.PROPOSAL: "由村党组织提议",
        Step.DELIBERATION: "经村“两委”会议商议",
        Step.JOINT_REVIEW: "经联村党总支初审",
        Step.ASSEMBLY_REVIEW: "经党员大会审议",
        Step.RESOLUTION: f"形成{_meeting(decision)}决议",
        Step.RESOLUTION_PUBLISHED: "公开决议",
        Step.RESULT_PUBLISHED: "公开实施结果",
    }[step]


def _do_phrase(step: str, decision: Decision) -> str:
    return {
        Step.PROPOSAL: "登记村党组织提议",
        Step.DELIBERATION: "提交村“两委”会议商议",
        Step.JOINT_REVIEW: "报联村党总支初审",
        Step.ASSEMBLY_REVIEW: "提交党员大会审议",
        Step.RESOLUTION: f"形成{_meeting(decision)}决议",
        Step.RESOLUTION_PUBLISHED: "公开决议",
        Step.RESULT_PUBLISHED: "公开实施结果",
    }[step]


def both_posts_holder(org_id: int) -> str | None:
    """The name of the person who is both branch secretary and villagers' committee director now."""
    return cross_holdings([org_id]).get(org_id)


def order_error(decision: Decision, step: str) -> DomainError | None:
    """Why `step` cannot be recorded now, or None if it is the next one."""
    if decision.state == DONE:
        return DomainError("该事项已完成“四议两公开”全部环节，不能再登记。", "step")
    if decision.state == State.REJECTED:
        return DomainError("该事项表决未通过，已终止；如需重新提议，请另行登记新事项。", "step")
    order = decision.step_order
    if step not in order:
        return DomainError(
            f"{decision.org.name}不属于联村党总支或本县未开启联村党总支初审，该事项无需“{Step(step).label}”"
            f"（县级规则 {R.JOINT_FIRST_REVIEW.code}）。",
            "step",
        )
    if step == decision.state:
        return None
    if order.index(step) < order.index(decision.state):
        return DomainError(f"“{Step(step).label}”已登记，不能重复登记。", "step")
    return DomainError(
        f"须先{_done_phrase(decision.state, decision)}，才能{_do_phrase(step, decision)}{ORDER_SOURCE}",
        "step",
    )


def _counts(e: Errors, raw: dict[str, Any], needed: dict[str, str]) -> dict[str, int | None]:
    """Whole non-negative numbers for the needed fields (label by field); others are dropped."""
    out: dict[str, int | None] = dict.fromkeys(COUNT_FIELDS)
    for name, label in needed.items():
        value = raw.get(name)
        if value is None or value == "":
            e.add(f"请填写{label}。", name)
            continue
        if isinstance(value, bool):
            e.add(f"{label}须为整数。", name)
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            e.add(f"{label}须为整数。", name)
            continue
        if number != value and str(number) != str(value).strip():
            e.add(f"{label}须为整数。", name)
            continue
        if number < 0:
            e.add(f"{label}不能为负数。", name)
            continue
        out[name] = number
    return out


def _check_assembly(e: Errors, c: dict[str, int | None], county: Org | None) -> str | None:
    expected, present, favour = c["expected"], c["present"], c["in_favour"]
    if expected is None or present is None or favour is None:
        return None
    if expected == 0:
        e.add("应到会党员人数须大于0。", "expected")
        return None
    if present > expected:
        e.add(f"到会党员{present}人，多于应到会党员{expected}人。", "present")
        return None
    if favour > present:
        e.add(f"赞成{favour}人，多于到会党员{present}人。", "in_favour")
        return None
    share = assembly_attendance_share(county)
    if not at_least(present, expected, share):
        e.add(
            f"到会党员{present}人，不足应到会党员{expected}人的{share_words(share)}，党员大会不能审议"
            f"（四议两公开；本县规则 {R.ASSEMBLY_ATTENDANCE.code}，"
            "全国底线为半数以上，支部工作条例第十一条）。",
            "present",
        )
        return None
    if not more_than_half(favour, expected):
        return (
            f"赞成{favour}人，未超过应到会党员{expected}人的半数，"
            "党员大会审议未通过（支部工作条例第十一条）。"
        )
    return ""


def _check_villagers(e: Errors, c: dict[str, int | None]) -> str | None:
    adults, present, favour = c["expected"], c["present"], c["in_favour"]
    households, represented = c["households"], c["households_present"]
    if adults is None or present is None or favour is None or households is None or represented is None:
        return None
    if adults == 0:
        e.add("18周岁以上村民人数须大于0。", "expected")
        return None
    if households == 0:
        e.add("户数须大于0。", "households")
        return None
    if present > adults:
        e.add(f"到会{present}人，多于18周岁以上村民{adults}人。", "present")
        return None
    if represented > households:
        e.add(f"到会户代表{represented}户，多于本村{households}户。", "households_present")
        return None
    if favour > present:
        e.add(f"赞成{favour}人，多于到会{present}人。", "in_favour")
        return None
    adults_share, households_share = (
        R.VILLAGERS_QUORUM.value["adults"],
        R.VILLAGERS_QUORUM.value["households"],
    )
    if not more_than_half(present, adults) and not at_least(represented, households, households_share):
        e.add(
            f"到会{present}人，未超过18周岁以上村民{adults}人的{share_words(adults_share)}；"
            f"到会户代表{represented}户，不足本村{households}户的{share_words(households_share)}，"
            "村民会议不能召开（村民委员会组织法第二十二条）。",
            "present",
        )
        return None
    if not more_than_half(favour, present):
        return (
            f"赞成{favour}人，未超过到会{present}人的半数，村民会议决议未通过（村民委员会组织法第二十二条）。"
        )
    return ""


def _check_representatives(e: Errors, c: dict[str, int | None]) -> str | None:
    members, present, favour = c["expected"], c["present"], c["in_favour"]
    if members is None or present is None or favour is None:
        return None
    if members == 0:
        e.add("村民代表会议组成人员人数须大于0。", "expected")
        return None
    if present > members:
        e.add(f"到会{present}人，多于组成人员{members}人。", "present")
        return None
    if favour > present:
        e.add(f"赞成{favour}人，多于到会{present}人。", "in_favour")
        return None
    share = tuple(R.REPRESENTATIVES_QUORUM.value)
    if not at_least(present, members, share):
        e.add(
            f"到会{present}人，不足村民代表会议组成人员{members}人的{share_words(share)}，"
            "村民代表会议不能召开（村民委员会组织法第二十六条）。",
            "present",
        )
        return None
    if not more_than_half(favour, present):
        return (
            f"赞成{favour}人，未超过到会{present}人的半数，"
            "村民代表会议决议未通过（村民委员会组织法第二十六条）。"
        )
    return ""


def needed_counts(decision: Decision, step: str) -> dict[str, str]:
    """The counts a step needs (field -> label); empty for steps without a quorum."""
    if step == Step.ASSEMBLY_REVIEW:
        return {"expected": "应到会党员人数", "present": "到会党员人数", "in_favour": "赞成人数"}
    if step == Step.RESOLUTION and decision.meeting_kind == MeetingKind.VILLAGERS:
        return {
            "expected": "18周岁以上村民人数",
            "present": "到会人数",
            "households": "本村户数",
            "households_present": "到会户代表数",
            "in_favour": "赞成人数",
        }
    if step == Step.RESOLUTION:
        return {"expected": "村民代表会议组成人员人数", "present": "到会人数", "in_favour": "赞成人数"}
    return {}


def joint_reviewer(org: Org, county: Org | None) -> Org | None:
    """The joint branch that first-reviews the village's important matters, where the county gave it
    that power (decided when the decision is opened, so a decision keeps its procedure)."""
    if not rule_value(R.JOINT_FIRST_REVIEW.code, county):
        return None
    return joint_branch_of(org)


def open_decision(
    actor: User,
    *,
    org: Org | None,
    title: str,
    matter: str = "",
    meeting_kind: str = MeetingKind.REPRESENTATIVES,
    opened_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Decision:
    today = _today(today)
    if org is None:
        raise DomainError("请选择村（社区）。", "org")
    probe = Decision(org=org)
    if not can(actor, "view", probe):
        raise NotInScope
    if not can(actor, "add", probe):
        raise ActionDenied("您的角色无权登记四议两公开事项。")
    e = Errors()
    if org.kind not in VILLAGE_KINDS:
        e.add("四议两公开事项须登记在村党组织或社区党组织下。", "org")
    if org.archived_at is not None:
        e.add(f"“{org.name}”已撤销，不能登记事项。", "org")
    title = e.text(title, label="事项名称", field="title", limit=100, required=True)
    matter = e.text(matter, label="事项内容", field="matter", limit=3000)
    if meeting_kind not in MeetingKind.values:
        e.add("请选择决议会议：村民会议或村民代表会议。", "meeting_kind")
    opened_on = opened_on or today
    e.date(opened_on, label="登记日期", field="opened_on", today=today)
    e.raise_any()
    county = county_of(org)
    with transaction.atomic():
        decision = Decision.objects.create(
            org=org,
            county=county,
            joint_review=joint_reviewer(org, county) is not None,
            title=title,
            matter=matter,
            meeting_kind=meeting_kind,
            state=State.PROPOSAL,
            opened_on=opened_on,
            opened_by=actor,
        )
        audit.record(actor, "decisions.open", decision, org=org, after=snapshot(decision))
    return decision


def record_step(
    actor: User,
    decision: Decision,
    step: str,
    *,
    held_on: datetime.date | None,
    expected: Any = None,
    present: Any = None,
    in_favour: Any = None,
    households: Any = None,
    households_present: Any = None,
    notes: str = "",
    merge: bool = False,
    rejected: bool = False,
    today: datetime.date | None = None,
) -> DecisionStep:
    """Record the next step of `decision`. `merge=True` with the proposal records the two-committee
    deliberation with it (only where the county allows it and one person holds both posts).
    `rejected=True` records a vote that did not pass, which ends the decision."""
    today = _today(today)
    require(actor, "change", decision)
    if step not in Step.values:
        raise DomainError("环节无效。", "step")
    with transaction.atomic():
        decision = Decision.objects.select_for_update().select_related("org", "county").get(pk=decision.pk)
        before = snapshot(decision)
        error = order_error(decision, step)
        if error is not None:
            raise error
        if step == Step.JOINT_REVIEW:
            reviewer = joint_branch_of(decision.org)
            if reviewer is None or not speaks_for(actor, reviewer):
                raise ActionDenied(
                    f"“联村党总支初审”须由{decision.org.name}所属的"
                    f"{reviewer.name if reviewer else '联村党总支'}办理（重要事务初审权）。"
                )
        if merge:
            if step != Step.PROPOSAL:
                raise DomainError("只有村党组织提议可与两委商议合并。", "merge")
            if not merge_allowed(decision.county):
                raise DomainError(
                    f"本县未允许提议与两委商议合并进行（县级规则 {R.MERGE_ALLOWED.code}）。", "merge"
                )
            holder = both_posts_holder(decision.org_id)
            if holder is None:
                raise DomainError(
                    "据村“两委”名册，村党组织书记、村委会主任目前不是同一人（非“一肩挑”），"
                    "提议和两委商议不能合并进行（四议两公开）。",
                    "merge",
                )
        e = Errors()
        notes = e.text(notes, label="情况说明", field="notes", limit=3000)
        last = decision.steps.order_by("-held_on").values_list("held_on", flat=True).first()
        e.date(
            held_on,
            label="日期",
            field="held_on",
            today=today,
            not_before=(last, "上一环节的日期") if last else None,
        )
        raw = {
            "expected": expected,
            "present": present,
            "in_favour": in_favour,
            "households": households,
            "households_present": households_present,
        }
        counts = _counts(e, raw, needed_counts(decision, step))
        failure: str | None = None
        if step == Step.ASSEMBLY_REVIEW:
            failure = _check_assembly(e, counts, decision.county)
        elif step == Step.RESOLUTION and decision.meeting_kind == MeetingKind.VILLAGERS:
            failure = _check_villagers(e, counts)
        elif step == Step.RESOLUTION:
            failure = _check_representatives(e, counts)
        if rejected and step not in REFUSABLE_STEPS:
            e.add("只有联村党总支初审、党员大会审议和村民（代表）会议决议可登记为“未通过”。", "rejected")
        elif failure and not rejected:
            e.add(f"{failure}如实登记未通过的表决，请勾选“表决未通过”。", "in_favour")
        elif failure == "" and rejected:
            e.add("赞成人数已超过半数，表决已通过，不能登记为“表决未通过”。", "rejected")
        e.raise_any()
        row = DecisionStep.objects.create(
            decision=decision,
            step=step,
            held_on=held_on,
            merged=merge,
            passed=not rejected,
            notes=notes,
            recorded_by=actor,
            **counts,
        )
        audit.record(actor, "decisions.step", row, org=decision.org, after=snapshot(row))
        recorded = [step]
        if merge:
            merged = DecisionStep.objects.create(
                decision=decision,
                step=Step.DELIBERATION,
                held_on=held_on,
                merged=True,
                notes=f"与村党组织提议合并进行（{holder}书记、主任“一肩挑”）",
                recorded_by=actor,
            )
            audit.record(actor, "decisions.step", merged, org=decision.org, after=snapshot(merged))
            recorded.append(Step.DELIBERATION)
        order = decision.step_order
        position = order.index(recorded[-1]) + 1
        if rejected:
            decision.state = State.REJECTED
        else:
            decision.state = order[position] if position < len(order) else DONE
        decision.save(update_fields=["state", "updated_at"])
        audit.record(
            actor,
            "decisions.advance",
            decision,
            org=decision.org,
            before=before,
            after=snapshot(decision),
            note="、".join(Step(s).label for s in recorded),
        )
    return row


def add_opinion(
    actor: User,
    decision: Decision,
    *,
    text: str,
    received_on: datetime.date | None = None,
    channel: str = Channel.IN_PERSON,
    resident_name: str = "",
    today: datetime.date | None = None,
) -> Opinion:
    today = _today(today)
    require(actor, "change", decision)
    e = Errors()
    text = e.text(text, label="意见建议", field="text", limit=2000, required=True)
    resident_name = e.text(resident_name, label="群众姓名", field="resident_name", limit=30)
    if channel not in Channel.values:
        e.add("请选择意见渠道。", "channel")
    received_on = received_on or today
    e.date(received_on, label="收到日期", field="received_on", today=today)
    e.raise_any()
    with transaction.atomic():
        opinion = Opinion.objects.create(
            decision=decision,
            resident_name=resident_name,
            text=text,
            received_on=received_on,
            channel=channel,
            recorded_by=actor,
        )
        audit.record(actor, "decisions.opinion", opinion, org=decision.org, after=snapshot(opinion))
    return opinion
