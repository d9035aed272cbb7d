"""四议两公开 through the services: every quorum at its boundary, every step-order violation, the merge of
the first two steps, bad counts and dates, opinions, permissions, scope and the audit trail."""

import datetime

import pytest

from dangjian.core.errors import ActionDenied, DomainError, DomainErrors, NotInScope
from dangjian.core.models import AuditEvent, RuleOverride
from dangjian.decisions import rules as R
from dangjian.decisions import services
from dangjian.decisions.models import BASE_ORDER, Decision, DecisionStep, MeetingKind, Opinion, State, Step

from .support import DAY, TODAY, advance, new_decision

pytestmark = pytest.mark.django_db

LATER = DAY + datetime.timedelta(days=10)


def record(world, decision, step, **kw):
    kw.setdefault("held_on", LATER)
    return services.record_step(world.user("village_secretary"), decision, step, today=TODAY, **kw)


def override(world, code, value):
    RuleOverride.objects.create(
        county=world.orgs["county"], code=code, value=value, source="县委组织部通知", effective_from=DAY
    )


def refused(world, decision, step, field, text, **kw):
    steps_before = DecisionStep.objects.filter(decision=decision).count()
    with pytest.raises(DomainError) as caught:
        record(world, decision, step, **kw)
    err = caught.value
    assert err.field == field, err.message
    assert text in err.message, err.message
    assert DecisionStep.objects.filter(decision=decision).count() == steps_before
    assert Decision.objects.get(pk=decision.pk).state == decision.state
    return err.message


# --- member assembly (党员大会审议) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "expected,short,enough",
    [(30, 19, 20), (31, 20, 21), (3, 1, 2), (1, 0, 1)],
)
def test_assembly_attendance_two_thirds_by_default(world, expected, short, enough):
    d = advance(world, new_decision(world), Step.ASSEMBLY_REVIEW)
    message = refused(
        world, d, Step.ASSEMBLY_REVIEW, "present", "不足", expected=expected, present=short, in_favour=short
    )
    assert f"到会党员{short}人，不足应到会党员{expected}人的三分之二" in message
    record(world, d, Step.ASSEMBLY_REVIEW, expected=expected, present=enough, in_favour=enough)
    assert Decision.objects.get(pk=d.pk).state == State.RESOLUTION


def test_assembly_passes_only_with_more_than_half_of_those_expected(world):
    d = advance(world, new_decision(world), Step.ASSEMBLY_REVIEW)
    message = refused(
        world, d, Step.ASSEMBLY_REVIEW, "in_favour", "未通过", expected=30, present=30, in_favour=15
    )
    assert "赞成15人，未超过应到会党员30人的半数" in message
    # in favour counted against those expected (应到), not those present: 16 of 30 present 20 passes
    record(world, d, Step.ASSEMBLY_REVIEW, expected=30, present=20, in_favour=16)
    step = DecisionStep.objects.get(decision=d, step=Step.ASSEMBLY_REVIEW)
    assert (step.expected, step.present, step.in_favour) == (30, 20, 16)


def test_assembly_in_favour_half_of_present_but_not_of_expected_is_refused(world):
    d = advance(world, new_decision(world), Step.ASSEMBLY_REVIEW)
    refused(world, d, Step.ASSEMBLY_REVIEW, "in_favour", "未通过", expected=30, present=20, in_favour=15)


def test_county_attendance_share_overrides_the_default(world):
    override(world, R.ASSEMBLY_ATTENDANCE.code, [1, 2])
    d = advance(world, new_decision(world), Step.ASSEMBLY_REVIEW)
    refused(
        world,
        d,
        Step.ASSEMBLY_REVIEW,
        "present",
        "不足应到会党员30人的半数",
        expected=30,
        present=14,
        in_favour=14,
    )
    record(world, d, Step.ASSEMBLY_REVIEW, expected=30, present=16, in_favour=16)
    assert services.assembly_attendance_share(world.orgs["county"]) == (1, 2)
    assert services.assembly_attendance_share(world.orgs["out_county"]) == (2, 3)


