"""Bad input is refused with a clear message naming the rule: weights not adding to the total, a manual
score with no evidence, an unknown computation, a computation on a level it cannot score; points are
capped at the weight (boundaries of the target)."""

from decimal import Decimal

import pytest

from dangjian.core.errors import DomainError
from dangjian.core.roles import Role
from dangjian.scoring import services
from dangjian.scoring.demo import standard_indicators
from dangjian.scoring.models import Indicator, IndicatorSet, Score


def rows(**change):
    out = standard_indicators()
    out[0] = out[0] | change
    return out


@pytest.mark.django_db
def test_standard_set_adds_up_to_100():
    assert sum(r["weight"] for r in standard_indicators()) == 100


@pytest.mark.django_db
def test_weights_not_adding_to_the_total_are_refused(world):
    admin = world.user(Role.COUNTY_ADMIN)
    with pytest.raises(DomainError) as e:
        services.create_set(admin, world.orgs["county"], year=2025, indicators=rows(weight=25))
    assert "权重合计为105分，应等于满分100分" in e.value.message
    assert not IndicatorSet.objects.filter(county=world.orgs["county"], year=2025).exists()
    s = world.scoring_sets["county"]
    before = list(s.indicators.values_list("code", "weight"))
    with pytest.raises(DomainError, match="应等于满分100分"):
        services.replace_indicators(admin, s, rows(weight=10))
    assert list(s.indicators.values_list("code", "weight")) == before


@pytest.mark.django_db
def test_a_set_with_weights_adding_up_is_accepted(world):
    s = services.create_set(world.user(Role.COUNTY_ADMIN), world.orgs["county"], year=2025, indicators=rows())
    assert s.indicators.count() == 12 and s.total == 100
    assert s.indicators.get(code="B1").formula.startswith("已开会议数 ÷ 应开会议数")


@pytest.mark.django_db
def test_unknown_or_misplaced_computation_is_refused(world):
    admin = world.user(Role.COUNTY_ADMIN)
    with pytest.raises(DomainError, match="没有名为“nope”的计算函数"):
        services.create_set(admin, world.orgs["county"], year=2025, indicators=rows(computation="nope"))
    with pytest.raises(DomainError, match="不能用于考核村（社区）党组织"):
        services.create_set(
            admin, world.orgs["county"], year=2025, indicators=rows(computation="office.field_days")
        )


@pytest.mark.django_db
def test_manual_indicator_needs_a_formula(world):
    with pytest.raises(DomainError, match="须写明评分标准"):
        services.create_set(
            world.user(Role.COUNTY_ADMIN), world.orgs["county"], year=2025, indicators=rows(computation="")
        )


@pytest.mark.django_db
def test_township_staff_cannot_set_indicators(world):
    with pytest.raises(Exception):  # noqa: B017 (ActionDenied or NotInScope)
        services.create_set(
            world.user(Role.TOWNSHIP_STAFF), world.orgs["county"], year=2025, indicators=rows()
        )


@pytest.mark.django_db
@pytest.mark.parametrize("evidence", ["", "   ", "看过了"])
def test_manual_score_without_evidence_is_refused(world, evidence):
    s = world.scoring_sets["county"]
    manual = s.indicators.get(code="B3")
    with pytest.raises(DomainError) as e:
        services.enter_score(
            world.user(Role.TOWNSHIP_STAFF),
            manual,
            world.orgs["sibling"],
            period=world.scoring_month,
            value=70,
            evidence=evidence,
        )
    assert "人工评分须附评分依据" in e.value.message and e.value.field == "evidence"
    assert not Score.objects.filter(indicator=manual, org=world.orgs["sibling"]).exists()


@pytest.mark.django_db
def test_manual_score_with_evidence_counts_and_reranks(world):
    from dangjian.scoring.models import Result

    s = world.scoring_sets["county"]
    month = world.scoring_month
    before = Result.objects.get(indicator_set=s, org=world.orgs["sibling"], period=month).score
    score = services.enter_score(
        world.user(Role.TOWNSHIP_STAFF),
        s.indicators.get(code="B3"),
        world.orgs["sibling"],
        period=month,
        value=100,
        evidence="检查记录齐全",
    )
    assert score.points == Decimal(10)
    after = Result.objects.get(indicator_set=s, org=world.orgs["sibling"], period=month).score
    assert after > before


@pytest.mark.django_db
def test_a_computed_indicator_cannot_be_scored_by_hand(world):
    s = world.scoring_sets["county"]
    with pytest.raises(DomainError, match="由系统计算"):
        services.enter_score(
            world.root,
            s.indicators.get(code="B1"),
            world.orgs["branch"],
            period=world.scoring_month,
            value=100,
            evidence="依据充分的材料",
        )


@pytest.mark.parametrize(
    ("value", "points"),
    [(None, "20"), ("100", "20"), ("90", "20"), ("89.99", "20.00"), ("45", "10.00"), ("0", "0.00")],
)
def test_points_are_capped_at_the_target(value, points):
    ind = Indicator(weight=Decimal(20), target=Decimal(90))
    assert services.points_for(ind, Decimal(value) if value else None) == Decimal(points)


@pytest.mark.django_db
def test_bad_period_is_refused(world):
    s = world.scoring_sets["county"]
    with pytest.raises(DomainError, match="考核期格式不正确"):
        services.compute(world.root, s, "11/2026")
    with pytest.raises(DomainError, match="尚未开始"):
        services.compute(world.root, s, "2099-01")
