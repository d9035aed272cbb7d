"""Grid whistles: raised by a grid leader, routed by the office, answered or sent back by departments by
name, solved, accepted and signed off; the grid and department scopes of the scope layer."""

import pytest

from dangjian.cases import services
from dangjian.cases.choices import EventType, RouteState
from dangjian.cases.models import Case, CaseRoute
from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.roles import Role
from dangjian.orgs.services import create_department

from .support import fresh, whistle

pytestmark = pytest.mark.django_db


def test_the_whole_whistle(world):
    office, dept, grid = (world.user(r) for r in (Role.TOWNSHIP_STAFF, Role.DEPT_LIAISON, Role.GRID_LEADER))
    case = whistle(world)
    assert case.state == "raised" and case.org_id == world.orgs["community"].pk and case.opened_by == grid
    assert case.answer_due and case.deadline and case.answer_due < case.deadline
    services.route(office, case, [world.departments["dept"]])
    case = fresh(case)
    assert case.state == "routed" and case.acceptor == office
    services.decide_route(dept, case, accept=True)
    case = fresh(case)
    assert case.state == "answered" and case.owner == dept and case.answered_at
    services.act(dept, case, "solve", note="改造出30个停车位")
    services.act(office, fresh(case), "accept")
    services.act(office, fresh(case), "sign_off")
    case = fresh(case)
    assert case.state == "closed"
    assert CaseRoute.objects.get(case=case).decided_by == dept


def test_routing_outside_the_county_is_refused(world):
    case = whistle(world)
    with pytest.raises(DomainError, match="只能派单到本县部门"):
        services.route(world.user(Role.TOWNSHIP_STAFF), case, [world.departments["out_dept"]])
    assert fresh(case).state == "raised" and not case.routes.exists()


def test_a_department_declines_by_name_and_the_whistle_returns_to_the_office(world):
    case = whistle(world)
    services.route(world.user(Role.TOWNSHIP_STAFF), case, [world.departments["dept"]])
    with pytest.raises(DomainError, match="理由"):
        services.decide_route(world.user(Role.DEPT_LIAISON), fresh(case), accept=False)
    services.decide_route(world.user(Role.DEPT_LIAISON), fresh(case), accept=False, reason="不属于本部门职责")
    case = fresh(case)
    route = case.routes.get()
    assert route.state == RouteState.DECLINED and route.reason == "不属于本部门职责"
    assert case.state == "raised"
    assert case.events.filter(type=EventType.DEPT_DECLINE).exists()
    with pytest.raises(ActionDenied):
        services.decide_route(world.user(Role.DEPT_LIAISON), case, accept=True)


def test_a_second_department_still_pending_keeps_it_routed(world):
    other = create_department(world.root, county=world.orgs["county"], name="部门甲物业", code="D9")
    case = whistle(world)
    services.route(world.user(Role.TOWNSHIP_STAFF), case, [world.departments["dept"], other])
    services.decide_route(world.user(Role.DEPT_LIAISON), fresh(case), accept=False, reason="非本部门")
    assert fresh(case).state == "routed"


def test_the_village_can_take_a_small_matter_itself(world):
    case = whistle(world, grid=world.grids["grid"])
    services.act(world.user(Role.TOWNSHIP_STAFF), case, "take")
    case = fresh(case)
    assert case.state == "answered" and case.owner == world.user(Role.TOWNSHIP_STAFF)


def test_a_grid_leader_sees_only_their_grids_and_may_only_whistle(world):
    grid = world.user(Role.GRID_LEADER)
    visible = set(Case.objects.restrict(grid).values_list("pk", flat=True))
    assert visible == {world.cases["in_whistle"].pk}
    with pytest.raises(NotInScope):
        whistle(world, grid=world.grids["out_grid"])
    with pytest.raises(ActionDenied, match="无权登记问题台账"):
        services.open_case(grid, kind="problem", grid=world.grids["grid"], title="x", owner=grid)


def test_a_liaison_sees_only_routed_cases_and_cannot_route(world):
    dept = world.user(Role.DEPT_LIAISON)
    assert set(Case.objects.restrict(dept).values_list("pk", flat=True)) == {world.cases["in_whistle"].pk}
    assert set(CaseRoute.objects.restrict(dept).values_list("department_id", flat=True)) == {
        world.departments["dept"].pk
    }
    case = whistle(world)
    with pytest.raises(NotInScope):
        services.decide_route(dept, case, accept=True)
    services.route(world.user(Role.TOWNSHIP_STAFF), case, [world.departments["dept"]])
    with pytest.raises(ActionDenied):
        services.route(dept, fresh(case), [world.departments["dept"]])


def test_a_whistle_is_signed_off_by_the_office_not_the_station(world):
    case = whistle(world)
    services.act(world.user(Role.TOWNSHIP_STAFF), case, "take")
    services.act(world.user(Role.TOWNSHIP_STAFF), fresh(case), "solve", note="已协调")
    services.act(world.user(Role.COUNTY_ADMIN), fresh(case), "accept")
    services.act(world.user(Role.TOWNSHIP_STAFF), fresh(case), "sign_off")
    assert fresh(case).state == "closed"


def test_category_days_override_the_county_rule(world):
    from dangjian.cases.models import Category

    cat = Category.objects.get(name="甲停车难")
    cat.answer_days, cat.solve_days = 1, 2
    cat.save()
    case = whistle(world, category=cat)
    assert (case.answer_due - case.opened_on).days == 1 and (case.deadline - case.opened_on).days == 2