@pytest.mark.parametrize("value", [[1, 3], [0, 1], "坏值", [2, 0], {"a": 1}])
def test_county_share_never_goes_below_the_national_floor(world, value):
    """A county value under half (or malformed, which falls back to 2/3) never lets fewer than half meet."""
    override(world, R.ASSEMBLY_ATTENDANCE.code, value)
    share = services.assembly_attendance_share(world.orgs["county"])
    assert share[0] * 2 >= share[1]
    d = advance(world, new_decision(world), Step.ASSEMBLY_REVIEW)
    refused(world, d, Step.ASSEMBLY_REVIEW, "present", "不足", expected=30, present=14, in_favour=14)


def test_county_share_at_the_floor_is_exactly_half(world):
    override(world, R.ASSEMBLY_ATTENDANCE.code, [1, 3])
    d = advance(world, new_decision(world), Step.ASSEMBLY_REVIEW)
    refused(world, d, Step.ASSEMBLY_REVIEW, "present", "半数", expected=30, present=14, in_favour=14)
    record(world, d, Step.ASSEMBLY_REVIEW, expected=30, present=16, in_favour=16)


def test_assembly_floor_exactly_half_present_may_meet(world):
    override(world, R.ASSEMBLY_ATTENDANCE.code, [1, 2])
    d = advance(world, new_decision(world), Step.ASSEMBLY_REVIEW)
    # 15 of 30 present is "半数以上" (at least half): the meeting may be held, but 15 in favour is not > 15
    refused(world, d, Step.ASSEMBLY_REVIEW, "in_favour", "未通过", expected=30, present=15, in_favour=15)
    record(world, d, Step.ASSEMBLY_REVIEW, expected=31, present=16, in_favour=16)


# --- villagers' meeting (村民会议) -----------------------------------------------------------------


def villagers(world):
    return advance(world, new_decision(world, kind=MeetingKind.VILLAGERS), Step.RESOLUTION)


def test_villagers_meeting_needs_more_than_half_of_adults(world):
    d = villagers(world)
    kw = {"expected": 62, "households": 30, "households_present": 19}
    message = refused(world, d, Step.RESOLUTION, "present", "不能召开", present=31, in_favour=31, **kw)
    assert "到会31人，未超过18周岁以上村民62人的半数" in message
    assert "到会户代表19户，不足本村30户的三分之二" in message
    assert "村民委员会组织法第二十二条" in message
    record(world, d, Step.RESOLUTION, present=32, in_favour=32, **kw)
    assert Decision.objects.get(pk=d.pk).state == State.RESOLUTION_PUBLISHED


def test_villagers_meeting_or_two_thirds_of_households(world):
    d = villagers(world)
    kw = {"expected": 62, "present": 20, "in_favour": 20, "households": 30}
    refused(world, d, Step.RESOLUTION, "present", "不能召开", households_present=19, **kw)
    record(world, d, Step.RESOLUTION, households_present=20, **kw)


def test_villagers_meeting_passes_with_more_than_half_of_attendees(world):
    d = villagers(world)
    kw = {"expected": 62, "present": 40, "households": 30, "households_present": 25}
    message = refused(world, d, Step.RESOLUTION, "in_favour", "未通过", in_favour=20, **kw)
    assert "赞成20人，未超过到会40人的半数" in message
    record(world, d, Step.RESOLUTION, in_favour=21, **kw)


# --- representatives' meeting (村民代表会议) ----------------------------------------------------------


@pytest.mark.parametrize("members,short,enough", [(30, 19, 20), (31, 20, 21), (35, 23, 24)])
def test_representatives_meeting_needs_two_thirds_of_members(world, members, short, enough):
    d = advance(world, new_decision(world), Step.RESOLUTION)
    message = refused(
        world, d, Step.RESOLUTION, "present", "不能召开", expected=members, present=short, in_favour=short
    )
    assert f"到会{short}人，不足村民代表会议组成人员{members}人的三分之二" in message
    assert "第二十六条" in message
    record(world, d, Step.RESOLUTION, expected=members, present=enough, in_favour=enough)


def test_representatives_meeting_passes_with_more_than_half_of_attendees(world):
    d = advance(world, new_decision(world), Step.RESOLUTION)
    refused(world, d, Step.RESOLUTION, "in_favour", "未通过", expected=30, present=24, in_favour=12)
    record(world, d, Step.RESOLUTION, expected=30, present=24, in_favour=13)


