"""Verified sign-in: the code's window at its boundaries, wrong and expired codes, who may sign in,
the recorder's one-tap sign-in, the QR code, and an audit row for every sign-in."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.models import AuditEvent, RuleOverride
from dangjian.core.roles import Role
from dangjian.meetings import record_rules as RR
from dangjian.meetings import services
from dangjian.meetings.choices import Attendance, MeetingKind, SignInMethod
from dangjian.meetings.testing import plan

pytestmark = pytest.mark.django_db
SECOND = datetime.timedelta(seconds=1)
START = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 0))


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def meeting(world):
    return plan(world, planned_at=START)


def opened(world, meeting, now=START):
    return services.open_signin(world.user(Role.VILLAGE_SECRETARY), meeting, now=now)


def row(meeting, name="甲党员一"):
    return meeting.attendances.get(name=name)


def test_the_code_is_six_random_digits_valid_through_the_window(world, meeting):
    m = opened(world, meeting)
    assert len(m.signin_code) == 6 and m.signin_code.isdigit()
    assert m.signin_opens_at == START - datetime.timedelta(minutes=RR.SIGNIN_LEAD.value)
    assert m.signin_expires_at == START + datetime.timedelta(minutes=RR.SIGNIN_VALID.value)
    codes = {opened(world, meeting).signin_code for _ in range(5)}
    assert len(codes) > 1  # reopening draws a new code
    event = AuditEvent.objects.filter(action="meetings.signin_open", object_id=str(meeting.pk)).first()
    assert m.signin_code not in event.note  # the code itself is not kept in the trail


def test_opening_boundaries(world, meeting):
    lead, valid = datetime.timedelta(minutes=30), datetime.timedelta(minutes=120)
    with pytest.raises(DomainError, match="签到在会议开始前30分钟开放"):
        opened(world, meeting, START - lead - SECOND)
    opened(world, meeting, START - lead)
    opened(world, meeting, START + valid)
    with pytest.raises(DomainError, match="不能再开启签到"):
        opened(world, meeting, START + valid + SECOND)


def test_expiry_boundary_second_before_and_after(world, meeting):
    m = opened(world, meeting)
    secretary = world.user(Role.VILLAGE_SECRETARY)
    services.sign_in(secretary, m, m.signin_code, attendance=row(m), now=m.signin_expires_at - SECOND)
    services.sign_in(secretary, m, m.signin_code, attendance=row(m, "甲预备党员"), now=m.signin_expires_at)
    other = plan(world, planned_at=START, topic="甲村另一会议")
    other = opened(world, other)
    with pytest.raises(DomainError) as exc:
        services.sign_in(
            secretary, other, other.signin_code, attendance=row(other), now=other.signin_expires_at + SECOND
        )
    assert exc.value.message == "签到码已过期。"
    assert row(other).status == Attendance.EXPECTED


def test_before_the_window_opens_the_code_does_not_work_yet(world, meeting):
    m = opened(world, meeting)
    with pytest.raises(DomainError, match="签到尚未开始"):
        services.sign_in(
            world.user(Role.VILLAGE_SECRETARY),
            m,
            m.signin_code,
            attendance=row(m),
            now=m.signin_opens_at - SECOND,
        )


def test_a_wrong_code_is_refused(world, meeting):
    m = opened(world, meeting)
    wrong = f"{(int(m.signin_code) + 1) % 1_000_000:06d}"
    with pytest.raises(DomainError) as exc:
        services.sign_in(world.user(Role.VILLAGE_SECRETARY), m, wrong, attendance=row(m), now=START)
    assert exc.value.message == "签到码不正确。"
    assert row(m).status == Attendance.EXPECTED
    assert not AuditEvent.objects.filter(action="meetings.sign_in").exists()


def test_full_width_digits_are_accepted(world, meeting):
    m = opened(world, meeting)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in m.signin_code)
    services.sign_in(world.user(Role.VILLAGE_SECRETARY), m, wide, attendance=row(m), now=START)
    assert row(m).status == Attendance.PRESENT


def test_no_sign_in_before_it_is_opened(world, meeting):
    with pytest.raises(DomainError, match="尚未开启签到"):
        services.sign_in(
            world.user(Role.VILLAGE_SECRETARY), meeting, "123456", attendance=row(meeting), now=START
        )


def test_the_recorder_signs_a_member_in_once_and_it_is_audited(world, meeting):
    m = opened(world, meeting)
    secretary = world.user(Role.VILLAGE_SECRETARY)
    signed = services.sign_in(secretary, m, m.signin_code, attendance=row(m), now=START)
    assert (signed.status, signed.signin_method, signed.signed_in_at) == (
        Attendance.PRESENT,
        SignInMethod.MANUAL,
        START,
    )
    event = AuditEvent.objects.get(action="meetings.sign_in")
    assert event.after == {"甲党员一": "签到（记录人登记）"} and event.actor == secretary
    with pytest.raises(DomainError, match="甲党员一已签到"):
        services.sign_in(secretary, m, m.signin_code, attendance=row(m), now=START)


def test_a_user_signs_themselves_in_when_expected(world, meeting):
    office = world.user(Role.TOWNSHIP_STAFF)
    staff_meeting = plan(
        world, org="township", kind=MeetingKind.OFFICE_WEEKLY, actor=office, planned_at=START
    )
    services.open_signin(office, staff_meeting, now=START)
    staff_meeting.refresh_from_db()
    signed = services.sign_in(office, staff_meeting, staff_meeting.signin_code, by_qr=True, now=START)
    assert (signed.name, signed.signin_method) == ("甲镇办干部", SignInMethod.QR)
    m = opened(world, meeting)
    with pytest.raises(DomainError) as exc:
        services.sign_in(office, m, m.signin_code, now=START)
    assert exc.value.message == "甲镇办干部不是本次会议的应到人员。"


def test_a_member_with_a_login_signs_in_as_themselves(world, meeting):
    from dangjian.core.testing import make_user

    person = world.members["member"].person
    user = make_user(
        world.root, "member1", person.name, world.orgs["branch"], Role.VILLAGE_SECRETARY, phone=person.phone
    )
    m = opened(world, meeting)
    signed = services.sign_in(user, m, m.signin_code, now=START)
    assert signed.name == "甲党员一" and signed.signin_method == SignInMethod.CODE


def test_a_member_no_longer_on_the_roll_cannot_sign_in(world, meeting):
    m = opened(world, meeting)
    member = world.members["member"]
    member.standing = "suspended"
    member.save()
    with pytest.raises(DomainError, match="不是本次会议的应到人员"):
        services.sign_in(world.user(Role.VILLAGE_SECRETARY), m, m.signin_code, attendance=row(m), now=START)


def test_a_row_of_another_meeting_is_refused(world, meeting):
    m = opened(world, meeting)
    other_row = world.meetings["meeting"].attendances.first()
    with pytest.raises(DomainError, match="不是本次会议的应到人员"):
        services.sign_in(
            world.user(Role.VILLAGE_SECRETARY), m, m.signin_code, attendance=other_row, now=START
        )


def test_only_a_worker_signs_others_in(world, meeting):
    m = opened(world, meeting)
    with pytest.raises(ActionDenied):
        services.sign_in(world.user(Role.READONLY_LEADER), m, m.signin_code, attendance=row(m), now=START)


def test_repeated_wrong_codes_pause_sign_in(world, meeting):
    m = opened(world, meeting)
    secretary = world.user(Role.VILLAGE_SECRETARY)
    wrong = f"{(int(m.signin_code) + 1) % 1_000_000:06d}"
    for _ in range(RR.SIGNIN_MAX_FAILURES.value):
        with pytest.raises(DomainError, match="签到码不正确"):
            services.sign_in(secretary, m, wrong, attendance=row(m), now=START)
    with pytest.raises(DomainError, match="连续输错"):
        services.sign_in(secretary, m, m.signin_code, attendance=row(m), now=START)


def test_a_county_may_lengthen_the_window(world, meeting):
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code=RR.SIGNIN_VALID.code,
        value=240,
        effective_from=datetime.date(2020, 1, 1),
    )
    m = opened(world, meeting, START + datetime.timedelta(minutes=200))
    assert m.signin_expires_at == START + datetime.timedelta(minutes=240)


# --- pages -------------------------------------------------------------------------------------------


def test_the_recorder_sees_the_code_and_qr_and_signs_people_in(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    m = plan(world, planned_at=timezone.now())
    assert client.post(f"/meetings/{m.pk}/sign-in/open/").status_code == 302
    m.refresh_from_db()
    page = client.get(m.get_absolute_url()).content.decode()
    assert f'data-testid="signin-code">{m.signin_code}<' in page and "<svg" in page
    assert f"/meetings/{m.pk}/sign-in/?code={m.signin_code}" in page
    target = row(m)
    wrong = client.post(
        f"/meetings/{m.pk}/sign-in/",
        {"code": "000000" if m.signin_code != "000000" else "111111", "attendance": target.pk},
    )
    assert wrong.status_code == 400 and "签到码不正确。" in wrong.content.decode()
    done = client.post(f"/meetings/{m.pk}/sign-in/", {"code": m.signin_code, "attendance": target.pk})
    assert done.status_code == 302 and f"code={m.signin_code}" in done["Location"]
    target.refresh_from_db()
    assert target.status == Attendance.PRESENT


def test_an_attendee_opens_the_qr_link_and_signs_in(world, client_for):
    office = world.user(Role.TOWNSHIP_STAFF)
    m = plan(world, org="township", kind=MeetingKind.OFFICE_MONTHLY, actor=office, planned_at=timezone.now())
    services.open_signin(office, m)
    m.refresh_from_db()
    client = client_for(office)
    page = client.get(f"/meetings/{m.pk}/sign-in/?code={m.signin_code}")
    assert page.status_code == 200 and f'value="{m.signin_code}"' in page.content.decode()
    r = client.post(f"/meetings/{m.pk}/sign-in/", {"code": m.signin_code, "via": "qr"})
    assert r.status_code == 302
    assert m.attendances.get(user=office).signin_method == SignInMethod.QR
