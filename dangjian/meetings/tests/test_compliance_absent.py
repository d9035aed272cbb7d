"""A member absent (not excused) at their last three held meetings running is flagged; two running,
or three interrupted by a present or an excused absence, is not. Six months of it is the 党章's
self-exit line and turns the finding red."""

import datetime

import pytest

from dangjian.core.findings import CHECKS
from dangjian.core.models import RuleOverride
from dangjian.core.roles import Role
from dangjian.meetings import rules as R
from dangjian.meetings.choices import Attendance, MeetingStatus
from dangjian.meetings.choices import MeetingKind as K
from dangjian.meetings.compliance import absent_runs
from dangjian.meetings.models import Meeting
from dangjian.members.choices import Standing
from dangjian.members.models import Member

from .compliance_support import attend, full_members, meeting

D = datetime.date
TODAY = D(2026, 11, 22)
A, P, E = Attendance.ABSENT, Attendance.PRESENT, Attendance.EXCUSED


@pytest.fixture
def w(world):
    Meeting.objects.all().delete()
    world.person = full_members(world.orgs["branch"], 1)[0]
    return world


def history(w, statuses, start=None, step=14, member=None):
    """Theme days every `step` days from `start` (1 August), the member's status at each, oldest first."""
    member = member or w.person
    day = start or D(2026, 8, 1)
    for status in statuses:
        attend(meeting(w.orgs["branch"], K.THEME_DAY, day), member, status)
        day += datetime.timedelta(days=step)


def flagged(w, today=TODAY, user=None):
    user = user or w.user(Role.TOWNSHIP_STAFF)
    return {f.subject: f for f in CHECKS["meetings.absent_running"].run(user, today)}


def test_three_running_is_flagged(w):
    history(w, [P, A, A, A])
    f = flagged(w)[w.person.person.name]
    assert (f.rule, f.severity, f.org_name) == (R.ABSENT_RUNNING.code, "info", "村甲一")
    assert f.message == "最近3次已召开的会议均未请假缺席（2026-08-15至2026-09-12）。"
    assert f.url == f"/members/{w.person.pk}/"


def test_two_running_is_not(w):
    history(w, [A, P, A, A])
    assert w.person.person.name not in flagged(w)


def test_interrupted_by_a_present_or_excused_is_not(w):
    history(w, [A, A, P, A])
    assert w.person.person.name not in flagged(w)
    Meeting.objects.all().delete()
    history(w, [A, A, E, A, A])
    assert w.person.person.name not in flagged(w)


def test_only_held_meetings_before_today_count(w):
    history(w, [A, A, A])
    planned = meeting(w.orgs["branch"], K.THEME_DAY, D(2026, 10, 1), status=MeetingStatus.PLANNED)
    attend(planned, w.person, P)
    assert w.person.person.name in flagged(w)
    assert w.person.person.name not in flagged(w, today=D(2026, 8, 20))  # only two held by then
    history(w, [P], start=D(2026, 12, 1))  # a meeting after today does not break the run
    assert w.person.person.name in flagged(w)


def test_longer_runs_and_six_months_are_red(w):
    history(w, [A] * 5, start=D(2026, 4, 1), step=30)  # 1 April … 29 July
    f = flagged(w)[w.person.person.name]
    assert (f.rule, f.severity) == (R.ABSENT_MONTHS.code, "overdue")
    assert "最近5次" in f.message and "党章第九条" in f.message
    assert flagged(w, today=D(2026, 9, 30))[w.person.person.name].severity == "info"


def test_members_off_the_roll_are_left_out(w):
    history(w, [A, A, A])
    Member.objects.filter(pk=w.person.pk).update(standing=Standing.REMOVED)
    assert w.person.person.name not in flagged(w)


def test_a_county_sets_its_own_threshold(w):
    history(w, [P, A, A])
    assert w.person.person.name not in flagged(w)
    RuleOverride.objects.create(
        county=w.orgs["county"],
        code=R.ABSENT_RUNNING.code,
        value=2,
        source="县通知",
        effective_from=D(2026, 1, 1),
    )
    assert flagged(w)[w.person.person.name].message.startswith("最近2次")


def test_runs_are_per_member_and_scoped(w):
    other = full_members(w.orgs["branch"], 1)[0]
    for day, mine, theirs in [(D(2026, 9, 1), A, A), (D(2026, 9, 8), A, P), (D(2026, 9, 15), A, A)]:
        m = meeting(w.orgs["branch"], K.THEME_DAY, day)
        attend(m, w.person, mine)
        attend(m, other, theirs)
    runs = absent_runs([w.orgs["county"].path], TODAY)
    assert [(r.member_id, r.run) for r in runs] == [(w.person.pk, 3)]
    assert w.person.person.name not in flagged(w, user=w.user("out_admin"))
    assert w.person.person.name not in flagged(w, user=w.user(Role.DEPT_LIAISON))
