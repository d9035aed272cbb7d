"""Roll-up: a station sums its branches, a township its stations, communities and its own office
meetings, a county its townships — obligations, meetings and attendance alike."""

import datetime

import pytest

from dangjian.meetings import rules as R
from dangjian.meetings.choices import Attendance
from dangjian.meetings.choices import MeetingKind as K
from dangjian.meetings.models import Meeting
from dangjian.members.choices import MemberStatus, Standing
from dangjian.members.models import Member

from .compliance_support import attend, full_members, meeting, office, run

D = datetime.date
LATER = D(2027, 2, 15)


@pytest.fixture
def may(world):
    """May 2026: 村甲一 (committee, one party group) held a theme day and a committee meeting;
    村甲二 its theme day; 站甲 and 社区甲 nothing; 镇甲's office its monthly meeting and two of the
    five weekly summaries."""
    Meeting.objects.all().delete()
    o = world.orgs
    have = Member.objects.filter(org=o["branch"], status=MemberStatus.FULL, standing=Standing.NORMAL).count()
    people = full_members(o["branch"], max(0, 7 - have))
    office(o["township"])
    theme = meeting(o["branch"], K.THEME_DAY, D(2026, 5, 8))
    meeting(o["branch"], K.COMMITTEE, D(2026, 5, 9))
    sibling_theme = meeting(o["sibling"], K.THEME_DAY, D(2026, 5, 8))
    meeting(o["township"], K.OFFICE_MONTHLY, D(2026, 5, 29))
    meeting(o["township"], K.OFFICE_WEEKLY, D(2026, 5, 1))
    meeting(o["township"], K.OFFICE_WEEKLY, D(2026, 5, 15))
    meeting(o["out_branch"], K.THEME_DAY, D(2026, 5, 8))
    for person, status in zip(people[:4], ["present", "present", "present", "absent"], strict=True):
        attend(theme, person, status)
    attend(sibling_theme, world.members["sibling"], Attendance.PRESENT)
    attend(sibling_theme, full_members(o["sibling"], 1)[0], Attendance.EXCUSED)
    return world


def test_station_township_and_county_sum_their_subtrees(may):
    o = may.orgs
    result = run(o["county"], "2026-05", LATER)
    rows = result.orgs
    branch, sibling = rows[o["branch"].pk], rows[o["sibling"].pk]
    station, community = rows[o["station"].pk], rows[o["community"].pk]
    township, county = rows[o["township"].pk], rows[o["county"].pk]
    assert (branch.due, branch.met) == (3, 2)  # committee ✓, party group ✗, theme day ✓
    assert (sibling.due, sibling.met) == (1, 1)
    assert (station.own_due, station.due, station.met) == (1, 5, 3)  # its own half-day summary ✗
    assert (community.due, community.met) == (1, 0)
    assert (township.own_due, township.own_met) == (6, 3)  # 5 weeks + the monthly meeting
    assert (township.due, township.met) == (12, 6) and township.held_rate == 0.5
    assert (county.due, county.met) == (12, 6)
    assert o["out_branch"].pk not in rows
    theme = township.total[R.THEME_DAY.code]
    assert (theme.due, theme.met, theme.meetings, theme.overdue) == (3, 2, 2, 1)
    assert station.total[R.THEME_DAY.code].state == "met"
    assert township.total[R.THEME_DAY.code].state == "overdue"


def test_attendance_rate_rolls_up(may):
    o = may.orgs
    rows = run(o["county"], "2026-05", LATER).orgs
    assert (rows[o["branch"].pk].present, rows[o["branch"].pk].expected) == (3, 4)
    assert (rows[o["sibling"].pk].present, rows[o["sibling"].pk].expected) == (1, 2)
    station = rows[o["station"].pk]
    assert (station.present, station.expected) == (4, 6)
    assert round(station.attendance_rate, 3) == 0.667
    assert rows[o["county"].pk].attendance_rate == station.attendance_rate
    assert rows[o["community"].pk].attendance_rate is None
    assert run(o["county"], "2026-06", LATER).orgs[o["county"].pk].expected == 0


def test_children_and_own_rows_of_the_table(may):
    from dangjian.meetings import compliance_tables

    o = may.orgs
    result = run(o["township"], "2026-05", LATER)
    table = compliance_tables.build(result, o["township"].pk)
    assert [(r.name, r.role) for r in table.rows] == [
        ("社区甲", "child"),
        ("站甲", "child"),
        ("联甲", "child"),
        ("镇甲（本级）", "self"),
        ("镇甲 合计", "total"),
    ]
    codes = [c.code for c in table.columns]
    assert codes.index(R.COMMITTEE.code) < codes.index(R.THEME_DAY.code) < codes.index(R.OFFICE_WEEKLY.code)
    station = table.rows[1]
    assert station.drill and (station.due, station.met) == (5, 3)
    theme = {c.code: c for c in station.cells}[R.THEME_DAY.code]
    assert (theme.text, theme.state) == ("2/2", "met")
    own = {c.code: c for c in table.rows[3].cells}
    assert own[R.OFFICE_WEEKLY.code].text == "2/5" and own[R.OFFICE_MONTHLY.code].text == "1/1"
    assert own[R.THEME_DAY.code].text == "—"
    total = {c.code: c for c in table.rows[4].cells}
    assert total[R.THEME_DAY.code].text == "2/3" and table.rows[4].held_pct == "50.0%"
    leaf = compliance_tables.build(run(o["branch"], "2026-05", LATER), o["branch"].pk)
    assert [r.role for r in leaf.rows] == ["self"]
    cells = {c.code: c for c in leaf.rows[0].cells}
    assert cells[R.THEME_DAY.code].text == "1/1" and cells[R.GROUP.code].text == "0/1"
    assert len(cells[R.THEME_DAY.code].ids) == 1


def test_stats_for_dashboards(may):
    from dangjian.core.roles import Role
    from dangjian.meetings import stats

    o = may.orgs
    rates = stats.held_rate(may.user(Role.TOWNSHIP_STAFF), "2026-05", today=LATER, children=True)
    assert list(rates) == [o["township"].pk, o["community"].pk, o["station"].pk, o["joint"].pk]
    assert rates[o["township"].pk] == {
        "org_id": o["township"].pk,
        "name": "镇甲",
        "kind": "township",
        "parent_id": o["county"].pk,
        "period": "2026-05",
        "due": 12,
        "met": 6,
        "held_rate": 0.5,
        "overdue": 6,
        "due_soon": 0,
    }
    attendance = stats.attendance_rate([o["station"], o["sibling"].pk], D(2026, 5, 20), today=LATER)
    assert attendance[o["station"].pk]["present"] == 4 and attendance[o["station"].pk]["expected"] == 6
    assert attendance[o["sibling"].pk]["attendance_rate"] == 0.5
    rules = stats.by_rule(o["branch"], "2026-05", today=LATER)[o["branch"].pk]
    assert rules[R.THEME_DAY.code] == {"due": 1, "met": 1, "meetings": 1, "state": "met"}
    assert stats.held_rate(may.user("out_admin"), "2026-05", today=LATER)[o["out_county"].pk]["met"] == 1
