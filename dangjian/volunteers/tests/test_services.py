"""Services: each refusal in Chinese with nothing written, the audit row of each write, the hour cap."""

import datetime
from decimal import Decimal

import pytest

from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.volunteers import services
from dangjian.volunteers.choices import CallOutKind
from dangjian.volunteers.models import Attendance, CallOut, TeamMember
from dangjian.volunteers.testing import at

DAY = datetime.date(2026, 7, 20)


def callout_kw(members, **extra):
    kw = dict(
        kind=CallOutKind.FLOOD,
        starts_at=at(DAY, 20),
        ends_at=at(DAY + datetime.timedelta(days=1), 6),
        place="黄河沿岸险工段",
        task="汛期巡堤值守",
        members=members,
    )
    return kw | extra


def test_a_team_with_no_members_cannot_be_called_out(world):
    flood = world.volunteers["甲"]["flood"]
    with pytest.raises(DomainError, match="尚无在队队员，不能出动"):
        services.create_callout(world.root, flood, **callout_kw([]))
    assert not CallOut.objects.filter(team=flood).exists()


def test_a_callout_must_name_a_member(world):
    team = world.volunteers["甲"]["team"]
    with pytest.raises(DomainError, match="至少点名一名队员") as exc:
        services.create_callout(world.root, team, **callout_kw([]))
    assert exc.value.field == "members"


def test_a_callout_refuses_a_member_of_another_team(world):
    team, other = world.volunteers["甲"]["team"], world.volunteers["外"]["party"]
    with pytest.raises(DomainError, match="不是甲镇党员志愿服务队的在队队员"):
        services.create_callout(world.root, team, **callout_kw([other]))


def test_end_before_start_is_refused(world):
    v = world.volunteers["甲"]
    kw = callout_kw([v["party"]], starts_at=at(DAY, 18), ends_at=at(DAY, 8))
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError, match="结束时间须晚于开始时间") as exc:
        services.create_callout(world.root, v["team"], **kw)
    assert exc.value.field == "ends_at" and AuditEvent.objects.count() == before


def test_practice_activity_names_its_station(world):
    v = world.volunteers["甲"]
    with pytest.raises(DomainError, match="新时代文明实践所（站）"):
        services.create_callout(world.root, v["team"], **callout_kw([v["party"]], kind=CallOutKind.PRACTICE))


def test_callout_creates_called_rows_and_audit(world):
    v = world.volunteers["甲"]
    c = services.create_callout(world.root, v["team"], **callout_kw([v["party"], v["party"]]))
    assert list(c.attendance.values_list("team_member__name", "called", "present")) == [
        ("甲党员一", True, False)
    ]
    event = AuditEvent.objects.get(action="volunteers.callout.create", object_id=str(c.pk))
    assert event.after["called"] == ["甲党员一"] and event.org_id == v["team"].org_id


def test_attendance_of_someone_not_in_the_team_is_refused(world):
    v, outsider = world.volunteers["甲"], world.volunteers["外"]["party"]
    with pytest.raises(DomainError, match="不是甲镇党员志愿服务队的队员，不能登记到岗"):
        services.record_attendance(world.root, v["callout"], [(outsider, 4)])
    assert Attendance.objects.get(callout=v["callout"], team_member=v["party"]).hours == Decimal("8.0")


def test_attendance_records_who_turned_up_and_audits(world):
    v = world.volunteers["甲"]
    services.record_attendance(world.root, v["callout"], [(v["resident"], "6.5")])
    rows = dict(Attendance.objects.filter(callout=v["callout"]).values_list("team_member__name", "hours"))
    assert rows == {"甲党员一": Decimal("0.0"), "甲群众志愿者": Decimal("6.5")}
    event = AuditEvent.objects.filter(action="volunteers.attendance.record").latest("pk")
    party, resident = str(v["party"].pk), str(v["resident"].pk)
    assert event.before == {party: "8.0", resident: None} and event.after == {party: None, resident: "6.5"}


def test_hours_cannot_exceed_the_span(world):
    v = world.volunteers["甲"]  # 08:00–18:00, 10 hours
    services.record_attendance(world.root, v["callout"], [(v["party"], 10)])
    with pytest.raises(DomainError, match="超过本次出动可登记的上限10.0小时"):
        services.record_attendance(world.root, v["callout"], [(v["party"], "10.5")])


def test_per_day_cap_boundary(world):
    """A 20-hour call-out in one day credits at most 12 hours (the rule), 12 is accepted, 12.5 refused."""
    v = world.volunteers["甲"]
    c = services.create_callout(
        world.root, v["team"], **callout_kw([v["party"]], starts_at=at(DAY, 2), ends_at=at(DAY, 22))
    )
    services.record_attendance(world.root, c, [(v["party"], 12)])
    with pytest.raises(DomainError, match="每天至多12小时"):
        services.record_attendance(world.root, c, [(v["party"], "12.5")])
    night = services.create_callout(
        world.root, v["team"], **callout_kw([v["party"]])
    )  # 20:00–06:00 over 2 days
    services.record_attendance(world.root, night, [(v["party"], 10)])


def test_zero_hours_and_future_callouts_are_refused(world):
    v = world.volunteers["甲"]
    with pytest.raises(DomainError, match="须大于0小时"):
        services.record_attendance(world.root, v["callout"], [(v["party"], 0)])
    future = services.create_callout(
        world.root,
        v["team"],
        **callout_kw(
            [v["party"]],
            starts_at=at(datetime.date(2099, 1, 1), 8),
            ends_at=at(datetime.date(2099, 1, 1), 12),
        ),
    )
    with pytest.raises(DomainError, match="尚未开始"):
        services.record_attendance(world.root, future, [(v["party"], 2)])


def test_enrol_refusals(world):
    v = world.volunteers["甲"]
    with pytest.raises(DomainError, match="已是本队队员"):
        services.enrol(world.root, v["team"], member=world.members["member"], joined_on=DAY)
    with pytest.raises(DomainError, match="不是镇甲的党员"):
        services.enrol(world.root, v["team"], member=world.members["out"], joined_on=DAY)
    with pytest.raises(DomainError, match="请填写姓名"):
        services.enrol(world.root, v["team"], name=" ", joined_on=DAY)
    with pytest.raises(DomainError, match="不能早于组建日期"):
        services.enrol(world.root, v["team"], name="新人", joined_on=datetime.date(2025, 1, 1))


def test_enrol_a_member_outside_the_actors_scope_is_refused(world):
    team = world.volunteers["village"]
    secretary = world.user(Role.VILLAGE_SECRETARY)
    with pytest.raises(DomainError, match="不在您的管辖范围内"):
        services.enrol(secretary, team, member=world.members["out"], joined_on=DAY)


def test_a_member_who_left_cannot_be_called(world):
    v = world.volunteers["甲"]
    services.leave_team(world.root, v["resident"], left_on=DAY)
    assert TeamMember.objects.get(pk=v["resident"].pk).left_on == DAY
    with pytest.raises(DomainError, match="甲群众志愿者不是"):
        services.create_callout(world.root, v["team"], **callout_kw([v["resident"]]))


def test_readers_may_not_write(world):
    from dangjian.core.errors import ActionDenied

    leader = world.user(Role.READONLY_LEADER)
    with pytest.raises(ActionDenied):
        services.create_team(leader, world.orgs["township"], name="x", kind="service", founded_on=DAY)
