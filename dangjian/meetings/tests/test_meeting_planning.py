"""Planning a meeting: kinds by org kind, expected attendees from the roster, edits, attend-and-guide,
cancelling, and the plan and edit pages."""

import datetime

import pytest
from django.utils import timezone

from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.meetings import services
from dangjian.meetings.choices import KINDS_BY_ORG_KIND, MeetingKind, MeetingStatus
from dangjian.meetings.models import Meeting
from dangjian.meetings.services import MeetingData
from dangjian.meetings.testing import plan
from dangjian.members.choices import Standing
from dangjian.members.testing import add_member

pytestmark = pytest.mark.django_db


def names(meeting):
    return sorted(meeting.attendances.values_list("name", flat=True))


def test_a_branch_meeting_expects_every_member_in_normal_standing(world):
    add_member(world.orgs["branch"], "甲停籍党员", 31, standing=Standing.SUSPENDED)
    grouped = add_member(world.orgs["branch"], "甲小组党员", 32, group=world.orgs["group"])
    meeting = plan(world)
    assert names(meeting) == sorted(["甲党员一", "甲预备党员", "甲小组党员"])
    group_meeting = plan(world, org="group", kind=MeetingKind.GROUP)
    assert list(group_meeting.attendances.values_list("member", flat=True)) == [grouped.pk]
    event = AuditEvent.objects.get(action="meetings.plan", object_id=str(meeting.pk))
    assert "应到3人" in event.note and event.org_id == world.orgs["branch"].pk


def test_office_and_station_meetings_expect_the_staff_holding_roles_there(world):
    office = plan(
        world, org="township", kind=MeetingKind.OFFICE_WEEKLY, actor=world.user(Role.TOWNSHIP_STAFF)
    )
    assert names(office) == ["甲镇办干部"]
    station = plan(
        world, org="station", kind=MeetingKind.STATION_MONTHLY, actor=world.user(Role.STATION_CHIEF)
    )
    assert names(station) == ["甲站站长"]


def test_village_meetings_start_with_no_one_expected(world):
    assert names(plan(world, kind=MeetingKind.TWO_COMMITTEES)) == []


@pytest.mark.parametrize(
    "org,kind",
    [
        ("township", MeetingKind.THEME_DAY),
        ("station", MeetingKind.LECTURE),
        ("group", MeetingKind.MEMBER_ASSEMBLY),
        ("branch", MeetingKind.OFFICE_WEEKLY),
        ("county", MeetingKind.THEME_DAY),
    ],
)
def test_a_kind_not_held_at_the_org_kind_is_refused(world, org, kind):
    with pytest.raises(DomainError) as exc:
        plan(world, org=org, kind=kind, actor=world.root)
    assert "不能召开" in exc.value.message and MeetingKind(kind).label in exc.value.message
    assert not Meeting.objects.filter(topic="甲村测试会议").exists()


def test_every_kind_is_allowed_somewhere():
    allowed = set().union(*KINDS_BY_ORG_KIND.values())
    assert allowed == set(MeetingKind.values)


def test_online_meetings_need_a_link_and_topics_are_required(world):
    with pytest.raises(DomainError) as exc:
        plan(world, online=True, topic="")
    messages = [e.message for e in exc.value.errors]
    assert "请填写会议主题。" in messages and "线上会议请填写会议号或链接。" in messages
    meeting = plan(world, online=True, online_link="腾讯会议 123 456 789")
    assert meeting.online and meeting.online_link.startswith("腾讯会议")


def test_guides_come_from_the_township_office_or_county_above(world):
    office, county = world.user(Role.TOWNSHIP_STAFF), world.user(Role.COUNTY_ADMIN)
    meeting = plan(world, guided_by=[office.pk, county.pk])
    assert set(meeting.guided_by.all()) == {office, county}
    with pytest.raises(DomainError) as exc:
        plan(world, guided_by=[world.user(Role.STATION_CHIEF).pk])
    assert "列席指导人员须为上级乡镇党建办或县级的工作人员" in exc.value.message
    services.record_guidance(office, meeting, [office], "程序规范，建议增加学习讨论环节。")
    meeting.refresh_from_db()
    assert meeting.guide_note.startswith("程序规范")
    assert AuditEvent.objects.filter(action="meetings.guide", object_id=str(meeting.pk)).exists()


