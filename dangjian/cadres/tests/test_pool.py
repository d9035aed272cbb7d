"""The pool, mentoring, choosing from the pool and coaching: each refusal with its message and nothing
written, and the trail a choice leaves."""

import datetime

import pytest

from dangjian.cadres import services
from dangjian.cadres.choices import ActivityKind, Grade, PoliticalStatus, ReserveStatus
from dangjian.cadres.models import Mentorship, PoolSelection, ReserveCadre
from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.members.choices import Education, Gender
from dangjian.villages import services as village_services
from dangjian.villages.models import Committee, Post, PostKind

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 1)
TODAY = datetime.date(2025, 6, 1)


def _reserve(world, name="曹爱玲", org="branch", **kw):
    data = dict(
        name=name,
        gender=Gender.FEMALE,
        birth_date=datetime.date(1990, 2, 3),
        education=Education.COLLEGE,
        political_status=PoliticalStatus.MEMBER,
        entered_on=DAY,
        today=TODAY,
    )
    return services.add_reserve(world.root, world.orgs[org], **(data | kw))


def _refused(message, fn, *args, **kwargs):
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        fn(*args, **kwargs)
    text = " ".join(e.message for e in getattr(exc.value, "errors", None) or [exc.value])
    assert message in text
    assert AuditEvent.objects.count() == events


def test_pool_entry_refusals_and_age(world):
    _refused("请填写姓名", _reserve, world, name="")
    _refused("入库日期不能晚于今天", _reserve, world, entered_on=datetime.date(2025, 6, 2))
    _refused("请选择学历", _reserve, world, education="大专")
    r = _reserve(world)
    assert r.county == world.orgs["county"] and r.age >= 35
    _refused("曹爱玲已在本村后备库中", _reserve, world)
    _refused("后备干部按村（社区）登记", _reserve, world, org="township")
    with pytest.raises(NotInScope):
        services.add_reserve(world.user(Role.COUNTY_ADMIN), world.orgs["out_branch"], name="x")
    _refused(
        "出库日期不能早于入库日期",
        services.leave_pool,
        world.root,
        r,
        left_on=datetime.date(2025, 1, 1),
        reason="外出",
        today=TODAY,
    )  # noqa: E501
    services.leave_pool(world.root, r, left_on=DAY, reason="外出务工", today=TODAY)
    _refused("已不在后备库中", services.leave_pool, world.root, r, left_on=DAY, reason="x", today=TODAY)


def test_a_mentor_in_the_pool_is_refused_naming_the_rule(world):
    mentee = _reserve(world, name="新人")
    secretary = Post.objects.get(org=world.orgs["branch"], kind=PostKind.SECRETARY)
    # The secretary is in the pool themselves (by name, no person record).
    _reserve(world, name=secretary.name, gender=Gender.MALE)
    before = Mentorship.objects.count()
    _refused(
        "本人在后备库中，不能担任导师：帮带导师由现任村“两委”干部或乡镇干部担任",
        services.start_mentorship,
        world.root,
        mentee,
        mentor_post=secretary,
        started_on=DAY,
        today=TODAY,
    )
    assert Mentorship.objects.count() == before
    _refused("请选择一名导师", services.start_mentorship, world.root, mentee, started_on=DAY, today=TODAY)
    village_services.end_post(world.root, secretary, until=DAY, reason="调走", today=TODAY)
    secretary.refresh_from_db()
    _refused(
        "所选职务当前无人任职",
        services.start_mentorship,
        world.root,
        mentee,
        mentor_post=secretary,
        started_on=DAY,
        today=TODAY,
    )  # noqa: E501