# --- order ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("position", range(len(BASE_ORDER)))
def test_every_step_before_its_predecessor_is_refused(world, position):
    current = BASE_ORDER[position]
    d = advance(world, new_decision(world), current)
    assert d.state == current
    for later in BASE_ORDER[position + 1 :]:
        message = refused(world, d, later, "step", "须先")
        assert message.endswith("（四议两公开，农村基层组织工作条例）")
    for earlier in BASE_ORDER[:position]:
        refused(world, d, earlier, "step", "已登记，不能重复登记")


def test_resolution_before_assembly_review_names_the_rule(world):
    d = advance(world, new_decision(world, kind=MeetingKind.VILLAGERS), Step.ASSEMBLY_REVIEW)
    message = refused(world, d, Step.RESOLUTION, "step", "须先", expected=62, present=40, in_favour=40)
    assert message == "须先经党员大会审议，才能形成村民会议决议（四议两公开，农村基层组织工作条例）"
    d2 = advance(world, new_decision(world), Step.ASSEMBLY_REVIEW)
    assert "才能形成村民代表会议决议" in refused(world, d2, Step.RESOLUTION, "step", "须先经党员大会审议")


def test_publication_before_resolution_and_result_before_publication(world):
    d = advance(world, new_decision(world), Step.RESOLUTION)
    assert "须先形成村民代表会议决议，才能公开决议" in refused(
        world, d, Step.RESOLUTION_PUBLISHED, "step", "须先"
    )
    assert "须先形成村民代表会议决议，才能公开实施结果" in refused(
        world, d, Step.RESULT_PUBLISHED, "step", "须先"
    )


def test_a_finished_decision_takes_no_more_steps(world):
    d = advance(world, new_decision(world), "")
    assert d.state == State.DONE and d.steps.count() == 6
    for step in Step.values:
        refused(world, d, step, "step", "已完成")


def test_unknown_step_is_refused(world):
    d = new_decision(world)
    refused(world, d, "vote", "step", "环节无效")


# --- merge of steps 1 and 2 -----------------------------------------------------------------------


def test_merge_where_one_person_holds_both_posts(world):
    d = new_decision(world, both=True)
    record(world, d, Step.PROPOSAL, merge=True)
    d.refresh_from_db()
    assert d.state == State.ASSEMBLY_REVIEW
    assert list(d.steps.values_list("step", "merged")) == [(Step.PROPOSAL, True), (Step.DELIBERATION, True)]
    assert (
        AuditEvent.objects.filter(action="decisions.step", object_type="decisions.decisionstep").count() >= 2
    )


def test_merge_refused_without_one_person_both_posts(world):
    d = new_decision(world, both=False)
    refused(world, d, Step.PROPOSAL, "merge", "非“一肩挑”", merge=True)


def test_merge_refused_where_the_county_does_not_allow_it(world):
    override(world, R.MERGE_ALLOWED.code, False)
    d = new_decision(world, both=True)
    refused(world, d, Step.PROPOSAL, "merge", "本县未允许", merge=True)
    record(world, d, Step.PROPOSAL)  # unmerged still fine
    assert Decision.objects.get(pk=d.pk).state == State.DELIBERATION


def test_merge_only_with_the_proposal(world):
    d = advance(world, new_decision(world, both=True), Step.DELIBERATION)
    refused(world, d, Step.DELIBERATION, "merge", "只有村党组织提议", merge=True)


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "counts,field,text",
    [
        ({"present": 20, "in_favour": 20}, "expected", "请填写应到会党员人数"),
        ({"expected": "三十", "present": 20, "in_favour": 20}, "expected", "须为整数"),
        ({"expected": 30.5, "present": 20, "in_favour": 20}, "expected", "须为整数"),
        ({"expected": True, "present": 20, "in_favour": 20}, "expected", "须为整数"),
        ({"expected": 30, "present": -1, "in_favour": 0}, "present", "不能为负数"),
        ({"expected": 30, "present": 31, "in_favour": 20}, "present", "多于应到会党员30人"),
        ({"expected": 30, "present": 20, "in_favour": 21}, "in_favour", "多于到会党员20人"),
        ({"expected": 0, "present": 0, "in_favour": 0}, "expected", "须大于0"),
    ],
)
def test_bad_counts_are_refused(world, counts, field, text):
    d = advance(world, new_decision(world), Step.ASSEMBLY_REVIEW)
    refused(world, d, Step.ASSEMBLY_REVIEW, field, text, **counts)


