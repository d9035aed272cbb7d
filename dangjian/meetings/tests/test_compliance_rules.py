"""Every frequency rule at its period boundaries: the last day of a month, quarter and year counts for
that period and the first day of the next does not; a meeting at 23:59 Asia/Shanghai on 31 March is
in the first quarter whatever UTC says. Which orgs owe what: a committee only at 7 full members,
group meetings per party group, office cadences at townships with a 党建办, the station's summary."""

import datetime

import pytest

from dangjian.core.models import RuleOverride
from dangjian.core.rules import REGISTRY
from dangjian.meetings import rules as R
from dangjian.meetings.choices import MeetingKind as K
from dangjian.meetings.choices import MeetingStatus
from dangjian.meetings.compliance import Period
from dangjian.meetings.models import Meeting
from dangjian.members.choices import MemberStatus, Standing
from dangjian.members.models import Member

from .compliance_support import at, cell, full_members, meeting, office, run

D = datetime.date
LATER = D(2027, 2, 15)  # every 2026 period has closed


@pytest.fixture
def w(world):
    """The test world without anyone else's meetings, a committee at 村甲一 and an office at 镇甲."""
    Meeting.objects.all().delete()
    branch = world.orgs["branch"]
    have = Member.objects.filter(org=branch, status=MemberStatus.FULL, standing=Standing.NORMAL).count()
    full_members(branch, max(0, 7 - have))
    office(world.orgs["township"])
    return world


# --- periods ---------------------------------------------------------------------------------------


def test_periods_are_named_as_people_say_them():
    assert Period.parse("2026-11").label == "2026年11月"
    q4 = Period.parse("2026-q4")
    assert (q4.label, q4.start, q4.end, q4.key) == (
        "2026年第四季度",
        D(2026, 10, 1),
        D(2026, 12, 31),
        "2026-Q4",
    )
    assert Period.parse("2026").label == "2026年" and Period.parse("2026").end == D(2026, 12, 31)
    assert Period.parse("2026-02-14") == Period("month", 2026, 2)
    assert Period.parse("2024-02").end == D(2024, 2, 29)
    assert [p.key for p in Period.all_containing(D(2026, 3, 31))] == ["2026-03", "2026-Q1", "2026"]
    assert Period.parse("2026-01").previous().key == "2025-12" and q4.next().key == "2027-Q1"
    for bad in ("", "2026-13", "2026-Q5", "26-11", "abc", "2026-02-30"):
        with pytest.raises(ValueError):
            Period.parse(bad)


def test_weeks_of_a_month_are_those_ending_in_it():
    weeks = Period.parse("2026-11").buckets("week")  # 1 November 2026 is a Sunday
    assert weeks[0] == (D(2026, 10, 26), D(2026, 11, 1)) and weeks[-1] == (D(2026, 11, 23), D(2026, 11, 29))
    assert len(weeks) == 5
    assert (
        len(Period.parse("2026-12").buckets("week")) == 4
    )  # 30 Nov–6 Dec … 21–27 Dec; 28 Dec–3 Jan is January's
    assert Period.parse("2026-Q4").buckets("month") == [
        (D(2026, 10, 1), D(2026, 10, 31)),
        (D(2026, 11, 1), D(2026, 11, 30)),
        (D(2026, 12, 1), D(2026, 12, 31)),
    ]


# --- every rule at its boundaries -------------------------------------------------------------------

MONTHLY = [
    (R.COMMITTEE, K.COMMITTEE, "branch"),
    (R.GROUP, K.GROUP, "branch"),
    (R.THEME_DAY, K.THEME_DAY, "branch"),
    (R.THEME_DAY, K.THEME_DAY, "community"),
    (R.OFFICE_MONTHLY, K.OFFICE_MONTHLY, "township"),
    (R.STATION_MONTHLY, K.STATION_MONTHLY, "station"),
]
QUARTERLY = [
    (R.MEMBER_ASSEMBLY, K.MEMBER_ASSEMBLY, "branch"),
    (R.LECTURE, K.LECTURE, "branch"),
    (R.OFFICE_QUARTERLY, K.OFFICE_QUARTERLY, "township"),
]
YEARLY = [
    (R.ORG_LIFE, K.ORG_LIFE, "branch"),
    (R.APPRAISAL, K.APPRAISAL, "branch"),
    (R.TALK, K.TALK, "branch"),
    (R.OFFICE_ANNUAL, K.OFFICE_ANNUAL, "township"),
]


