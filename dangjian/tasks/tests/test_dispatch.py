"""Lists, tasks, dispatch and relay through the services: permission, every bad input refused with its
Chinese message and nothing written."""

import datetime

import pytest

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.tasks import services
from dangjian.tasks.models import Assignment, Task, TaskList

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 2, 10)


def _task(world, **kw):
    office = world.user(Role.TOWNSHIP_STAFF)
    tl = services.create_task_list(
        office, org=world.orgs["township"], kind="monthly", period_start=TODAY.replace(month=3)
    )
    fields = {
        "title": "甲镇入户走访",
        "due": datetime.date(2027, 3, 20),
        "target_value": 30,
        "unit": "户",
    } | kw
    return services.add_task(office, tl, **fields)


def test_create_list_and_task(world):
    office = world.user(Role.TOWNSHIP_STAFF)
    tl = services.create_task_list(
        office, org=world.orgs["township"], kind="monthly", period_start=datetime.date(2027, 3, 17)
    )
    assert tl.period_start == datetime.date(2027, 3, 1) and tl.period_end == datetime.date(2027, 3, 31)
    assert tl.county_id == world.orgs["county"].pk and "镇甲" in tl.title
    with pytest.raises(DomainError, match="已存在"):
        services.create_task_list(
            office, org=world.orgs["township"], kind="monthly", period_start=tl.period_start
        )
    weekly = services.create_task_list(
        office, org=world.orgs["township"], kind="weekly", period_start=datetime.date(2027, 3, 17)
    )
    assert weekly.period_start == datetime.date(2027, 3, 15) and weekly.period_end.weekday() == 6
    task = services.add_task(
        office, tl, title="修渠", due=datetime.date(2027, 3, 31), target_value="1000", unit="米"
    )
    assert task.org_id == tl.org_id and task.target_amount == 1000
    assert AuditEvent.objects.filter(action="tasks.add_task", object_id=str(task.pk)).exists()


def test_create_list_refusals(world):
    before = TaskList.objects.count()
    with pytest.raises(NotInScope):
        services.create_task_list(
            world.user(Role.TOWNSHIP_STAFF),
            org=world.orgs["out_township"],
            kind="monthly",
            period_start=TODAY,
        )
    with pytest.raises(ActionDenied):
        services.create_task_list(
            world.user(Role.VILLAGE_SECRETARY), org=world.orgs["branch"], kind="monthly", period_start=TODAY
        )
    with pytest.raises(DomainError, match="清单类型无效"):
        services.create_task_list(world.root, org=world.orgs["township"], kind="yearly", period_start=TODAY)
    with pytest.raises(DomainError, match="只有县、乡镇和党建工作站"):
        services.create_task_list(world.root, org=world.orgs["branch"], kind="monthly", period_start=TODAY)
    assert TaskList.objects.count() == before


@pytest.mark.parametrize(
    "kw, field, message",
    [
        ({"title": ""}, "title", "请填写任务名称"),
        ({"target_value": None}, "target_value", "须填写目标值"),
        ({"target_value": -1}, "target_value", "不能为负数"),
        ({"target_value": "abc"}, "target_value", "须为数字"),
        ({"target_kind": "checklist", "checklist": []}, "checklist", "至少填写一项"),
        ({"target_kind": "bogus"}, "target_kind", "指标类型无效"),
        ({"due": datetime.date(2027, 2, 28)}, "due", "不能早于清单期间开始"),
    ],
)
def test_add_task_refusals(world, kw, field, message):
    before = Task.objects.count()
    with pytest.raises(DomainError, match=message) as exc:
        _task(world, **kw)
    assert exc.value.field == field
    assert Task.objects.count() == before


def test_dispatch_to_chosen_children_and_to_a_kind(world):
    task = _task(world)
    office = world.user(Role.TOWNSHIP_STAFF)
    made = services.dispatch(office, task, orgs=[world.orgs["branch"]], today=TODAY)
    a = made[0]
    assert (a.org_id, a.township_id, a.county_id) == (
        world.orgs["branch"].pk,
        world.orgs["township"].pk,
        world.orgs["county"].pk,
    )
    assert a.target_amount == 30 and a.due == task.due and a.period_start == datetime.date(2027, 3, 1)
    assert TaskList.objects.get(pk=task.task_list_id).issued_at is not None
    # all branches below: the one already assigned is skipped
    more = services.dispatch(office, task, kind="branch", today=TODAY)
    assert [x.org_id for x in more] == [world.orgs["sibling"].pk]
    assert services.dispatch(office, task, kind="branch", today=TODAY) == []
    assert AuditEvent.objects.filter(action="tasks.dispatch", object_id=str(task.pk)).count() == 3


