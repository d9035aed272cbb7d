"""The three roll-up methods, each tested: weighted by the branches below each child (a big unit weighs
more), the plain average of children, and own score plus the children's average (which does not favour
big units); and the county's choice re-scores its results."""

from decimal import Decimal as D

import pytest

from dangjian.core.roles import Role
from dangjian.scoring import services
from dangjian.scoring.choices import Rollup
from dangjian.scoring.models import Result

# a big station (9 villages) scoring 60 and a small one (1 village) scoring 100
CHILDREN = [(D(60), 9), (D(100), 1)]


def test_weighted_average_favours_the_big_unit():
    assert services.roll_up(Rollup.WEIGHTED, D(90), CHILDREN, D("0.2")) == D("64.00")


def test_average_of_children_counts_each_child_once():
    assert services.roll_up(Rollup.AVERAGE, D(90), CHILDREN, D("0.2")) == D("80.00")


def test_own_plus_children_average():
    # own 90 × 0.2 + mean(60, 100) × 0.8 = 18 + 64
    assert services.roll_up(Rollup.OWN_PLUS, D(90), CHILDREN, D("0.2")) == D("82.00")


def test_own_plus_without_own_score_is_the_children_average():
    assert services.roll_up(Rollup.OWN_PLUS, None, CHILDREN, D("0.2")) == D("80.00")


@pytest.mark.parametrize("method", Rollup.values)
def test_a_leaf_is_its_own_score(method):
    assert services.roll_up(method, D("77.5"), [], D(1)) == D("77.5")


@pytest.mark.parametrize("method", Rollup.values)
def test_methods_agree_when_children_are_equal(method):
    assert services.roll_up(method, D(70), [(D(70), 3), (D(70), 1)], D("0.5")) == D("70.00")


@pytest.mark.django_db
@pytest.mark.parametrize("method", Rollup.values)
def test_the_county_choice_rescores_results(world, method):
    s = world.scoring_sets["county"]
    month = world.scoring_month
    services.set_rollup(world.user(Role.COUNTY_ADMIN), s, method)
    res = {r.org_id: r for r in Result.objects.filter(indicator_set=s, period=month)}
    station = res[world.orgs["station"].pk]
    kids = [res[world.orgs[k].pk] for k in ("branch", "sibling")]
    mean = sum(k.score for k in kids) / 2
    if method == Rollup.OWN_PLUS:
        # station indicators weigh 10 of the 70 at and below the station (branch 60 + station 10)
        share = D(10) / D(70)
        assert station.score == services.q2(station.own * share + mean * (1 - share))
    else:
        # each branch has one village, so weighted and plain averages agree here
        assert station.score == services.q2(mean)