def test_office_staff_mentor_activities_and_evaluation(world):
    mentee = _reserve(world, name="新人")
    office = world.user(Role.TOWNSHIP_STAFF)
    m = services.start_mentorship(world.root, mentee, mentor_user=office, started_on=DAY, today=TODAY)
    assert m.mentor_name == office.display_name
    outsider = world.user("out_admin")
    _refused(
        "导师应为本乡镇党建办干部",
        services.start_mentorship,
        world.root,
        mentee,
        mentor_user=outsider,
        started_on=DAY,
        today=TODAY,
    )  # noqa: E501
    for kind in (ActivityKind.SHADOWING, ActivityKind.MEETING, ActivityKind.GOVERNANCE):
        services.add_activity(world.root, m, kind=kind, held_on=DAY, note="参与", today=TODAY)
    _refused(
        "活动日期不能早于帮带开始日期",
        services.add_activity,
        world.root,
        m,
        kind="other",
        held_on=datetime.date(2025, 2, 1),
        note="x",
        today=TODAY,
    )  # noqa: E501
    _refused(
        "请选择评价等次",
        services.evaluate,
        world.root,
        m,
        evaluated_on=DAY,
        grade="A",
        comment="x",
        evaluator="y",
        today=TODAY,
    )  # noqa: E501
    services.evaluate(
        world.root,
        m,
        evaluated_on=TODAY,
        grade=Grade.EXCELLENT,
        comment="好",
        evaluator="镇党委",
        today=TODAY,
    )  # noqa: E501
    assert m.activities.count() == 3 and m.evaluations.get().grade == Grade.EXCELLENT


def test_choose_a_secretary_from_the_pool_keeps_the_trail(world):
    committee = Committee.objects.get(org=world.orgs["branch"])
    secretary = Post.objects.get(org=world.orgs["branch"], kind=PostKind.SECRETARY, until__isnull=True)
    chosen, other = _reserve(world), _reserve(world, name="候选二", gender=Gender.MALE)
    office = world.user(Role.TOWNSHIP_STAFF)
    args = (office, chosen, committee, PostKind.SECRETARY)
    _refused("请先办理离任", services.choose_from_pool, *args, decided_on=DAY, basis="纪要1号", today=TODAY)
    village_services.end_post(world.root, secretary, until=DAY, reason="工作不在状态", today=TODAY)
    _refused("请填写选任依据", services.choose_from_pool, *args, decided_on=DAY, basis="", today=TODAY)
    with pytest.raises(ActionDenied):
        services.choose_from_pool(
            world.user(Role.VILLAGE_SECRETARY),
            chosen,
            committee,
            PostKind.SECRETARY,
            decided_on=DAY,
            basis="x",
            today=TODAY,
        )  # noqa: E501
    out = ReserveCadre.objects.get(name="外后备一")
    _refused(
        "同时考察的人选应为本村后备库在库人员",
        services.choose_from_pool,
        *args,
        decided_on=DAY,
        basis="纪要",
        considered=[out],
        today=TODAY,
    )  # noqa: E501
    selection = services.choose_from_pool(
        *args, decided_on=DAY, basis="镇党委会议纪要〔2025〕5号", considered=[other], today=TODAY
    )
    post = selection.post
    assert post.kind == PostKind.SECRETARY and post.name == "曹爱玲" and post.since == DAY
    assert post.pk == Post.objects.get(org=world.orgs["branch"], kind=PostKind.SECRETARY, vacant_since=DAY).pk
    chosen.refresh_from_db()
    assert chosen.status == ReserveStatus.CHOSEN and selection.decided_by == "镇甲党委"
    assert [c.name for c in selection.considered.all()] == ["候选二"]
    assert AuditEvent.objects.filter(action="cadres.selection.create", object_id=str(selection.pk)).exists()
    _refused("已不在后备库中", services.choose_from_pool, *args, decided_on=DAY, basis="x", today=TODAY)
    coaching = services.start_coaching(
        office, post, coach_name="党建办主任", started_on=DAY, selection=selection, today=TODAY
    )  # noqa: E501
    _refused(
        "辅导日期不能早于辅导开始日期",
        services.add_coaching_session,
        office,
        coaching,
        held_on=datetime.date(2025, 1, 1),
        topic="x",
        today=TODAY,
    )  # noqa: E501
    services.add_coaching_session(office, coaching, held_on=TODAY, topic="如何开好支委会", today=TODAY)
    assert coaching.sessions.count() == 1 and PoolSelection.objects.filter(reserve=chosen).count() == 1
