"""Appointing to and ending posts in a joint branch's team: one secretary at a time, deputies look after
villages of their own branch only, only the township office or the county appoints, every change audited."""

import datetime

import pytest

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.joint import services
from dangjian.joint.choices import PostKind
from dangjian.joint.models import JointPost

DAY = datetime.date(2026, 3, 2)
TODAY = datetime.date(2026, 11, 20)


def appoint(world, actor=None, org=None, **kw):
    kw = {
        "kind": PostKind.DEPUTY,
        "name": "李科长",
        "since": DAY,
        "title": "农业服务中心科长",
        "today": TODAY,
    } | kw
    return services.appoint(actor or world.user(Role.TOWNSHIP_STAFF), org or world.orgs["joint"], **kw)


def test_township_office_appoints_a_deputy_with_villages_and_it_is_audited(world, joint_villages):
    post = appoint(world, villages=joint_villages[:1], phone="13800001111")
    assert post.villages.get().name == "联甲一村"
    event = AuditEvent.objects.filter(action="joint.post.appoint", object_id=str(post.pk)).get()
    assert event.after["villages"] == ["联甲一村"] and event.after["name"] == "李科长"
    assert "13800001111" not in str(event.after)


def test_a_second_current_secretary_is_refused_with_the_holders_name(world):
    with pytest.raises(DomainError, match="现任书记是甲总支书记"):
        appoint(world, kind=PostKind.SECRETARY, name="王书记")
    services.end_post(world.root, world.joint["joint"], until=DAY, reason="工作调整", today=TODAY)
    assert appoint(world, kind=PostKind.SECRETARY, name="王书记").kind == PostKind.SECRETARY


def test_a_village_of_another_branch_is_refused(world):
    with pytest.raises(DomainError, match="村甲一不属于联甲"):
        appoint(world, villages=[world.orgs["branch"]])
    assert not JointPost.objects.filter(name="李科长").exists()


def test_only_a_joint_branch_takes_a_team(world):
    with pytest.raises(DomainError, match="只能在联村党总支下任职"):
        appoint(world, org=world.orgs["station"])


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"name": " "}, "name"),
        ({"kind": "member"}, "kind"),
        ({"since": DAY.replace(year=2027)}, "since"),
        ({"since": None}, "since"),
        ({"phone": "电话号码"}, "phone"),
        ({"kind": PostKind.SECRETARY, "villages": ["x"]}, "villages"),
    ],
)
def test_bad_input_is_refused_on_its_field(world, joint_villages, kw, field):
    if kw.get("villages"):
        kw["villages"] = joint_villages[:1]
        services.end_post(world.root, world.joint["joint"], until=DAY, reason="调整", today=TODAY)
    with pytest.raises(DomainError) as exc:
        appoint(world, **kw)
    assert exc.value.field == field


@pytest.mark.parametrize("role", [Role.STATION_CHIEF, Role.VILLAGE_SECRETARY, Role.READONLY_LEADER])
def test_others_cannot_appoint(world, role):
    with pytest.raises((ActionDenied, NotInScope)):
        appoint(world, actor=world.user(role))


def test_the_joint_secretary_cannot_appoint_his_own_team(world, joint_user):
    with pytest.raises(ActionDenied):
        appoint(world, actor=joint_user)


def test_county_of_another_county_cannot_appoint(world):
    with pytest.raises(NotInScope):
        appoint(world, actor=world.user("out_admin"))


def test_ending_a_post_keeps_the_row_and_refuses_bad_dates(world):
    post = appoint(world)
    with pytest.raises(DomainError, match="不能早于任职日期"):
        services.end_post(
            world.root, post, until=DAY - datetime.timedelta(days=1), reason="调整", today=TODAY
        )
    with pytest.raises(DomainError, match="离任原因"):
        services.end_post(world.root, post, until=DAY, reason="", today=TODAY)
    ended = services.end_post(world.user(Role.COUNTY_ADMIN), post, until=DAY, reason="工作调整", today=TODAY)
    assert ended.until == DAY and JointPost.objects.filter(pk=post.pk).exists()
    with pytest.raises(DomainError, match="已于2026-03-02离任"):
        services.end_post(world.root, post, until=DAY, reason="工作调整", today=TODAY)
    event = AuditEvent.objects.get(action="joint.post.end", object_id=str(post.pk))
    assert event.before == {"end_reason": "", "until": None}
    assert event.after == {"end_reason": "工作调整", "until": "2026-03-02"}
