"""Minutes and their approval: only the secretary of the meeting's branch (the office's staff, the
station's chief) approves; approved minutes are locked until the approval is withdrawn."""

import datetime

import pytest
from django.utils import timezone

from dangjian.core.errors import DomainError, NotInScope
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.core.testing import make_user
from dangjian.meetings import services
from dangjian.meetings.choices import MeetingKind
from dangjian.meetings.testing import plan

pytestmark = pytest.mark.django_db


def held(world, org="branch", kind=MeetingKind.THEME_DAY, actor=None):
    actor = actor or world.root
    meeting = plan(
        world, org=org, kind=kind, actor=actor, planned_at=timezone.now() - datetime.timedelta(hours=2)
    )
    services.record_held(actor, meeting, timezone.now() - datetime.timedelta(hours=1))
    services.save_minutes(actor, meeting, "学习党章第一章，讨论本月工作。")
    return meeting


def test_minutes_only_after_the_meeting_is_held(world):
    with pytest.raises(DomainError, match="登记为已召开后才能填写会议记录"):
        services.save_minutes(world.user(Role.VILLAGE_SECRETARY), plan(world), "记录")


def test_the_branch_secretary_approves_and_the_minutes_lock(world):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    meeting = held(world)
    services.approve_minutes(secretary, meeting)
    meeting.refresh_from_db()
    assert meeting.minutes_approved_by == secretary and meeting.minutes_approved_at
    with pytest.raises(DomainError, match="已审定并锁定"):
        services.save_minutes(secretary, meeting, "改动")
    with pytest.raises(DomainError, match="会议记录已审定"):
        services.approve_minutes(secretary, meeting)
    with pytest.raises(DomainError, match="请填写撤销审定的原因"):
        services.reopen_minutes(secretary, meeting, "")
    services.reopen_minutes(secretary, meeting, "补充表决情况")
    services.save_minutes(secretary, meeting, "学习党章第一章，讨论本月工作。补充：全体同意。")
    services.approve_minutes(secretary, meeting)
    actions = list(
        AuditEvent.objects.filter(object_id=str(meeting.pk), action__startswith="meetings.").values_list(
            "action", flat=True
        )
    )
    assert actions.count("meetings.approve") == 2 and "meetings.reopen" in actions


@pytest.mark.parametrize("role", [Role.TOWNSHIP_STAFF, Role.COUNTY_ADMIN, Role.STATION_CHIEF])
def test_anyone_but_the_secretary_is_refused(world, role):
    meeting = held(world)
    with pytest.raises(DomainError) as exc:
        services.approve_minutes(world.user(role), meeting)
    assert exc.value.message == "只有本支部书记可以审定会议记录。"
    meeting.refresh_from_db()
    assert meeting.minutes_approved_at is None


def test_a_superuser_is_not_the_secretary_either(world):
    with pytest.raises(DomainError, match="只有本支部书记"):
        services.approve_minutes(world.root, held(world))


def test_another_branchs_secretary_is_refused(world):
    other = make_user(world.root, "secretary2", "甲二村书记", world.orgs["sibling"], Role.VILLAGE_SECRETARY)
    meeting = held(world)
    with pytest.raises(NotInScope):  # outside her subtree: not even visible
        services.approve_minutes(other, meeting)


def test_the_branch_secretary_approves_her_party_groups_minutes(world):
    meeting = held(world, org="group", kind=MeetingKind.GROUP)
    services.approve_minutes(world.user(Role.VILLAGE_SECRETARY), meeting)


def test_office_minutes_by_the_township_staff_and_station_minutes_by_the_chief(world):
    office = held(world, org="township", kind=MeetingKind.OFFICE_MONTHLY)
    with pytest.raises(DomainError, match="只有本镇党建办工作人员可以审定会议记录"):
        services.approve_minutes(world.user(Role.COUNTY_ADMIN), office)
    services.approve_minutes(world.user(Role.TOWNSHIP_STAFF), office)
    station = held(world, org="station", kind=MeetingKind.STATION_MONTHLY)
    with pytest.raises(DomainError, match="只有本站站长可以审定会议记录"):
        services.approve_minutes(world.user(Role.TOWNSHIP_STAFF), station)
    services.approve_minutes(world.user(Role.STATION_CHIEF), station)


def test_approval_needs_written_minutes(world):
    meeting = plan(world, planned_at=timezone.now() - datetime.timedelta(hours=2))
    services.record_held(world.root, meeting, timezone.now())
    with pytest.raises(DomainError, match="请先填写会议记录再审定"):
        services.approve_minutes(world.user(Role.VILLAGE_SECRETARY), meeting)


# --- pages and API -----------------------------------------------------------------------------------


def test_the_page_writes_minutes_and_refuses_a_non_secretary(world, client_for):
    meeting = plan(world, planned_at=timezone.now() - datetime.timedelta(hours=2))
    services.record_held(world.root, meeting, timezone.now())
    office = client_for(world.user(Role.TOWNSHIP_STAFF))
    assert office.post(f"/meetings/{meeting.pk}/minutes/", {"minutes": "会议记录正文"}).status_code == 302
    refused = office.post(f"/meetings/{meeting.pk}/approve/")
    assert refused.status_code == 400 and "只有本支部书记可以审定会议记录。" in refused.content.decode()
    assert AuditEvent.objects.filter(action="meetings.approve").count() == 1  # the test world's own
    secretary = client_for(world.user(Role.VILLAGE_SECRETARY))
    assert secretary.post(f"/meetings/{meeting.pk}/approve/").status_code == 302
    page = secretary.get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="minutes-approved"' in page and "撤销审定" in page
    locked = secretary.post(f"/meetings/{meeting.pk}/minutes/", {"minutes": "改动"})
    assert locked.status_code == 400 and "已审定并锁定" in locked.content.decode()


def test_the_api_approves_with_the_same_rule(world, client_for):
    meeting = held(world)
    office = client_for(world.user(Role.TOWNSHIP_STAFF))
    r = office.post(f"/api/v1/meetings/{meeting.pk}/approve-minutes/", format="json")
    assert r.status_code == 400 and r.json()["detail"] == "只有本支部书记可以审定会议记录。"
    secretary = client_for(world.user(Role.VILLAGE_SECRETARY))
    r = secretary.post(f"/api/v1/meetings/{meeting.pk}/approve-minutes/")
    assert r.status_code == 200 and r.json()["minutes_approved"] is True
    assert r.json()["minutes_approved_by_name"] == "甲村书记"
