"""The province generator's meetings on a tiny plan: counts as reported, only kinds each org holds, a
year before today with realistic gaps, attendance in the first county, the same rows for the same seed."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from dangjian.meetings import demo, generate
from dangjian.meetings.choices import KINDS_BY_ORG_KIND, Attendance, MeetingStatus
from dangjian.meetings.compliance import Period, evaluate
from dangjian.meetings.models import Meeting, MeetingAttendance
from dangjian.members import demo as member_demo
from dangjian.members.models import Member
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def province(db):
    plan = org_demo.plan_province(7, counties=2, townships=1, branches=3, grids=0)
    org_ids = org_demo.insert_province(plan)
    member_demo.insert_province_people(plan, org_ids, members=8, cases=0, today=TODAY)
    return plan, org_ids


def snapshot():
    meetings = Meeting.objects.order_by("org__code", "held_at", "kind").values_list(
        "org__code", "kind", "topic", "status", "held_at", "held_on"
    )
    attendance = MeetingAttendance.objects.order_by(
        "meeting__org__code", "meeting__held_at", "member__person__id_number"
    ).values_list("meeting__org__code", "meeting__held_at", "member__person__id_number", "status")
    return list(meetings), list(attendance)


def test_labels_and_counts(province):
    plan, org_ids = province
    counts = demo.insert_province(plan, org_ids, TODAY)
    assert set(counts) == set(generate.PROVINCE_LABELS) == set(demo.PROVINCE_LABELS)
    assert generate.PROVINCE_LABELS == {"meeting": "会议", "meeting_attendance": "参会记录"}
    assert counts["meeting"] == Meeting.objects.count() > 0
    assert counts["meeting_attendance"] == MeetingAttendance.objects.count() > 0


def test_a_year_of_held_meetings_of_the_right_kinds(province):
    plan, org_ids = province
    generate.insert_province_meetings(plan, org_ids, TODAY)
    rows = Meeting.objects.values_list("org__kind", "kind", "status", "held_at", "held_on", "planned_at")
    for org_kind, kind, status, held_at, held_on, planned_at in rows:
        assert kind in KINDS_BY_ORG_KIND[org_kind]
        assert status == MeetingStatus.HELD and planned_at == held_at
        assert timezone.localdate(held_at) == held_on
        assert datetime.date(2025, 11, 1) <= held_on < TODAY
    kinds = Counter(Meeting.objects.values_list("kind", flat=True))
    assert kinds["office_weekly"] > 40 and kinds["station_monthly"] > 10 and kinds["theme_day"] > 40
    assert kinds["org_life"] <= 6 and kinds["lecture"] <= 6 * 5


def test_realistic_gaps_the_engine_finds(province):
    plan, org_ids = province
    generate.insert_province_meetings(plan, org_ids, TODAY)
    root = Org.objects.get(pk=org_ids[0])
    year = evaluate([root.path], Period("year", 2026), TODAY).orgs[root.pk]
    assert 0.6 < year.held_rate < 1.0


def test_attendance_only_in_the_first_county(province):
    plan, org_ids = province
    generate.insert_province_meetings(plan, org_ids, TODAY)
    counties = [org_ids[i] for i, o in enumerate(plan.orgs) if o.kind == "county"]
    first = Org.objects.get(pk=counties[0])
    rows = MeetingAttendance.objects.all()
    assert rows.exists() and not rows.exclude(meeting__org__path__startswith=first.path).exists()
    assert set(rows.values_list("meeting__kind", flat=True)) <= set(generate.ROLL_CALL)
    for a in rows.select_related("meeting", "member__person")[:200]:
        assert a.member.org_id == a.meeting.org_id and a.name == a.member.person.name
    statuses = Counter(rows.values_list("status", flat=True))
    assert statuses[Attendance.PRESENT] > statuses[Attendance.ABSENT] > 0 and statuses[Attendance.EXCUSED] > 0
    members = Member.objects.filter(org__path__startswith=first.path).count()
    per_meeting = rows.values("meeting").distinct().count()
    assert rows.count() == per_meeting * members // 3  # every member of the branch (8 per branch, 3 branches)


def test_same_rows_for_the_same_seed(province):
    plan, org_ids = province
    generate.insert_province_meetings(plan, org_ids, TODAY)
    first = snapshot()
    Meeting.objects.all().delete()
    generate.insert_province_meetings(plan, org_ids, TODAY)
    assert snapshot() == first
