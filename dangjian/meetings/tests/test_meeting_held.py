"""Recording a meeting as held and its attendance: the time in Asia/Shanghai, reasons for absence and
leave, appraisal grades, online attendance of mobile members, and the held and attendance pages."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.meetings import services
from dangjian.meetings.choices import Attendance, MeetingKind, MeetingStatus, SignInMethod
from dangjian.meetings.services import AttendanceEntry
from dangjian.meetings.testing import plan

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def rows(meeting):
    return {r.name: r for r in meeting.attendances.all()}


@pytest.mark.parametrize(
    "local,day",
    [
        (datetime.datetime(2026, 3, 31, 23, 59), datetime.date(2026, 3, 31)),
        (datetime.datetime(2026, 4, 1, 0, 0), datetime.date(2026, 4, 1)),
    ],
)
def test_held_on_is_the_day_in_shanghai_not_in_utc(world, local, day):
    meeting = plan(world, planned_at=local.replace(tzinfo=SHANGHAI))
    held_at = local.replace(tzinfo=SHANGHAI).astimezone(datetime.UTC)
    assert held_at.date() == datetime.date(2026, 3, 31)  # 15:59 / 16:00 UTC on the 31st
    services.record_held(world.user(Role.VILLAGE_SECRETARY), meeting, held_at)
    meeting.refresh_from_db()
    assert meeting.held_on == day and meeting.status == MeetingStatus.HELD


def test_a_held_time_in_the_future_is_refused_and_now_is_accepted(world):
    secretary, meeting = world.user(Role.VILLAGE_SECRETARY), plan(world)
    now = timezone.now()
    with pytest.raises(DomainError) as exc:
        services.record_held(secretary, meeting, now + datetime.timedelta(seconds=1), now=now)
    assert exc.value.message == "会议召开时间不能晚于当前时间。" and exc.value.field == "held_at"
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    services.record_held(secretary, meeting, now, now=now)
    meeting.refresh_from_db()
    assert meeting.held_at == now


def test_held_with_attendance_in_one_step(world):
    secretary, meeting = world.user(Role.VILLAGE_SECRETARY), plan(world)
    r = rows(meeting)
    services.record_held(
        secretary,
        meeting,
        timezone.now(),
        place="村委会会议室",
        entries=[
            AttendanceEntry(attendance=r["甲党员一"].pk, status=Attendance.PRESENT),
            AttendanceEntry(attendance=r["甲预备党员"].pk, status=Attendance.EXCUSED, reason="外出务工"),
        ],
    )
    r = rows(meeting)
    assert r["甲党员一"].status == Attendance.PRESENT and r["甲党员一"].signin_method == SignInMethod.MANUAL
    assert (r["甲预备党员"].status, r["甲预备党员"].reason) == (Attendance.EXCUSED, "外出务工")
    event = AuditEvent.objects.get(action="meetings.held", object_id=str(meeting.pk))
    assert event.after["甲预备党员"] == "请假（外出务工）" and event.after["place"] == "村委会会议室"


@pytest.mark.parametrize(
    "status,message",
    [(Attendance.ABSENT, "请填写甲党员一的缺席原因。"), (Attendance.EXCUSED, "请填写甲党员一的请假原因。")],
)
def test_absence_and_leave_need_a_reason(world, status, message):
    meeting = plan(world)
    row = rows(meeting)["甲党员一"]
    with pytest.raises(DomainError) as exc:
        services.set_attendance(
            world.user(Role.VILLAGE_SECRETARY), meeting, [AttendanceEntry(attendance=row.pk, status=status)]
        )
    assert exc.value.message == message
    row.refresh_from_db()
    assert row.status == Attendance.EXPECTED


def test_grades_only_at_an_appraisal(world):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    theme = plan(world)
    entry = AttendanceEntry(
        attendance=rows(theme)["甲党员一"].pk, status=Attendance.PRESENT, grade="excellent"
    )
    with pytest.raises(DomainError, match="只有民主评议党员会议可以登记评议等次"):
        services.set_attendance(secretary, theme, [entry])
    appraisal = plan(world, kind=MeetingKind.APPRAISAL)
    entry.attendance = rows(appraisal)["甲党员一"].pk
    services.set_attendance(secretary, appraisal, [entry])
    assert rows(appraisal)["甲党员一"].get_grade_display() == "优秀"


def test_online_attendance_for_mobile_members_or_online_meetings(world):
    secretary, member = world.user(Role.VILLAGE_SECRETARY), world.members["member"]
    meeting = plan(world)
    entry = AttendanceEntry(
        attendance=rows(meeting)["甲党员一"].pk, status=Attendance.PRESENT, method="online"
    )
    with pytest.raises(DomainError, match="不是流动党员"):
        services.set_attendance(secretary, meeting, [entry])
    member.is_mobile = True
    member.save()
    services.set_attendance(secretary, meeting, [entry])
    assert rows(meeting)["甲党员一"].signin_method == SignInMethod.ONLINE
    online = plan(world, online=True, online_link="腾讯会议 111")
    entry.attendance = rows(online)["甲预备党员"].pk
    services.set_attendance(secretary, online, [entry])


def test_attendance_by_member_adds_them_and_refuses_someone_not_in_the_branch(world):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    meeting = plan(world, kind=MeetingKind.TWO_COMMITTEES)
    services.set_attendance(
        secretary, meeting, [AttendanceEntry(member=world.members["member"].pk, status=Attendance.PRESENT)]
    )
    assert rows(meeting)["甲党员一"].status == Attendance.PRESENT
    with pytest.raises(DomainError) as exc:
        services.set_attendance(
            secretary, meeting, [AttendanceEntry(member=world.members["out"].pk, status=Attendance.PRESENT)]
        )
    assert exc.value.message == "外党员不是村甲一党员，不能登记参会。"
    assert list(rows(meeting)) == ["甲党员一"]


def test_more_present_than_members_is_refused(world):
    meeting = plan(world)
    r = rows(meeting)
    entries = [AttendanceEntry(attendance=row.pk, status=Attendance.PRESENT) for row in r.values()]
    entries.append(AttendanceEntry(member=world.members["sibling"].pk, status=Attendance.PRESENT))
    with pytest.raises(DomainError) as exc:
        services.set_attendance(world.user(Role.VILLAGE_SECRETARY), meeting, entries)
    assert exc.value.message == "出席人数（3人）超过村甲一党员人数（2人），请核对。"


# --- pages -------------------------------------------------------------------------------------------


def test_the_held_page_records_time_and_attendance(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    meeting = plan(world, planned_at=timezone.now() - datetime.timedelta(hours=1))
    r = rows(meeting)
    page = client.get(f"/meetings/{meeting.pk}/held/")
    assert page.status_code == 200 and "甲预备党员" in page.content.decode()
    held = (timezone.localtime() - datetime.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "held_at": held,
        "place": "党员活动室",
        f"status-{r['甲党员一'].pk}": "present",
        f"status-{r['甲预备党员'].pk}": "absent",
    }
    refused = client.post(f"/meetings/{meeting.pk}/held/", form)
    assert refused.status_code == 400 and "请填写甲预备党员的缺席原因。" in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    future = (timezone.localtime() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(f"/meetings/{meeting.pk}/held/", {**form, "held_at": future})
    assert refused.status_code == 400 and "会议召开时间不能晚于当前时间。" in refused.content.decode()
    form[f"reason-{r['甲预备党员'].pk}"] = "生病住院"
    assert client.post(f"/meetings/{meeting.pk}/held/", form).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.place == "党员活动室"
    assert rows(meeting)["甲预备党员"].reason == "生病住院"
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "出席1人，缺席1人" in detail and "出席率50%" in detail


def test_the_attendance_page_adds_and_removes_people(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    meeting = plan(world, kind=MeetingKind.TWO_COMMITTEES)
    page = client.get(f"/meetings/{meeting.pk}/attendance/")
    assert page.status_code == 200 and "加入应到名单" in page.content.decode()
    member = world.members["member"]
    assert client.post(f"/meetings/{meeting.pk}/attendees/", {"member": member.pk}).status_code == 302
    row = meeting.attendances.get()
    r = client.post(
        f"/meetings/{meeting.pk}/attendance/", {f"status-{row.pk}": "excused", f"reason-{row.pk}": "探亲"}
    )
    assert r.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.reason) == (Attendance.EXCUSED, "探亲")
    out = client.post(f"/meetings/{meeting.pk}/attendees/", {"member": world.members["sibling"].pk})
    assert out.status_code == 400  # not offered: another branch's member
    assert client.post(f"/meetings/attendances/{row.pk}/remove/").status_code == 302
    assert not meeting.attendances.exists()