def test_dispatch_with_own_due_and_target(world):
    task = _task(world)
    made = services.dispatch(
        world.root,
        task,
        orgs=[world.orgs["community"]],
        due=datetime.date(2027, 3, 5),
        target_amount=12,
        today=TODAY,
    )
    assert made[0].due == datetime.date(2027, 3, 5) and made[0].target_amount == 12


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"orgs": ["branch"], "due": datetime.date(2027, 2, 9)}, "完成期限不能早于下达日期"),
        ({"orgs": ["out_branch"]}, "不在您的管辖范围内"),
        ({"orgs": ["township"]}, "不在您的管辖范围内"),
        ({"orgs": ["county"]}, "不在您的管辖范围内"),
        ({}, "请选择下达对象"),
        ({"kind": "group_x"}, "下达对象类型无效"),
        ({"orgs": ["station", "branch"]}, "上级也在下达对象中"),
        ({"orgs": ["branch"], "target_amount": -5}, "不能为负数"),
    ],
)
def test_dispatch_refusals(world, kw, message):
    task = _task(world)
    kw = dict(kw)
    kw["orgs"] = [world.orgs[k] for k in kw.get("orgs", [])]
    before = (Assignment.objects.count(), AuditEvent.objects.filter(action="tasks.dispatch").count())
    with pytest.raises(DomainError, match=message):
        services.dispatch(world.user(Role.TOWNSHIP_STAFF), task, today=TODAY, **kw)
    assert (Assignment.objects.count(), AuditEvent.objects.filter(action="tasks.dispatch").count()) == before


def test_dispatch_permission(world):
    task = _task(world)
    with pytest.raises(NotInScope):  # the township's task is above the station
        services.dispatch(world.user(Role.STATION_CHIEF), task, orgs=[world.orgs["branch"]], today=TODAY)
    with pytest.raises(NotInScope):
        services.dispatch(world.user("out_admin"), task, orgs=[world.orgs["out_branch"]], today=TODAY)
    with pytest.raises(ActionDenied):
        services.dispatch(world.user(Role.READONLY_LEADER), task, orgs=[world.orgs["branch"]], today=TODAY)


def test_dispatch_refuses_nesting_with_an_existing_assignment(world):
    task = _task(world)
    services.dispatch(world.root, task, orgs=[world.orgs["station"]], today=TODAY)
    with pytest.raises(DomainError, match="已承办此任务"):
        services.dispatch(world.root, task, orgs=[world.orgs["branch"]], today=TODAY)


def test_relay(world):
    task = _task(world)
    (station,) = services.dispatch(
        world.user(Role.TOWNSHIP_STAFF), task, orgs=[world.orgs["station"]], today=TODAY
    )
    chief = world.user(Role.STATION_CHIEF)
    with pytest.raises(DomainError, match="不能晚于本级期限"):
        services.relay(chief, station, kind="branch", due=datetime.date(2027, 3, 31), today=TODAY)
    with pytest.raises(DomainError, match="不能早于下达日期"):
        services.relay(chief, station, kind="branch", due=datetime.date(2027, 2, 1), today=TODAY)
    with pytest.raises(DomainError, match="不在您的管辖范围内"):
        services.relay(chief, station, orgs=[world.orgs["community"]], today=TODAY)
    assert Assignment.objects.filter(parent=station).count() == 0
    kids = services.relay(chief, station, kind="branch", due=datetime.date(2027, 3, 15), today=TODAY)
    assert {k.org_id for k in kids} == {world.orgs["branch"].pk, world.orgs["sibling"].pk}
    assert all(k.parent_id == station.pk and k.due == datetime.date(2027, 3, 15) for k in kids)
    station.refresh_from_db()
    assert station.relayed and station.target_amount == 60 and station.done_amount == 0
    with pytest.raises(ActionDenied):
        services.relay(world.user(Role.VILLAGE_SECRETARY), kids[0], orgs=[world.orgs["group"]], today=TODAY)
    with pytest.raises(DomainError, match="由下级报告"):
        services.report(chief, station, text="x", amount=1)
    assert AuditEvent.objects.filter(action="tasks.relay", object_id=str(station.pk)).count() == 1


def test_update_task(world):
    task = _task(world)
    office = world.user(Role.TOWNSHIP_STAFF)
    task = services.update_task(office, task, title="甲镇入户走访（修订）", key=True)
    assert task.title.endswith("（修订）") and task.key
    services.dispatch(office, task, orgs=[world.orgs["branch"]], today=TODAY)
    with pytest.raises(DomainError, match="不能修改指标"):
        services.update_task(office, task, target_value=50)
    with pytest.raises(DomainError, match="不能修改"):
        services.update_task(office, task, org=world.orgs["county"])
    task = services.update_task(office, task, due=datetime.date(2027, 3, 25))
    assert Assignment.objects.get(task=task).due == datetime.date(2027, 3, 25)
    with pytest.raises(NotInScope):
        services.update_task(world.user(Role.VILLAGE_SECRETARY), task, title="x")
    with pytest.raises(ActionDenied):
        services.update_task(world.user(Role.READONLY_LEADER), task, title="x")