def test_every_frequency_rule_is_registered_with_its_source():
    assert {o.rule for o in R.OBLIGATIONS} >= {r for r, _, _ in MONTHLY + QUARTERLY + YEARLY} | {
        R.OFFICE_WEEKLY
    }
    for ob in R.OBLIGATIONS:
        rule = REGISTRY[ob.code]
        assert rule.source and rule.value == 1 and rule.unit == f"次/{R.PERIOD_UNITS[ob.period]}"
        assert rule.overridable == (rule.scope == "local")
    assert REGISTRY["meetings.member_assembly_per_quarter"].article == "第十一条"
    assert REGISTRY["meetings.committee_per_month"].article == "第十二条"
    assert REGISTRY["meetings.group_per_month"].article == "第十三条"
    assert not REGISTRY["meetings.theme_day_per_month"].overridable
    assert REGISTRY["meetings.office_weekly_per_week"].scope == "local"
    assert "001" in REGISTRY["meetings.office_weekly_per_week"].source
    assert "002" in REGISTRY["meetings.station_monthly_per_month"].source
    assert REGISTRY["meetings.warning_days"].value == 7 and REGISTRY["meetings.warning_days"].overridable
    absent = REGISTRY["meetings.absent_running"]
    assert absent.value == 3 and absent.scope == "local" and "六个月" in absent.source
    assert REGISTRY["meetings.absent_months"].article == "第九条"


@pytest.mark.parametrize("rule, kind, org_key", MONTHLY)
def test_monthly_rule_counts_the_last_day_of_its_month_only(w, rule, kind, org_key):
    org = w.orgs[org_key]
    meeting(org, kind, D(2026, 3, 31), hour=23, minute=59)
    assert (cell(org, rule.code, "2026-03", LATER).met, cell(org, rule.code, "2026-04", LATER).met) == (1, 0)
    meeting(org, kind, D(2026, 4, 1), hour=0, minute=0)
    april = cell(org, rule.code, "2026-04", LATER)
    assert (april.met, april.meetings) == (1, 1)
    assert cell(org, rule.code, "2026-02", LATER).state == "overdue"


@pytest.mark.parametrize("rule, kind, org_key", QUARTERLY)
def test_quarterly_rule_counts_the_last_day_of_its_quarter_only(w, rule, kind, org_key):
    org = w.orgs[org_key]
    meeting(org, kind, D(2026, 3, 31))
    q1, q2 = cell(org, rule.code, "2026-Q1", LATER), cell(org, rule.code, "2026-Q2", LATER)
    assert (q1.met, q1.due, q2.met, q2.due) == (1, 1, 0, 1)
    assert cell(org, rule.code, "2026-03", LATER) is None  # a quarterly rule is not judged per month
    meeting(org, kind, D(2026, 4, 1))
    assert cell(org, rule.code, "2026-Q2", LATER).met == 1
    year = cell(org, rule.code, "2026", LATER)
    assert (year.met, year.due, year.meetings, year.overdue) == (2, 4, 2, 2)


@pytest.mark.parametrize("rule, kind, org_key", YEARLY)
def test_yearly_rule_counts_the_last_day_of_its_year_only(w, rule, kind, org_key):
    org = w.orgs[org_key]
    meeting(org, kind, D(2026, 12, 31), hour=23, minute=59)
    assert cell(org, rule.code, "2026", LATER).met == 1
    assert cell(org, rule.code, "2027", D(2028, 1, 2)).met == 0
    assert cell(org, rule.code, "2026-Q4", LATER) is None


def test_weekly_office_summary_counts_monday_to_sunday(w):
    township = w.orgs["township"]
    meeting(township, K.OFFICE_WEEKLY, D(2026, 11, 22))  # Sunday: the week of 16–22 November
    meeting(township, K.OFFICE_WEEKLY, D(2026, 10, 28))  # the week of 26 Oct–1 Nov ends in November
    c = cell(township, R.OFFICE_WEEKLY.code, "2026-11", LATER)
    assert (c.due, c.met, c.meetings) == (5, 2, 2)
    assert [(s, e) for s, e, _ in c.missing] == [
        (D(2026, 11, 2), D(2026, 11, 8)),
        (D(2026, 11, 9), D(2026, 11, 15)),
        (D(2026, 11, 23), D(2026, 11, 29)),
    ]
    meeting(township, K.OFFICE_WEEKLY, D(2026, 11, 23))  # Monday: the next week
    assert cell(township, R.OFFICE_WEEKLY.code, "2026-11", LATER).met == 3
    assert cell(township, R.OFFICE_WEEKLY.code, "2026-10", LATER).meetings == 0  # 28 Oct counted in November


