"""Property tests of the pure checks of the cadres, office and scoring rule modules: at and around each
rule's boundary, for any input, the check the app uses says what the rule's text says (the value read
from the rule module, so a changed value keeps the property)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.core.errors import DomainError

FAST = settings(max_examples=60, deadline=None, derandomize=True)
dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2099, 12, 31))
CENT = Decimal("0.01")


# --- cadres.rules: performance pay (cadres.pay_performance) ------------------------------------------


@FAST
@given(
    base=st.decimals(min_value=0, max_value=100000, places=2),
    months=st.integers(0, 12),
    coefficients=st.lists(st.decimals(min_value=0, max_value=5, places=1), min_size=4, max_size=4),
)
def test_performance_is_the_grade_coefficient_times_base_pay_times_the_months(base, months, coefficients):
    from dangjian.cadres import rules as R
    from dangjian.cadres.choices import AssessmentGrade
    from dangjian.cadres.models import PayScheme
    from dangjian.cadres.services import performance_pay

    grades = AssessmentGrade.values
    own = PayScheme(
        coefficients=dict(zip(grades, map(str, coefficients), strict=True)), performance_months=months
    )
    for grade, c in zip(grades, coefficients, strict=True):
        assert performance_pay(own, base, grade) == (c * base * months).quantize(CENT, ROUND_HALF_UP)
    assert performance_pay(own, base, "unknown") == 0
    # Under the default scheme a better grade never pays less, and the worst pays nothing.
    default = PayScheme(coefficients=R.DEFAULT_COEFFICIENTS, performance_months=R.DEFAULT_PERFORMANCE_MONTHS)
    pays = [performance_pay(default, base, g) for g in grades]
    assert pays == sorted(pays, reverse=True)


# --- office.rules: leader visits expected so far in the year (office.contact_leader_visits_per_month) --


@FAST
@given(year=st.integers(2000, 2099), today=dates)
def test_the_months_a_leader_owes_visits_for_are_those_of_the_year_begun_by_today(year, today):
    from dangjian.office.selectors import months_elapsed

    begun = [m for m in range(1, 13) if datetime.date(year, m, 1) <= today]
    assert months_elapsed(year, today) == len(begun)


# --- scoring.rules: the indicators' weights add up to the county's total (scoring.total) -------------


@FAST
@given(
    count=st.integers(1, 8),
    shares=st.lists(st.integers(1, 1000), min_size=8, max_size=8),
    off=st.sampled_from([-1, 0, 1]) | st.integers(-500, 500),
)
def test_an_indicator_set_is_accepted_iff_its_weights_add_up_to_the_total(count, shares, off):
    from dangjian.scoring import rules as R
    from dangjian.scoring.choices import Level
    from dangjian.scoring.services import validate_indicators

    total = Decimal(str(R.TOTAL.value)).quantize(CENT)
    # The first weights take under half the total; the last makes it up, give or take `off` fen.
    head = [max(CENT, (total / 16 * s / 1000).quantize(CENT)) for s in shares[: count - 1]]
    last = total - sum(head, Decimal(0)) + off * CENT
    weights = [*head, last]
    rows = [
        {"code": f"X{n}", "name": f"指标{n}", "level": Level.BRANCH, "weight": w, "formula": "按检查记录评分"}
        for n, w in enumerate(weights)
    ]
    if sum(weights) == total:
        assert [i.weight for i in validate_indicators(rows, total)] == weights
    else:
        with pytest.raises(DomainError):
            validate_indicators(rows, total)
