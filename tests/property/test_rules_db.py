"""Property tests of rule checks that read a county's own value from the database (core's rule registry
and the checks built on it), on the test world: whatever value a county sets, the check follows it at
the boundary, and the other county keeps the default."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.core.errors import NeedsConfirmation
from dangjian.core.models import RuleOverride
from dangjian.core.rules import REGISTRY, rule_value, rule_values

DB = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def set_override(county, code: str, value, effective_from: datetime.date) -> None:
    RuleOverride.objects.update_or_create(
        county=county,
        code=code,
        defaults={"value": value, "source": "测试", "effective_from": effective_from},
    )


# --- core.rules: the value in force is the county's own from its effective date, else the default ---


@DB
@given(value=st.integers(1, 24), days=st.integers(-30, 30))
def test_a_county_value_is_in_force_from_its_date_and_only_for_that_county(world, value, days):
    code = "volunteers.max_hours_per_day"
    county, other = world.orgs["county"], world.orgs["out_county"]
    RuleOverride.objects.filter(code=code).delete()
    set_override(county, code, value, timezone.localdate() + datetime.timedelta(days=days))
    expected = value if days <= 0 else REGISTRY[code].value
    assert rule_value(code, county) == expected
    assert rule_value(code, other) == REGISTRY[code].value
    many = rule_values(code, [county.pk, other.pk])
    assert many[other.pk] == REGISTRY[code].value
    if days <= 0:
        assert many[county.pk] == value


# --- volunteers.rules: hours credited per call-out (volunteers.max_hours_per_day) -------------------


@DB
@given(
    start_hour=st.integers(0, 23),
    minutes=st.integers(10, 3 * 24 * 60),
    cap=st.integers(1, 24),
)
def test_hours_credited_are_the_span_capped_by_the_daily_limit_times_days(world, start_hour, minutes, cap):
    from dangjian.volunteers.models import CallOut
    from dangjian.volunteers.services import hour_limit

    RuleOverride.objects.filter(code="volunteers.max_hours_per_day").delete()
    set_override(world.orgs["county"], "volunteers.max_hours_per_day", cap, datetime.date(2020, 1, 1))
    tz = timezone.get_current_timezone()
    starts = datetime.datetime(2026, 11, 2, start_hour, tzinfo=tz)
    ends = starts + datetime.timedelta(minutes=minutes)
    limit, per_day = hour_limit(CallOut(org=world.orgs["branch"], starts_at=starts, ends_at=ends))
    assert per_day == cap
    span = Decimal(str(round(minutes / 60, 1)))
    days = (ends.date() - starts.date()).days + (0 if ends.time() == datetime.time(0) else 1)
    assert limit == min(span, cap * max(days, 1))
    assert limit <= span


# --- orgs.rules: a station's branches beyond the county maximum need confirmation -------------------


@DB
@given(limit=st.integers(1, 6), adding=st.integers(1, 4))
def test_adding_branches_needs_confirmation_iff_the_station_would_exceed_the_county_maximum(
    world, limit, adding
):
    from dangjian.orgs.services import BRANCH_KINDS, check_station_size

    station = world.orgs["station"]
    RuleOverride.objects.filter(code="orgs.station_max_branches").delete()
    set_override(world.orgs["county"], "orgs.station_max_branches", limit, datetime.date(2020, 1, 1))
    current = station.children.filter(kind__in=BRANCH_KINDS, archived_at__isnull=True).count()
    if current + adding <= limit:
        assert check_station_size(station, "branch", confirm=False, adding=adding) == ""
    else:
        with pytest.raises(NeedsConfirmation):
            check_station_size(station, "branch", confirm=False, adding=adding)
        assert "已确认" in check_station_size(station, "branch", confirm=True, adding=adding)


# --- stations.rules: the staffing bounds a station is checked against (stations.deputies_*, workers_*) --


@DB
@given(low=st.integers(0, 4), extra=st.integers(0, 4), days=st.integers(-10, 10))
def test_a_station_is_held_to_its_own_county_bounds_from_their_date_and_others_to_the_default(
    world, low, extra, days
):
    from dangjian.stations import rules as R
    from dangjian.stations.selectors import StaffRules

    today = timezone.localdate()
    RuleOverride.objects.filter(code__in=[R.DEPUTIES_MIN.code, R.DEPUTIES_MAX.code]).delete()
    when = today + datetime.timedelta(days=days)
    set_override(world.orgs["county"], R.DEPUTIES_MIN.code, low, when)
    set_override(world.orgs["county"], R.DEPUTIES_MAX.code, low + extra, when)
    rules = StaffRules(today)
    ours, theirs = rules.for_path(world.orgs["station"].path), rules.for_path(world.orgs["out_station"].path)
    default = (R.DEPUTIES_MIN.value, R.DEPUTIES_MAX.value)
    assert ours.deputies == ((low, low + extra) if days <= 0 else default)
    assert theirs.deputies == default