def test_update_and_the_kind_is_fixed_once_held(world):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    meeting = plan(world)
    data = MeetingData(
        kind=MeetingKind.LECTURE, topic="甲村党课", planned_at=meeting.planned_at, place="村委会"
    )
    services.update_meeting(secretary, meeting, data)
    meeting.refresh_from_db()
    assert (meeting.kind, meeting.topic, meeting.place) == (MeetingKind.LECTURE, "甲村党课", "村委会")
    event = AuditEvent.objects.get(action="meetings.update", object_id=str(meeting.pk))
    assert event.before["topic"] == "甲村测试会议" and event.after["topic"] == "甲村党课"
    services.record_held(secretary, meeting, timezone.now() - datetime.timedelta(minutes=5))
    data.kind = MeetingKind.THEME_DAY
    with pytest.raises(DomainError, match="不能更改会议类型"):
        services.update_meeting(secretary, meeting, data)


def test_cancel_needs_a_reason_and_only_a_planned_meeting(world):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    meeting = plan(world)
    with pytest.raises(DomainError, match="请填写取消原因"):
        services.cancel_meeting(secretary, meeting, " ")
    services.cancel_meeting(secretary, meeting, "防汛任务，改期召开")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.cancel_reason == "防汛任务，改期召开"
    with pytest.raises(DomainError, match="只有计划中的会议可以取消"):
        services.cancel_meeting(secretary, meeting, "再次取消")
    with pytest.raises(DomainError, match="不能登记为已召开"):
        services.record_held(secretary, meeting, timezone.now())


def test_adding_and_removing_expected_attendees(world):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    meeting = plan(world, kind=MeetingKind.TWO_COMMITTEES)
    row = services.add_attendee(secretary, meeting, member=world.members["member"])
    with pytest.raises(DomainError, match="已在应到名单中"):
        services.add_attendee(secretary, meeting, member=world.members["member"])
    with pytest.raises(DomainError, match="不是村甲一党员"):
        services.add_attendee(secretary, meeting, member=world.members["sibling"])
    services.remove_attendee(secretary, row)
    assert names(meeting) == []


# --- pages -------------------------------------------------------------------------------------------


def test_the_plan_page_creates_a_meeting_and_refuses_a_wrong_kind(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    page = client.get("/meetings/new/")
    assert page.status_code == 200 and "村甲一" in page.content.decode()
    when = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    form = {"org": world.orgs["branch"].pk, "kind": "office_weekly", "topic": "甲村周会", "planned_at": when}
    refused = client.post("/meetings/new/", form)
    assert refused.status_code == 400
    assert "村党支部不能召开“党建办周小结”。" in refused.content.decode()
    assert not Meeting.objects.filter(topic="甲村周会").exists()
    form.update(kind="theme_day", topic="甲村十二月主题党日", place="党员活动室")
    done = client.post("/meetings/new/", form)
    meeting = Meeting.objects.get(topic="甲村十二月主题党日")
    assert done.status_code == 302 and done["Location"] == meeting.get_absolute_url()
    assert timezone.localtime(meeting.planned_at).strftime("%Y-%m-%dT%H:%M") == when
    assert client.get(meeting.get_absolute_url()).status_code == 200


def test_the_plan_page_refuses_an_org_outside_scope(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    when = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    r = client.post(
        "/meetings/new/",
        {"org": world.orgs["sibling"].pk, "kind": "theme_day", "topic": "越权", "planned_at": when},
    )
    assert r.status_code == 400 and not Meeting.objects.filter(topic="越权").exists()


def test_a_read_only_leader_cannot_plan_or_edit(world, client_for):
    client = client_for(world.user(Role.READONLY_LEADER))
    assert client.get("/meetings/new/").status_code == 403
    meeting = world.meetings["meeting"]
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 200
    assert client.get(f"/meetings/{meeting.pk}/edit/").status_code == 403


def test_the_edit_page_saves(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    meeting = plan(world)
    when = timezone.localtime(meeting.planned_at).strftime("%Y-%m-%dT%H:%M")
    r = client.post(
        f"/meetings/{meeting.pk}/edit/",
        {"kind": "theme_day", "topic": "甲村主题党日（改）", "planned_at": when},
    )
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.topic == "甲村主题党日（改）"