def test_a_lecture_at_2359_on_31_march_shanghai_is_in_the_first_quarter(w):
    branch = w.orgs["branch"]
    late = meeting(branch, K.LECTURE, D(2026, 3, 31), hour=23, minute=59)
    assert late.held_at.astimezone(datetime.UTC).date() == D(2026, 3, 31) and late.held_on == D(2026, 3, 31)
    early = meeting(branch, K.LECTURE, D(2026, 4, 1), hour=0, minute=30)
    assert early.held_at.astimezone(datetime.UTC).date() == D(2026, 3, 31)  # UTC still says March
    assert early.held_on == D(2026, 4, 1)
    q1 = cell(branch, R.LECTURE.code, "2026-Q1", LATER)
    assert (q1.meetings, q1.ids) == (1, [late.pk])
    assert cell(branch, R.LECTURE.code, "2026-Q2", LATER).ids == [early.pk]
    assert at(D(2026, 3, 31), 23, 59).utcoffset() == datetime.timedelta(hours=8)


def test_only_held_meetings_count(w):
    branch = w.orgs["branch"]
    meeting(branch, K.THEME_DAY, D(2026, 5, 10), status=MeetingStatus.PLANNED)
    cancelled = meeting(branch, K.THEME_DAY, D(2026, 5, 11))
    Meeting.objects.filter(pk=cancelled.pk).update(status=MeetingStatus.CANCELLED)
    assert cell(branch, R.THEME_DAY.code, "2026-05", LATER).met == 0


# --- who owes what ------------------------------------------------------------------------------------


def test_committee_is_owed_from_seven_full_members(world):
    Meeting.objects.all().delete()
    branch = world.orgs["sibling"]
    have = Member.objects.filter(org=branch, status=MemberStatus.FULL, standing=Standing.NORMAL).count()
    full_members(branch, 6 - have)
    full_members(branch, 2, status=MemberStatus.PROBATIONARY)
    suspended = full_members(branch, 1)[0]
    Member.objects.filter(pk=suspended.pk).update(standing=Standing.SUSPENDED)
    assert cell(branch, R.COMMITTEE.code, "2026-05", LATER) is None  # six full members: no committee
    assert cell(branch, R.THEME_DAY.code, "2026-05", LATER) is not None
    full_members(branch, 1)
    assert cell(branch, R.COMMITTEE.code, "2026-05", LATER).due == 1  # the seventh: a committee
    assert REGISTRY["meetings.committee_min_full_members"].value == 7


def test_group_meetings_are_owed_per_party_group(w):
    from dangjian.orgs.services import create_org

    branch, group = w.orgs["branch"], w.orgs["group"]
    assert cell(w.orgs["sibling"], R.GROUP.code, "2026-05", LATER) is None  # no groups, no obligation
    second = create_org(w.root, parent=branch, name="组甲二", kind="group", code="G9")
    c = cell(branch, R.GROUP.code, "2026-05", LATER)
    assert (c.required, c.due, c.met) == (2, 1, 0)
    meeting(group, K.GROUP, D(2026, 5, 3))  # at the group itself
    meeting(second, K.GROUP, D(2026, 5, 4))
    c = cell(branch, R.GROUP.code, "2026-05", LATER)
    assert (c.met, c.meetings) == (1, 2)
    assert run(branch, "2026-05", LATER).orgs[group.pk].own == {}  # the group owes nothing of its own


def test_office_cadences_only_at_townships_with_an_office(w):
    from dangjian.orgs.services import create_org

    township = w.orgs["township"]
    assert cell(township, R.OFFICE_MONTHLY.code, "2026-05", LATER).due == 1
    assert cell(township, R.THEME_DAY.code, "2026-05", LATER) is None
    bare = create_org(w.root, parent=w.orgs["county"], name="镇甲二", kind="township", code="T9")
    assert cell(bare, R.OFFICE_MONTHLY.code, "2026-05", LATER) is None


def test_a_county_may_change_or_switch_off_a_local_cadence(w):
    township, county = w.orgs["township"], w.orgs["county"]
    RuleOverride.objects.create(
        county=county,
        code=R.OFFICE_MONTHLY.code,
        value=2,
        source="县委组织部通知",
        effective_from=D(2026, 1, 1),
    )
    meeting(township, K.OFFICE_MONTHLY, D(2026, 5, 3))
    c = cell(township, R.OFFICE_MONTHLY.code, "2026-05", LATER)
    assert (c.required, c.met) == (2, 0)
    RuleOverride.objects.filter(code=R.OFFICE_MONTHLY.code).update(value=0)
    assert cell(township, R.OFFICE_MONTHLY.code, "2026-05", LATER) is None
    assert not REGISTRY[R.THEME_DAY.code].overridable  # national frequencies are not the county's


def test_months_not_yet_begun_are_not_due(w):
    branch = w.orgs["branch"]
    today = D(2026, 11, 10)
    meeting(branch, K.THEME_DAY, D(2026, 10, 8))
    c = cell(branch, R.THEME_DAY.code, "2026-Q4", today)
    assert (c.due, c.met, c.overdue) == (2, 1, 0)  # October and November; December has not begun
    assert [s for s, _, _ in c.missing] == [D(2026, 11, 1)]
    assert cell(branch, R.THEME_DAY.code, "2027", today).due == 0
