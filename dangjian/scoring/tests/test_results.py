"""一定二考三有 end to end: monthly ranks with the change from last month, the annual result, honours
drawn from it, model stations rewarded by the county's rule, grades sent to the pay module."""

import datetime
from decimal import Decimal

import pytest

from dangjian.core.dates import add_months
from dangjian.core.errors import DomainError
from dangjian.core.roles import Role
from dangjian.scoring import selectors, services
from dangjian.scoring.choices import Level
from dangjian.scoring.models import Award, Result


@pytest.mark.django_db
def test_rank_change_from_last_month(world):
    s = world.scoring_sets["county"]
    month = world.scoring_month
    year, m = (int(x) for x in month.split("-"))
    earlier = add_months(datetime.date(year, m, 1), -1)
    if earlier.year != s.year:
        pytest.skip("last month is in another year")
    services.compute(world.root, s, f"{earlier:%Y-%m}")
    Result.objects.filter(indicator_set=s, period=f"{earlier:%Y-%m}", org=world.orgs["sibling"]).update(
        rank=3
    )
    services.compute(world.root, s, month)
    r = Result.objects.get(indicator_set=s, period=month, org=world.orgs["sibling"])
    assert r.rank_prev == 3 and r.change == 3 - r.rank


@pytest.mark.django_db
def test_ranks_are_within_each_level_and_group(world):
    s = world.scoring_sets["county"]
    rows = Result.objects.filter(indicator_set=s, period=world.scoring_month)
    branches = rows.filter(level=Level.BRANCH)
    assert {r.group_id for r in branches} == {world.orgs["township"].pk}
    assert sorted(r.rank for r in branches) == sorted(r.rank for r in branches.order_by("-score"))
    assert rows.get(level=Level.TOWNSHIP).group_id == world.orgs["county"].pk
    assert all(r.peers == branches.count() for r in branches)


@pytest.mark.django_db
def test_annual_result_honours_and_pay_export(world):
    from dangjian.cadres.models import AssessmentResult

    s = world.scoring_sets["county"]
    admin = world.user(Role.COUNTY_ADMIN)
    services.close_year(admin, s)
    annual = Result.objects.filter(indicator_set=s, period=str(s.year))
    assert annual.filter(level=Level.TOWNSHIP).exists()
    with pytest.raises(DomainError, match="考核结果已确定"):
        services.compute(admin, s, str(s.year))
    recs = selectors.honours(s)
    assert {r.label for r in recs} >= {"两优一先：先进基层党组织", "年度考核优秀等次"}
    sent = services.export_to_cadres(admin, s)
    assert sent == AssessmentResult.objects.filter(year=s.year, evidence__startswith=s.title).count()


@pytest.mark.django_db
def test_model_stations_rewarded_by_the_county_rule(world):
    s = world.scoring_sets["county"]
    Award.objects.filter(county=world.orgs["county"]).delete()
    awards = services.choose_model_stations(world.user(Role.COUNTY_ADMIN), s, [world.orgs["station"]])
    assert awards[0].amount == Decimal(20000) and awards[0].kind == "model_station"
    with pytest.raises(DomainError, match="只能授予党建工作站"):
        services.record_award(
            world.root, world.orgs["branch"], year=s.year, kind="model_station", reason="示范"
        )


@pytest.mark.django_db
def test_model_stations_limited_to_the_county_count(world):
    from dangjian.core.models import RuleOverride

    s = world.scoring_sets["county"]
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="scoring.model_stations",
        value=1,
        source="测试",
        effective_from="2000-01-01",
    )
    with pytest.raises(DomainError, match="不超过1个"):
        services.choose_model_stations(world.user(Role.COUNTY_ADMIN), s, [world.orgs["station"]])
