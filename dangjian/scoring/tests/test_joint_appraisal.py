"""干部考核评议权 (seed 004): where the county turns on `scoring.joint_appraisal`, a joint branch scores its
own villages on village-level manual indicators, through the service, the page and the API; not with the rule
off, not another joint branch's village, not a township-level indicator."""

import pytest
from django.urls import reverse

from dangjian.core.errors import ActionDenied, NotInScope
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.core.rule_settings import set_county_rule
from dangjian.core.testing import make_user
from dangjian.orgs.services import create_org
from dangjian.scoring import services
from dangjian.scoring.choices import Level
from dangjian.scoring.models import Indicator, Result

EVIDENCE = "联甲总支月度例会评议：村务公开栏未按月更新"


@pytest.fixture
def setup(world):
    o = world.orgs
    village = create_org(world.root, parent=o["joint"], name="联甲一村", kind="branch", code="JA1")
    other_joint = create_org(world.root, parent=o["township"], name="联甲乙", kind="joint_branch", code="JA2")
    other = create_org(world.root, parent=other_joint, name="联乙一村", kind="branch", code="JA3")
    user = make_user(world.root, "jointsec", "联甲书记", o["joint"], Role.STATION_CHIEF)
    return village, other, user


def turn_on(world):
    set_county_rule(
        world.root, world.orgs["county"], "scoring.joint_appraisal", True, source="县委组织部通知"
    )


def enter(world, user, org, code="B3", **kw):
    indicator = world.scoring_sets["county"].indicators.get(code=code)
    return services.enter_score(
        user, indicator, org, period=world.scoring_month, value=kw.pop("value", 70), evidence=EVIDENCE, **kw
    )


def test_with_the_rule_off_the_joint_branch_cannot_score(world, setup):
    village, _, user = setup
    with pytest.raises(ActionDenied):
        enter(world, user, village)


def test_with_the_rule_on_it_scores_its_own_village_and_the_ranking_follows(world, setup):
    village, _, user = setup
    turn_on(world)
    score = enter(world, user, village)
    assert score.entered_by == user and score.note.startswith("联甲评议（干部考核评议权）：完成70%")
    assert Result.objects.filter(org=village, period=world.scoring_month).exists()
    event = AuditEvent.objects.get(action="scoring.score.manual", object_id=str(score.pk))
    assert event.actor == user


def test_not_a_village_of_another_joint_branch_nor_outside_it(world, setup):
    _, other, user = setup
    turn_on(world)
    with pytest.raises((ActionDenied, NotInScope)):
        enter(world, user, other)
    with pytest.raises((ActionDenied, NotInScope)):
        enter(world, user, world.orgs["branch"])


def test_only_village_level_indicators_are_the_joint_branchs(world, setup):
    village, _, user = setup
    turn_on(world)
    county = world.orgs["county"]
    for level, expected in ((Level.BRANCH, "联甲"), (Level.STATION, None), (Level.TOWNSHIP, None)):
        indicator = Indicator(county=county, level=level)
        joint = services.appraising_joint(user, indicator, village)
        assert (joint.name if joint else None) == expected


def test_the_township_office_still_scores_the_village(world, setup):
    village, _, _ = setup
    turn_on(world)
    score = enter(world, world.user(Role.TOWNSHIP_STAFF), village)
    assert score.note.startswith("人工评分")


def test_page_offers_only_own_villages_and_village_indicators(world, setup, client_for):
    village, other, user = setup
    s = world.scoring_sets["county"]
    client = client_for(user)
    assert "联村党总支评议" not in client.get(s.get_absolute_url()).content.decode()
    turn_on(world)
    assert "人工评分（联村党总支评议）" in client.get(s.get_absolute_url()).content.decode()
    url = reverse("scoring-set-score", args=[s.pk])
    page = client.get(url).content.decode()
    assert "联甲一村" in page and "联乙一村" not in page and "村甲一" not in page
    assert "阵地建设" in page
    data = {"indicator": s.indicators.get(code="B3").pk, "period": world.scoring_month, "value": "60",
            "evidence": EVIDENCE}  # fmt: skip
    assert client.post(url, data | {"org": other.pk}).status_code == 400
    assert client.post(url, data | {"org": village.pk}).status_code == 302


def test_api_takes_the_appraisal_and_refuses_another_branch(world, setup, client_for):
    village, other, user = setup
    turn_on(world)
    client = client_for(user)
    body = {"indicator": world.scoring_sets["county"].indicators.get(code="B3").pk,
            "period": world.scoring_month, "value": "80", "evidence": EVIDENCE}  # fmt: skip
    r = client.post("/api/v1/scoring-scores/", body | {"org": village.pk}, content_type="application/json")
    assert r.status_code == 201, r.content
    r = client.post("/api/v1/scoring-scores/", body | {"org": other.pk}, content_type="application/json")
    assert r.status_code == 400 and "不在您的管辖范围内" in r.content.decode()