def test_villagers_bad_counts(world):
    d = villagers(world)
    base = {"expected": 62, "present": 40, "in_favour": 30, "households": 30, "households_present": 25}
    refused(
        world, d, Step.RESOLUTION, "households_present", "多于本村30户", **(base | {"households_present": 31})
    )
    refused(
        world,
        d,
        Step.RESOLUTION,
        "households",
        "须大于0",
        **(base | {"households": 0, "households_present": 0}),
    )
    refused(world, d, Step.RESOLUTION, "households", "请填写本村户数", **(base | {"households": None}))


def test_dates(world):
    d = advance(world, new_decision(world), Step.DELIBERATION)
    first = d.steps.get().held_on
    refused(
        world,
        d,
        Step.DELIBERATION,
        "held_on",
        "不能早于上一环节的日期",
        held_on=first - datetime.timedelta(days=1),
    )
    refused(
        world, d, Step.DELIBERATION, "held_on", "不能晚于今天", held_on=TODAY + datetime.timedelta(days=1)
    )
    refused(world, d, Step.DELIBERATION, "held_on", "请填写日期", held_on=None)
    record(world, d, Step.DELIBERATION, held_on=first)  # same day is fine


def test_several_problems_reported_at_once(world):
    d = advance(world, new_decision(world), Step.ASSEMBLY_REVIEW)
    with pytest.raises(DomainErrors) as caught:
        record(
            world,
            d,
            Step.ASSEMBLY_REVIEW,
            held_on=None,
            expected=None,
            present="x",
            in_favour=1,
            notes="长" * 3001,
        )
    fields = {e.field for e in caught.value.errors}
    assert fields == {"held_on", "expected", "present", "notes"}


def test_counts_of_steps_without_a_quorum_are_not_stored(world):
    d = new_decision(world)
    row = record(world, d, Step.PROPOSAL, expected=9, present=9, in_favour=9, notes="支委会提议")
    assert (row.expected, row.present, row.in_favour, row.notes) == (None, None, None, "支委会提议")


def test_open_decision_bad_input(world):
    user = world.user("village_secretary")
    with pytest.raises(DomainErrors) as caught:
        services.open_decision(
            user,
            org=world.orgs["branch"],
            title=" ",
            meeting_kind="大会",
            opened_on=TODAY + datetime.timedelta(1),
            today=TODAY,
        )
    assert {e.field for e in caught.value.errors} == {"title", "meeting_kind", "opened_on"}
    admin = world.user("county_admin")
    with pytest.raises(DomainError, match="须登记在村党组织或社区党组织下"):
        services.open_decision(admin, org=world.orgs["township"], title="事项", today=TODAY)
    with pytest.raises(DomainError, match="请选择村"):
        services.open_decision(admin, org=None, title="事项", today=TODAY)
    d = services.open_decision(admin, org=world.orgs["community"], title="社区甲停车位", today=TODAY)
    assert d.county == world.orgs["county"] and d.state == State.PROPOSAL


# --- who may act ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["county_admin", "township_staff", "station_chief", "village_secretary"])
def test_workers_record_steps(world, role):
    d = new_decision(world)
    services.record_step(world.user(role), d, Step.PROPOSAL, held_on=DAY, today=TODAY)
    assert Decision.objects.get(pk=d.pk).state == State.DELIBERATION


def test_readonly_leader_may_see_but_not_act(world):
    d = new_decision(world)
    leader = world.user("readonly_leader")
    assert Decision.objects.restrict(leader).filter(pk=d.pk).exists()
    with pytest.raises(ActionDenied):
        services.record_step(leader, d, Step.PROPOSAL, held_on=DAY, today=TODAY)
    with pytest.raises(ActionDenied):
        services.add_opinion(leader, d, text="意见", today=TODAY)
    with pytest.raises(ActionDenied):
        services.open_decision(leader, org=world.orgs["branch"], title="事项", today=TODAY)


@pytest.mark.parametrize("role", ["grid_leader", "dept_liaison", "out_admin"])
def test_out_of_reach_is_not_in_scope(world, role):
    d = new_decision(world)
    user = world.user(role)
    assert not Decision.objects.restrict(user).filter(pk=d.pk).exists()
    with pytest.raises(NotInScope):
        services.record_step(user, d, Step.PROPOSAL, held_on=DAY, today=TODAY)
    with pytest.raises(NotInScope):
        services.add_opinion(user, d, text="意见", today=TODAY)
    assert d.steps.count() == 0


