"""A problem from opening to sign-off, each step guarded by role and person, with its timeline and audit."""

import pytest

from dangjian.cases import services
from dangjian.cases.choices import EventType
from dangjian.cases.models import CaseEvent
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role

from .support import fresh, pdf, problem

pytestmark = pytest.mark.django_db


def test_a_problem_goes_from_open_to_closed_with_a_timeline(world):
    case = problem(world)
    owner, acceptor = world.user(Role.VILLAGE_SECRETARY), world.user(Role.TOWNSHIP_STAFF)
    chief = world.user(Role.STATION_CHIEF)
    assert case.state == "open" and case.station_id == world.orgs["station"].pk
    assert case.township_id == world.orgs["township"].pk and case.county_id == world.orgs["county"].pk
    assert case.receipt_no.startswith("W-")
    services.act(owner, case, "start")
    services.act(owner, case, "report_done", note="已上墙", files=[pdf()])
    assert case.done_at is not None
    services.act(acceptor, fresh(case), "accept")
    case = fresh(case)
    assert case.state == "accepted" and case.accepted_by == acceptor
    services.act(chief, case, "sign_off")
    case = fresh(case)
    assert case.state == "closed" and case.closed_by == chief and case.closed_at
    types = list(CaseEvent.objects.filter(case=case).values_list("type", "transition"))
    assert types == [
        (EventType.OPEN, ""),
        (EventType.TRANSITION, "start"),
        (EventType.TRANSITION, "report_done"),
        (EventType.TRANSITION, "accept"),
        (EventType.TRANSITION, "sign_off"),
    ]
    assert case.files.get().event.transition == "report_done"
    actions = set(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {"cases.open", "cases.start", "cases.report_done", "cases.accept", "cases.sign_off"} <= actions


def test_sign_off_is_the_station_chiefs_under_a_station(world):
    case = problem(world)
    services.act(world.user(Role.VILLAGE_SECRETARY), case, "report_done", note="完成")
    services.act(world.user(Role.TOWNSHIP_STAFF), fresh(case), "accept")
    with pytest.raises(ActionDenied, match="工作站站长"):
        services.act(world.user(Role.TOWNSHIP_STAFF), fresh(case), "sign_off")


def test_sign_off_is_the_offices_where_there_is_no_station(world):
    case = problem(
        world, org=world.orgs["community"], acceptor=world.user(Role.COUNTY_ADMIN), actor=Role.TOWNSHIP_STAFF
    )
    assert case.station_id is None
    services.act(world.user(Role.TOWNSHIP_STAFF), case, "report_done", note="完成")
    services.act(world.user(Role.COUNTY_ADMIN), fresh(case), "accept")
    with pytest.raises(ActionDenied, match="党建办"):
        services.act(world.user(Role.COUNTY_ADMIN), fresh(case), "sign_off")
    services.act(world.user(Role.TOWNSHIP_STAFF), fresh(case), "sign_off")
    assert fresh(case).state == "closed"


def test_only_the_designated_acceptor_accepts(world):
    case = problem(world)
    services.act(world.user(Role.VILLAGE_SECRETARY), case, "report_done", note="完成")
    with pytest.raises(ActionDenied, match="指定由"):
        services.act(world.user(Role.COUNTY_ADMIN), fresh(case), "accept")


def test_reject_sends_it_back_and_the_deadline_runs_again(world):
    case = problem(world)
    services.act(world.user(Role.VILLAGE_SECRETARY), case, "report_done", note="完成")
    with pytest.raises(DomainError, match="须填写说明"):
        services.act(world.user(Role.TOWNSHIP_STAFF), fresh(case), "reject")
    services.act(world.user(Role.TOWNSHIP_STAFF), fresh(case), "reject", note="照片不清楚")
    case = fresh(case)
    assert case.state == "rectifying" and case.done_at is None


def test_a_village_secretary_who_is_not_the_owner_cannot_report_it_done(world):
    case = problem(world, owner=world.user(Role.STATION_CHIEF), acceptor=world.user(Role.TOWNSHIP_STAFF))
    with pytest.raises(ActionDenied, match="责任人"):
        services.act(world.user(Role.VILLAGE_SECRETARY), case, "report_done", note="完成")


def test_supervision_records_the_date_and_an_event(world):
    case = problem(world)
    services.supervise(world.user(Role.STATION_CHIEF), case, note="请加快进度")
    case = fresh(case)
    assert case.last_supervised_on is not None
    assert case.events.filter(type=EventType.SUPERVISE).count() == 1
    with pytest.raises(ActionDenied):
        services.supervise(world.user(Role.VILLAGE_SECRETARY), case, note="自己督办自己")


def test_hand_over_changes_the_owner_until_handed_again(world):
    case = problem(world)
    services.hand_over(
        world.user(Role.VILLAGE_SECRETARY), case, to=world.user(Role.STATION_CHIEF), note="移交站里"
    )
    case = fresh(case)
    assert case.owner == world.user(Role.STATION_CHIEF)
    with pytest.raises(ActionDenied):
        services.hand_over(world.user(Role.VILLAGE_SECRETARY), case, to=world.user(Role.VILLAGE_SECRETARY))


def test_publish_refuses_personal_data(world):
    case = problem(world, resident_name="王二小", source="residents")
    with pytest.raises(DomainError, match="群众姓名"):
        services.publish(world.user(Role.TOWNSHIP_STAFF), case, public_title="王二小家门口路灯坏了")
    services.publish(world.user(Role.TOWNSHIP_STAFF), case, public_title="路灯维修")
    assert fresh(case).published_at is not None
    services.unpublish(world.user(Role.TOWNSHIP_STAFF), fresh(case), reason="误公开")
    assert fresh(case).published_at is None


def test_escalation_moves_up_one_level_and_stops_at_the_county(world):
    case = problem(world)
    assert case.level == 1
    services.escalate(world.user(Role.VILLAGE_SECRETARY), case)
    assert fresh(case).level == 2
    services.escalate(world.user(Role.TOWNSHIP_STAFF), fresh(case))
    with pytest.raises(DomainError, match="县级"):
        services.escalate(world.user(Role.COUNTY_ADMIN), fresh(case))


def test_edit_is_recorded_and_refused_after_closing(world):
    case = problem(world)
    services.update_case(world.user(Role.STATION_CHIEF), case, measures="重新制作", priority="high")
    case = fresh(case)
    assert case.measures == "重新制作" and case.events.filter(type=EventType.EDIT).exists()
    with pytest.raises(DomainError, match="不能是责任人"):
        services.update_case(
            world.user(Role.STATION_CHIEF), case, acceptor=world.user(Role.VILLAGE_SECRETARY)
        )
