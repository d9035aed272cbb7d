"""Property tests of the rule modules whose checks are pure functions: at and around each rule's
boundary, for any input, the check says what the rule's text says (the value read from the rule, so a
changed rule value keeps the property)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.core.errors import DomainError

FAST = settings(max_examples=60, deadline=None, derandomize=True)
dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2099, 12, 31))
money = st.decimals(min_value=0, max_value=Decimal("1000000"), places=2, allow_nan=False)


# --- economy.rules: contract pro-rating (economy.contract_prorate) and expiring contracts ------------


@FAST
@given(a=dates, b=dates, year=st.integers(2000, 2099), annual=money)
def test_contract_income_is_annual_amount_times_covered_months_over_twelve(a, b, year, annual):
    from dangjian.economy import rules as R
    from dangjian.economy.models import AssetContract
    from dangjian.economy.services import due_in_year, months_in_year

    start, end = min(a, b), max(a, b)
    months = months_in_year(start, end, year)
    covered = [m for m in range(1, 13) if start <= datetime.date(year, m, 1) <= end]
    assert months == len(covered)
    due = due_in_year(AssetContract(start=start, end=end, annual_amount=annual), year)
    assert due == (annual * months / R.PRORATE.value).quantize(Decimal("0.01"))
    if start <= datetime.date(year, 1, 1) and end >= datetime.date(year, 12, 1):
        assert due == annual.quantize(Decimal("0.01"))  # a whole year owes the whole annual amount
    if end < datetime.date(year, 1, 1) or start > datetime.date(year, 12, 1):
        assert due == 0


@FAST
@given(today=dates, end=dates)
def test_a_contract_is_expiring_iff_it_ends_within_the_rule_days(today, end):
    from dangjian.economy import rules as R
    from dangjian.economy.selectors import expiring_window

    low, high = expiring_window(today)
    assert (low <= end <= high) == (0 <= (end - today).days <= R.EXPIRING_DAYS.value)


# --- members.rules: monthly dues under the 2008 rules -----------------------------------------------


@FAST
@given(income=money, retired=st.booleans())
def test_dues_take_the_percent_of_the_first_band_whose_ceiling_covers_the_income(income, retired):
    from dangjian.members import rules as R
    from dangjian.members.choices import DuesCategory

    category = DuesCategory.RETIRED if retired else DuesCategory.WORKING
    bands = (R.DUES_RETIRED_BANDS if retired else R.DUES_WORKING_BANDS).value
    percent = next(Decimal(p) for ceiling, p in bands if ceiling is None or income <= ceiling)
    assert R.dues_amount(category, income) == (income * percent / 100).quantize(Decimal("0.01"))
    # A ceiling itself is inside its band: one fen more moves to the next band's percent.
    for ceiling, p in bands:
        if ceiling is not None:
            at = R.dues_amount(category, Decimal(ceiling))
            assert at == (Decimal(ceiling) * Decimal(p) / 100).quantize(Decimal("0.01"))


@FAST
@given(low=money, high=money, retired=st.booleans())
def test_more_income_never_owes_less(low, high, retired):
    from dangjian.members import rules as R
    from dangjian.members.choices import DuesCategory

    low, high = min(low, high), max(low, high)
    category = DuesCategory.RETIRED if retired else DuesCategory.WORKING
    assert R.dues_amount(category, low) <= R.dues_amount(category, high)
    assert R.dues_amount(DuesCategory.EXEMPT, high) == 0


# --- notices.rules: signing a notice late (notices.sign_grace_days) -----------------------------------


@FAST
@given(sign_by=st.none() | dates, today=dates)
def test_a_receipt_is_overdue_iff_more_than_the_grace_days_past_its_sign_by_date(sign_by, today):
    from dangjian.notices import rules as R
    from dangjian.notices.selectors import is_overdue

    expected = sign_by is not None and (today - sign_by).days > int(R.SIGN_GRACE_DAYS.value)
    assert is_overdue(sign_by, today) == expected


# --- rectification.rules: the screening's bottom quota (rectification.quota_min / quota_max) ----------


@FAST
@given(value=st.decimals(min_value=-50, max_value=150, places=2) | st.text(max_size=4))
def test_a_screening_quota_is_accepted_iff_within_the_rule_bounds(value):
    from dangjian.rectification import rules as R
    from dangjian.rectification.services import check_quota

    try:
        number = Decimal(str(value))
        inside = number.is_finite() and R.QUOTA_MIN.value <= number <= R.QUOTA_MAX.value
    except ArithmeticError:
        inside = False
    if inside:
        assert check_quota(value) == number
    else:
        with pytest.raises(DomainError):
            check_quota(value)


# --- projects.rules: funding sources within the budget (projects.sources_not_over_budget) ------------


@FAST
@given(budget=money, total=money)
def test_sources_over_the_budget_are_refused_and_equal_to_it_are_not(budget, total):
    from dangjian.members.records.common import Errors
    from dangjian.projects.services import _check_sources_fit

    e = Errors()
    _check_sources_fit(e, budget, total, "sources")
    assert bool(e.items) == (total > budget)
    e = Errors()
    _check_sources_fit(e, budget, budget, "sources")
    assert not e.items


# --- orgs.rules: an org's name length (orgs.name_max_length) -----------------------------------------


@FAST
@given(name=st.text(alphabet="村党支部甲乙一二 ", max_size=80))
def test_an_org_name_is_accepted_iff_not_blank_and_within_the_rule_length(name):
    from dangjian.orgs.rules import NAME_MAX_LENGTH
    from dangjian.orgs.services import clean_name

    stripped = name.strip()
    if stripped and len(stripped) <= NAME_MAX_LENGTH.value:
        assert clean_name(name) == stripped
    else:
        with pytest.raises(DomainError):
            clean_name(name)


# --- liaison.rules: a deputy's contacts against the yearly target (liaison.contacts_per_year) ---------


@FAST
@given(count=st.integers(0, 50), target=st.integers(1, 50))
def test_a_deputy_is_green_iff_the_target_is_met_and_red_iff_no_contact(count, target):
    from dangjian.liaison.selectors import standing

    assert (standing(count, target) == "success") == (count >= target)
    assert (standing(count, target) == "danger") == (count == 0)


# --- tasks.rules: an assignment's due state (tasks.assignment_due and its warning window) ------------


@FAST
@given(due=dates, today=dates, warn=st.integers(0, 30), own=st.booleans(), done=st.booleans())
def test_an_assignment_is_overdue_iff_past_due_and_due_soon_iff_within_its_county_window(
    due, today, warn, own, done
):
    from dangjian.tasks.choices import AssignmentState
    from dangjian.tasks.models import Assignment
    from dangjian.tasks.tables import due_status

    default = 3
    windows = {None: default, 7: warn} if own else {None: default}
    state = AssignmentState.DONE if done else AssignmentState.values[0]
    if not done and state == AssignmentState.DONE:
        state = AssignmentState.values[1]
    label, _css = due_status(Assignment(due=due, state=state, county_id=7), today, windows)
    window = warn if own else default
    if done:
        assert label == "已完成"
    elif due < today:
        assert label == f"逾期{(today - due).days}天"
    else:
        assert (label == "即将到期") == ((due - today).days <= window)


# --- errands.rules: a catalogue item's promised days (errands.PROMISED_DAYS_MAX) ---------------------


@FAST
@given(value=st.integers(-50, 400) | st.text(alphabet="0123456789-x ", max_size=4) | st.none())
def test_promised_days_are_accepted_iff_a_whole_number_within_the_rule_limit(value):
    from dangjian.errands import rules as R
    from dangjian.errands.services import _int
    from dangjian.members.records.common import Errors

    e = Errors()
    number = _int(e, value, label="承诺办结时限", field="promised_days", low=0, high=R.PROMISED_DAYS_MAX)
    try:
        expected = int(value) if value not in (None, "") else None
    except ValueError:
        expected = None
    assert number == expected
    assert (not e.items) == (expected is not None and 0 <= expected <= R.PROMISED_DAYS_MAX)