def test_scope_of_the_world_rows(world):
    secretary = world.user("village_secretary")
    seen = set(Decision.objects.restrict(secretary).values_list("title", flat=True))
    assert "村甲道路硬化事项" in seen and "村外道路硬化事项" not in seen
    assert Opinion.objects.restrict(secretary).count() == 1
    assert (
        DecisionStep.objects.restrict(world.user("out_admin"))
        .filter(decision__org=world.orgs["branch"])
        .count()
        == 0
    )
    with pytest.raises(NotInScope):
        services.open_decision(secretary, org=world.orgs["sibling"], title="事项", today=TODAY)


# --- opinions and audit ---------------------------------------------------------------------------


def test_opinions_like_daxinzhuang_twenty_eight_in_a_month(world):
    d = new_decision(world)
    user = world.user("village_secretary")
    for i in range(28):
        services.add_opinion(
            user,
            d,
            text=f"意见{i}",
            received_on=DAY + datetime.timedelta(days=i % 18),
            channel="visit",
            today=TODAY,
        )
    assert d.opinions.count() == 28
    assert AuditEvent.objects.filter(action="decisions.opinion", org=world.orgs["branch"]).count() >= 28


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"text": " "}, "text"),
        ({"text": "意见", "channel": "传真"}, "channel"),
        ({"text": "意见", "received_on": TODAY + datetime.timedelta(days=1)}, "received_on"),
        ({"text": "意见", "resident_name": "名" * 31}, "resident_name"),
    ],
)
def test_bad_opinions_are_refused(world, kw, field):
    d = new_decision(world)
    with pytest.raises(DomainError) as caught:
        services.add_opinion(world.user("village_secretary"), d, today=TODAY, **kw)
    assert caught.value.field == field
    assert d.opinions.count() == 0


def test_steps_are_audited(world):
    d = new_decision(world)
    record(world, d, Step.PROPOSAL, notes="支委会提议")
    advance_event = AuditEvent.objects.filter(action="decisions.advance", object_id=str(d.pk)).get()
    assert advance_event.before == {"state": "proposal"} and advance_event.after == {"state": "deliberation"}
    assert advance_event.note == "村党组织提议"
    assert AuditEvent.objects.filter(action="decisions.open", object_id=str(d.pk)).exists()


# --- a vote that did not pass ---------------------------------------------------------------------


def test_a_failed_assembly_vote_is_recorded_when_said_so_and_ends_the_decision(world):
    d = advance(world, new_decision(world), Step.ASSEMBLY_REVIEW)
    counts = {"expected": 30, "present": 30, "in_favour": 15}
    refused(world, d, Step.ASSEMBLY_REVIEW, "in_favour", "请勾选“表决未通过”", **counts)
    row = record(world, d, Step.ASSEMBLY_REVIEW, rejected=True, **counts)
    assert row.passed is False and "表决未通过" in row.counts_text
    d.refresh_from_db()
    assert d.state == State.REJECTED and d.is_closed
    for step in Step.values:
        refused(world, d, step, "step", "已终止")


def test_a_passed_vote_cannot_be_recorded_as_failed(world):
    d = advance(world, new_decision(world, kind=MeetingKind.REPRESENTATIVES), Step.RESOLUTION)
    refused(
        world,
        d,
        Step.RESOLUTION,
        "rejected",
        "表决已通过",
        rejected=True,
        expected=30,
        present=20,
        in_favour=11,
    )
    record(world, d, Step.RESOLUTION, rejected=True, expected=30, present=20, in_favour=10)
    assert Decision.objects.get(pk=d.pk).state == State.REJECTED


def test_a_meeting_short_of_its_quorum_cannot_be_recorded_even_as_failed(world):
    d = advance(world, new_decision(world, kind=MeetingKind.REPRESENTATIVES), Step.RESOLUTION)
    refused(
        world, d, Step.RESOLUTION, "present", "不能召开", rejected=True, expected=30, present=19, in_favour=5
    )


def test_only_votes_can_fail(world):
    d = new_decision(world)
    refused(world, d, Step.PROPOSAL, "rejected", "只有联村党总支初审、党员大会审议", rejected=True)
