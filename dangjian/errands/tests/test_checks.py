"""The monthly half-day check (安定镇 "55819": 5 half-days a month) at its boundary: 4 is short, 5 is
met; a half-day counts once however many centres open in it; a county may set its own number."""

import pytest

from dangjian.core.findings import CHECKS, findings_for
from dangjian.core.models import RuleOverride
from dangjian.errands import rules as R
from dangjian.errands import services
from dangjian.errands.checks import service_half_days_short
from dangjian.errands.models import ServiceCentre
from dangjian.errands.selectors import Month

from .conftest import D, at

TODAY = D(2026, 12, 5)  # November is the last closed month; the world has 2 half-days in it


@pytest.fixture(autouse=True)
def centres_open_all_year(world):
    ServiceCentre.objects.update(created_at=at(2026, 1, 1))


@pytest.fixture
def add(world):
    def schedule(centre, day, half="am"):
        return services.schedule_session(
            world.root, centre, date=day, half=half, sections="司法所", today=TODAY
        )

    return schedule


def found(user, today=TODAY, severity=None):
    return [
        (f.subject, f.severity)
        for f in service_half_days_short(user, today)
        if severity is None or f.severity == severity
    ]


def test_registered_with_its_rule():
    assert "errands.service_half_days_short" in CHECKS
    assert R.HALF_DAYS_PER_MONTH.value == 5 and "55819" in R.HALF_DAYS_PER_MONTH.source


def test_four_half_days_are_short_five_are_met(world, users, rows, add):
    centre = rows["in_centre"]
    add(centre, D(2026, 11, 17))
    add(centre, D(2026, 11, 17), "pm")  # 4 half-days: 11-03 am, 11-10 pm, 11-17 am and pm
    assert found(users.office, severity="overdue") == [("镇甲", "overdue")]
    f = next(f for f in service_half_days_short(users.office, TODAY) if f.severity == "overdue")
    assert "2026年11月便民服务中心4个半天，应不少于5个" in f.message and "55819" in f.message
    assert f.due_on == D(2026, 11, 30)
    assert f.url == f"/errands/schedule/?township={world.orgs['township'].pk}&month=2026-11"
    add(centre, D(2026, 11, 24))
    assert found(users.office, severity="overdue") == []


def test_two_centres_on_one_morning_count_once(world, users, rows, add):
    centre = rows["in_centre"]
    second = services.create_centre(users.office, centre.org, name="第二便民服务中心")
    ServiceCentre.objects.filter(pk=second.pk).update(created_at=at(2026, 1, 1))
    add(centre, D(2026, 11, 17))
    add(second, D(2026, 11, 17))  # the same morning
    add(second, D(2026, 11, 3))  # the same morning as the world's 11-03 session
    assert found(users.office, severity="overdue") == [("镇甲", "overdue")]  # still 3
    add(second, D(2026, 11, 18))
    add(second, D(2026, 11, 19))
    assert found(users.office, severity="overdue") == []  # 5


def test_current_month_is_due_soon_and_counts_what_is_scheduled(world, users, rows, add):
    centre = rows["in_centre"]
    assert ("镇甲", "due_soon") in found(users.office)
    for day in (1, 8, 15, 22, 29):  # future days of December count: the schedule is set ahead
        add(centre, D(2026, 12, day))
    assert ("镇甲", "due_soon") not in found(users.office)


def test_a_township_without_centres_then_is_not_checked(world, users, rows, add):
    ServiceCentre.objects.update(created_at=at(2026, 12, 1))
    assert found(users.office, severity="overdue") == []
    assert found(users.office, severity="due_soon") == [("镇甲", "due_soon")]
    services.set_centre_archived(users.office, rows["in_centre"], True)
    assert found(users.office) == []


def test_county_may_set_its_own_number(world, users, rows, add):
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code=R.HALF_DAYS_PER_MONTH.code,
        value=2,
        source="县委组织部通知",
        effective_from=D(2026, 1, 1),
    )
    assert found(users.office, severity="overdue") == []
    assert ("外镇", "overdue") in found(users.out_admin)


def test_scope(world, users):
    assert {s for s, _ in found(users.out_admin)} == {"外镇"}
    assert {s for s, _ in found(users.admin)} == {"镇甲"}
    for who in (users.chief, users.secretary, users.grid, users.liaison):
        assert found(who) == []
    subjects = {
        f.subject for f in findings_for(users.leader, TODAY) if f.check == "errands.service_half_days_short"
    }
    assert subjects == {"镇甲"}


def test_month_helpers():
    m = Month.parse("2026-02", TODAY)
    assert (m.start, m.end, m.label, m.key) == (D(2026, 2, 1), D(2026, 2, 28), "2026年2月", "2026-02")
    assert Month.parse("bad", TODAY) == Month(2026, 12) and Month(2026, 1).previous() == Month(2025, 12)
    assert Month(2026, 12).next() == Month(2027, 1)
