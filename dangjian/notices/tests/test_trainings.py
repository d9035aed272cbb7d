"""Trainings: recording one (online seminars are online), attendance of members and users with the hours
credited, the yearly hours per member, and refusals that write nothing."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.notices import services
from dangjian.notices.choices import TrainingKind
from dangjian.notices.models import Training, TrainingAttendance
from dangjian.notices.selectors import hours_for_members

from .conftest import page

pytestmark = pytest.mark.django_db
D = Decimal
Entry = services.AttendanceEntry


def new(world, user=None, org="township", **kw):
    values = {
        "title": "专题党课",
        "kind": TrainingKind.LECTURE,
        "start_on": timezone.localdate() - datetime.timedelta(days=1),
        "hours": D(2),
        "place": "会议室",
    } | kw
    return services.create_training(user or world.user(Role.TOWNSHIP_STAFF), world.orgs[org], **values)


def test_online_seminar_is_online_and_needs_no_place(world):
    t = new(world, kind=TrainingKind.ONLINE, place="", title="流动党员线上研讨")
    assert t.online and t.end_on == t.start_on and t.organiser == "镇甲"
    assert AuditEvent.objects.filter(action="notices.training", object_id=str(t.pk)).exists()


def test_attendance_and_hours(world):
    t = new(world, hours=D(3))
    office = world.user(Role.TOWNSHIP_STAFF)
    m1, m2 = world.members["member"], world.members["sibling"]
    secretary = world.user(Role.VILLAGE_SECRETARY)
    n = services.record_attendance(
        office,
        t,
        [
            Entry(member_id=m1.pk),
            Entry(member_id=m2.pk, present=False, note="外出务工"),
            Entry(user_id=secretary.pk, hours=D("1.5")),
        ],
    )
    assert n == 3
    rows = {a.name: a for a in TrainingAttendance.objects.filter(training=t)}
    assert (
        rows["甲党员一"].hours == D(3)
        and rows["甲党员一"].present
        and rows["甲党员一"].attendee_org == world.orgs["branch"]
    )
    assert (
        rows["甲党员二"].hours == 0 and not rows["甲党员二"].present and rows["甲党员二"].note == "外出务工"
    )
    assert rows["甲村书记"].hours == D("1.5") and rows["甲村书记"].attendee_org == world.orgs["branch"]
    # recording someone again replaces their row
    services.record_attendance(office, t, [Entry(member_id=m2.pk, present=True, hours=D(2))])
    assert TrainingAttendance.objects.filter(training=t).count() == 3
    assert TrainingAttendance.objects.get(training=t, member=m2).hours == D(2)
    assert AuditEvent.objects.filter(action="notices.attendance", object_id=str(t.pk)).count() == 2


def test_hours_for_members_by_year(world):
    office = world.user(Role.TOWNSHIP_STAFF)
    m1, m2 = world.members["member"], world.members["sibling"]
    D8 = datetime.date
    a = new(world, title="党课一", hours=D(2), start_on=D8(2025, 3, 1))
    b = new(
        world,
        title="冬训",
        kind=TrainingKind.CENTRAL,
        hours=D(24),
        start_on=D8(2025, 1, 2),
        end_on=D8(2025, 1, 4),
    )
    last_year = new(world, title="去年党课", hours=D(4), start_on=D8(2024, 12, 31))
    services.record_attendance(office, b, [Entry(member_id=m1.pk), Entry(member_id=m2.pk, present=False)])
    services.record_attendance(office, last_year, [Entry(member_id=m1.pk), Entry(member_id=m2.pk)])
    services.record_attendance(office, a, [Entry(member_id=m2.pk, hours=D("1.5"))])
    got = hours_for_members([m1.pk, m2.pk, world.members["probationary"].pk], 2025)
    assert got == {m1.pk: D(24), m2.pk: D("1.5")}
    assert hours_for_members([m1.pk, m2.pk], 2024) == {m1.pk: D(4), m2.pk: D(4)}


def test_study_record_page(world, client_for):
    member = world.members["member"]
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    r = client.get(f"/notices/members/{member.pk}/study/")
    text = page(r)
    assert r.status_code == 200 and "学习培训" in text and "镇甲党课" in text and "年度要求 32 学时" in text
    fragment = client.get(f"/notices/members/{member.pk}/study/", HTTP_HX_REQUEST="true")
    assert 'data-testid="study-record"' in page(fragment) and "<html" not in page(fragment)
    assert client.get(f"/notices/members/{world.members['out'].pk}/study/").status_code == 404
    assert (
        client_for(world.user(Role.DEPT_LIAISON)).get(f"/notices/members/{member.pk}/study/").status_code
        == 404
    )


def test_attendance_form_on_the_page(world, client_for):
    t = world.trainings["training"]
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    text = page(client.get(f"/notices/trainings/{t.pk}/"))
    assert "甲党员二" in text and "保存出勤" in text and "外党员" not in text
    m2 = world.members["sibling"]
    r = client.post(
        f"/notices/trainings/{t.pk}/attendance/",
        {f"m-{m2.pk}": "absent", f"nm-{m2.pk}": "病假", f"m-{world.members['member'].pk}": ""},
    )
    assert r.status_code == 302
    row = TrainingAttendance.objects.get(training=t, member=m2)
    assert not row.present and row.note == "病假"
    bad = client.post(
        f"/notices/trainings/{t.pk}/attendance/", {f"m-{m2.pk}": "present", f"hm-{m2.pk}": "两小时"}
    )
    assert bad.status_code == 400 and "学时须为数字" in page(bad)
    too_many = client.post(
        f"/notices/trainings/{t.pk}/attendance/", {f"m-{m2.pk}": "present", f"hm-{m2.pk}": "9"}
    )
    assert too_many.status_code == 400 and "计入学时应在0到2.0之间" in page(too_many)
    leader = client_for(world.user(Role.READONLY_LEADER))
    assert leader.post(f"/notices/trainings/{t.pk}/attendance/", {f"m-{m2.pk}": "present"}).status_code == 403


def test_attendance_refusals_write_nothing(world):
    office = world.user(Role.TOWNSHIP_STAFF)
    t = world.trainings["training"]
    future = new(world, title="下月党课", start_on=timezone.localdate() + datetime.timedelta(days=10))
    m1 = world.members["member"]
    cases = [
        (t, [Entry(member_id=world.members["out"].pk)], "不在“镇甲”及下级组织的党员名册上"),
        (t, [Entry(user_id=world.users["out_admin"].pk)], "未在“镇甲”及下级组织任职"),
        (t, [Entry(member_id=m1.pk, present=False, hours=D(1))], "缺席人员不计学时"),
        (t, [Entry(member_id=m1.pk, hours=D(-1))], "计入学时应在0到"),
        (t, [Entry(member_id=m1.pk), Entry(member_id=m1.pk)], "不能在一次登记中出现两次"),
        (t, [Entry()], "须对应一名党员或一名用户"),
        (t, [], "请至少选择一名参训人员"),
        (future, [Entry(member_id=m1.pk)], "培训尚未开始"),
    ]
    for training, entries, message in cases:
        before = (TrainingAttendance.objects.count(), AuditEvent.objects.count())
        with pytest.raises(DomainError, match=message):
            services.record_attendance(office, training, entries)
        assert (TrainingAttendance.objects.count(), AuditEvent.objects.count()) == before
    with pytest.raises(ActionDenied):
        services.record_attendance(world.user(Role.READONLY_LEADER), t, [Entry(member_id=m1.pk)])


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"title": " "}, "title", "请填写主题"),
        ({"kind": "party"}, "kind", "请选择培训类型"),
        ({"place": ""}, "place", "请填写培训地点"),
        ({"start_on": None}, "start_on", "请填写开始日期"),
        ({"end_on": datetime.date(2000, 1, 1)}, "end_on", "结束日期不能早于开始日期"),
        ({"hours": D(0)}, "hours", "学时应大于0"),
        ({"hours": None}, "hours", "请填写学时"),
        ({"hours": D(13)}, "hours", "1天的培训最多计12学时"),
        ({"org": "out_township"}, "org", "不在您的管辖范围内"),
    ],
)
def test_bad_training_writes_nothing(world, kwargs, field, message):
    before = (Training.objects.count(), AuditEvent.objects.count())
    org = kwargs.pop("org", "township")
    with pytest.raises(DomainError) as info:
        new(world, org=org, **kwargs)
    errors = getattr(info.value, "errors", None) or [info.value]
    assert any(e.field == field and message in e.message for e in errors), [e.message for e in errors]
    assert (Training.objects.count(), AuditEvent.objects.count()) == before


def test_three_day_training_may_count_24_hours(world):
    start = timezone.localdate() - datetime.timedelta(days=5)
    t = new(
        world,
        kind=TrainingKind.CENTRAL,
        start_on=start,
        end_on=start + datetime.timedelta(days=2),
        hours=D(24),
    )
    assert t.days == 3 and t.hours == D(24)
