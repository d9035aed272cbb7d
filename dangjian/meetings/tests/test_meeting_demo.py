"""The demo year of meetings: frequencies with realistic gaps, attendance from the roster, held in the
past and planned ahead, a few minutes waiting for approval; fast, and idempotent."""

import datetime
import time
from collections import Counter

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from dangjian.meetings import demo
from dangjian.meetings.choices import Attendance, MeetingKind, MeetingStatus
from dangjian.meetings.models import Meeting, MeetingAttendance
from dangjian.orgs.demo import code_of
from dangjian.orgs.models import Org

MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the demo (orgs, logins, members, then meetings) once for the module; time the meetings
    part; empty the database after."""
    from django.core.management import call_command
    from django.test import override_settings

    from dangjian.accounts import demo as accounts_demo

    timings = {}
    original = demo.load_demo

    def timed(*args, **kwargs):
        start = time.perf_counter()
        original(*args, **kwargs)
        timings["meetings"] = time.perf_counter() - start

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[MD5]):
        apps = accounts_demo.APP_DEMOS
        accounts_demo.APP_DEMOS = (_Timed(demo, timed),)  # the other apps' demos are theirs to test
        try:
            result = accounts_demo.load_demo()
        finally:
            accounts_demo.APP_DEMOS = apps
    yield {"result": result, "seconds": timings.get("meetings")}
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


class _Timed:
    """Stands in for the meetings demo module in the load order, timing its load."""

    def __init__(self, module, load):
        self.DEMO_LABELS = module.DEMO_LABELS
        self.load_demo = load


@pytest.fixture
def loaded_db(loaded, db):
    return loaded


def org(name: str) -> Org:
    return Org.objects.get(code=code_of(name))


def held(org_obj: Org, kind: str):
    return Meeting.objects.filter(org=org_obj, kind=kind, status=MeetingStatus.HELD)


def test_every_branch_of_the_two_townships_has_a_year(loaded_db):
    for township in ("老牛湾镇", "安定镇"):
        branches = Org.objects.filter(path__startswith=org(township).path, kind="branch")
        assert branches.count() in (9, 33)
        counts = Counter(
            Meeting.objects.filter(
                org__in=branches, kind=MeetingKind.THEME_DAY, status=MeetingStatus.HELD
            ).values_list("org_id", flat=True)
        )
        assert len(counts) == branches.count() and min(counts.values()) >= 12, township


def test_held_in_the_past_planned_ahead_and_marked(loaded_db):
    today = timezone.localdate()
    assert not Meeting.objects.filter(status=MeetingStatus.HELD, held_on__gte=today).exists()
    assert Meeting.objects.filter(status=MeetingStatus.PLANNED, planned_at__gt=timezone.now()).exists()
    assert Meeting.objects.filter(held_on__lt=datetime.date(2025, 12, 1)).count() == 0
    assert set(Meeting.objects.values_list("demo_source", flat=True)) == {demo.DEMO_SOURCE}
    bad = Meeting.objects.filter(status=MeetingStatus.PLANNED).filter(
        ~Q(attendances__status=Attendance.EXPECTED)
    )
    assert not bad.filter(attendances__isnull=False).exists()


def test_the_gaps(loaded_db):
    quarter = (
        timezone.make_aware(datetime.datetime(2026, 1, 1)),
        timezone.make_aware(datetime.datetime(2026, 4, 1)),
    )
    assert not Meeting.objects.filter(
        org=org("麦虎村"), kind=MeetingKind.LECTURE, planned_at__range=quarter
    ).exists()
    assert Meeting.objects.filter(
        org=org("老牛湾村"), kind=MeetingKind.LECTURE, planned_at__range=quarter
    ).exists()
    feb = (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert not held(org("滑石村"), MeetingKind.COMMITTEE).filter(held_on__range=feb).exists()
    assert held(org("老牛湾村"), MeetingKind.COMMITTEE).filter(held_on__range=feb).exists()


def test_a_member_of_laoniuwan_absent_three_running(loaded_db):
    village = org("老牛湾村")
    rows = (
        MeetingAttendance.objects.filter(
            Q(meeting__org=village) | Q(meeting__org__parent=village), meeting__status=MeetingStatus.HELD
        )
        .exclude(member=None)
        .order_by("member_id", "meeting__held_at")
        .values_list("member_id", "status")
    )
    runs: dict[int, int] = {}
    best: dict[int, int] = {}
    for member, status in rows:
        runs[member] = runs.get(member, 0) + 1 if status == Attendance.ABSENT else 0
        best[member] = max(best.get(member, 0), runs[member])
    assert max(best.values()) >= 3


def test_attendance_comes_from_the_roster_and_reasons_are_given(loaded_db):
    village = org("老牛湾村")
    theme = held(village, MeetingKind.THEME_DAY).order_by("-held_on").first()
    members = set(theme.attendances.values_list("member__org_id", flat=True))
    assert members == {village.pk}
    assert not MeetingAttendance.objects.filter(
        status__in=(Attendance.ABSENT, Attendance.EXCUSED), reason=""
    ).exists()
    assert MeetingAttendance.objects.filter(signin_method="online").exists()
    assert MeetingAttendance.objects.filter(meeting__kind=MeetingKind.APPRAISAL).exclude(grade="").exists()


def test_the_office_and_stations(loaded_db):
    office = org("老牛湾镇")
    kinds = Counter(
        Meeting.objects.filter(org=office, status=MeetingStatus.HELD).values_list("kind", flat=True)
    )
    assert kinds[MeetingKind.OFFICE_WEEKLY] >= 45 and kinds[MeetingKind.OFFICE_MONTHLY] >= 12
    assert kinds[MeetingKind.OFFICE_QUARTERLY] >= 4 and kinds[MeetingKind.OFFICE_ANNUAL] >= 1
    weekly = Meeting.objects.filter(org=office, kind=MeetingKind.OFFICE_WEEKLY).first()
    assert weekly.attendances.count() == 8
    station = org("榆舍党建工作站")
    assert held(station, MeetingKind.STATION_MONTHLY).count() >= 12
    assert Meeting.objects.filter(org__kind="branch", guided_by__isnull=False).exists()


def test_a_couple_of_minutes_wait_for_approval(loaded_db):
    waiting = Meeting.objects.filter(status=MeetingStatus.HELD, minutes_approved_at__isnull=True)
    assert sorted(waiting.values_list("org__name", "kind")) == [
        ("乾坤湾村", MeetingKind.COMMITTEE),
        ("老牛湾村", MeetingKind.THEME_DAY),
    ]
    laoniuwan = held(org("老牛湾村"), MeetingKind.COMMITTEE).exclude(minutes_approved_by=None).first()
    assert laoniuwan.minutes_approved_by.username == "secretary_laoniuwan"


def test_fast_and_idempotent(loaded_db):
    result = loaded_db["result"]
    assert result["created"]["会议"] > 1500 and result["created"]["参会记录"] > 30000
    assert loaded_db["seconds"] < 30
    from dangjian.accounts.demo import ADMIN_USERNAME
    from dangjian.accounts.models import User

    before = (Meeting.objects.count(), MeetingAttendance.objects.count())
    created, skipped = Counter(), Counter()
    demo.load_demo(User.objects.get(username=ADMIN_USERNAME), created, skipped)
    assert created == Counter() and skipped["会议"] == before[0]
    assert (Meeting.objects.count(), MeetingAttendance.objects.count()) == before


def test_no_meeting_without_expected_attendees_at_a_branch(loaded_db):
    empty = Meeting.objects.filter(org__kind="branch").annotate(n=Count("attendances")).filter(n=0)
    assert not empty.exists()
